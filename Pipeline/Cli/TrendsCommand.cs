using System.Globalization;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan trends</c>: score and pass rate per check over time, per agent and for the team, from the history.</summary>
public sealed class TrendsCommand : ICommand
{
    /// <summary>The CSV file name written beside the history by default.</summary>
    public const string DefaultCsvName = "trends.csv";

    /// <inheritdoc />
    public string Name => "trends";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("trends", """
        Prints the mean score and the pass rate of every check per day or week, for the team and each agent, from the
        history that scan keeps, and writes the same rows to a CSV file.
        """)
    {
        Options =
        [
            new("history", "The history file scan writes.") { ValueName = "file", Default = "history of the configuration file, else history.db in the current folder" },
            new("agent", "Only this agent (no team rows).") { ValueName = "id", Default = "every agent and the team" },
            new("from", "First day included (2026-11-29 or 29.11.2026).") { ValueName = "date", Default = "the first day in the history" },
            new("to", "Last day included (2026-11-29 or 29.11.2026).") { ValueName = "date", Default = "the last day in the history" },
            new("by", "One row per day or per ISO week (Monday-Sunday).") { ValueName = "day|week", Default = "day" },
            new("csv", "Where to write the rows.") { ValueName = "file", Default = "trends.csv beside the history" },
            new("config", "Configuration file to take the history path from.") { ValueName = "file", Default = "qualityscan.yaml in the current folder, if any" },
        ],
    };

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        if (parsed.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }

        QualityScanConfig config;
        try
        {
            config = QualityScanConfig.Find(parsed.Value("config"), Directory.GetCurrentDirectory());
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"qualityscan trends: {ex.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        parsed = parsed.WithDefaults(config.Options);
        var by = parsed.Choice("by", "day", "day", "week") == "week" ? TrendPeriod.Week : TrendPeriod.Day;
        var from = Date(parsed, "from");
        var to = Date(parsed, "to");
        var historyPath = parsed.Value("history") ?? SqliteHistoryStore.DefaultFileName;
        if (!File.Exists(historyPath))
        {
            Console.Error.WriteLine($"qualityscan trends: history {Path.GetFullPath(historyPath)} does not exist (scan writes <out>/history.db; give --history <file>)");
            return Task.FromResult(ExitCodes.Failure);
        }

        IReadOnlyList<HistoryCall> calls;
        try
        {
            using var store = SqliteHistoryStore.Open(historyPath);
            calls = store.Calls(new HistoryQuery(parsed.Value("agent"), from, to));
        }
        catch (HistoryException ex)
        {
            Console.Error.WriteLine($"qualityscan trends: {ex.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        var rows = Trends.Compute(calls, by, includeTeam: parsed.Value("agent") is null);
        var csv = parsed.Value("csv") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(historyPath))!, DefaultCsvName);
        TrendReport.WriteCsv(csv, rows);
        Console.Out.Write(TrendReport.Format(rows));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"qualityscan trends: {calls.Count} call(s), {rows.Count} row(s) written to {csv}"));
        return Task.FromResult(ExitCodes.Success);
    }

    private static DateOnly? Date(CommandArguments parsed, string name) =>
        parsed.Value(name) is not { } text ? null
        : NightSelection.TryParseDay(text, out var d) ? d
        : throw new UsageException($"--{name} takes a date like 2026-11-29 or 29.11.2026 (got '{text}')");
}
