namespace QualityScan.Models;

/// <summary>One stretch of speech by one party, with its recognised text.</summary>
/// <param name="Speaker">Who spoke.</param>
/// <param name="Start">Start in seconds from the start of the recording.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Text">The words as transcribed.</param>
public sealed record Utterance(Speaker Speaker, double Start, double End, string Text)
{
    /// <summary>The utterance's time span.</summary>
    public TimeInterval Span => new(Start, End);
}
