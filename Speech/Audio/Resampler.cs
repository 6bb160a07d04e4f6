using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QualityScan.Speech.Audio;

/// <summary>
/// Converts samples from one rate to another (typically to the 16 kHz a speech model expects) with a
/// Kaiser-windowed sinc low-pass, evaluated as a polyphase filter.
/// </summary>
/// <remarks>
/// <para>The ratio is reduced with the greatest common divisor (44100 → 16000 is 160/441) and one
/// set of taps is precomputed per output phase, so each output sample costs one short dot product.
/// The low-pass is centred at <see cref="CutoffFraction"/> (0.95) of the lower of the two Nyquist
/// frequencies, with the transition band from 0.90 to 1.00 of it: the band a telephone call uses
/// passes flat, and everything at or above the new Nyquist is attenuated by at least
/// <see cref="StopbandAttenuationDb"/> (80 dB) before it could alias.</para>
/// <para>When the reduced ratio needs more than 4096 phases (odd rates such as 44101 Hz) the phase is
/// rounded to the nearest of 4096, a timing error below 1/8192 of an input sample (fewer, down to
/// 256, for extreme ratios whose long filters would otherwise need a table over 16 MB).</para>
/// <para>An instance is immutable and thread-safe; <see cref="For"/> shares instances per rate pair.</para>
/// </remarks>
public sealed class Resampler
{
    /// <summary>Centre of the transition band, as a fraction of the lower Nyquist frequency.</summary>
    public const double CutoffFraction = 0.95;

    /// <summary>Width of the transition band, as a fraction of the lower Nyquist frequency.</summary>
    public const double TransitionFraction = 0.10;

    /// <summary>Minimum attenuation above the transition band.</summary>
    public const double StopbandAttenuationDb = 80;

    private const int MaxPhases = 4096;

    /// <summary>Largest phase table (4M floats, 16 MB); only extreme rate pairs from odd headers come near it.</summary>
    private const int MaxCoefficients = 1 << 22;

    private static readonly ConcurrentDictionary<(int In, int Out), Resampler> Shared = new();

    private readonly int _up;
    private readonly int _down;
    private readonly int _phases;
    private readonly int _taps;
    private readonly float[] _coefficients;

    /// <summary>Designs the filter for converting <paramref name="inputRate"/> to <paramref name="outputRate"/> (both in Hz).</summary>
    public Resampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;

        int divisor = (int)BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        _up = outputRate / divisor;
        _down = inputRate / divisor;
        if (inputRate == outputRate)
        {
            _phases = 1;
            _taps = 0;
            _coefficients = [];
            return;
        }

        (_taps, _phases, _coefficients) = Design(inputRate, outputRate, _up);
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Filter taps per output sample (zero for the identity).</summary>
    internal int TapsPerPhase => _taps;

    /// <summary>A shared resampler for the rate pair, designed once per process.</summary>
    public static Resampler For(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        return Shared.GetOrAdd((inputRate, outputRate), key => new Resampler(key.In, key.Out));
    }

    /// <summary>Resamples one channel; returns <paramref name="samples"/> itself when the rates are equal.</summary>
    public static float[] Resample(float[] samples, int inputRate, int outputRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return For(inputRate, outputRate).Process(samples);
    }

    /// <summary>Resamples every channel of <paramref name="audio"/>; returns it unchanged when it already has <paramref name="outputRate"/>.</summary>
    public static AudioData Resample(AudioData audio, int outputRate)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        if (audio.SampleRate == outputRate)
        {
            return audio;
        }

