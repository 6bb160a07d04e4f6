using System.Diagnostics;
using System.Runtime.CompilerServices;
using QualityScan.Models;
using Whisper.net;

namespace QualityScan.Speech.Transcription.Ggml;

/// <summary>
/// One worker's transcription with whisper.cpp (through Whisper.net) on a shared <see cref="GgmlModel"/>: the
/// project's windows, language candidates and judgement around whisper.cpp's own decoding of each window.
/// </summary>
/// <remarks>
/// <para>Windows are planned as for the ONNX engine (<see cref="WindowPlanner"/>: packed or one per chunk) and each is
/// given to whisper.cpp alone (greedy, temperature 0, no fallback, no context carried between windows), which pads it
/// to 30 s and cuts it at its timestamps, seeking on by itself where the ONNX engine decodes a remainder window.</para>
/// <para>What whisper.cpp does not report is computed from what it does: the average log-probability from the
/// tokens' log-probabilities (openai's sum over (tokens + 1), end-of-text counted), the compression ratio from the
/// window's text, the repetition guard over the text tokens. whisper.cpp's own silence skip is turned off (its
/// no-speech threshold set to 1), so the project's rule judges every window on whisper.cpp's no-speech
/// probability. The encoder/decoder time split is not reported (<see cref="TranscriptionStats.EngineTime"/>).</para>
/// <para>"auto" costs one encoder pass per call here (whisper.cpp detects from its own encoding of the agent's first
/// window, among the candidates): Whisper.net gives no way to detect from the pass that decodes it.</para>
/// <para>Not thread-safe: one per worker.</para>
/// </remarks>
public sealed class GgmlTranscriber : ISpeechTranscriber, IDisposable
{
    /// <summary>whisper.cpp transcribes nothing shorter than 1 s; shorter windows are padded with silence to this.</summary>
    private const int MinSamples = (int)(1.1 * LogMelSpectrogram.SampleRate);

    private readonly GgmlModel _model;
    private WhisperProcessor? _processor;
    private string? _processorLanguage;
    private int? _processorTokenLimit;
    private int? _tokenLimit;

    internal GgmlTranscriber(GgmlModel model)
    {
        _model = model;
    }

    /// <inheritdoc />
    public TranscriptionStats Stats { get; } = new();

    /// <summary>Also suppress whisper.cpp's non-speech tokens (whisper-cli's <c>-sns</c>, through <see cref="NonSpeechTokens.Regex"/>); set before the first window.</summary>
    internal bool SuppressNonSpeech { get; init; }

    /// <inheritdoc />
    public IAsyncEnumerable<TranscribedSegment> TranscribeTracksAsync(IReadOnlyList<TrackAudio> tracks, TranscriptionOptions options, CallLanguage? callLanguage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var language = Known(options.Language);
        if (language is not null)
        {
            callLanguage?.Fix(language);
        }

        foreach (var candidate in callLanguage?.Candidates ?? [])
        {
            _ = Known(candidate) ?? throw new UnknownLanguageException(candidate, _model.LanguageCodes);
        }

        var windows = new List<PlannedWindow>();
        for (var t = 0; t < tracks.Count; t++)
        {
            ArgumentNullException.ThrowIfNull(tracks[t].Samples);
            windows.AddRange(WindowPlanner.Plan(t, tracks[t].Samples, tracks[t].SpeechChunks, options.Windowing, options.MinChunkSeconds, options.MergeGapSeconds));
        }

        // A fixed token rate (random-weight benchmarks): whisper.cpp stops each window after a full window's budget and
        // does not seek on inside it, instead of babbling 220 tokens per pass in passes a fraction of a second apart.
        _tokenLimit = options.FixedTokensPerSecond is null ? null : options.TokenBudget(LogMelSpectrogram.WindowSamples / (double)LogMelSpectrogram.SampleRate);
        return TranscribeCoreAsync(tracks, windows, language, callLanguage, options, cancellationToken);
    }

