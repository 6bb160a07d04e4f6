using QualityScan.Models;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// A moment of a call as a reviewer judged it: one row of the coach review sheet, or one finding of a call whose
/// expected outcome is known (<c>expected.csv</c>).
/// </summary>
/// <param name="CallId">The call.</param>
/// <param name="CheckId">The check the moment belongs to.</param>
/// <param name="Evidence">The quoted words; utterances of a window are joined with " / ", a "nie wiem" and its next turn with " … ".</param>
/// <param name="Agrees">True when the reviewer agreed with the check's outcome, false when not, null when not said.</param>
/// <param name="CorrectOutcome">The check's right outcome for the call (pass or fail); null when not given.</param>
/// <param name="Source">Where the moment came from ("coach/akowalska-review.csv:12"), for messages.</param>
public sealed record ReviewedMoment(string CallId, string CheckId, string Evidence, bool? Agrees, Outcome? CorrectOutcome, string Source)
{
    /// <summary>The agent's next turn after a "nie wiem", when a transcript supplied it (appended as " … text").</summary>
    public string? NextTurn { get; init; }
}
