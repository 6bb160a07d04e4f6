namespace QualityScan.Speech.Transcription;

/// <summary>How a recording's speech chunks are transcribed.</summary>
/// <remarks>
/// Defaults: language "pl" (the pipeline always sets it explicitly; Whisper itself would fall back to English),
/// batches of 1 window, chunks shorter than 0.2 s skipped, no merging of chunks,
/// <see cref="WindowDecodingOptions.Default"/> for decoding, a token budget of 32 + 15 per second of speech, and
/// openai-whisper's thresholds (no speech 0.6, average log-probability -1.0, compression ratio 2.4). Where openai
/// would retry a failed window at a higher temperature (random sampling), QualityScan keeps the greedy text and marks
/// it low confidence: a re-run gives the same text, and the checks never let such words make a check pass.
/// </remarks>
public sealed record TranscriptionOptions
{
    /// <summary>Value of <see cref="Language"/> that detects the language of each chunk.</summary>
    public const string AutoLanguage = "auto";

    /// <summary>
    /// Language code the model knows ("pl", "cs", any of its <see cref="WhisperModelInfo.LanguageCodes"/>), or
    /// "auto" to detect it per chunk from the model's language-token logits. Default "pl".
    /// </summary>
    public string Language { get; init; } = "pl";

    /// <summary>
    /// Windows encoded and decoded together in one ONNX Runtime call (n_audio). Larger batches use the processor
    /// better when several chunks are waiting; results can differ from batch size 1 in the last float bits.
    /// Default 1.
    /// </summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Chunks shorter than this (seconds) are not transcribed: too short to hold a word. Default 0.2.</summary>
    public double MinChunkSeconds { get; init; } = 0.2;

    /// <summary>
    /// Neighbouring chunks separated by at most this many seconds are transcribed as one window (with the audio of
    /// the pause), as long as the result fits in 30 s. Fewer windows means fewer encoder passes, the largest cost;
    /// the price is coarser segments, since a merged window yields one segment from the first chunk's start to the
    /// last chunk's end. Default 0: every chunk is its own window and its own segment.
    /// </summary>
    public double MergeGapSeconds { get; init; }

    /// <summary>
    /// How speech is laid into windows: <see cref="Transcription.Windowing.Chunk"/> (one per speech chunk, for models
    /// without timestamps) or <see cref="Transcription.Windowing.Packed"/> (full windows, timestamps cut the segments).
    /// Default chunk; the pipeline picks from the model (<see cref="WhisperModel.SupportsTimestamps"/>).
    /// </summary>
    public Windowing Windowing { get; init; } = Windowing.Chunk;

    /// <summary>Greedy decoding settings for each window.</summary>
    public WindowDecodingOptions Decoding { get; init; } = WindowDecodingOptions.Default;

    /// <summary>
    /// Token budget per second of speech in a window (timestamps included), on top of <see cref="MinTokenBudget"/>,
    /// capped by <see cref="WindowDecodingOptions.MaxNewTokens"/>. Default 15: about three times what fast Polish
    /// speech needs, so only a runaway decoding reaches it.
    /// </summary>
    public double TokensPerSpeechSecond { get; init; } = 15;

    /// <summary>Token budget of a window however short its speech. Default 32.</summary>
    public int MinTokenBudget { get; init; } = 32;

    /// <summary>
    /// openai's silence rule: a window whose no-speech probability is above this and whose average log-probability is
    /// below <see cref="LogProbThreshold"/> yields no text. Default 0.6.
    /// </summary>
    public double NoSpeechThreshold { get; init; } = 0.6;

    /// <summary>
    /// Average log-probability below which a window's text is marked low confidence (openai's <c>logprob_threshold</c>,
    /// where it would retry at a higher temperature). Default -1.0.
    /// </summary>
    public double LogProbThreshold { get; init; } = -1.0;

    /// <summary>
    /// Compression ratio above which a window's text is marked low confidence: it repeats itself (openai's
    /// <c>compression_ratio_threshold</c>). Default 2.4.
    /// </summary>
    public double CompressionRatioThreshold { get; init; } = 2.4;

    /// <summary>Known hallucination phrases to drop. Default <see cref="HallucinationFilter.None"/>; the pipeline passes the model's list.</summary>
    public HallucinationFilter Hallucinations { get; init; } = HallucinationFilter.None;

    /// <summary>
    /// For benchmarks: decode exactly this many tokens per second of speech in every window (end-of-text is never
    /// picked, the repetition guard is off), so a random-weight model of a real size costs what a real call would.
    /// Default null: decode until the model ends.
    /// </summary>
    public double? FixedTokensPerSecond { get; init; }

    /// <summary>The token budget of a window holding <paramref name="speechSeconds"/> of speech.</summary>
    public int TokenBudget(double speechSeconds) => FixedTokensPerSecond is double rate
        ? Math.Clamp((int)Math.Round(speechSeconds * rate), 1, Decoding.MaxNewTokens)
        : Math.Min(Decoding.MaxNewTokens, Math.Max(MinTokenBudget, (int)Math.Ceiling(speechSeconds * TokensPerSpeechSecond) + MinTokenBudget / 2));

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Language);
        if (BatchSize is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Between 1 and 64 windows.");
        }

        if (double.IsNaN(MinChunkSeconds) || MinChunkSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinChunkSeconds), MinChunkSeconds, "Zero or more seconds.");
        }

        if (double.IsNaN(MergeGapSeconds) || MergeGapSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MergeGapSeconds), MergeGapSeconds, "Zero or more seconds.");
        }

        ArgumentNullException.ThrowIfNull(Decoding);
        Decoding.Validate();
        ArgumentNullException.ThrowIfNull(Hallucinations);
        if (double.IsNaN(TokensPerSpeechSecond) || TokensPerSpeechSecond <= 0 || MinTokenBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TokensPerSpeechSecond), "The token budget must be positive.");
        }

        if (double.IsNaN(NoSpeechThreshold) || NoSpeechThreshold is < 0 or > 1 || double.IsNaN(LogProbThreshold) || double.IsNaN(CompressionRatioThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(NoSpeechThreshold), "Thresholds must be numbers; the no-speech threshold a probability.");
        }
    }
}
