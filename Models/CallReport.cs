namespace QualityScan.Models;

/// <summary>Everything the reports say about one call.</summary>
/// <param name="Metadata">The call.</param>
/// <param name="Results">One result per check, in <see cref="CheckIds.All"/> order.</param>
/// <param name="Score">Weighted score 0-100.</param>
public sealed record CallReport(CallMetadata Metadata, IReadOnlyList<CheckResult> Results, double Score)
{
    /// <summary>
    /// Why the call could not be judged (e.g. "no agent speech": a silent or noise-only recording), or null when it
    /// was. A call that was not judged has no meaningful <see cref="Score"/>: reports show the reason instead.
    /// </summary>
    public string? NotJudgedReason { get; init; }

    /// <summary>True when the call was judged and <see cref="Score"/> means something.</summary>
    public bool IsJudged => NotJudgedReason is null;

    /// <summary>The result of one check, or null when it was not run.</summary>
    public CheckResult? ResultOf(string checkId) => Results.FirstOrDefault(r => r.CheckId == checkId);

    /// <summary>A counter from any check's result, zero when absent.</summary>
    public double Count(string name) => Results.Select(r => r.Counts.TryGetValue(name, out var v) ? v : 0).Sum();
}
