using System.Buffers.Binary;
using QualityScan.Speech.Audio;

namespace QualityScan.Pipeline.Reports;

/// <summary>Cuts a stretch of decoded audio and writes it as a 16-bit PCM WAV file, a format every browser plays.</summary>
/// <remarks>Keeps the recording's channels (agent and customer on a stereo call) and sample rate; samples are clipped to ±1.</remarks>
public static class WavClip
{
    /// <summary>The samples of <paramref name="audio"/> from <paramref name="fromSeconds"/> to <paramref name="toSeconds"/> (clamped to the recording) as WAV bytes.</summary>
    public static byte[] Cut(AudioData audio, double fromSeconds, double toSeconds)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Cut(AudioTracks.FromAudio(audio), fromSeconds, toSeconds);
    }

    /// <summary>As <see cref="Cut(AudioData, double, double)"/>, from tracks however they are held (a long call as 16-bit samples).</summary>
    public static byte[] Cut(AudioTracks audio, double fromSeconds, double toSeconds)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Channels.Count == 0 || audio.SampleRate <= 0)
        {
            throw new ArgumentException("The audio has no samples.", nameof(audio));
        }

        var first = (int)Math.Clamp(Math.Floor(fromSeconds * audio.SampleRate), 0, audio.FrameCount);
        var last = (int)Math.Clamp(Math.Ceiling(toSeconds * audio.SampleRate), first, audio.FrameCount);
        var frames = last - first;
        var channels = audio.Channels.Count;
        var dataBytes = frames * channels * 2;
        var bytes = new byte[44 + dataBytes];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], audio.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], audio.SampleRate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        var samples = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            samples[c] = new float[frames];
            audio.Channels[c].CopyTo(first, samples[c]);
        }

        var offset = 44;
        for (var frame = 0; frame < frames; frame++)
        {
            for (var c = 0; c < channels; c++)
            {
                var sample = Math.Clamp(samples[c][frame], -1f, 1f);
                BinaryPrimitives.WriteInt16LittleEndian(span[offset..], (short)Math.Round(sample * short.MaxValue));
                offset += 2;
            }
        }

        return bytes;
    }
}