    /// <summary>Every token whisper.cpp picks for <paramref name="samples16k"/> (timestamps and end-of-text included), in order, with its probability: what the exactness tests compare.</summary>
    internal async Task<IReadOnlyList<(int Id, float Probability)>> DecodeTokensAsync(float[] samples16k, string language, CancellationToken cancellationToken = default)
    {
        var tokens = new List<(int Id, float Probability)>();
        foreach (var segment in await ProcessAsync(samples16k, language, cancellationToken).ConfigureAwait(false))
        {
            tokens.AddRange(segment.Tokens.Select(t => (t.Id, t.Probability)));
        }

        return tokens;
    }

    /// <summary>
    /// The time of one whisper.cpp pass over a 30 s window that encodes it and runs one decoder step (its language
    /// detection on <paramref name="samples16k"/>): the closest Whisper.net comes to timing the encoder alone, for the
    /// benchmark. Not counted in <see cref="Stats"/>.
    /// </summary>
    public TimeSpan TimeEncoderPass(float[] samples16k)
    {
        var processor = Processor(_model.LanguageCodes[0]);
        var start = Stopwatch.GetTimestamp();
        processor.DetectLanguageWithProbability(samples16k.AsSpan());
        return Stopwatch.GetElapsedTime(start);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _processor?.Dispose();
        _processor = null;
    }

