namespace QualityScan.Models;

/// <summary>The verdict of one check on one call, with its findings and counters.</summary>
/// <param name="CheckId">The check (see <see cref="CheckIds"/>).</param>
/// <param name="Outcome">Pass, fail or not applicable.</param>
/// <param name="Findings">The observations behind the verdict, in time order.</param>
/// <param name="Summary">One line for a report: why it passed or failed.</param>
public sealed record CheckResult(string CheckId, Outcome Outcome, IReadOnlyList<Finding> Findings, string Summary)
{
    /// <summary>Named counters (for example "interruptions", "overlap_seconds"); empty when the check keeps none.</summary>
    public IReadOnlyDictionary<string, double> Counts { get; init; } = new Dictionary<string, double>();

    /// <summary>The summary as message keys and values (joined with "; "), for reports in another language; empty when made without.</summary>
    public IReadOnlyList<MessageRef> SummaryParts { get; init; } = [];

    /// <summary>The summary already worded in each report language (checks defined in a rule pack); null for the shipped checks.</summary>
    public LocalText? LocalSummary { get; init; }

    /// <summary>The check's display name in each report language (checks defined in a rule pack); null for the shipped checks, named by the messages files.</summary>
    public LocalText? LocalName { get; init; }
}
