using System.Diagnostics;
using System.Runtime.CompilerServices;
using QualityScan.Models;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Whisper transcription of speech chunks with greedy decoding, on a shared <see cref="WhisperModel"/>.
/// </summary>
/// <remarks>
/// <para>Each speech chunk becomes one 30 s window: chunks longer than 30 s are split into equal parts of at most
/// 30 s, every part is padded with zeros to 30 s, encoded once, and decoded greedily with the prompt
/// sot, language, transcribe, no_timestamps. A segment's times are its chunk's; the model's timestamp tokens are
/// not used. A chunk whose decoding is empty yields no segment.</para>
/// <para><see cref="Stats"/> accumulates feature, encoder and decoder time over every call.</para>
/// <para>Thread-safe: concurrent calls each use their own inference buffers from the model's pool, so one
/// transcriber can serve every worker (or each worker can have its own).</para>
/// </remarks>
public sealed class WhisperTranscriber : ISpeechTranscriber
{
    private readonly IWindowDecoder _windows;

    /// <summary>Creates a transcriber on <paramref name="model"/>, which it does not own.</summary>
    public WhisperTranscriber(WhisperModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _windows = new ModelWindowDecoder(model);
    }

    /// <summary>
    /// A transcriber whose windows are decoded by <paramref name="windows"/> instead of the model's graphs (the model
    /// still gives the tokenizer and the special tokens): tests check the planning, seek and time mapping with it.
    /// </summary>
    internal WhisperTranscriber(WhisperModel model, IWindowDecoder windows)
        : this(model)
    {
        _windows = windows;
    }

    /// <summary>The model used.</summary>
    public WhisperModel Model { get; }

    /// <summary>Time and counts of everything this transcriber did, for the benchmark and logs.</summary>
    public TranscriptionStats Stats { get; } = new();

    /// <summary>Transcribes each speech chunk of one track, in time order.</summary>
    /// <param name="samples16k">One channel, 16 kHz mono, samples in [-1, 1].</param>
    /// <param name="speechChunks">Where speech is (from voice activity detection); one chunk covering the whole recording transcribes it without VAD.</param>
    /// <param name="options">Language and decoding settings.</param>
    /// <param name="cancellationToken">Stops between windows.</param>
    /// <exception cref="UnknownLanguageException">The model has no such language (thrown before any work).</exception>
    public IAsyncEnumerable<TranscribedSegment> TranscribeAsync(
        float[] samples16k,
        IReadOnlyList<TimeInterval> speechChunks,
        TranscriptionOptions options,
        CancellationToken cancellationToken = default) =>
        TranscribeTracksAsync([new TrackAudio(samples16k, speechChunks)], options, cancellationToken);

