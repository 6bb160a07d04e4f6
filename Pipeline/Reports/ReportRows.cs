using System.Globalization;
using QualityScan.Models;

namespace QualityScan.Pipeline.Reports;

/// <summary>Turns call reports into report rows.</summary>
public static class ReportRows
{
    /// <summary>Counter names the analyzers keep, as used in the report columns.</summary>
    public static class CountNames
    {
        public const string Interruptions = "interruptions";
        public const string OverlapSeconds = "overlap_seconds";
        public const string CustomerInterruptions = "customer_interruptions";
        public const string PolitePhrases = "polite_phrases";
        public const string DirectivePhrases = "directive_phrases";
        public const string UnresolvedDontKnow = "unresolved_dont_know";
    }

    /// <summary>The <c>calls.csv</c> row of a call.</summary>
    public static CallRow ToCallRow(CallReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Metadata;
        return new CallRow
        {
            CallId = m.CallId,
            AgentId = m.AgentId,
            AgentName = m.AgentName,
            Language = m.Language,
            StartedAt = Timestamp(m.StartedAt),
            DurationSeconds = Math.Round(m.DurationSeconds, 1),
            Score = report.IsJudged ? Math.Round(report.Score, 1) : null,
            NotJudged = report.NotJudgedReason,
            Outcomes = report.Results.ToDictionary(r => r.CheckId, r => r.Outcome.ToReportText(), StringComparer.Ordinal),
            Interruptions = (int)report.Count(CountNames.Interruptions),
            OverlapSeconds = Math.Round(report.Count(CountNames.OverlapSeconds), 2),
            CustomerInterruptions = (int)report.Count(CountNames.CustomerInterruptions),
            PolitePhrases = (int)report.Count(CountNames.PolitePhrases),
            DirectivePhrases = (int)report.Count(CountNames.DirectivePhrases),
            UnresolvedDontKnow = (int)report.Count(CountNames.UnresolvedDontKnow),
            FailedChecks = string.Join(";", FailedChecks(report)),
            SourceFile = m.SourceFile,
        };
    }

    /// <summary>The <c>findings.csv</c> rows of a call, in time order.</summary>
    public static IEnumerable<FindingRow> ToFindingRows(CallReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Results
            .SelectMany(r => r.Findings)
            .OrderBy(f => f.Start)
            .ThenBy(f => f.CheckId, StringComparer.Ordinal)
            .Select(f => new FindingRow
            {
                CallId = report.Metadata.CallId,
                AgentId = report.Metadata.AgentId,
                Check = f.CheckId,
                Outcome = f.Outcome.ToReportText(),
                StartSeconds = Math.Round(f.Start, 2),
                EndSeconds = Math.Round(f.End, 2),
                Speaker = f.Speaker.ToString().ToLowerInvariant(),
                Evidence = f.Evidence,
                Message = f.Message,
            });
    }

