namespace QualityScan.Models;

/// <summary>Everything the reports say about one call.</summary>
/// <param name="Metadata">The call.</param>
/// <param name="Results">One result per check, in <see cref="CheckIds.All"/> order.</param>
/// <param name="Score">Weighted score 0-100.</param>
public sealed record CallReport(CallMetadata Metadata, IReadOnlyList<CheckResult> Results, double Score)
{
    /// <summary>The result of one check, or null when it was not run.</summary>
    public CheckResult? ResultOf(string checkId) => Results.FirstOrDefault(r => r.CheckId == checkId);

    /// <summary>A counter from any check's result, zero when absent.</summary>
    public double Count(string name) => Results.Select(r => r.Counts.TryGetValue(name, out var v) ? v : 0).Sum();
}
