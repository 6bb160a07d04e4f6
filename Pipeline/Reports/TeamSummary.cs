using System.Globalization;
using QualityScan.Models;

namespace QualityScan.Pipeline.Reports;

/// <summary>One agent's calls and figures, as the workbook and the coach pack show them.</summary>
/// <param name="AgentId">The agent id.</param>
/// <param name="AgentName">The agent's name, when known.</param>
/// <param name="Calls">The agent's calls, worst first (see <see cref="TeamSummary.WorstFirst"/>).</param>
/// <param name="MeanScore">Mean score of the judged calls; null when none was judged.</param>
/// <param name="MinScore">Lowest score of a judged call; null when none was judged.</param>
/// <param name="PassRates">Per check id: passed / (passed + failed), null when the check never applied.</param>
public sealed record AgentSummary(
    string AgentId,
    string? AgentName,
    IReadOnlyList<CallReport> Calls,
    double? MeanScore,
    double? MinScore,
    IReadOnlyDictionary<string, double?> PassRates)
{
    /// <summary>Calls that were judged (have a score).</summary>
    public int JudgedCalls => Calls.Count(c => c.IsJudged);

    /// <summary>The name to show: the agent's name, else the id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(AgentName) ? AgentId : AgentName;

    /// <summary>The call the agent should hear first: the lowest-scored judged call, or null.</summary>
    public CallReport? WorstCall => Calls.FirstOrDefault(c => c.IsJudged);
}

/// <summary>
/// The team's figures over one run: agents worst first, each with calls worst first, and the team row (mean score
/// over every judged call and pass rate per check over every call the check applied to).
/// </summary>
/// <remarks>A call that was not judged (<see cref="CallReport.NotJudgedReason"/>) counts as a call but never in a score or a pass rate.</remarks>
public sealed class TeamSummary
{
    private TeamSummary(IReadOnlyList<string> checks, IReadOnlyList<AgentSummary> agents, IReadOnlyList<CallReport> calls, double? meanScore, IReadOnlyDictionary<string, double?> passRates)
    {
        Checks = checks;
        Agents = agents;
        Calls = calls;
        MeanScore = meanScore;
        PassRates = passRates;
    }

    /// <summary>
    /// The checks the calls were judged on, in report column order: the rule pack's checks (the five of the mission,
    /// then those the pack defines). Every per-check column of the workbook and the coach pack follows this list.
    /// </summary>
    public IReadOnlyList<string> Checks { get; }

    /// <summary>Agents, lowest mean score first; agents with no judged call last.</summary>
    public IReadOnlyList<AgentSummary> Agents { get; }

    /// <summary>Every call, worst first.</summary>
    public IReadOnlyList<CallReport> Calls { get; }

    /// <summary>Mean score over every judged call; null when none was judged.</summary>
    public double? MeanScore { get; }

    /// <summary>Per check id, the pass rate over every call the check applied to.</summary>
    public IReadOnlyDictionary<string, double?> PassRates { get; }

    /// <summary>Builds the summary of <paramref name="reports"/>.</summary>
    public static TeamSummary Of(IEnumerable<CallReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var all = WorstFirst(reports).ToList();
        var checks = CheckIds.Of(all);
        var agents = all
            .GroupBy(r => r.Metadata.AgentId, StringComparer.Ordinal)
            .Select(g =>
            {
                var calls = g.ToList();
                var judged = calls.Where(c => c.IsJudged).ToList();
                return new AgentSummary(
                    g.Key,
                    calls.Select(c => c.Metadata.AgentName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)),
                    calls,
                    judged.Count == 0 ? null : Math.Round(judged.Average(c => c.Score), 1),
                    judged.Count == 0 ? null : judged.Min(c => c.Score),
                    PassRatesOf(calls, checks));
            })
            .OrderBy(a => a.MeanScore ?? double.MaxValue)
            .ThenBy(a => a.AgentId, StringComparer.Ordinal)
            .ToList();
        var judgedCalls = all.Where(c => c.IsJudged).ToList();
        return new TeamSummary(checks, agents, all, judgedCalls.Count == 0 ? null : Math.Round(judgedCalls.Average(c => c.Score), 1), PassRatesOf(all, checks));
    }

    /// <summary>Calls in the order a coach wants them: judged calls by score (lowest first, then most failed checks), then calls not judged.</summary>
    public static IEnumerable<CallReport> WorstFirst(IEnumerable<CallReport> calls) =>
        calls.OrderBy(c => c.IsJudged ? 0 : 1)
            .ThenBy(c => c.IsJudged ? c.Score : 0)
            .ThenByDescending(c => c.Results.Count(r => r.Outcome == Outcome.Fail))
            .ThenBy(c => c.Metadata.CallId, StringComparer.Ordinal);

    /// <summary>The failed findings of a call's failed checks, in time order: the moments to listen to (none for a call that was not judged).</summary>
    public static IReadOnlyList<Finding> FailedMoments(CallReport call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!call.IsJudged)
        {
            return [];
        }

        // Two failed findings of one check at one start (two directive phrases in one utterance) are one moment, so
        // that moment ids stay unique; their quotes are joined.
        var order = call.Results.Select(r => r.CheckId).ToList();
        return call.Results.Where(r => r.Outcome == Outcome.Fail)
            .SelectMany(r => r.Findings)
            .Where(f => f.Outcome == Outcome.Fail)
            .GroupBy(f => (f.CheckId, Start: Math.Round(f.Start, 2)))
            .Select(g => g.Count() == 1 ? g.First() : g.First() with
            {
                End = g.Max(f => f.End),
                Evidence = string.Join(" … ", g.Select(f => f.Evidence).Distinct(StringComparer.Ordinal)),
                EvidenceText = null,
            })
            .OrderBy(f => f.Start)
            .ThenBy(f => order.IndexOf(f.CheckId))
            .ToList();
    }

    /// <summary>
    /// The stable id of a moment: <c>call_id:check:start_s</c> with the start in seconds to two decimals (as in
    /// <c>findings.csv</c>), e.g. <c>pl09-worst:dont_know:16.50</c>. A re-run of the same transcript gives the same id.
    /// </summary>
    public static string MomentId(string callId, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return string.Create(CultureInfo.InvariantCulture, $"{callId}:{finding.CheckId}:{Math.Round(finding.Start, 2):0.00}");
    }

    private static Dictionary<string, double?> PassRatesOf(IReadOnlyList<CallReport> calls, IReadOnlyList<string> checks) =>
        checks.ToDictionary(id => id, id =>
        {
            var outcomes = calls.Where(c => c.IsJudged).Select(c => c.ResultOf(id)?.Outcome).Where(o => o is Outcome.Pass or Outcome.Fail).ToList();
            return outcomes.Count == 0 ? (double?)null : Math.Round((double)outcomes.Count(o => o == Outcome.Pass) / outcomes.Count, 3);
        }, StringComparer.Ordinal);
}
