using System.Globalization;
using QualityScan.Models;

namespace QualityScan.Pipeline.History;

/// <summary>How trend rows are grouped in time.</summary>
public enum TrendPeriod
{
    /// <summary>One row per day.</summary>
    Day,

    /// <summary>One row per ISO week (Monday to Sunday).</summary>
    Week,
}

/// <summary>One period of one agent, or of the whole team (<see cref="AgentId"/> empty).</summary>
/// <param name="PeriodStart">First day of the period.</param>
/// <param name="Period">"2026-11-29" or "2026-W48".</param>
/// <param name="AgentId">The agent, or "" for the team row.</param>
/// <param name="AgentName">The agent's latest known name.</param>
/// <param name="Calls">Calls in the period.</param>
/// <param name="JudgedCalls">Calls with a score (a call that could not be judged has none).</param>
/// <param name="MeanScore">Mean score of the judged calls, null when none.</param>
/// <param name="PassRates">Per check: passed / (passed + failed), n/a calls left out; null when the check never applied.</param>
public sealed record TrendRow(
    DateOnly PeriodStart,
    string Period,
    string AgentId,
    string? AgentName,
    int Calls,
    int JudgedCalls,
    double? MeanScore,
    IReadOnlyDictionary<string, double?> PassRates)
{
    /// <summary>True for the team's row of a period.</summary>
    public bool IsTeam => AgentId.Length == 0;
}

/// <summary>Score and pass rate per check over time, per agent and for the team, from the history.</summary>
public static class Trends
{
    /// <summary>The trend rows of <paramref name="calls"/>: per period, the team row first, then each agent.</summary>
    public static IReadOnlyList<TrendRow> Compute(IEnumerable<HistoryCall> calls, TrendPeriod by, bool includeTeam = true)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var rows = new List<TrendRow>();
        foreach (var period in calls.GroupBy(c => Start(c.Day, by)).OrderBy(g => g.Key))
        {
            var label = Label(period.Key, by);
            if (includeTeam)
            {
                rows.Add(Row(period.Key, label, "", null, period.ToList()));
            }

            foreach (var agent in period.GroupBy(c => c.AgentId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var list = agent.ToList();
                rows.Add(Row(period.Key, label, agent.Key, list.LastOrDefault(c => c.AgentName is not null)?.AgentName, list));
            }
        }

        return rows;
    }

    /// <summary>The first day of the period that holds <paramref name="day"/>.</summary>
    public static DateOnly Start(DateOnly day, TrendPeriod by) =>
        by == TrendPeriod.Day ? day : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static string Label(DateOnly start, TrendPeriod by) =>
        by == TrendPeriod.Day
            ? start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):00}");

    private static TrendRow Row(DateOnly start, string label, string agentId, string? agentName, List<HistoryCall> calls)
    {
        var scores = calls.Where(c => c.Score is not null).Select(c => c.Score!.Value).ToList();
        var rates = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var check in CheckIds.Ordered(calls.SelectMany(c => c.Outcomes.Keys)))
        {
            var outcomes = calls.Select(c => c.Outcomes.GetValueOrDefault(check)).Where(o => o is "pass" or "fail").ToList();
            rates[check] = outcomes.Count == 0 ? null : Math.Round((double)outcomes.Count(o => o == "pass") / outcomes.Count, 3);
        }

        return new TrendRow(start, label, agentId, agentName, calls.Count, scores.Count, scores.Count == 0 ? null : Math.Round(scores.Average(), 1), rates);
    }
}
