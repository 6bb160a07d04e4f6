namespace QualityScan.Speech.Transcription;

/// <summary>
/// Whisper's log-mel input features for one 30-second window: 16 kHz samples zero-padded (or cut) to
/// 480,000, a 400-point periodic Hann STFT with hop 160 and 200 samples of reflect padding on both ends,
/// the power of bins 0..200, the last of the 3001 frames dropped, a Slaney mel filter bank, log10 of
/// max(value, 1e-10), a floor at the window's maximum − 8, then (x + 4) / 4.
/// </summary>
/// <remarks>
/// Immutable and thread-safe: the filter bank, window and FFT plan are computed once per instance, and every
/// call uses its own scratch memory. Frames that lie entirely in the zero padding are not transformed,
/// so a short speech chunk costs proportionally less than a full window.
/// </remarks>
public sealed class LogMelSpectrogram
{
    /// <summary>Sample rate the features are defined for.</summary>
    public const int SampleRate = 16000;

    /// <summary>STFT frame length in samples (25 ms).</summary>
    public const int FftSize = 400;

    /// <summary>STFT hop in samples (10 ms).</summary>
    public const int HopLength = 160;

    /// <summary>Samples in one window (30 s).</summary>
    public const int WindowSamples = 30 * SampleRate;

    /// <summary>Feature frames per window.</summary>
    public const int FrameCount = WindowSamples / HopLength;

    private const int Bins = (FftSize / 2) + 1;
    private const int Padding = FftSize / 2;

    private readonly MixedRadixFft _fft = new(FftSize);
    private readonly double[] _window = new double[FftSize];
    private readonly float[] _filters;
    private readonly int[] _filterStart;
    private readonly int[] _filterEnd;

    /// <summary>Prepares features with <paramref name="melBins"/> mel bins (80 for most Whisper models, 128 for large-v3).</summary>
    public LogMelSpectrogram(int melBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melBins, 1);
        MelBins = melBins;
        _filters = MelFilterBank.Create(SampleRate, FftSize, melBins);
        _filterStart = new int[melBins];
        _filterEnd = new int[melBins];
        for (var m = 0; m < melBins; m++)
        {
            var row = _filters.AsSpan(m * Bins, Bins);
            var first = row.IndexOfAnyExcept(0f);
            _filterStart[m] = first < 0 ? 0 : first;
            _filterEnd[m] = first < 0 ? 0 : row.LastIndexOfAnyExcept(0f) + 1;
        }

