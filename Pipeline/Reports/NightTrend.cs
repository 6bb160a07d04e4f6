using Microsoft.Data.Sqlite;
using QualityScan.Models;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Naming;
using Serilog;

namespace QualityScan.Pipeline.Reports;

/// <summary>A check whose pass rate moved between the earlier nights of the trend and the latest one.</summary>
/// <param name="CheckId">The check.</param>
/// <param name="Before">Pass rate over the earlier periods (calls pooled).</param>
/// <param name="Now">Pass rate in the latest period the agent had calls.</param>
public sealed record CheckChange(string CheckId, double Before, double Now)
{
    /// <summary>True when the pass rate went up.</summary>
    public bool Better => Now > Before;
}

/// <summary>
/// The trend the reports people open draw: per night (or per week when the history is long) the team's and each
/// agent's mean score and the team's pass rate per check, over the last <see cref="Weeks"/> weeks of history up to
/// the night reported, tonight's calls included.
/// </summary>
/// <remarks>
/// The reports are written before the night is recorded in the history, so tonight's calls are added to the stored
/// ones here the way the history will keep them (a call stored for the same day is replaced). Periods are nights while
/// the history in the window spans less than <see cref="WeeklyFromDays"/> days, ISO weeks (Monday to Sunday) beyond.
/// </remarks>
public sealed class NightTrend
{
    /// <summary>Weeks of history the trend covers, counted in whole weeks back from the week of the night reported.</summary>
    public const int Weeks = 8;

    /// <summary>From this many days between the first and the last day in the window, the trend is drawn per week.</summary>
    public const int WeeklyFromDays = 28;

    /// <summary>A check counts as better or worse when its pass rate moved by at least this much (0-1).</summary>
    public const double ChangeThreshold = 0.1;

    private readonly IReadOnlyList<HistoryCall> _calls;

    private NightTrend(IReadOnlyList<HistoryCall> calls, DateOnly until, TrendPeriod by)
    {
        _calls = calls;
        Until = until;
        By = by;
        Rows = Trends.Compute(calls, by);
        Periods = Rows.Select(r => r.PeriodStart).Distinct().Order().ToList();
    }

    /// <summary>The last day drawn: the night reported.</summary>
    public DateOnly Until { get; }

    /// <summary>Nights or weeks.</summary>
    public TrendPeriod By { get; }

    /// <summary>The first day of the window (Monday of the week <see cref="Weeks"/> - 1 weeks before the night's week).</summary>
    public DateOnly From => WindowStart(Until);

    /// <summary>Team and agent rows per period, as <see cref="Trends.Compute"/> makes them.</summary>
    public IReadOnlyList<TrendRow> Rows { get; }

    /// <summary>The first day of every period with calls, oldest first.</summary>
    public IReadOnlyList<DateOnly> Periods { get; }

    /// <summary>The team's row of a period, or null.</summary>
    public TrendRow? Team(DateOnly period) => Rows.FirstOrDefault(r => r.IsTeam && r.PeriodStart == period);

    /// <summary>An agent's row of a period, or null when the agent had no call in it.</summary>
    public TrendRow? Agent(string agentId, DateOnly period) =>
        Rows.FirstOrDefault(r => !r.IsTeam && r.PeriodStart == period && string.Equals(r.AgentId, agentId, StringComparison.Ordinal));

    /// <summary>
    /// The checks whose pass rate for <paramref name="agentId"/> in the latest period the agent had calls differs by at
    /// least <see cref="ChangeThreshold"/> from the rate over the agent's earlier periods; empty with fewer than two periods.
    /// </summary>
    public IReadOnlyList<CheckChange> Changes(string agentId, IEnumerable<string> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var mine = _calls.Where(c => string.Equals(c.AgentId, agentId, StringComparison.Ordinal)).ToList();
        if (mine.Count == 0)
        {
            return [];
        }

        var latest = mine.Max(c => Trends.Start(c.Day, By));
        var now = mine.Where(c => Trends.Start(c.Day, By) == latest).ToList();
        var before = mine.Where(c => Trends.Start(c.Day, By) < latest).ToList();
        var changes = new List<CheckChange>();
        foreach (var check in checks)
        {
            if (Rate(before, check) is { } b && Rate(now, check) is { } n && Math.Abs(n - b) >= ChangeThreshold - 1e-9)
            {
                changes.Add(new CheckChange(check, b, n));
            }
        }

        return changes;
    }

    /// <summary>The trend of <paramref name="past"/> (history calls) with <paramref name="tonight"/> replacing any stored call of the same id and day.</summary>
    public static NightTrend Of(IEnumerable<HistoryCall> past, IReadOnlyList<HistoryCall> tonight, DateOnly until)
    {
        ArgumentNullException.ThrowIfNull(past);
        ArgumentNullException.ThrowIfNull(tonight);
        var from = WindowStart(until);
        var replaced = tonight.Select(c => (c.CallId, c.Day)).ToHashSet();
        var calls = past.Where(c => !replaced.Contains((c.CallId, c.Day)))
            .Concat(tonight)
            .Where(c => c.Day >= from && c.Day <= until)
            .ToList();
        var span = calls.Count == 0 ? 0 : calls.Max(c => c.Day).DayNumber - calls.Min(c => c.Day).DayNumber;
        return new NightTrend(calls, until, span >= WeeklyFromDays ? TrendPeriod.Week : TrendPeriod.Day);
    }

    /// <summary>
    /// Reads the window's calls from the history file at <paramref name="historyPath"/> (none when it does not exist
    /// yet) and adds <paramref name="reports"/>, tonight's calls; null (and a log warning) when the history cannot be read.
    /// </summary>
    /// <param name="historyPath">The history file.</param>
    /// <param name="reports">Tonight's judged calls.</param>
    /// <param name="night">The night scanned (<c>--date</c>), or null: then today in <paramref name="zone"/>.</param>
    /// <param name="zone">The run's time zone (a call's day is its start there).</param>
    /// <param name="log">Where a history that cannot be read is reported.</param>
    public static NightTrend? Load(string historyPath, IReadOnlyList<CallReport> reports, DateOnly? night, TimeZoneInfo zone, ILogger log)
    {
        ArgumentException.ThrowIfNullOrEmpty(historyPath);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(log);
        var now = DateTimeOffset.Now;
        var run = new HistoryRun("tonight", now, now, night, "", "", "", "", reports.Count, 0, Interrupted: false);
        var tonight = reports.Select(r => HistoryCall.From(r, run, zone)).ToList();
        var until = night ?? LocalTime.DayOf(now, zone);
        IReadOnlyList<HistoryCall> past = [];
        if (File.Exists(historyPath))
        {
            try
            {
                using var store = SqliteHistoryStore.Open(historyPath);
                past = store.Calls(new HistoryQuery(From: WindowStart(until), To: until));
            }
            catch (Exception ex) when (ex is HistoryException or SqliteException or IOException or UnauthorizedAccessException)
            {
                log.Warning("The history {History} could not be read for the trend ({Reason}); the workbook and coach pages show no trend tonight", historyPath, ex.Message);
                return null;
            }
        }

        return Of(past, tonight, until);
    }

    private static DateOnly WindowStart(DateOnly until) => Trends.Start(until, TrendPeriod.Week).AddDays(-7 * (Weeks - 1));

    private static double? Rate(IReadOnlyList<HistoryCall> calls, string check)
    {
        var outcomes = calls.Select(c => c.Outcomes.GetValueOrDefault(check)).Where(o => o is "pass" or "fail").ToList();
        return outcomes.Count == 0 ? null : (double)outcomes.Count(o => o == "pass") / outcomes.Count;
    }
}
