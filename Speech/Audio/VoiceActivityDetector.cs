using System.Runtime.CompilerServices;
using QualityScan.Models;

namespace QualityScan.Speech.Audio;

/// <summary>
/// Finds where a voice is present in one channel of a call, from frame levels compared with the
/// channel's own noise floor and loud-speech level (see <see cref="VadOptions"/>).
/// </summary>
/// <remarks>
/// <para>The thresholds adapt to each channel: the noise floor is a low percentile of its frame
/// levels and the loud-speech level a high percentile of its candidate speech frames, so line
/// noise and recording gain do not need tuning. Requiring speech to come near the channel's own
/// loud level rejects the other party leaking in 15-25 dB lower; <see cref="DetectStereo"/> adds a
/// frame-by-frame comparison with the other channel for louder leaks, and <see cref="DetectMixed"/>
/// drops the requirement for a mono recording, where the quieter voice is the other party.</para>
/// <para>The levels are those of a whole recording, so this works on complete calls, not live
/// streams. A detector is immutable and thread-safe.</para>
/// </remarks>
public sealed class VoiceActivityDetector
{
    private const double HighPassHz = 200;
    private const double SilenceDb = -120;

    /// <summary>How many frames either side of a frame the other channel's level is taken from (for delayed leaks).</summary>
    private const int CrosstalkReachFrames = 2;

    /// <summary>Uses the defaults of <see cref="VadOptions"/>.</summary>
    public VoiceActivityDetector()
        : this(new VadOptions())
    {
    }

    /// <summary>Uses <paramref name="options"/>, which are validated here.</summary>
    public VoiceActivityDetector(VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings in use.</summary>
    public VadOptions Options { get; }

    /// <summary>Speech intervals of one party's channel, in time order, in seconds.</summary>
    /// <remarks>
    /// Voices more than <see cref="VadOptions.StartBelowSpeechDb"/> below the channel's loud-speech
    /// level are taken as the other party leaking in and ignored; for a channel that carries both
    /// parties (a mono recording) use <see cref="DetectMixed"/>.
    /// </remarks>
    /// <param name="samples">The channel, samples in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second.</param>
    public IReadOnlyList<TimeInterval> Detect(SampleTrack samples, int sampleRate) => DetectChannel(samples, sampleRate, oneSpeaker: true);

    /// <summary>
    /// Speech intervals of a channel that carries both parties (a mono recording), in time order,
    /// in seconds. Unlike <see cref="Detect(SampleTrack, int)"/> it keeps a voice that is much quieter
    /// than the loudest one, since on a shared channel that is the other party, not a leak.
    /// </summary>
    /// <param name="samples">The channel, samples in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second.</param>
    public IReadOnlyList<TimeInterval> DetectMixed(SampleTrack samples, int sampleRate) => DetectChannel(samples, sampleRate, oneSpeaker: false);

    /// <summary>
    /// Speech intervals of both parties of a stereo call. Frames where one channel is more than
    /// <see cref="VadOptions.CrosstalkMarginDb"/> quieter than the other channel's speech are
    /// taken as leaked crosstalk and cannot start or continue that channel's speech.
    /// </summary>
    /// <param name="agent">The agent's channel.</param>
    /// <param name="customer">The customer's channel, as long as the agent's.</param>
    /// <param name="sampleRate">Samples per second of both.</param>
    public VoiceActivity DetectStereo(SampleTrack agent, SampleTrack customer, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (agent.Length != customer.Length)
        {
            throw new ArgumentException($"Both channels must have the same length ({agent.Length} and {customer.Length} samples).", nameof(customer));
        }

        int frameLength = FrameLength(sampleRate);
        double[] agentLevels = FrameLevels(agent, sampleRate, frameLength);
        double[] customerLevels = FrameLevels(customer, sampleRate, frameLength);

        // A channel "carries speech" where it clears its own stop threshold; leaks are judged only there.
        double frameSeconds = (double)frameLength / sampleRate;
        double agentStop = Thresholds(agentLevels, null, oneSpeaker: true, frameSeconds).Stop;
        double customerStop = Thresholds(customerLevels, null, oneSpeaker: true, frameSeconds).Stop;
        bool[] agentLeaks = Leaks(agentLevels, customerLevels, customerStop);
        bool[] customerLeaks = Leaks(customerLevels, agentLevels, agentStop);

        return new VoiceActivity(
            Segment(agentLevels, agentLeaks, oneSpeaker: true, agent.Length, sampleRate, frameLength),
            Segment(customerLevels, customerLeaks, oneSpeaker: true, customer.Length, sampleRate, frameLength),
            []);
    }

    /// <summary>Voice activity of a recording split by <see cref="ChannelRoles"/>: per party when separated, otherwise as <see cref="Speaker.Unknown"/>.</summary>
    public VoiceActivity Detect(ChannelRoles channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.IsSeparated)
        {
            return DetectStereo(channels.Agent!, channels.Customer!, channels.SampleRate);
        }

        return new VoiceActivity([], [], DetectMixed(channels.Mixed!, channels.SampleRate));
    }

