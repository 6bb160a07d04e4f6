using System.Globalization;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// One row of a coach's review sheet (<c>coach/&lt;agent_id&gt;-review.xlsx</c> and <c>.csv</c>): a failed moment the coach
/// and the agent listened to, what QualityScan said of it, and what the coach says.
/// </summary>
/// <remarks>
/// QualityScan fills the moment columns and leaves <see cref="Verdict"/>, <see cref="CorrectOutcome"/> and
/// <see cref="Comment"/> empty. The coach's columns hold the text as typed (any accepted language, or a typo): a re-run
/// carries it over untouched, and <see cref="ReviewWords"/> tells what it means when <c>learn</c> reads it. The columns
/// and both file forms are defined once, in <see cref="ReviewSheet"/>.
/// </remarks>
public sealed record ReviewRow
{
    /// <summary>Stable moment id <c>call_id:check:start_s</c> (see <see cref="TeamSummary.MomentId"/>).</summary>
    public required string MomentId { get; init; }

    /// <summary>The call.</summary>
    public required string CallId { get; init; }

    /// <summary>The agent.</summary>
    public string AgentId { get; init; } = "";

    /// <summary>Check id (<c>greeting</c>, <c>interruption</c>, <c>politeness</c>, <c>dont_know</c>, <c>closing</c>).</summary>
    public required string Check { get; init; }

    /// <summary>Start of the moment in seconds from the start of the recording.</summary>
    public double? StartSeconds { get; init; }

    /// <summary>End of the moment in seconds.</summary>
    public double? EndSeconds { get; init; }

    /// <summary>The quoted words of the finding (as <see cref="ReportText.Evidence"/> renders them).</summary>
    public string Quote { get; init; } = "";

    /// <summary>The finding's reason in the report language.</summary>
    public string Reason { get; init; } = "";

    /// <summary>What QualityScan said of the moment, as written in the sheet (an outcome word in any accepted language).</summary>
    public string ToolOutcome { get; init; } = "";

    /// <summary>Typed by the coach: agrees or disagrees with QualityScan (<c>zgadzam się</c>, <c>agree</c>, ...); empty = not reviewed.</summary>
    public string Verdict { get; init; } = "";

    /// <summary>Typed by the coach: what the check should have said (<c>zaliczone</c>, <c>pass</c>, <c>nie dotyczy</c>, ...).</summary>
    public string CorrectOutcome { get; init; } = "";

    /// <summary>Typed by the coach: free text.</summary>
    public string Comment { get; init; } = "";

    /// <summary>The row's line (CSV) or row number (.xlsx) in the file it was read from; 0 for a row made by QualityScan.</summary>
    public int Line { get; init; }

    /// <summary>True when the coach typed anything in the row.</summary>
    public bool HasCoachInput => !string.IsNullOrWhiteSpace(Verdict) || !string.IsNullOrWhiteSpace(CorrectOutcome) || !string.IsNullOrWhiteSpace(Comment);

    /// <summary>
    /// The key that finds the row again on a re-run: the moment id, else one made of call, check and start (a sheet whose
    /// <c>moment_id</c> column was deleted).
    /// </summary>
    public string Key => MomentId.Trim().Length > 0
        ? MomentId.Trim()
        : string.Create(CultureInfo.InvariantCulture, $"{CallId.Trim()}:{Check.Trim()}:{Math.Round(StartSeconds ?? 0, 2):0.00}");

    /// <summary>This row with the coach's columns of <paramref name="typed"/>, exactly as typed.</summary>
    public ReviewRow WithCoachInput(ReviewRow typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        return this with { Verdict = typed.Verdict, CorrectOutcome = typed.CorrectOutcome, Comment = typed.Comment };
    }
}