    /// <summary>One <c>agents.csv</c> row per agent; calls that were not judged count in <c>calls</c> and <c>not_judged_calls</c> only.</summary>
    public static IEnumerable<AgentRow> ToAgentRows(IEnumerable<CallReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return reports
            .GroupBy(r => r.Metadata.AgentId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var calls = g.ToList();
                var judged = calls.Where(c => c.IsJudged).ToList();
                var worst = judged.OrderBy(c => c.Score).ThenBy(c => c.Metadata.CallId, StringComparer.Ordinal).FirstOrDefault();
                return new AgentRow
                {
                    AgentId = g.Key,
                    AgentName = calls.Select(c => c.Metadata.AgentName).FirstOrDefault(n => n is not null),
                    Calls = calls.Count,
                    NotJudgedCalls = calls.Count - judged.Count,
                    MeanScore = judged.Count == 0 ? null : Math.Round(judged.Average(c => c.Score), 1),
                    MinScore = worst is null ? null : Math.Round(worst.Score, 1),
                    WorstCall = worst?.Metadata.CallId,
                    PassRates = CheckIds.Of(calls).ToDictionary(id => id, id => PassRate(calls, id), StringComparer.Ordinal),
                    Interruptions = (int)calls.Sum(c => c.Count(CountNames.Interruptions)),
                    OverlapSeconds = Math.Round(calls.Sum(c => c.Count(CountNames.OverlapSeconds)), 2),
                    PolitePhrases = (int)calls.Sum(c => c.Count(CountNames.PolitePhrases)),
                    DirectivePhrases = (int)calls.Sum(c => c.Count(CountNames.DirectivePhrases)),
                    UnresolvedDontKnow = (int)calls.Sum(c => c.Count(CountNames.UnresolvedDontKnow)),
                    AudioMinutes = Math.Round(calls.Sum(c => c.Metadata.DurationSeconds) / 60, 1),
                };
            });
    }

    /// <summary>An agent's calls, worst first (calls that could not be judged last, with the reason), each with its failed checks and the moments to listen to.</summary>
    public static IEnumerable<CoachingRow> ToCoachingRows(IEnumerable<CallReport> agentCalls)
    {
        ArgumentNullException.ThrowIfNull(agentCalls);
        return agentCalls
            .OrderBy(c => c.IsJudged ? 0 : 1)
            .ThenBy(c => c.Score)
            .ThenByDescending(c => FailedChecks(c).Count())
            .ThenBy(c => c.Metadata.CallId, StringComparer.Ordinal)
            .Select((c, i) =>
            {
                var failed = c.Results.Where(r => r.Outcome == Outcome.Fail).SelectMany(r => r.Findings).Where(f => f.Outcome == Outcome.Fail).OrderBy(f => f.Start).ToList();
                return new CoachingRow
                {
                    Rank = i + 1,
                    CallId = c.Metadata.CallId,
                    StartedAt = Timestamp(c.Metadata.StartedAt),
                    Score = c.IsJudged ? Math.Round(c.Score, 1) : null,
                    FailedChecks = string.Join(";", FailedChecks(c)),
                    FailedFindings = failed.Count,
                    Moments = c.IsJudged
                        ? string.Join(" | ", failed.Select(Moment).Concat(SummariesWithoutFindings(c)))
                        : $"not judged: {c.NotJudgedReason}",
                    SourceFile = c.Metadata.SourceFile,
                };
            });
    }

    /// <summary>A moment to listen to, e.g. <c>dont_know 0:16.5-0:17.4 agent "Nie wiem."</c>.</summary>
    public static string Moment(Finding f) =>
        $"{f.CheckId} {Clock(f.Start)}-{Clock(f.End)} {f.Speaker.ToString().ToLowerInvariant()} \"{f.Evidence}\"";

    /// <summary>Seconds as <c>m:ss.f</c>, the form a coach finds in a player.</summary>
    public static string Clock(double seconds)
    {
        var minutes = (int)(seconds / 60);
        var rest = seconds - minutes * 60;
        return string.Create(CultureInfo.InvariantCulture, $"{minutes}:{rest:00.0}");
    }

    private static string? Timestamp(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static IEnumerable<string> SummariesWithoutFindings(CallReport c) =>
        c.Results.Where(r => r.Outcome == Outcome.Fail && !r.Findings.Any(f => f.Outcome == Outcome.Fail))
            .Select(r => $"{r.CheckId}: {r.Summary}");

    private static IEnumerable<string> FailedChecks(CallReport report) =>
        report.Results.Where(r => r.Outcome == Outcome.Fail).Select(r => r.CheckId);

    private static double? PassRate(IReadOnlyList<CallReport> calls, string checkId)
    {
        var applicable = calls.Select(c => c.ResultOf(checkId)?.Outcome).Where(o => o is Outcome.Pass or Outcome.Fail).ToList();
        return applicable.Count == 0 ? null : Math.Round((double)applicable.Count(o => o == Outcome.Pass) / applicable.Count, 3);
    }
}