    /// <summary>
    /// Transcribes the speech of several tracks (the two parties of a stereo call) together, so that windows of both
    /// go through the encoder and the decoder in the same batches. Segments carry the index of their track and come
    /// in batch order, not time order.
    /// </summary>
    /// <exception cref="UnknownLanguageException">The model has no such language (thrown before any work).</exception>
    public IAsyncEnumerable<TranscribedSegment> TranscribeTracksAsync(IReadOnlyList<TrackAudio> tracks, TranscriptionOptions options, CancellationToken cancellationToken = default) =>
        TranscribeTracksAsync(tracks, options, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// With <paramref name="callLanguage"/> and the language "auto", the first batch of windows votes for one language
    /// of the whole call from the encoder output it needs anyway (see <see cref="CallLanguage"/>), and every window is
    /// then decoded exactly as with that language given; without it, "auto" detects the language of each window on
    /// its own.
    /// </remarks>
    /// <exception cref="UnknownLanguageException">The model has no such language, or no such candidate (thrown before any work).</exception>
    public IAsyncEnumerable<TranscribedSegment> TranscribeTracksAsync(IReadOnlyList<TrackAudio> tracks, TranscriptionOptions options, CallLanguage? callLanguage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var forcedLanguage = ResolveLanguage(options.Language);
        if (forcedLanguage is int fixedToken)
        {
            callLanguage?.Fix(Model.Info.GetLanguageCode(fixedToken));
        }

        foreach (var candidate in callLanguage?.Candidates ?? [])
        {
            Model.Info.GetLanguageToken(candidate);
        }

        var windows = new List<PlannedWindow>();
        for (var t = 0; t < tracks.Count; t++)
        {
            ArgumentNullException.ThrowIfNull(tracks[t].Samples);
            windows.AddRange(WindowPlanner.Plan(t, tracks[t].Samples, tracks[t].SpeechChunks, options.Windowing, options.MinChunkSeconds, options.MergeGapSeconds));
        }

        return TranscribeCoreAsync(tracks, windows, forcedLanguage, callLanguage, options, cancellationToken);
    }

    /// <summary>Log-mel features of one window, as the model takes them.</summary>
    /// <param name="samples16k">16 kHz samples; padded or cut to 30 s.</param>
    internal float[] ComputeFeatures(ReadOnlySpan<float> samples16k) => Model.Features.Compute(samples16k);

    /// <summary>The language code whose token the model finds most likely after sot alone.</summary>
    /// <param name="melFeatures">One window's features, n_mels x 3000.</param>
    /// <param name="candidates">Only these codes may be chosen (e.g. the languages with a rule pack); null or empty: any the model knows.</param>
    /// <exception cref="UnknownLanguageException">A candidate code the model does not know.</exception>
    internal string DetectLanguage(ReadOnlySpan<float> melFeatures, IReadOnlyCollection<string>? candidates = null)
    {
        CheckFeatures(melFeatures);
        var allowed = candidates is { Count: > 0 } ? candidates.Select(Model.Info.GetLanguageToken).ToList() : null;
        var inference = Model.Rent();
        try
        {
            inference.EnsureCapacity(1);
            melFeatures.CopyTo(inference.MelBuffer(0));
            inference.Encode(1, Stats);
            return Model.Info.GetLanguageCode(inference.DetectLanguages(1, Stats, allowed)[0]);
        }
        finally
        {
            Model.Return(inference);
        }
    }

    /// <summary>Greedy decoding of one window's features after an explicit prompt: the primitive parity tests check.</summary>
    /// <param name="melFeatures">One window's features, n_mels x 3000.</param>
    /// <param name="prompt">Tokens fed first (e.g. sot, language, transcribe, no_timestamps).</param>
    /// <param name="options">Decoding settings; null for <see cref="WindowDecodingOptions.Default"/>.</param>
    /// <param name="observer">Sees each step's raw logits; null for none.</param>
    internal WindowDecoding DecodeWindow(ReadOnlySpan<float> melFeatures, IReadOnlyList<int> prompt, WindowDecodingOptions? options = null, StepLogitsObserver? observer = null)
    {
        CheckFeatures(melFeatures);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt needs at least the start-of-transcript token.", nameof(prompt));
        }

        options ??= WindowDecodingOptions.Default;
        options.Validate();
        var inference = Model.Rent();
        try
        {
            inference.EnsureCapacity(1);
            melFeatures.CopyTo(inference.MelBuffer(0));
            inference.Encode(1, Stats);
            var result = inference.Decode([prompt], options, null, observer, Stats)[0];
            var languageToken = prompt.FirstOrDefault(Model.Info.LanguageTokens.Contains, -1);
            return ToWindowDecoding(result, languageToken < 0 ? string.Empty : Model.Info.GetLanguageCode(languageToken));
        }
        finally
        {
            Model.Return(inference);
        }
    }

