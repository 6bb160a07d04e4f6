namespace QualityScan.Speech.Audio;

/// <summary>Decoded audio as one <see cref="SampleTrack"/> per channel, all of the same length: what a scan holds of a call.</summary>
/// <param name="SampleRate">Samples per second of every channel.</param>
/// <param name="Channels">Channel 0 is the left channel of a stereo recording.</param>
public sealed record AudioTracks(int SampleRate, IReadOnlyList<SampleTrack> Channels)
{
    private const int BlockSamples = 1 << 16;

    /// <summary>Number of samples in each channel.</summary>
    public int FrameCount => Channels.Count == 0 ? 0 : Channels[0].Length;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => SampleRate == 0 ? 0 : (double)FrameCount / SampleRate;

    /// <summary>The channels of <paramref name="audio"/> as float-backed tracks (not copied).</summary>
    public static AudioTracks FromAudio(AudioData audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return new AudioTracks(audio.SampleRate, [.. audio.Channels.Select(SampleTrack.FromFloats)]);
    }

    /// <summary>
    /// The channels of <paramref name="audio"/> as 16-bit tracks read at <paramref name="sampleRate"/>: held at their own
    /// rate and resampled when read if that is lower, otherwise resampled now.
    /// </summary>
    public static AudioTracks Compact(AudioData audio, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Compact(FromAudio(audio), sampleRate);
    }

    /// <summary>As <see cref="Compact(AudioData, int)"/>, from tracks however they are held, read a block at a time.</summary>
    public static AudioTracks Compact(AudioTracks audio, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate < sampleRate)
        {
            return new AudioTracks(audio.SampleRate, [.. audio.Channels.Select(c => c.Pcm16 is not null ? c : SampleTrack.Quantize(c.Floats ?? c.ToArray()))]).ReadAt(sampleRate);
        }

        var resampler = Resampler.For(audio.SampleRate, sampleRate);
        var channels = new SampleTrack[audio.Channels.Count];
        var block = new float[BlockSamples];
        for (int c = 0; c < channels.Length; c++)
        {
            var track = audio.Channels[c];
            var stream = new Resampler.ChannelStream(resampler, track.Length, pcm16: true);
            for (int at = 0; at < track.Length; at += BlockSamples)
            {
                int count = Math.Min(BlockSamples, track.Length - at);
                track.CopyTo(at, block.AsSpan(0, count));
                stream.Append(block.AsSpan(0, count));
            }

            channels[c] = stream.CompleteTrack();
        }

        return new AudioTracks(sampleRate, channels);
    }

    /// <summary>
    /// These 16-bit tracks read at the higher <paramref name="sampleRate"/>: the samples stay as they are, at their own
    /// rate, and are resampled a stretch at a time when read (see <see cref="SampleTrack.Resampled"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A track is not 16-bit at this rate, or the rate is not higher.</exception>
    public AudioTracks ReadAt(int sampleRate)
    {
        if (sampleRate <= SampleRate)
        {
            throw new InvalidOperationException($"Tracks at {SampleRate} Hz are read at a higher rate only, not {sampleRate} Hz.");
        }

        var resampler = Resampler.For(SampleRate, sampleRate);
        return new AudioTracks(sampleRate, [.. Channels.Select(c => SampleTrack.Resampled(c.Pcm16 ?? throw new InvalidOperationException("Only 16-bit tracks are resampled when read."), resampler))]);
    }

    /// <summary>The float samples of float-backed tracks, as <see cref="AudioData"/> (not copied); 16-bit tracks are converted.</summary>
    public AudioData ToAudioData() => new(SampleRate, [.. Channels.Select(c => c.Floats ?? c.ToArray())]);
}
