using Microsoft.Data.Sqlite;
using QualityScan.Analyzers;
using QualityScan.Models;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Reports;
using Serilog;
using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>
/// What <c>scan</c> does for night-after-night use, kept apart from the scan itself: the configuration file, the
/// night's share of the input, the output lock, stale report files, the history and the operator's closing lines.
/// </summary>
public sealed class NightlyRun
{
    /// <summary>The count the greeting check keeps of elements it could not check (no agent name or company in the metadata).</summary>
    public const string GreetingNotCheckedCount = "greeting_not_checked_elements";

    /// <summary>Weeks of history in the <c>trends.csv</c> a scan writes into its output folder.</summary>
    public const int TrendWeeks = 8;

    private NightlyRun(QualityScanConfig config, FileNameConvention naming, DateOnly? night, string historyPath, string output, string? outputPattern)
    {
        Config = config;
        Naming = naming;
        Night = night;
        HistoryPath = historyPath;
        Output = output;
        OutputPattern = outputPattern;
    }

    /// <summary>The output folder: <c>--out</c> with <c>{date}</c> replaced by the night.</summary>
    public string Output { get; }

    /// <summary><c>--out</c> as given when it holds <c>{date}</c> (reports kept per night, a <c>latest</c> link kept), else null.</summary>
    public string? OutputPattern { get; }

    /// <summary>The configuration file in use (or the defaults).</summary>
    public QualityScanConfig Config { get; }

    /// <summary>How recordings without a manifest row are read, and the run's time zone.</summary>
    public FileNameConvention Naming { get; }

    /// <summary>The day scanned (<c>--date</c>), or null for the whole folder.</summary>
    public DateOnly? Night { get; }

    /// <summary>The history file.</summary>
    public string HistoryPath { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; internal set; } = DateTimeOffset.Now;

    /// <summary>This run's id in the history (a sharded night: the shards' run id, set by <c>report</c>).</summary>
    public string RunId { get; internal set; } = $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Reads <c>--config</c> (or <c>qualityscan.yaml</c> in the input folder), folds its values under the command line's,
    /// and resolves <c>--time-zone</c>, <c>--date</c> and <c>--history</c>.
    /// </summary>
    /// <exception cref="ConfigException">The configuration file is invalid.</exception>
    /// <exception cref="UsageException">A bad <c>--time-zone</c> or <c>--date</c>.</exception>
    public static NightlyRun Prepare(ref CommandArguments parsed, string input, string output)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var config = QualityScanConfig.Find(parsed.Value("config"), input);
        parsed = parsed.WithDefaults(config.Options);
        FileNameConvention naming;
        try
        {
            naming = config.NameConvention(parsed.Value("time-zone"));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("--time-zone: " + ex.Message.Split(" (Parameter", 2)[0]);
        }

