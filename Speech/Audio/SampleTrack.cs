namespace QualityScan.Speech.Audio;

/// <summary>
/// One channel's samples in [-1, 1], held either as the 32-bit floats they were made of or compactly as 16-bit PCM,
/// possibly at a lower rate than they are read at, and read as floats a stretch at a time.
/// </summary>
/// <remarks>
/// <para>A scan holds each call's two 16 kHz tracks from decoding until its transcription ends; as floats a two-hour
/// stereo call takes 0.93 GB. Compact forms: 16-bit PCM at 16 kHz (2 bytes a sample; 16-bit PCM at 16 kHz is the
/// input openai-whisper itself reads, ffmpeg's s16le: the rounding lies about 96 dB below full scale, far under the
/// noise of any telephone codec), or, for a recording made at a lower rate (8 kHz telephony), its own 16-bit samples
/// resampled whenever a stretch is read (<see cref="Resampled"/>; 1 byte a 16 kHz sample, a quarter of the floats).
/// A recording of 8-bit, 16-bit, A-law or mu-law samples is kept exactly either way, and a resampled track reads
/// exactly the floats <see cref="Resampler.Process"/> makes of the whole channel.</para>
/// <para>A float array converts implicitly to a float-backed track (no copy), so code and tests that have float
/// samples pass them as they are. Immutable once made; safe to read from several threads.</para>
/// </remarks>
public sealed class SampleTrack
{
    /// <summary>Full scale of the 16-bit form: a float sample is stored as round(x × 32768), clipped to the 16-bit range.</summary>
    public const float Pcm16Scale = 32768f;

    private const float Pcm16ToFloat = 1f / Pcm16Scale;

    private readonly float[]? _floats;
    private readonly short[]? _pcm16;
    private readonly Resampler? _resampler;

    private SampleTrack(float[]? floats, short[]? pcm16, Resampler? resampler = null)
    {
        _floats = floats;
        _pcm16 = pcm16;
        _resampler = resampler;
        Length = floats?.Length ?? resampler?.OutputLength(pcm16!.Length) ?? pcm16!.Length;
    }

    /// <summary>Number of samples (at the rate the track is read at).</summary>
    public int Length { get; }

    /// <summary>True when the samples are held as 16-bit PCM (at the rate they are read at, or a lower one).</summary>
    public bool IsPcm16 => _pcm16 is not null;

    /// <summary>Bytes of memory the samples take: 4 a sample for floats, 2 a held sample for 16-bit PCM.</summary>
    public long MemoryBytes => _floats is not null ? _floats.Length * (long)sizeof(float) : _pcm16!.Length * (long)sizeof(short);

    /// <summary>The float array behind a float-backed track (not a copy), or null for 16-bit PCM.</summary>
    internal float[]? Floats => _floats;

    /// <summary>The 16-bit samples behind a 16-bit track read at their own rate (not a copy), otherwise null.</summary>
    internal short[]? Pcm16 => _resampler is null ? _pcm16 : null;

    /// <summary>Sample <paramref name="index"/> as a float (a 16-bit sample divided by 32768).</summary>
    public float this[int index]
    {
        get
        {
            if (_floats is not null)
            {
                return _floats[index];
            }

            if (_resampler is null)
            {
                return _pcm16![index] * Pcm16ToFloat;
            }

            Span<float> one = stackalloc float[1];
            CopyTo(index, one);
            return one[0];
        }
    }

    /// <summary>A track over <paramref name="samples"/> as they are (not copied; do not change them afterwards).</summary>
    public static SampleTrack FromFloats(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return new SampleTrack(samples, null);
    }

    /// <summary>A track over 16-bit PCM <paramref name="samples"/> (not copied; do not change them afterwards).</summary>
    public static SampleTrack FromPcm16(short[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return new SampleTrack(null, samples);
    }

    /// <summary>
    /// A track read at <paramref name="resampler"/>'s output rate from 16-bit <paramref name="samples"/> at its input rate
    /// (not copied), resampled a stretch at a time when read: exactly the floats of <see cref="Resampler.Process"/> on the
    /// whole channel.
    /// </summary>
    public static SampleTrack Resampled(short[] samples, Resampler resampler)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(resampler);
        return new SampleTrack(null, samples, resampler);
    }

    /// <summary>A 16-bit PCM track of <paramref name="samples"/>, each rounded as <see cref="ToPcm16(float)"/> does.</summary>
    public static SampleTrack Quantize(ReadOnlySpan<float> samples)
    {
        var pcm = new short[samples.Length];
        ToPcm16(samples, pcm);
        return new SampleTrack(null, pcm);
    }

    /// <summary>A float-backed track of <paramref name="samples"/> (not copied).</summary>
    public static implicit operator SampleTrack(float[] samples) => FromFloats(samples);

    /// <summary>A float in [-1, 1] as 16-bit PCM: round(x × 32768), clipped to -32768..32767; NaN becomes 0.</summary>
    public static short ToPcm16(float sample) =>
        float.IsNaN(sample) ? (short)0 : (short)Math.Clamp(MathF.Round(sample * Pcm16Scale), short.MinValue, short.MaxValue);

    /// <summary>Converts <paramref name="source"/> to 16-bit PCM into <paramref name="destination"/> (at least as long).</summary>
    public static void ToPcm16(ReadOnlySpan<float> source, Span<short> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} samples, {source.Length} are needed.", nameof(destination));
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = ToPcm16(source[i]);
        }
    }

    /// <summary>Copies samples <paramref name="start"/> .. <paramref name="start"/> + destination length into <paramref name="destination"/> as floats.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the track.</exception>
    public void CopyTo(int start, Span<float> destination)
    {
        if (start < 0 || start > Length - destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Samples {start} to {start + destination.Length} are not inside a track of {Length}.");
        }

        if (_floats is not null)
        {
            _floats.AsSpan(start, destination.Length).CopyTo(destination);
            return;
        }

        if (_resampler is not null)
        {
            _resampler.ProcessRange(_pcm16!, start, destination);
            return;
        }

        ReadOnlySpan<short> source = _pcm16.AsSpan(start, destination.Length);
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * Pcm16ToFloat;
        }
    }

    /// <summary>All samples as a new float array.</summary>
    public float[] ToArray()
    {
        var samples = new float[Length];
        CopyTo(0, samples);
        return samples;
    }
}
