namespace QualityScan.Pipeline.Transcription;

/// <summary>How a recording's speech chunks are transcribed.</summary>
/// <remarks>
/// Defaults: language "pl" (the pipeline always sets it explicitly; Whisper itself would fall back to English),
/// batches of 1 window, chunks shorter than 0.2 s skipped, no merging of chunks,
/// <see cref="WindowDecodingOptions.Default"/> for decoding.
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

    /// <summary>Greedy decoding settings for each window.</summary>
    public WindowDecodingOptions Decoding { get; init; } = WindowDecodingOptions.Default;

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
    }
}
