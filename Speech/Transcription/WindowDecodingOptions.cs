namespace QualityScan.Speech.Transcription;

/// <summary>How one 30 s window is decoded greedily: the token rules of openai-whisper's <c>DecodingTask</c>.</summary>
/// <remarks>
/// <para>Defaults follow openai-whisper's transcription defaults: at the first sampled step the blank (" ") and
/// end-of-text are suppressed; at every step the model's <c>non_speech_tokens</c> and the special tokens openai adds
/// (transcribe, translate, sot, sot_prev, sot_lm, no_speech) are suppressed (<c>suppress_tokens="-1"</c>).
/// Without timestamps the prompt ends with <c>&lt;|notimestamps|&gt;</c> and only text tokens and end-of-text can be
/// picked. With <see cref="Timestamps"/> the prompt has no <c>&lt;|notimestamps|&gt;</c> and openai's timestamp rules
/// apply (the first token a timestamp of at most <see cref="MaxInitialTimestamp"/>, timestamps in pairs and never
/// decreasing, and the timestamp-mass rule).</para>
/// <para>At most 224 new tokens (half the decoder context, as Whisper samples); the transcriber lowers this per
/// window from the amount of speech in it. The repetition guard stops only real loops (see
/// <see cref="MaxSequenceRepeats"/>), never conversational repetition such as "tak, tak, tak, tak".</para>
/// </remarks>
public sealed record WindowDecodingOptions
{
    /// <summary>The options used when none are given.</summary>
    public static WindowDecodingOptions Default { get; } = new();

    /// <summary>Most tokens to generate after the prompt (<c>sample_len</c>). Default 224; the decoder context caps it further.</summary>
    public int MaxNewTokens { get; init; } = 224;

    /// <summary>Suppress " " and end-of-text at the first sampled step (openai's <c>suppress_blank</c>). Default true.</summary>
    public bool SuppressBlank { get; init; } = true;

    /// <summary>
    /// Never pick the model's <c>non_speech_tokens</c> (symbols such as ♪ or brackets) nor the special tokens openai
    /// suppresses with <c>suppress_tokens="-1"</c>. Default true.
    /// </summary>
    public bool SuppressNonSpeechTokens { get; init; } = true;

    /// <summary>Decode with timestamp tokens (segments with their own times inside the window). Default false.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Latest first timestamp, in seconds (openai's <c>max_initial_timestamp</c>). Default 1.0.</summary>
    public double MaxInitialTimestamp { get; init; } = 1.0;

    /// <summary>
    /// Never pick end-of-text, so every window decodes exactly its token budget: for speed measurements with
    /// random-weight models, which babble. Default false.
    /// </summary>
    public bool NeverEndOfText { get; init; }

    /// <summary>Stop decoding when the output loops. Default true.</summary>
    public bool RepetitionGuard { get; init; } = true;

    /// <summary>A single token may repeat this many times in a row before the guard stops decoding. Default 12.</summary>
    public int MaxTokenRepeats { get; init; } = 12;

    /// <summary>
    /// A sequence of several tokens may repeat this many times in a row before the guard stops decoding, provided the
    /// repeats also cover at least <see cref="MinLoopTokens"/> tokens. Default 5: "tak, tak, tak, tak" and
    /// "halo, halo, halo" are speech, a sentence coming back six times is a loop.
    /// </summary>
    public int MaxSequenceRepeats { get; init; } = 5;

    /// <summary>Fewest tokens a loop of repeated sequences must cover before the guard acts. Default 24.</summary>
    public int MinLoopTokens { get; init; } = 24;

    /// <summary>Longest repeating sequence, in tokens, the guard looks for. Default 40.</summary>
    public int MaxSequenceLength { get; init; } = 40;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "At least one token.");
        }

        if (MaxTokenRepeats < 1 || MaxSequenceRepeats < 1 || MaxSequenceLength < 2 || MinLoopTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), "Repeat limits must be at least 1 and the sequence length at least 2.");
        }

        if (double.IsNaN(MaxInitialTimestamp) || MaxInitialTimestamp < 0 || MaxInitialTimestamp > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInitialTimestamp), MaxInitialTimestamp, "Between 0 and 30 seconds.");
        }
    }
}
