namespace QualityScan.Pipeline.Transcription;

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
