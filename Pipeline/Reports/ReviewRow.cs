using CsvHelper.Configuration;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// One row of a coach's review sheet, <c>coach/&lt;agent_id&gt;-review.csv</c>: a failed moment the coach and the agent
/// listened to, and whether they agree with the check.
/// </summary>
/// <remarks>
/// QualityScan fills the moment columns and leaves <see cref="Verdict"/>, <see cref="CorrectOutcome"/> and
/// <see cref="Comment"/> empty; a re-run keeps whatever was filled in for a moment id it finds again, and keeps
/// rows of moments that are gone. Same CSV settings as the other reports (UTF-8 with BOM, invariant culture).
/// </remarks>
public sealed record ReviewRow
{
    /// <summary>Stable moment id <c>call_id:check:start_s</c> (see <see cref="TeamSummary.MomentId"/>).</summary>
    public required string MomentId { get; init; }

    public required string CallId { get; init; }

    public required string AgentId { get; init; }

    /// <summary>Check id (<c>greeting</c>, <c>interruption</c>, <c>politeness</c>, <c>dont_know</c>, <c>closing</c>).</summary>
    public required string Check { get; init; }

    public double StartSeconds { get; init; }

    public double EndSeconds { get; init; }

    /// <summary>The quoted words of the finding.</summary>
    public string? Quote { get; init; }

    /// <summary>The finding's reason in the report language.</summary>
    public string? Reason { get; init; }

    /// <summary>Filled in by the coach: <c>agree</c> or <c>disagree</c> with the check's verdict.</summary>
    public string? Verdict { get; init; }

    /// <summary>Filled in by the coach: what the check should have said, <c>pass</c>, <c>fail</c> or <c>n/a</c>.</summary>
    public string? CorrectOutcome { get; init; }

    /// <summary>Filled in by the coach: free text.</summary>
    public string? Comment { get; init; }
}

/// <summary>Column names and order of the review sheet.</summary>
public sealed class ReviewRowMap : ClassMap<ReviewRow>
{
    public ReviewRowMap()
    {
        Map(r => r.MomentId).Name("moment_id");
        Map(r => r.CallId).Name("call_id");
        Map(r => r.AgentId).Name("agent_id");
        Map(r => r.Check).Name("check");
        Map(r => r.StartSeconds).Name("start_s");
        Map(r => r.EndSeconds).Name("end_s");
        Map(r => r.Quote).Name("quote");
        Map(r => r.Reason).Name("reason");
        Map(r => r.Verdict).Name("verdict");
        Map(r => r.CorrectOutcome).Name("correct_outcome");
        Map(r => r.Comment).Name("comment");
    }
}
