using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Night;
using QualityScan.Pipeline.Batch.Sharding;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// <c>qualityscan report &lt;output folder&gt;</c>: once every shard of a night (<c>scan --shard K/N</c>) has finished, builds
/// the night's reports, history and <c>run.json</c> from the stored transcripts and the shards' results, exactly as one
/// whole <c>scan</c> would have.
/// </summary>
public sealed class ReportCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "report";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("report", """
        Builds the reports of a night scanned as shards (scan --shard K/N on several machines or scheduler tasks): reads
        shards/<run id>/ in the output folder, checks that every shard finished and every call is stored, and writes
        calls.csv, findings.csv, agents.csv, agents/, errors.csv, report.xlsx, coach/, the history rows and run.json as one
        scan of the whole night would, with the scan's own options. Names the missing shards and calls, and writes no
        reports, when any are missing (exit 1): run those shards again, then report again.
        """)
    {
        Arguments = [new ArgumentSpec("output folder", "The --out folder the shards wrote into; with {date} (e.g. /srv/qa/{date}) give --date, and the 'latest' link beside the nights' folders is kept.")],
        Options =
        [
            new("date", "The night, for an output folder with {date}: the shards' --date.") { ValueName = "yesterday|today|YYYY-MM-DD" },
            new("run-id", "The night's run id (a folder under shards/).") { ValueName = "id", Default = $"{ShardEnvironment.RunIdVariable}, else the only run in shards/" },
            OptionSpec.Flag("verbose", "Log engineering figures too."),
        ],
    };

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        var outputArgument = parsed.RequiredPositional(0, "the output folder the shards wrote into");
        if (parsed.Positionals.Count > 1)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[1]}'");
        }

        var output = outputArgument;
        if (NightFolder.IsPattern(outputArgument))
        {
            if (parsed.Value("date") is not { } date)
            {
                throw new UsageException($"{outputArgument}: {NightFolder.Placeholder} names the night's folder, so --date is required");
            }

            try
            {
                // The time zone of "yesterday" is the shards' (checked against their --date below); the default zone here.
                output = NightFolder.Resolve(outputArgument, NightSelection.ParseDate(date, DateTimeOffset.UtcNow, Naming.LocalTime.Zone(Naming.LocalTime.DefaultZoneId)));
            }
            catch (FormatException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

        return NightService.ReportAsync(new NightReport(parsed, output, outputArgument), cancellationToken);
    }
}
