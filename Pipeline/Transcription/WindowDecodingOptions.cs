namespace QualityScan.Pipeline.Transcription;

/// <summary>How one 30 s window is decoded greedily.</summary>
/// <remarks>
/// Defaults: at most 224 new tokens (half the decoder context, as Whisper samples), non-speech tokens suppressed
/// (when the model lists any), the repetition guard on (a token repeated more than 8 times, or a sequence of
/// 2..40 tokens repeated more than 3 times in a row at the end, stops decoding).
/// Greedy decoding always picks among the text tokens (ids below end-of-text) and end-of-text itself: timestamp,
/// language, task and other special tokens are never chosen.
/// </remarks>
public sealed record WindowDecodingOptions
{
    /// <summary>The options used when none are given.</summary>
    public static WindowDecodingOptions Default { get; } = new();

    /// <summary>Most tokens to generate after the prompt. Default 224; the decoder context caps it further.</summary>
    public int MaxNewTokens { get; init; } = 224;

    /// <summary>Never pick the model's <c>non_speech_tokens</c> (symbols such as ♪ or brackets). Default true.</summary>
    public bool SuppressNonSpeechTokens { get; init; } = true;

    /// <summary>Stop decoding when the output starts to loop. Default true.</summary>
    public bool RepetitionGuard { get; init; } = true;

    /// <summary>A single token may repeat this many times in a row before the guard stops decoding. Default 8.</summary>
    public int MaxTokenRepeats { get; init; } = 8;

    /// <summary>A sequence of several tokens may repeat this many times in a row before the guard stops decoding. Default 3.</summary>
    public int MaxSequenceRepeats { get; init; } = 3;

    /// <summary>Longest repeating sequence, in tokens, the guard looks for. Default 40.</summary>
    public int MaxSequenceLength { get; init; } = 40;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "At least one token.");
        }

        if (MaxTokenRepeats < 1 || MaxSequenceRepeats < 1 || MaxSequenceLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), "Repeat limits must be at least 1 and the sequence length at least 2.");
        }
    }
}
