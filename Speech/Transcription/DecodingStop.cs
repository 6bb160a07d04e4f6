namespace QualityScan.Speech.Transcription;

/// <summary>Why greedy decoding of a window ended.</summary>
public enum DecodingStop
{
    /// <summary>The model predicted end-of-text.</summary>
    EndOfText,

    /// <summary>The token budget (<see cref="WindowDecodingOptions.MaxNewTokens"/>) was used up.</summary>
    MaxTokens,

    /// <summary>The decoder's context (n_text_ctx positions, prompt included) is full.</summary>
    ContextFull,

    /// <summary>The repetition guard stopped a loop; the repeated tail was cut to one occurrence.</summary>
    RepetitionLoop,
}

/// <summary>Text forms of <see cref="DecodingStop"/> for transcripts and logs.</summary>
public static class DecodingStopText
{
    /// <summary>"end_of_text", "max_tokens", "context_full" or "repetition_loop".</summary>
    public static string ToText(this DecodingStop stop) => stop switch
    {
        DecodingStop.EndOfText => "end_of_text",
        DecodingStop.MaxTokens => "max_tokens",
        DecodingStop.ContextFull => "context_full",
        DecodingStop.RepetitionLoop => "repetition_loop",
        _ => stop.ToString(),
    };
}