    private async IAsyncEnumerable<TranscribedSegment> TranscribeCoreAsync(
        IReadOnlyList<TrackAudio> tracks, List<PlannedWindow> windows, string? language, CallLanguage? callLanguage, TranscriptionOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var window in windows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var audio = new float[Math.Max(MinSamples, Math.Min(window.ContentSamples, LogMelSpectrogram.WindowSamples))];
            window.CopyAudio(tracks[window.Track].Samples, audio.AsSpan(0, Math.Min(window.ContentSamples, LogMelSpectrogram.WindowSamples)));
            var windowLanguage = language ?? Detect(audio, window, callLanguage);
            if (callLanguage is not null)
            {
                language = windowLanguage;
            }

            var start = Stopwatch.GetTimestamp();
            var segments = await ProcessAsync(audio, windowLanguage, cancellationToken).ConfigureAwait(false);
            Stats.AddEngine(Stopwatch.GetTimestamp() - start, 1, segments.Sum(s => s.Tokens.Length));
            var judged = Judge(window, segments, windowLanguage, options);
            Stats.AddSegments(judged.Count, window.SpeechSeconds);
            foreach (var segment in judged)
            {
                yield return segment;
            }
        }
    }

    /// <summary>The window's language among the candidates (whisper.cpp encodes the window for it: one pass).</summary>
    private string Detect(float[] audio, PlannedWindow window, CallLanguage? callLanguage)
    {
        var candidates = callLanguage?.Candidates.ToArray() ?? [];
        var (code, probability) = Processor(_model.LanguageCodes[0]).DetectLanguageWithProbability(audio.AsSpan(), candidates);
        Stats.AddEncoderPass();
        code ??= candidates.FirstOrDefault() ?? _model.LanguageCodes[0];
        if (callLanguage is not null)
        {
            // whisper.cpp reports the chosen language's probability only, so only it gets a score.
            callLanguage.AddVote([code], [probability], window.SpeechSeconds);
            callLanguage.Decide([code]);
        }

        return code;
    }

    private async Task<List<SegmentData>> ProcessAsync(float[] samples, string language, CancellationToken cancellationToken)
    {
        var processor = Processor(language);
        var segments = new List<SegmentData>();
        await foreach (var segment in processor.ProcessAsync(samples, cancellationToken).ConfigureAwait(false))
        {
            segments.Add(segment);
        }

        return segments;
    }

    private WhisperProcessor Processor(string language)
    {
        if (_processor is not null && _processorTokenLimit != _tokenLimit)
        {
            _processor.Dispose();
            _processor = null;
        }

        if (_processor is null)
        {
            var builder = _model.CreateBuilder();
            if (SuppressNonSpeech)
            {
                builder = builder.WithSuppressRegex(NonSpeechTokens.Regex);
            }

            if (_tokenLimit is int limit)
            {
                // whisper.cpp ends a pass at the step whose index reaches max_tokens, that step's token included.
                builder = builder.WithMaxTokensPerSegment(Math.Max(1, limit - 1)).WithSingleSegment();
            }

            _processor = builder
                .WithGreedySamplingStrategy()
                .WithThreads(_model.Threads)
                .WithLanguage(language)
                .WithNoContext()
                .WithTemperature(0f)
                .WithTemperatureInc(0f)
                .WithNoSpeechThreshold(1f)
                .WithEncoderBeginHandler(_ =>
                {
                    Stats.AddEncoderPass();
                    return true;
                })
                .Build();
            _processorLanguage = language;
            _processorTokenLimit = _tokenLimit;
        }
        else if (_processorLanguage != language)
        {
            _processor.ChangeLanguage(language);
            _processorLanguage = language;
        }

        return _processor;
    }

    /// <summary>The project's judgement of one window's whisper.cpp segments, as <see cref="WhisperTranscriber"/> judges its own.</summary>
    private List<TranscribedSegment> Judge(PlannedWindow window, List<SegmentData> segments, string language, TranscriptionOptions options)
    {
        var result = new List<TranscribedSegment>();
        var endOfText = _model.File.EndOfText;
        var tokens = segments.SelectMany(s => s.Tokens).ToList();
        var stop = tokens.Any(t => t.Id == endOfText) ? DecodingStop.EndOfText : DecodingStop.MaxTokens;
        var parts = segments.Select(s => (Segment: s, Text: s.Tokens.Where(t => t.Id < endOfText).Select(t => t.Id).ToList())).ToList();
        if (options.Decoding.RepetitionGuard && options.FixedTokensPerSecond is null)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                var d = options.Decoding;
                var loop = RepetitionGuard.LoopStart(parts[i].Text, d.MaxTokenRepeats, d.MaxSequenceRepeats, d.MaxSequenceLength, d.MinLoopTokens);
                if (loop >= 0)
                {
                    parts[i].Text.RemoveRange(loop, parts[i].Text.Count - loop);
                    parts.RemoveRange(i + 1, parts.Count - i - 1);
                    stop = DecodingStop.RepetitionLoop;
                    break;
                }
            }
        }

        Stats.AddStop(stop);
        var textTokens = parts.Sum(p => p.Text.Count);
        var sum = tokens.Sum(t => (double)t.ProbabilityLog);
        var average = segments.Count == 0 ? double.NegativeInfinity : sum / (tokens.Count(t => t.Id != endOfText) + 1);
        var noSpeech = segments.Count == 0 ? 1.0 : segments[0].NoSpeechProbability;
        if (segments.Count == 0 || textTokens == 0 || WhisperTranscriber.IsSilence(noSpeech, average, options))
        {
            Stats.AddSilentWindow();
            return result;
        }

        var ratio = Compression.Ratio(_model.Tokenizer.Decode(parts.SelectMany(p => p.Text)).Trim());
        var low = WhisperTranscriber.IsLowConfidence(average, ratio, stop, options);
        var confident = !low && noSpeech < options.Hallucinations.ConfidentNoSpeechBelow;
        var confidence = new UtteranceConfidence(Math.Round(noSpeech, 4), Math.Round(average, 4), Math.Round(ratio, 3), stop.ToText(), low);
        IEnumerable<(double Start, double End, List<int> Tokens)> timed = options.Windowing == Windowing.Packed
            ? parts.Select(p => (window.ToRecordingTime(p.Segment.Start.TotalSeconds), window.ToRecordingTime(Math.Max(p.Segment.Start.TotalSeconds, p.Segment.End.TotalSeconds)), p.Text))
            : [(window.Start, window.End, parts.SelectMany(p => p.Text).ToList())];
        WhisperTranscriber.AddSegments(result, timed.Select(t => (t.Start, t.End, (IReadOnlyList<int>)t.Tokens)), _model.Tokenizer, Stats, options, language, window.Track, (confident, low, confidence));

        return result;
    }

    private string? Known(string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var trimmed = code.Trim();
        if (string.Equals(trimmed, TranscriptionOptions.AutoLanguage, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _model.LanguageCodes.FirstOrDefault(c => string.Equals(c, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? throw new UnknownLanguageException(trimmed, _model.LanguageCodes);
    }
}