        var resampler = For(audio.SampleRate, outputRate);
        var channels = new float[audio.Channels.Count][];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c] = resampler.Process(audio.Channels[c]);
        }

        return new AudioData(outputRate, channels);
    }

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples: ceil(n × out / in).</summary>
    public int OutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long length = (((long)inputLength * _up) + _down - 1) / _down;
        return length > Array.MaxLength
            ? throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, "The resampled signal would not fit in memory.")
            : (int)length;
    }

    /// <summary>Resamples one channel; returns <paramref name="input"/> itself when the rates are equal.</summary>
    public float[] Process(float[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_taps == 0)
        {
            return input;
        }

        var output = new float[OutputLength(input.Length)];
        if (output.Length == 0)
        {
            return output;
        }

        // Zero padding on both sides lets every output use a full window without bounds checks;
        // output n at input time i + p/L reads padded[i + 1 .. i + taps].
        int half = _taps / 2;
        int paddedLength = input.Length + _taps + 1;
        // A long call's padded copy is not pooled: the pool would keep hundreds of MB for the rest of the run.
        bool pooled = paddedLength <= 1 << 20;
        float[] padded = pooled ? ArrayPool<float>.Shared.Rent(paddedLength) : new float[paddedLength];
        try
        {
            Array.Clear(padded, 0, half);
            input.CopyTo(padded, half);
            Array.Clear(padded, half + input.Length, paddedLength - half - input.Length);

            if (IsIntegerUpsampling)
            {
                UpsampleRange(padded, 0, output, 0, output.Length, 0, (output.Length + _up - 1) / _up);
            }
            else
            {
                ConvertRange(padded, 0, output, 0);
            }
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<float>.Shared.Return(padded);
            }
        }

        return output;
    }

    /// <summary>
    /// Output samples <paramref name="firstOutput"/> .. + <paramref name="destination"/> length of <see cref="Process"/> on
    /// <paramref name="input"/> (16-bit samples, divided by 32768), computed from the input around them only: the same
    /// filter, phases and block grid as the whole channel, so every sample is identical to it.
    /// </summary>
    /// <remarks>Lets a long call be held at its own lower rate and resampled a window at a time.</remarks>
    internal void ProcessRange(short[] input, long firstOutput, Span<float> destination)
    {
        int outputLength = OutputLength(input.Length);
        if (firstOutput < 0 || firstOutput > outputLength - destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(firstOutput), firstOutput, $"Outputs {firstOutput} to {firstOutput + destination.Length} are not inside {outputLength}.");
        }

        if (destination.IsEmpty)
        {
            return;
        }

        if (_taps == 0)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = input[firstOutput + i] * (1f / SampleTrack.Pcm16Scale);
            }

            return;
        }

        long lastOutput = firstOutput + destination.Length - 1;
        long windowStart;
        long windowEnd;
        int kFrom = 0;
        int kTo = 0;
        if (IsIntegerUpsampling)
        {
            // Whole blocks of the grid Process uses from input 0 on, so each output takes the same path (vector or scalar).
            int blockSize = UpsampleBlock;
            int inputs = (outputLength + _up - 1) / _up;
            kFrom = (int)(firstOutput / _up) / blockSize * blockSize;
            kTo = (int)Math.Min(inputs, ((lastOutput / _up / blockSize) + 1) * blockSize);
            windowStart = kFrom;
            windowEnd = kFrom + ((kTo - kFrom + blockSize - 1) / blockSize * blockSize) + _taps + 1;
        }
        else
        {
            windowStart = firstOutput * _down / _up;
            windowEnd = (lastOutput * _down / _up) + _taps + 3;
        }

        int windowLength = (int)(windowEnd - windowStart);
        float[] window = ArrayPool<float>.Shared.Rent(windowLength);
        float[]? staging = null;
        try
        {
            // Padded index p holds input p - taps/2 (zeros outside the input), as in Process.
            int half = _taps / 2;
            for (int i = 0; i < windowLength; i++)
            {
                long at = windowStart + i - half;
                window[i] = at >= 0 && at < input.Length ? input[at] * (1f / SampleTrack.Pcm16Scale) : 0f;
            }

            if (IsIntegerUpsampling)
            {
                long stagingStart = (long)kFrom * _up;
                int stagingLength = (int)(Math.Min((long)kTo * _up, outputLength) - stagingStart);
                staging = ArrayPool<float>.Shared.Rent(stagingLength);
                UpsampleRange(window, windowStart, staging.AsSpan(0, stagingLength), stagingStart, outputLength, kFrom, kTo);
                staging.AsSpan((int)(firstOutput - stagingStart), destination.Length).CopyTo(destination);
            }
            else
            {
                ConvertRange(window.AsSpan(0, windowLength), windowStart, destination, firstOutput);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(window);
            if (staging is not null)
            {
                ArrayPool<float>.Shared.Return(staging);
            }
        }
    }

    /// <summary>
    /// The general case: one dot product per output sample, walking the input in steps of <c>down/up</c> samples.
    /// Computes outputs <paramref name="firstOutput"/> on into <paramref name="output"/>, reading the zero-padded input
    /// from <paramref name="window"/>, which holds padded samples from index <paramref name="windowStart"/> on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ConvertRange(ReadOnlySpan<float> window, long windowStart, Span<float> output, long firstOutput)
    {
        ReadOnlySpan<float> coefficients = _coefficients;
        for (int m = 0; m < output.Length; m++)
        {
            long total = (firstOutput + m) * _down;
            long at = total / _up;
            int phase = (int)(total % _up);
            if (_phases != _up)
            {
                phase = (int)((((long)phase * _phases) + (_up / 2)) / _up);
                if (phase == _phases)
                {
                    phase = 0;
                    at++;
                }
            }

            output[m] = Dot(window.Slice((int)(at + 1 - windowStart), _taps), coefficients.Slice(phase * _taps, _taps));
        }
    }

    /// <summary>
    /// Upsampling by a whole factor (8 kHz → 16 kHz, the usual telephone case): the outputs of one
    /// phase read consecutive inputs, so each phase is an ordinary FIR filter computed for a block
    /// of outputs at once with one broadcast coefficient per tap, several times faster than one dot
    /// product per output. All phases of a block run before the next block, while its inputs are in cache.
    /// Computes the blocks of input positions <paramref name="kFrom"/> (a multiple of the block size) up to
    /// <paramref name="kTo"/>, reading padded samples from <paramref name="window"/> (which starts at padded index
    /// <paramref name="windowStart"/>) and writing output sample n (of <paramref name="outputLength"/> in all) to
    /// <paramref name="output"/>[n - <paramref name="outputStart"/>].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpsampleRange(float[] window, long windowStart, Span<float> output, long outputStart, int outputLength, int kFrom, int kTo)
    {
        int width = Vector<float>.Count;
        int blockSize = UpsampleBlock;
        Span<float> block = stackalloc float[blockSize];
        ref float x = ref MemoryMarshal.GetArrayDataReference(window);
        int shift = (int)windowStart;
        for (int k = kFrom; k < kTo; k += blockSize)
        {
            for (int phase = 0; phase < _up; phase++)
            {
                // Output (k + m) * up + phase is the sum over j of c[j] * padded[k + m + 1 + j].
                int count = Math.Min(blockSize, ((outputLength - phase + _up - 1) / _up) - k);
                if (count <= 0)
                {
                    continue;
                }

                ReadOnlySpan<float> c = _coefficients.AsSpan(phase * _taps, _taps);
                if (count == blockSize)
                {
                    var acc0 = Vector<float>.Zero;
                    var acc1 = Vector<float>.Zero;
                    var acc2 = Vector<float>.Zero;
                    var acc3 = Vector<float>.Zero;
                    for (int j = 0; j < c.Length; j++)
                    {
                        var cj = new Vector<float>(c[j]);
                        nuint at = (nuint)(k + 1 + j - shift);
                        acc0 = Vector.MultiplyAddEstimate(cj, Vector.LoadUnsafe(ref x, at), acc0);
                        acc1 = Vector.MultiplyAddEstimate(cj, Vector.LoadUnsafe(ref x, at + (nuint)width), acc1);
                        acc2 = Vector.MultiplyAddEstimate(cj, Vector.LoadUnsafe(ref x, at + (nuint)(2 * width)), acc2);
                        acc3 = Vector.MultiplyAddEstimate(cj, Vector.LoadUnsafe(ref x, at + (nuint)(3 * width)), acc3);
                    }

                    acc0.CopyTo(block);
                    acc1.CopyTo(block[width..]);
                    acc2.CopyTo(block[(2 * width)..]);
                    acc3.CopyTo(block[(3 * width)..]);
                }
                else
                {
                    for (int m = 0; m < count; m++)
                    {
                        block[m] = Dot(window.AsSpan(k + m + 1 - shift, _taps), c);
                    }
                }

                for (int m = 0, n = (int)((k * (long)_up) + phase - outputStart); m < count; m++, n += _up)
                {
                    output[n] = block[m];
                }
            }
        }
    }

    private static int UpsampleBlock => 4 * Vector<float>.Count;

    private bool IsIntegerUpsampling => _down == 1 && _phases == _up;

    /// <summary>
    /// Resamples one channel delivered in pieces, holding only a short window of input besides the output: a long
    /// call is decoded and resampled block by block instead of being held whole at both rates. The output is
    /// identical, sample for sample, to <see cref="Process"/> on the whole channel; with 16-bit output each sample is
    /// that float rounded as <see cref="SampleTrack.ToPcm16(float)"/> does, and the floats are never held whole.
    /// </summary>
    public sealed class ChannelStream
    {
        private readonly Resampler _resampler;
        private readonly long _inputLength;
        private readonly int _outputLength;
        private readonly float[]? _output;
        private readonly short[]? _pcm16;
        private float[] _staging = [];
        private float[] _window;
        private long _windowStart;
        private int _windowCount;
        private long _appended;
        private long _nextOutput;
        private int _nextBlock;

        /// <summary>Starts a channel of exactly <paramref name="inputLength"/> input samples, output as floats.</summary>
        public ChannelStream(Resampler resampler, int inputLength)
            : this(resampler, inputLength, pcm16: false)
        {
        }

        /// <summary>Starts a channel of exactly <paramref name="inputLength"/> input samples, output as floats or as 16-bit PCM.</summary>
        /// <param name="resampler">The rate conversion (the identity when both rates are equal).</param>
        /// <param name="inputLength">Samples that will be appended in all.</param>
        /// <param name="pcm16">True to keep the output as 16-bit PCM (<see cref="CompleteTrack"/>), half the memory of floats.</param>
        public ChannelStream(Resampler resampler, int inputLength, bool pcm16)
        {
            ArgumentNullException.ThrowIfNull(resampler);
            ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
            _resampler = resampler;
            _inputLength = inputLength;
            _outputLength = resampler._taps == 0 ? inputLength : resampler.OutputLength(inputLength);
            if (pcm16)
            {
                _pcm16 = new short[_outputLength];
            }
            else
            {
                _output = new float[_outputLength];
            }

            _window = new float[Math.Max(1 << 16, resampler._taps * 4)];
            _windowCount = resampler._taps / 2;
        }

        /// <summary>Adds the next input samples.</summary>
        public void Append(ReadOnlySpan<float> samples)
        {
            if (_appended + samples.Length > _inputLength)
            {
                throw new InvalidOperationException($"More than the {_inputLength} samples announced.");
            }

            if (_resampler._taps == 0)
            {
                if (_pcm16 is not null)
                {
                    SampleTrack.ToPcm16(samples, _pcm16.AsSpan((int)_appended));
                }
                else
                {
                    samples.CopyTo(_output!.AsSpan((int)_appended));
                }

                _appended += samples.Length;
                return;
            }

            MakeRoom(samples.Length);
            samples.CopyTo(_window.AsSpan(_windowCount));
            _windowCount += samples.Length;
            _appended += samples.Length;
            Produce(final: false);
        }

        /// <summary>Finishes a float channel (all announced samples must have been added) and returns the output.</summary>
        /// <exception cref="InvalidOperationException">The stream keeps 16-bit output (use <see cref="CompleteTrack"/>), or samples are missing.</exception>
        public float[] Complete()
        {
            if (_output is null)
            {
                throw new InvalidOperationException("This stream keeps 16-bit output; use CompleteTrack.");
            }

            Finish();
            return _output;
        }

        /// <summary>Finishes the channel (all announced samples must have been added) and returns the output as a track.</summary>
        public SampleTrack CompleteTrack()
        {
            Finish();
            return _pcm16 is not null ? SampleTrack.FromPcm16(_pcm16) : SampleTrack.FromFloats(_output!);
        }

        private void Finish()
        {
            if (_appended != _inputLength)
            {
                throw new InvalidOperationException($"{_appended} of the {_inputLength} samples announced were added.");
            }

            if (_resampler._taps > 0 && _outputLength > 0)
            {
                int trailing = _resampler._taps + 1 - (_resampler._taps / 2);
                MakeRoom(trailing);
                _window.AsSpan(_windowCount, trailing).Clear();
                _windowCount += trailing;
                Produce(final: true);
            }
        }

        private void Produce(bool final)
        {
            var r = _resampler;
            long end = _windowStart + _windowCount;
            if (r.IsIntegerUpsampling)
            {
                int inputs = (_outputLength + r._up - 1) / r._up;
                int blockSize = UpsampleBlock;
                int to = final ? inputs : (int)Math.Min(inputs, _nextBlock + (blockSize * Math.Max(0, (end - r._taps - _nextBlock) / blockSize)));
                if (!final)
                {
                    to -= (to - _nextBlock) % blockSize;
                }

                if (to > _nextBlock)
                {
                    long first = (long)_nextBlock * r._up;
                    int produced = (int)(Math.Min((long)to * r._up, _outputLength) - first);
                    r.UpsampleRange(_window, _windowStart, Target(first, produced), first, _outputLength, _nextBlock, to);
                    Store(first, produced);
                    _nextBlock = final ? inputs : to;
                }

                return;
            }

            long last = end - r._taps - 2;
            long count = final ? _outputLength : Math.Min(_outputLength, last < 0 ? 0 : (((last + 1) * r._up) + r._down - 1) / r._down);
            if (count > _nextOutput)
            {
                r.ConvertRange(_window, _windowStart, Target(_nextOutput, (int)(count - _nextOutput)), _nextOutput);
                Store(_nextOutput, (int)(count - _nextOutput));
                _nextOutput = count;
            }
        }

        /// <summary>Where outputs <paramref name="first"/> .. + <paramref name="count"/> are computed: the output itself, or a staging buffer for 16-bit output.</summary>
        private Span<float> Target(long first, int count)
        {
            if (_output is not null)
            {
                return _output.AsSpan((int)first, count);
            }

            if (_staging.Length < count)
            {
                _staging = new float[count];
            }

            return _staging.AsSpan(0, count);
        }

        /// <summary>Keeps staged outputs as 16-bit PCM (nothing to do for float output).</summary>
        private void Store(long first, int count)
        {
            if (_pcm16 is not null)
            {
                SampleTrack.ToPcm16(_staging.AsSpan(0, count), _pcm16.AsSpan((int)first, count));
            }
        }

        /// <summary>Drops the input no later output needs and grows the window if the next piece still does not fit.</summary>
        private void MakeRoom(int needed)
        {
            var r = _resampler;
            long keepFrom = r.IsIntegerUpsampling ? _nextBlock : (_nextOutput * r._down / r._up);
            int drop = (int)Math.Clamp(keepFrom - _windowStart, 0, _windowCount);
            if (drop > 0)
            {
                Array.Copy(_window, drop, _window, 0, _windowCount - drop);
                _windowStart += drop;
                _windowCount -= drop;
            }

            if (_windowCount + needed > _window.Length)
            {
                Array.Resize(ref _window, Math.Max(_window.Length * 2, _windowCount + needed));
            }
        }
    }

    /// <summary>Taps per phase, phase count and the phase table, phase-major, each phase normalised to unit DC gain.</summary>
    private static (int Taps, int Phases, float[] Coefficients) Design(int inputRate, int outputRate, int up)
    {
        double lowerNyquist = Math.Min(inputRate, outputRate) / 2.0;
        double cutoff = CutoffFraction * lowerNyquist / inputRate;
        double transition = TransitionFraction * lowerNyquist / inputRate;

        // Kaiser's estimates of window length and shape for the wanted attenuation and transition width.
        double beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        int taps = (int)Math.Ceiling((StopbandAttenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
        int width = Vector<float>.Count;
        taps = Math.Max(width, (taps + width - 1) / width * width);
        if (taps % 2 != 0)
        {
            taps++;
        }

        int phases = Math.Min(up, Math.Min(MaxPhases, Math.Max(256, MaxCoefficients / taps)));
        double half = taps / 2.0;
        double i0Beta = BesselI0(beta);
        var coefficients = new float[phases * taps];
        var phaseTaps = new double[taps];
        for (int phase = 0; phase < phases; phase++)
        {
            double fraction = (double)phase / phases;
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                // Distance in input samples from the output instant to the input sample this tap multiplies.
                double t = fraction + half - 1 - j;
                double x = 2 * cutoff * t;
                double sinc = Math.Abs(x) < 1e-12 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                double r = t / half;
                double window = Math.Abs(r) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - (r * r))) / i0Beta;
                phaseTaps[j] = 2 * cutoff * sinc * window;
                sum += phaseTaps[j];
            }

            for (int j = 0; j < taps; j++)
            {
                coefficients[(phase * taps) + j] = (float)(phaseTaps[j] / sum);
            }
        }

        return (taps, phases, coefficients);
    }

    private static double BesselI0(double x)
    {
        double sum = 1;
        double term = 1;
        double quarterSquare = x * x / 4;
        for (int k = 1; k < 100 && term > sum * 1e-17; k++)
        {
            term *= quarterSquare / (k * k);
            sum += term;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int width = Vector<float>.Count;
        int length = a.Length;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        var acc0 = Vector<float>.Zero;
        var acc1 = Vector<float>.Zero;
        int k = 0;
        for (; k <= length - (2 * width); k += 2 * width)
        {
            acc0 += Vector.LoadUnsafe(ref ra, (nuint)k) * Vector.LoadUnsafe(ref rb, (nuint)k);
            acc1 += Vector.LoadUnsafe(ref ra, (nuint)(k + width)) * Vector.LoadUnsafe(ref rb, (nuint)(k + width));
        }

        for (; k <= length - width; k += width)
        {
            acc0 += Vector.LoadUnsafe(ref ra, (nuint)k) * Vector.LoadUnsafe(ref rb, (nuint)k);
        }

        float sum = Vector.Sum(acc0 + acc1);
        for (; k < length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }
}
