using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.Reports;
using Serilog;

namespace QualityScan.Pipeline.Privacy;

/// <summary>
/// What a night does for privacy before any work, in the order it must happen: the output modes set before the first
/// file is created, folders with wider rights and the group reported once, and retention applied.
/// </summary>
public static class NightPrivacy
{
    /// <summary><c>--keep-days</c>: the option that overrides <c>retention_days</c>.</summary>
    public static Cli.OptionSpec KeepDaysOption { get; } = new("keep-days", "Delete transcripts, clips, coach pages and dated night folders older than N days at the start of the night (the history keeps the scores).")
    {
        ValueName = "N",
        Default = "retention_days in qualityscan.yaml, else keep everything",
    };

    /// <summary>Sets the modes of everything the process creates from now on (see <see cref="OutputPermissions.Apply"/>).</summary>
    public static void BeforeOutput(QualityScanConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Permissions.Apply();
    }

    /// <summary>
    /// Once the log is open: says once what <see cref="OutputPermissions.Secure"/> found, then deletes what is older than
    /// <paramref name="keepDays"/> (when given) and logs each kind deleted; the counts go into <paramref name="record"/>.
    /// </summary>
    /// <param name="config">The night's configuration (modes, group).</param>
    /// <param name="output">The output folder.</param>
    /// <param name="keepDays">The retention period, or null to keep everything.</param>
    /// <param name="today">The night scanned.</param>
    /// <param name="record">The run record whose <see cref="RunRecord.Deleted"/> is set.</param>
    /// <param name="log">The operator's log.</param>
    public static void AtStart(QualityScanConfig config, string output, int? keepDays, DateOnly today, RunRecord record, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(log);
        if (config.Permissions.Secure(output) is { } note)
        {
            log.Warning("Output permissions: {Note}", note);
        }

        if (keepDays is not { } days)
        {
            return;
        }

        var result = Retention.Apply(output, days, today);
        record.Deleted = result.Deleted;
        log.Information("Retention {Days} day(s): deleted what is older than {Cutoff:yyyy-MM-dd}: {Transcripts} transcript(s), {Clips} clip(s), {CoachPages} coach page(s) and review sheet(s), {NightFolders} night folder(s)",
            days, result.Cutoff, result.Deleted["transcripts"], result.Deleted["clips"], result.Deleted["coachPages"], result.Deleted["nightFolders"]);
        foreach (var problem in result.Problems)
        {
            log.Warning("Retention: could not delete {Problem}", problem);
        }
    }
}