    /// <summary>The token ids greedy decoding produces for one window in <paramref name="language"/> ("auto" detects it).</summary>
    /// <param name="mel">One window's features, n_mels x 3000.</param>
    /// <param name="language">A language code of the model, or "auto".</param>
    /// <param name="options">Decoding settings; null for <see cref="WindowDecodingOptions.Default"/>.</param>
    internal IReadOnlyList<int> DecodeTokens(float[] mel, string language, WindowDecodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mel);
        return TranscribeFeatures(mel, language, options).TokenIds;
    }

    /// <summary>Transcribes one window of audio (padded or cut to 30 s) in <paramref name="language"/> ("auto" detects it).</summary>
    /// <param name="samples16k">16 kHz mono samples in [-1, 1].</param>
    /// <param name="language">A language code of the model, or "auto".</param>
    /// <param name="options">Decoding settings; null for <see cref="WindowDecodingOptions.Default"/>.</param>
    internal WindowDecoding TranscribeWindow(ReadOnlySpan<float> samples16k, string language, WindowDecodingOptions? options = null)
    {
        var start = Stopwatch.GetTimestamp();
        var mel = ComputeFeatures(samples16k);
        Stats.AddFeatures(Stopwatch.GetTimestamp() - start, 1);
        var result = TranscribeFeatures(mel, language, options);
        Stats.AddSegments(1, Math.Min(samples16k.Length, LogMelSpectrogram.WindowSamples) / (double)LogMelSpectrogram.SampleRate);
        return result;
    }

    private WindowDecoding TranscribeFeatures(ReadOnlySpan<float> mel, string language, WindowDecodingOptions? options)
    {
        var languageToken = ResolveLanguage(language);
        CheckFeatures(mel);
        options ??= WindowDecodingOptions.Default;
        options.Validate();
        var inference = Model.Rent();
        try
        {
            inference.EnsureCapacity(1);
            mel.CopyTo(inference.MelBuffer(0));
            inference.Encode(1, Stats);
            var token = languageToken ?? inference.DetectLanguages(1, Stats)[0];
            var result = inference.Decode([Model.Info.TranscriptionPrompt(token, options.Timestamps)], options, null, null, Stats)[0];
            return ToWindowDecoding(result, Model.Info.GetLanguageCode(token));
        }
        finally
        {
            Model.Return(inference);
        }
    }

    private async IAsyncEnumerable<TranscribedSegment> TranscribeCoreAsync(
        IReadOnlyList<TrackAudio> tracks,
        List<PlannedWindow> windows,
        int? forcedLanguage,
        CallLanguage? callLanguage,
        TranscriptionOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = new Queue<PlannedWindow>(windows);
        var vote = forcedLanguage is null ? callLanguage : null;
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new PlannedWindow[Math.Min(options.BatchSize, queue.Count)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = queue.Dequeue();
            }

            var language = forcedLanguage;
            var (segments, remainders) = await Task.Run(() => TranscribeBatch(tracks, batch, language, vote, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (vote?.Code is { } chosen)
            {
                forcedLanguage = Model.Info.GetLanguageToken(chosen);
                vote = null;
            }

            foreach (var remainder in remainders)
            {
                queue.Enqueue(remainder);
            }

            foreach (var segment in segments)
            {
                yield return segment;
            }
        }
    }

    private (List<TranscribedSegment> Segments, List<PlannedWindow> Remainders) TranscribeBatch(
        IReadOnlyList<TrackAudio> tracks, PlannedWindow[] batch, int? forcedLanguage, CallLanguage? vote, TranscriptionOptions options, CancellationToken cancellationToken)
    {
        var timestamps = options.Windowing == Windowing.Packed;
        var decoding = options.FixedTokensPerSecond is null
            ? options.Decoding with { Timestamps = timestamps }
            : options.Decoding with { Timestamps = timestamps, NeverEndOfText = true, RepetitionGuard = false };
        var budgets = batch.Select(w => options.TokenBudget(w.SpeechSeconds)).ToArray();
        var (languages, results) = _windows.Decode(tracks, batch, forcedLanguage, vote, decoding, budgets, Stats, cancellationToken);

        var segments = new List<TranscribedSegment>();
        var remainders = new List<PlannedWindow>();
        for (var i = 0; i < batch.Length; i++)
        {
            segments.AddRange(Judge(batch[i], results[i], Model.Info.GetLanguageCode(languages[i]), options, timestamps, remainders));
        }

        // A remainder window's speech was counted with the window it came from.
        Stats.AddSegments(segments.Count, batch.Where(w => !w.IsRemainder).Sum(w => w.SpeechSeconds));
        return (segments, remainders);
    }

    /// <summary>
    /// Applies openai-whisper's judgement to one decoded window: no text when the silence rule says nobody spoke;
    /// otherwise its segments (with timestamps: cut from the timestamp tokens, their times mapped back to the
    /// recording, and an unfinished last segment left for a <paramref name="remainders"/> window, as openai's seek
    /// does; without: one segment with the window's times), each dropped when it is only a known hallucination and
    /// carrying the window's confidence figures (low when the average log-probability or the compression ratio fails
    /// openai's thresholds, or decoding did not end by itself).
    /// </summary>
    private List<TranscribedSegment> Judge(PlannedWindow window, WhisperInference.GreedyResult result, string language, TranscriptionOptions options, bool timestamps, List<PlannedWindow> remainders)
    {
        var segments = new List<TranscribedSegment>();
        var stop = result.Stop ?? DecodingStop.EndOfText;
        Stats.AddStop(stop);
        var average = result.AverageLogProbability;
        if (IsSilence(result.NoSpeechProbability, average, options))
        {
            Stats.AddSilentWindow();
            return segments;
        }

        var textTokens = result.Tokens.Where(t => t < Model.Info.EndOfText).ToArray();
        var ratio = Compression.Ratio(Model.Tokenizer.Decode(textTokens).Trim());
        var low = IsLowConfidence(average, ratio, stop, options);
        var confident = !low && result.NoSpeechProbability < options.Hallucinations.ConfidentNoSpeechBelow;
        var confidence = new UtteranceConfidence(Math.Round(result.NoSpeechProbability, 4), Math.Round(average, 4), Math.Round(ratio, 3), stop.ToText(), low);

        IEnumerable<(double Start, double End, int[] Tokens)> parts = [(window.Start, window.End, textTokens)];
        if (timestamps)
        {
            var contentFrames = (int)Math.Ceiling(Math.Min(window.ContentSamples, LogMelSpectrogram.WindowSamples) / (double)LogMelSpectrogram.HopLength);
            var (timed, consumed) = TimestampSegments.Cut(result.Tokens, Model.Info.TimestampBegin, contentFrames);
            var remaining = window.ContentSamples - (consumed * LogMelSpectrogram.HopLength);
            if (consumed > 0 && consumed < contentFrames && remaining / (double)LogMelSpectrogram.SampleRate >= options.MinChunkSeconds)
            {
                remainders.Add(window.Tail(consumed * LogMelSpectrogram.HopLength));
            }

            parts = timed.Select(segment =>
            {
                var start = window.ToRecordingTime(segment.Start);
                return (start, Math.Max(start, window.ToRecordingTime(segment.End)), segment.Tokens.Where(t => t < Model.Info.EndOfText).ToArray());
            });
        }

        AddSegments(segments, parts.Select(p => (p.Start, p.End, (IReadOnlyList<int>)p.Tokens)), Model.Tokenizer, Stats, options, language, window.Track, (confident, low, confidence));
        return segments;
    }

    /// <summary>
    /// Adds a judged window's parts to <paramref name="segments"/>, as both engines do: empty text is skipped, a
    /// hallucination dropped and counted, low-confidence text kept, marked and counted.
    /// </summary>
    internal static void AddSegments(List<TranscribedSegment> segments, IEnumerable<(double Start, double End, IReadOnlyList<int> Tokens)> parts, WhisperTokenizer tokenizer,
        TranscriptionStats stats, TranscriptionOptions options, string language, int track, (bool Confident, bool Low, UtteranceConfidence Figures) judged)
    {
        foreach (var (start, end, tokens) in parts)
        {
            var text = tokenizer.Decode(tokens).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (options.Hallucinations.IsHallucination(text, language, judged.Confident))
            {
                stats.AddHallucination();
                continue;
            }

            if (judged.Low)
            {
                stats.AddLowConfidence();
            }

            segments.Add(new TranscribedSegment(start, Math.Max(start, end), text, language, tokens) { Track = track, Confidence = judged.Figures });
        }
    }

    /// <summary>openai's silence rule: the model says nobody speaks and is unsure of the words it wrote.</summary>
    internal static bool IsSilence(double noSpeechProbability, double averageLogProbability, TranscriptionOptions options) =>
        noSpeechProbability > options.NoSpeechThreshold && averageLogProbability < options.LogProbThreshold;

    /// <summary>
    /// openai's failure checks (where it would retry at a higher temperature): too unsure on average, or text that
    /// repeats itself; and any window whose decoding did not end by itself (a loop, or the token budget used up).
    /// </summary>
    internal static bool IsLowConfidence(double averageLogProbability, double compressionRatio, DecodingStop stop, TranscriptionOptions options) =>
        averageLogProbability < options.LogProbThreshold || compressionRatio > options.CompressionRatioThreshold || stop != DecodingStop.EndOfText;

    private int? ResolveLanguage(string language)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        if (string.Equals(language.Trim(), TranscriptionOptions.AutoLanguage, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Model.Info.CheckCanTranscribe(language, Model.Files.Encoder);
        return Model.Info.GetLanguageToken(language);
    }

    private void CheckFeatures(ReadOnlySpan<float> melFeatures)
    {
        if (melFeatures.Length != Model.Features.FeatureLength)
        {
            throw new ArgumentException(
                $"Expected {Model.Info.MelBins} x {LogMelSpectrogram.FrameCount} = {Model.Features.FeatureLength} feature values, got {melFeatures.Length}.",
                nameof(melFeatures));
        }
    }

    private WindowDecoding ToWindowDecoding(WhisperInference.GreedyResult result, string language) =>
        new(result.Tokens.ToArray(), Model.Tokenizer.Decode(result.Tokens), language, result.StepMaxLogits.ToArray(), result.Stop ?? DecodingStop.EndOfText)
        {
            NoSpeechProbability = result.NoSpeechProbability,
            SumLogProbability = result.SumLogProbability,
            AverageLogProbability = result.AverageLogProbability,
            StepLogProbabilities = result.StepLogProbabilities.ToArray(),
        };
}