        DateOnly? night = null;
        if (parsed.Value("date") is { } date)
        {
            try
            {
                night = NightSelection.ParseDate(date, DateTimeOffset.UtcNow, naming.Zone);
            }
            catch (FormatException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

        if (!NightFolder.IsPattern(output))
        {
            return new NightlyRun(config, naming, night, parsed.Value("history") ?? Path.Combine(output, SqliteHistoryStore.DefaultFileName), output, null);
        }

        if (night is not { } day)
        {
            throw new UsageException($"--out {output}: {NightFolder.Placeholder} names the night's folder, so --date is required (e.g. --date yesterday)");
        }

        // One history for every night: beside the nights' folders, not inside one of them.
        var history = parsed.Value("history") ?? Path.Combine(NightFolder.Root(output), SqliteHistoryStore.DefaultFileName);
        return new NightlyRun(config, naming, night, history, NightFolder.Resolve(output, day), output);
    }

    /// <summary>The calls of the night when <c>--date</c> was given, else all of them; logs what was left out.</summary>
    public DiscoveryResult Select(DiscoveryResult discovered, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(discovered);
        ArgumentNullException.ThrowIfNull(log);
        if (Night is not { } night)
        {
            return discovered;
        }

        var selection = NightSelection.Select(discovered, night, Naming.Zone);
        log.Information("Night {Night} ({Zone}): {Calls} of {Total} recording(s) in the input folder", night.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Naming.Zone.Id, selection.Night.Jobs.Count, selection.Total);
        if (selection.Undated > 0)
        {
            log.Warning("{Undated} recording(s) have no date (no started_at, no date in the name or folders) and belong to no night; they were left out", selection.Undated);
        }

        return selection.Night;
    }

    /// <summary>
    /// The night this run covered whole, whose earlier rows it replaces: the night of <c>--date</c>, from this input
    /// folder, when the run was not interrupted; null otherwise (only the rows of the calls reported are replaced).
    /// </summary>
    private static HistoryScope? ScopeOf(HistoryRun run, ScanResult result, IReadOnlyList<ErrorRow> errors) =>
        run.Night is { } night && !result.Interrupted
            ? new HistoryScope(night, run.Input, result.Reports.Select(r => r.Metadata.CallId)
                .Concat(errors.Select(e => e.CallId).OfType<string>()).ToHashSet(StringComparer.Ordinal))
            : null;

    /// <summary>After the reports: removes stale agent files, warns about greetings not fully checked, records the history.</summary>
    /// <returns>Null, or why the history could not be written (already logged).</returns>
    public string? Finish(string input, string output, IReadOnlyList<string> written, ScanResult result, IReadOnlyList<ErrorRow> errors, string modelId, RuleBook rules, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(log);
        var removed = StaleReports.RemoveAgentFiles(output, written);
        if (removed.Count > 0)
        {
            log.Information("Removed {Count} agent file(s) left by an earlier run, of agents with no call in this one: {Files}", removed.Count, string.Join(", ", removed));
        }

        var pages = StaleReports.RemoveCoachFiles(output, result.Reports.Select(r => r.Metadata.AgentId));
        if (pages.Count > 0)
        {
            log.Information("Removed {Count} coach page(s) left by an earlier run, of agents with no call in this one: {Files}", pages.Count, string.Join(", ", pages));
        }

        var lacking = result.Reports.Count(r => r.Count(GreetingNotCheckedCount) > 0);
        if (lacking > 0)
        {
            log.Warning("{Lacking} of {Calls} call(s) have no agent name or company in their metadata: those greeting elements were not checked (marked in findings.csv); give them in calls.csv", lacking, result.Reports.Count);
        }

        var run = new HistoryRun(RunId, StartedAt, DateTimeOffset.Now, Night, Path.GetFullPath(input), Environment.MachineName, modelId, RunIdentity.Rules(rules),
            result.Reports.Count, errors.Count, result.Interrupted);
        try
        {
            using var store = SqliteHistoryStore.Open(HistoryPath);
            var calls = result.Reports.Select(r => HistoryCall.From(r, run, Naming.Zone)).ToList();
            if (ScopeOf(run, result, errors) is { } scope)
            {
                var withdrawn = store.Withdrawn(scope);
                store.Record(run, calls, scope);
                if (withdrawn.Count > 0)
                {
                    log.Information("History: {Count} call(s) of the night {Night} recorded by an earlier run are no longer in the input and were removed from it: {Calls}",
                        withdrawn.Count, scope.Night.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", withdrawn.Select(w => w.CallId)));
                }
            }
            else
            {
                store.Record(run, calls);
            }

            log.Information("History: {Calls} call(s) recorded in {History} (run {RunId})", result.Reports.Count, Path.GetFullPath(HistoryPath), RunId);

            // The last weeks next to this night, for the coach: weekly trends up to the night scanned.
            var until = Night ?? LocalTime.DayOf(StartedAt, Naming.Zone);
            var recent = store.Calls(new HistoryQuery(From: Trends.Start(until, TrendPeriod.Week).AddDays(-7 * (TrendWeeks - 1)), To: until));
            TrendReport.WriteCsv(Path.Combine(output, TrendsCommand.DefaultCsvName), Trends.Compute(recent, TrendPeriod.Week));
            return null;
        }
        catch (Exception ex) when (ex is HistoryException or SqliteException or IOException or UnauthorizedAccessException)
        {
            log.Error("The history {History} could not be written ({Reason}); the reports in {Output} are written", Path.GetFullPath(HistoryPath), ex.Message, Path.GetFullPath(output));
            return $"the history {Path.GetFullPath(HistoryPath)} could not be written ({ex.Message}); the reports are written";
        }
    }
}
