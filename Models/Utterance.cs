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

    /// <summary>How sure the speech model was of <see cref="Text"/>; null for transcripts without the figures (older or hand-made ones).</summary>
    public UtteranceConfidence? Confidence { get; init; }

    /// <summary>
    /// True when the speech model marked these words unreliable. Checks may quote such an utterance but never use it
    /// as the evidence that makes a check pass.
    /// </summary>
    public bool IsLowConfidence => Confidence?.IsLow == true;
}