        for (var n = 0; n < FftSize; n++)
        {
            _window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / FftSize));
        }
    }

    /// <summary>Number of mel bins per frame.</summary>
    public int MelBins { get; }

    /// <summary>Number of values <see cref="Compute(ReadOnlySpan{float})"/> returns: <see cref="MelBins"/> x <see cref="FrameCount"/>.</summary>
    public int FeatureLength => MelBins * FrameCount;

    /// <summary>The mel filter bank, <see cref="MelBins"/> x 201, row-major.</summary>
    internal ReadOnlySpan<float> Filters => _filters;

    /// <summary>Features of one window, <see cref="MelBins"/> x <see cref="FrameCount"/>, row-major (mel bin major).</summary>
    /// <param name="samples">16 kHz mono samples in [-1, 1]; shorter input is padded with zeros, longer input is cut at 30 s.</param>
    public float[] Compute(ReadOnlySpan<float> samples)
    {
        var features = new float[FeatureLength];
        Compute(samples, features);
        return features;
    }

    /// <summary>Writes the features of one window into <paramref name="destination"/> (at least <see cref="FeatureLength"/> values).</summary>
    /// <param name="samples">16 kHz mono samples in [-1, 1]; shorter input is padded with zeros, longer input is cut at 30 s.</param>
    /// <param name="destination">Receives <see cref="MelBins"/> x <see cref="FrameCount"/> values, row-major.</param>
    public void Compute(ReadOnlySpan<float> samples, Span<float> destination)
    {
        if (destination.Length < FeatureLength)
        {
            throw new ArgumentException($"The destination must hold {FeatureLength} values.", nameof(destination));
        }

        var length = Math.Min(samples.Length, WindowSamples);
        var audio = samples[..length];

        // A frame can be skipped when all its samples come from the zero padding. The reflect padding on the right
        // mirrors zeros too unless the signal fills the whole window.
        var lastSignalFrame = length >= WindowSamples - Padding
            ? FrameCount - 1
            : Math.Min(FrameCount - 1, (length - 1 + Padding) / HopLength);

        var re = new double[FftSize];
        var im = new double[FftSize];
        var scratchRe = new double[FftSize];
        var scratchIm = new double[FftSize];
        var powerA = new double[Bins];
        var powerB = new double[Bins];

        var silentLog = (float)Math.Log10(1e-10);
        var max = float.NegativeInfinity;
        for (var t = 0; t <= lastSignalFrame; t += 2)
        {
            // Two real frames share one complex transform: frame t in the real part, frame t + 1 in the imaginary part.
            var hasSecond = t + 1 <= lastSignalFrame;
            LoadFrame(audio, t, re);
            if (hasSecond)
            {
                LoadFrame(audio, t + 1, im);
            }
            else
            {
                Array.Clear(im);
            }

            _fft.Forward(re, im, scratchRe, scratchIm);
            for (var k = 0; k < Bins; k++)
            {
                var j = k == 0 ? 0 : FftSize - k;
                var ar = 0.5 * (re[k] + re[j]);
                var ai = 0.5 * (im[k] - im[j]);
                var br = 0.5 * (im[k] + im[j]);
                var bi = 0.5 * (re[k] - re[j]);
                powerA[k] = (ar * ar) + (ai * ai);
                powerB[k] = (br * br) + (bi * bi);
            }

            max = MathF.Max(max, ApplyFilters(powerA, destination, t));
            if (hasSecond)
            {
                max = MathF.Max(max, ApplyFilters(powerB, destination, t + 1));
            }
        }

        if (lastSignalFrame < FrameCount - 1)
        {
            max = MathF.Max(max, silentLog);
            for (var m = 0; m < MelBins; m++)
            {
                destination.Slice((m * FrameCount) + lastSignalFrame + 1, FrameCount - lastSignalFrame - 1).Fill(silentLog);
            }
        }

        var floor = max - 8f;
        var values = destination[..FeatureLength];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (MathF.Max(values[i], floor) + 4f) / 4f;
        }
    }

    private float ApplyFilters(double[] power, Span<float> destination, int frame)
    {
        var max = float.NegativeInfinity;
        for (var m = 0; m < MelBins; m++)
        {
            var sum = 0.0;
            var row = m * Bins;
            for (var k = _filterStart[m]; k < _filterEnd[m]; k++)
            {
                sum += _filters[row + k] * power[k];
            }

            var value = MathF.Log10((float)Math.Max(sum, 1e-10));
            destination[(m * FrameCount) + frame] = value;
            max = MathF.Max(max, value);
        }

        return max;
    }

    /// <summary>Windowed samples of STFT frame <paramref name="frame"/>.</summary>
    private void LoadFrame(ReadOnlySpan<float> audio, int frame, double[] destination)
    {
        var start = (frame * HopLength) - Padding;
        if (start >= 0 && start + FftSize <= audio.Length)
        {
            var source = audio.Slice(start, FftSize);
            for (var n = 0; n < FftSize; n++)
            {
                destination[n] = _window[n] * source[n];
            }

            return;
        }

        for (var n = 0; n < FftSize; n++)
        {
            destination[n] = _window[n] * PaddedSample(audio, (frame * HopLength) + n);
        }
    }

    /// <summary>Sample <paramref name="index"/> of the window after reflect padding by 200 on both sides.</summary>
    private static double PaddedSample(ReadOnlySpan<float> audio, int index)
    {
        var i = index - Padding;
        if (i < 0)
        {
            i = -i;
        }
        else if (i >= WindowSamples)
        {
            i = (2 * (WindowSamples - 1)) - i;
        }

        return i < audio.Length ? audio[i] : 0.0;
    }
}
