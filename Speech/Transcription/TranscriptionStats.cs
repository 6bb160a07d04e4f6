using System.Diagnostics;
using System.Globalization;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Where transcription time goes: features, encoder, decoder, with counts. Thread-safe; every counter only grows
/// until <see cref="Reset"/>.
/// </summary>
public sealed class TranscriptionStats
{
    private long _featureTicks;
    private long _encoderTicks;
    private long _decoderTicks;
    private long _windows;
    private long _encoderCalls;
    private long _decoderCalls;
    private long _tokens;
    private long _segments;
    private long _audioMicroseconds;
    private long _silentWindows;
    private long _hallucinations;
    private long _lowConfidence;
    private long _engineTicks;
    private readonly long[] _stops = new long[Enum.GetValues<DecodingStop>().Length];

    /// <summary>Time spent computing log-mel features.</summary>
    public TimeSpan FeatureTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _featureTicks));

    /// <summary>Time spent in the encoder.</summary>
    public TimeSpan EncoderTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _encoderTicks));

    /// <summary>Time spent in the decoder (prompt, language detection and token steps).</summary>
    public TimeSpan DecoderTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _decoderTicks));

    /// <summary>
    /// Time inside an engine that does not say how it splits between features, encoder and decoder (whisper.cpp
    /// through Whisper.net): counted here, never shared out among the three.
    /// </summary>
    public TimeSpan EngineTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _engineTicks));

    /// <summary>30 s windows encoded (one per speech chunk).</summary>
    public long Windows => Interlocked.Read(ref _windows);

    /// <summary>Encoder calls (one per batch of windows).</summary>
    public long EncoderCalls => Interlocked.Read(ref _encoderCalls);

    /// <summary>Decoder calls.</summary>
    public long DecoderCalls => Interlocked.Read(ref _decoderCalls);

    /// <summary>Tokens picked by greedy decoding, end-of-text included.</summary>
    public long TokensDecoded => Interlocked.Read(ref _tokens);

    /// <summary>Segments produced.</summary>
    public long Segments => Interlocked.Read(ref _segments);

    /// <summary>Seconds of audio transcribed (the sum of the speech chunks).</summary>
    public double AudioSeconds => Interlocked.Read(ref _audioMicroseconds) / 1e6;

    /// <summary>Windows that yielded no text by openai's silence rule (no-speech probability high, log-probability low).</summary>
    public long SilentWindows => Interlocked.Read(ref _silentWindows);

    /// <summary>Segments dropped because their whole text was a known hallucination phrase.</summary>
    public long HallucinationsDropped => Interlocked.Read(ref _hallucinations);

    /// <summary>Segments kept but marked low confidence.</summary>
    public long LowConfidenceSegments => Interlocked.Read(ref _lowConfidence);

    /// <summary>How many windows' decoding ended for <paramref name="stop"/>.</summary>
    public long Stops(DecodingStop stop) => Interlocked.Read(ref _stops[(int)stop]);

    /// <summary>Feature milliseconds per window.</summary>
    public double FeatureMsPerWindow => PerItem(FeatureTime, Windows);

    /// <summary>Encoder milliseconds per window.</summary>
    public double EncoderMsPerWindow => PerItem(EncoderTime, Windows);

    /// <summary>Decoder milliseconds per decoded token.</summary>
    public double DecoderMsPerToken => PerItem(DecoderTime, TokensDecoded);

    /// <summary>Clears every counter.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _featureTicks, 0);
        Interlocked.Exchange(ref _encoderTicks, 0);
        Interlocked.Exchange(ref _decoderTicks, 0);
        Interlocked.Exchange(ref _windows, 0);
        Interlocked.Exchange(ref _encoderCalls, 0);
        Interlocked.Exchange(ref _decoderCalls, 0);
        Interlocked.Exchange(ref _tokens, 0);
        Interlocked.Exchange(ref _segments, 0);
        Interlocked.Exchange(ref _audioMicroseconds, 0);
        Interlocked.Exchange(ref _silentWindows, 0);
        Interlocked.Exchange(ref _hallucinations, 0);
        Interlocked.Exchange(ref _lowConfidence, 0);
        Interlocked.Exchange(ref _engineTicks, 0);
        for (var i = 0; i < _stops.Length; i++)
        {
            Interlocked.Exchange(ref _stops[i], 0);
        }
    }

    /// <summary>Adds another counter set to this one (to total the workers of a run).</summary>
    public void Add(TranscriptionStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Interlocked.Add(ref _featureTicks, Interlocked.Read(ref other._featureTicks));
        Interlocked.Add(ref _encoderTicks, Interlocked.Read(ref other._encoderTicks));
        Interlocked.Add(ref _decoderTicks, Interlocked.Read(ref other._decoderTicks));
        Interlocked.Add(ref _windows, Interlocked.Read(ref other._windows));
        Interlocked.Add(ref _encoderCalls, Interlocked.Read(ref other._encoderCalls));
        Interlocked.Add(ref _decoderCalls, Interlocked.Read(ref other._decoderCalls));
        Interlocked.Add(ref _tokens, Interlocked.Read(ref other._tokens));
        Interlocked.Add(ref _segments, Interlocked.Read(ref other._segments));
        Interlocked.Add(ref _audioMicroseconds, Interlocked.Read(ref other._audioMicroseconds));
        Interlocked.Add(ref _silentWindows, Interlocked.Read(ref other._silentWindows));
        Interlocked.Add(ref _hallucinations, Interlocked.Read(ref other._hallucinations));
        Interlocked.Add(ref _lowConfidence, Interlocked.Read(ref other._lowConfidence));
        Interlocked.Add(ref _engineTicks, Interlocked.Read(ref other._engineTicks));
        for (var i = 0; i < _stops.Length; i++)
        {
            Interlocked.Add(ref _stops[i], Interlocked.Read(ref other._stops[i]));
        }
    }

    /// <summary>One line on what decoding decided: stop reasons, silent windows, dropped hallucinations, low-confidence segments.</summary>
    public string DecisionSummary() => string.Create(CultureInfo.InvariantCulture,
        $"stops: {string.Join(", ", Enum.GetValues<DecodingStop>().Select(s => $"{s.ToText()} {Stops(s)}"))}; " +
        $"silent windows {SilentWindows}, hallucinations dropped {HallucinationsDropped}, low-confidence segments {LowConfidenceSegments}");

    /// <summary>One line for a log or the benchmark command.</summary>
    public override string ToString() => Interlocked.Read(ref _engineTicks) > 0
        ? string.Create(CultureInfo.InvariantCulture,
            $"audio {AudioSeconds:F1} s in {Windows} windows: {EncoderCalls} encoder passes, {TokensDecoded} tokens, {Segments} segments, " +
            $"engine {EngineTime.TotalMilliseconds:F0} ms ({PerItem(EngineTime, Windows):F1} ms/window; its split between encoder and decoder is not reported)")
        : string.Create(CultureInfo.InvariantCulture,
        $"audio {AudioSeconds:F1} s in {Windows} windows: features {FeatureTime.TotalMilliseconds:F0} ms ({FeatureMsPerWindow:F1} ms/window), " +
        $"encoder {EncoderTime.TotalMilliseconds:F0} ms ({EncoderMsPerWindow:F1} ms/window, {EncoderCalls} calls), " +
        $"decoder {DecoderTime.TotalMilliseconds:F0} ms ({TokensDecoded} tokens, {DecoderMsPerToken:F2} ms/token, {DecoderCalls} calls), {Segments} segments");

    internal void AddFeatures(long ticks, int windows)
    {
        Interlocked.Add(ref _featureTicks, ticks);
        Interlocked.Add(ref _windows, windows);
    }

    /// <summary>Counts one encoder pass whose time is not known on its own.</summary>
    internal void AddEncoderPass() => Interlocked.Increment(ref _encoderCalls);

    /// <summary>Counts windows handled and time spent by an engine that does not split its time.</summary>
    internal void AddEngine(long ticks, int windows, int tokens)
    {
        Interlocked.Add(ref _engineTicks, ticks);
        Interlocked.Add(ref _windows, windows);
        Interlocked.Add(ref _tokens, tokens);
    }

    internal void AddEncoder(long ticks)
    {
        Interlocked.Add(ref _encoderTicks, ticks);
        Interlocked.Increment(ref _encoderCalls);
    }

    internal void AddDecoder(long ticks, int calls, int tokens)
    {
        Interlocked.Add(ref _decoderTicks, ticks);
        Interlocked.Add(ref _decoderCalls, calls);
        Interlocked.Add(ref _tokens, tokens);
    }

    internal void AddStop(DecodingStop stop) => Interlocked.Increment(ref _stops[(int)stop]);

    internal void AddSilentWindow() => Interlocked.Increment(ref _silentWindows);

    internal void AddHallucination() => Interlocked.Increment(ref _hallucinations);

    internal void AddLowConfidence() => Interlocked.Increment(ref _lowConfidence);

    internal void AddSegments(int segments, double audioSeconds)
    {
        Interlocked.Add(ref _segments, segments);
        Interlocked.Add(ref _audioMicroseconds, (long)Math.Round(audioSeconds * 1e6));
    }

    private static double PerItem(TimeSpan time, long count) => count == 0 ? 0 : time.TotalMilliseconds / count;
}
