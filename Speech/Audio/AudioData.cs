namespace QualityScan.Speech.Audio;

/// <summary>Decoded audio: float samples in [-1, 1], one array per channel, all of the same length.</summary>
/// <param name="SampleRate">Samples per second of every channel.</param>
/// <param name="Channels">Channel 0 is the left channel of a stereo recording.</param>
public sealed record AudioData(int SampleRate, IReadOnlyList<float[]> Channels)
{
    /// <summary>Number of samples in each channel.</summary>
    public int FrameCount => Channels.Count == 0 ? 0 : Channels[0].Length;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => SampleRate == 0 ? 0 : (double)FrameCount / SampleRate;
}