    private List<TimeInterval> DetectChannel(SampleTrack samples, int sampleRate, bool oneSpeaker)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        int frameLength = FrameLength(sampleRate);
        double[] levels = FrameLevels(samples, sampleRate, frameLength);
        return Segment(levels, suppressed: null, oneSpeaker, samples.Length, sampleRate, frameLength);
    }

    private int FrameLength(int sampleRate) => Math.Max(1, (int)Math.Round(sampleRate * Options.FrameSeconds));

    /// <summary>Level in dBFS of each frame, after a high-pass that removes hum and DC.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[] FrameLevels(SampleTrack samples, int sampleRate, int frameLength)
    {
        int frames = (samples.Length + frameLength - 1) / frameLength;
        var levels = new double[frames];

        // Fourth-order Butterworth high-pass as two RBJ-cookbook biquads: 50 Hz hum loses about 48 dB, speech keeps its harmonics.
        var first = Biquad.HighPass(HighPassHz, sampleRate, 0.54119610);
        var second = Biquad.HighPass(HighPassHz, sampleRate, 1.3065630);

        // The track is read a block of whole frames at a time (it may be 16-bit, and hours long).
        int blockFrames = Math.Max(1, (1 << 14) / frameLength);
        var block = new float[Math.Min(samples.Length, blockFrames * frameLength)];
        int blockStart = 0;
        int blockEnd = 0;
        for (int f = 0; f < frames; f++)
        {
            int start = f * frameLength;
            int end = Math.Min(samples.Length, start + frameLength);
            if (end > blockEnd)
            {
                blockStart = start;
                blockEnd = Math.Min(samples.Length, start + block.Length);
                samples.CopyTo(blockStart, block.AsSpan(0, blockEnd - blockStart));
            }

            double sum = 0;
            for (int i = start; i < end; i++)
            {
                double x = block[i - blockStart];
                double y = second.Next(first.Next(double.IsFinite(x) ? x : 0));
                sum += y * y;
            }

            double meanSquare = sum / (end - start);
            levels[f] = meanSquare > 0 ? Math.Max(SilenceDb, 10 * Math.Log10(meanSquare)) : SilenceDb;
        }

        return levels;
    }

    private bool[] Leaks(double[] levels, double[] otherLevels, double otherStop)
    {
        var leaks = new bool[levels.Length];
        for (int f = 0; f < levels.Length; f++)
        {
            double other = SilenceDb;
            for (int g = Math.Max(0, f - CrosstalkReachFrames); g <= Math.Min(levels.Length - 1, f + CrosstalkReachFrames); g++)
            {
                other = Math.Max(other, otherLevels[g]);
            }

            leaks[f] = other >= otherStop && levels[f] < other - Options.CrosstalkMarginDb;
        }

        return leaks;
    }

    /// <summary>Start and stop thresholds in dBFS, or null start when the channel holds no candidate speech.</summary>
    /// <remarks>
    /// The loud-speech level comes only from groups of candidate frames long enough to be speech
    /// (runs bridged over pauses shorter than the minimum silence, spanning at least the minimum
    /// speech), so a few loud clicks cannot raise it above the voice.
    /// </remarks>
    private (double? Start, double Stop) Thresholds(double[] levels, bool[]? suppressed, bool oneSpeaker, double frameSeconds)
    {
        if (levels.Length == 0)
        {
            return (null, 0);
        }

        double floor = Percentile([.. levels], Options.NoiseFloorPercentile);
        double startAboveNoise = floor + Options.StartAboveNoiseDb;
        double hysteresis = Options.StartAboveNoiseDb - Options.StopAboveNoiseDb;
        bool IsCandidate(int f) => levels[f] >= startAboveNoise && levels[f] >= Options.MinimumLevelDb && suppressed?[f] != true;

        int minSilenceFrames = (int)Math.Ceiling(Options.MinSilenceSeconds / frameSeconds);
        int minSpeechFrames = (int)Math.Ceiling(Options.MinSpeechSeconds / frameSeconds);
        var speechLevels = new List<double>();
        var group = new List<double>();
        int groupStart = -1;
        int groupEnd = -1;
        for (int f = 0; f <= levels.Length; f++)
        {
            bool candidate = f < levels.Length && IsCandidate(f);
            bool closesGroup = f == levels.Length || (candidate && groupEnd >= 0 && f - groupEnd >= minSilenceFrames);
            if (closesGroup && groupEnd >= 0)
            {
                if (groupEnd - groupStart >= minSpeechFrames)
                {
                    speechLevels.AddRange(group);
                }

                group.Clear();
                groupEnd = -1;
            }

            if (candidate)
            {
                if (groupEnd < 0)
                {
                    groupStart = f;
                }

                group.Add(levels[f]);
                groupEnd = f + 1;
            }
        }

        if (speechLevels.Count == 0)
        {
            return (null, Math.Max(floor + Options.StopAboveNoiseDb, Options.MinimumLevelDb - hysteresis));
        }

        // On a shared channel a much quieter voice is the other party, so only the noise floor and the absolute minimum apply.
        double speech = oneSpeaker ? Percentile([.. speechLevels], Options.SpeechLevelPercentile) : double.NegativeInfinity;
        double start = Math.Max(startAboveNoise, Math.Max(speech - Options.StartBelowSpeechDb, Options.MinimumLevelDb));
        double stop = Math.Max(floor + Options.StopAboveNoiseDb, Math.Max(speech - Options.StopBelowSpeechDb, Options.MinimumLevelDb - hysteresis));
        return (start, Math.Min(start, stop));
    }

    private List<TimeInterval> Segment(double[] levels, bool[]? suppressed, bool oneSpeaker, int sampleCount, int sampleRate, int frameLength)
    {
        var intervals = new List<TimeInterval>();
        double frameSeconds = (double)frameLength / sampleRate;
        var (start, stop) = Thresholds(levels, suppressed, oneSpeaker, frameSeconds);
        if (start is not { } startLevel)
        {
            return intervals;
        }

        bool Usable(int f, double threshold) => levels[f] >= threshold && suppressed?[f] != true;

        // Hysteresis: a frame above the start threshold opens a run, which extends both ways while frames clear the stop threshold.
        var runs = new List<(int Start, int End)>();
        for (int f = 0; f < levels.Length; f++)
        {
            if (!Usable(f, startLevel))
            {
                continue;
            }

            int first = f;
            int previousEnd = runs.Count > 0 ? runs[^1].End : 0;
            while (first > previousEnd && Usable(first - 1, stop))
            {
                first--;
            }

            int end = f + 1;
            while (end < levels.Length && Usable(end, stop))
            {
                end++;
            }

            runs.Add((first, end));
            f = end;
        }

        int minSilenceFrames = (int)Math.Ceiling(Options.MinSilenceSeconds / frameSeconds);
        var merged = new List<(int Start, int End)>();
        foreach (var run in runs)
        {
            if (merged.Count > 0 && run.Start - merged[^1].End < minSilenceFrames)
            {
                merged[^1] = (merged[^1].Start, run.End);
            }
            else
            {
                merged.Add(run);
            }
        }

        double duration = (double)sampleCount / sampleRate;
        foreach (var (first, end) in merged)
        {
            if ((end - first) * frameSeconds < Options.MinSpeechSeconds)
            {
                continue;
            }

            double from = Math.Max(0, (first * frameSeconds) - Options.PaddingSeconds);
            double to = Math.Min(duration, (end * frameSeconds) + Options.PaddingSeconds);
            if (intervals.Count > 0 && from <= intervals[^1].End)
            {
                from = intervals[^1].Start;
                intervals.RemoveAt(intervals.Count - 1);
            }

            intervals.Add(new TimeInterval(from, Math.Max(from, to)));
        }

        return SplitLong(intervals, levels, frameSeconds);
    }

    /// <summary>Splits intervals longer than the maximum at the quietest frame of the second half of the allowed length.</summary>
    private List<TimeInterval> SplitLong(List<TimeInterval> intervals, double[] levels, double frameSeconds)
    {
        double max = Options.MaxSegmentSeconds;
        if (intervals.TrueForAll(i => i.Duration <= max))
        {
            return intervals;
        }

        var result = new List<TimeInterval>(intervals.Count + 4);
        foreach (var interval in intervals)
        {
            double from = interval.Start;
            while (interval.End - from > max)
            {
                int firstFrame = (int)Math.Ceiling((from + (max / 2)) / frameSeconds);
                int lastFrame = Math.Min(levels.Length - 1, (int)Math.Floor((from + max) / frameSeconds) - 1);
                int quietest = firstFrame;
                double quietestLevel = double.MaxValue;
                for (int f = firstFrame; f <= lastFrame; f++)
                {
                    // A short average avoids splitting at a single dip inside a word.
                    double level = (levels[Math.Max(0, f - 1)] + levels[f] + levels[Math.Min(levels.Length - 1, f + 1)]) / 3;
                    if (level < quietestLevel)
                    {
                        quietestLevel = level;
                        quietest = f;
                    }
                }

                double split = Math.Clamp((quietest + 0.5) * frameSeconds, from + frameSeconds, from + max);
                result.Add(new TimeInterval(from, split));
                from = split;
            }

            result.Add(new TimeInterval(from, interval.End));
        }

        return result;
    }

    private static double Percentile(double[] values, double percentile)
    {
        Array.Sort(values);
        double position = percentile / 100 * (values.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(values.Length - 1, lower + 1);
        return values[lower] + ((values[upper] - values[lower]) * (position - lower));
    }

    /// <summary>A second-order high-pass section, transposed direct form II.</summary>
    private struct Biquad
    {
        private double _b0;
        private double _b1;
        private double _b2;
        private double _a1;
        private double _a2;
        private double _z1;
        private double _z2;

        public static Biquad HighPass(double cutoffHz, int sampleRate, double q)
        {
            double w0 = 2 * Math.PI * Math.Min(cutoffHz, sampleRate * 0.45) / sampleRate;
            double cos = Math.Cos(w0);
            double alpha = Math.Sin(w0) / (2 * q);
            double a0 = 1 + alpha;
            return new Biquad
            {
                _b0 = (1 + cos) / 2 / a0,
                _b1 = -(1 + cos) / a0,
                _b2 = (1 + cos) / 2 / a0,
                _a1 = -2 * cos / a0,
                _a2 = (1 - alpha) / a0,
            };
        }

        public double Next(double x)
        {
            double y = (_b0 * x) + _z1;
            _z1 = (_b1 * x) - (_a1 * y) + _z2;
            _z2 = (_b2 * x) - (_a2 * y);
            return y;
        }
    }
}
