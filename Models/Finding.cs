namespace QualityScan.Models;

/// <summary>One observation behind a check's verdict: where in the call, who, and the words quoted.</summary>
/// <param name="CheckId">The check that made it (see <see cref="CheckIds"/>).</param>
/// <param name="Outcome">Whether this observation counts for (pass) or against (fail) the agent.</param>
/// <param name="Speaker">Whose words or voice it is about.</param>
/// <param name="Start">Start of the moment to listen to, in seconds.</param>
/// <param name="End">End of that moment, in seconds.</param>
/// <param name="Evidence">The quoted words (or a description of the audio, for overlaps).</param>
/// <param name="Message">What the finding means, for a coach.</param>
public sealed record Finding(
    string CheckId,
    Outcome Outcome,
    Speaker Speaker,
    double Start,
    double End,
    string Evidence,
    string Message)
{
    /// <summary>The message as a key and values, for reports in another language; null for findings made without one.</summary>
    public MessageRef? Reason { get; init; }

    /// <summary>
    /// The evidence as a message key and values when it is more than quoted words (an overlap: who spoke over whom),
    /// for reports in another language; null when <see cref="Evidence"/> is the quote itself.
    /// </summary>
    public MessageRef? EvidenceText { get; init; }

    /// <summary>The message already worded in each report language (checks defined in a rule pack); null for the shipped checks.</summary>
    public LocalText? LocalMessage { get; init; }
}
