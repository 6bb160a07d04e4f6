using QualityScan.Models;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.History;

/// <summary>One scan as the history keeps it.</summary>
/// <param name="RunId">Unique id of the run.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Night">The day scanned with <c>--date</c>, or null for a whole folder.</param>
/// <param name="Input">The input folder.</param>
/// <param name="Host">The machine that ran it.</param>
/// <param name="Model">Identity of the speech model (folder name and file hashes).</param>
/// <param name="Rules">Identity of the rule packs (language and file hash per pack).</param>
/// <param name="Calls">Calls reported.</param>
/// <param name="Failed">Calls that could not be processed.</param>
/// <param name="Interrupted">True when the run was stopped before the end.</param>
public sealed record HistoryRun(
    string RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    DateOnly? Night,
    string Input,
    string Host,
    string Model,
    string Rules,
    int Calls,
    int Failed,
    bool Interrupted);

/// <summary>
/// What a run covered whole, so that re-running it replaces its rows rather than adding to them: one night
/// (<c>--date</c>) of one input folder. A sharded night is covered by its <c>report</c> step, which holds every shard's
/// calls; a single shard covers no night and records nothing. A scan of a whole folder without <c>--date</c>, or an
/// interrupted one, covers no night either: it only replaces the rows of the calls it has.
/// </summary>
/// <param name="Night">The night.</param>
/// <param name="Input">The input folder as the runs record it (full path).</param>
/// <param name="StillThere">The night's calls that are still in the input: reported tonight, or failed tonight (their
/// earlier rows are kept until they can be processed again).</param>
public sealed record HistoryScope(DateOnly Night, string Input, IReadOnlySet<string> StillThere);

/// <summary>One analysis of one call, with what the reports show.</summary>
/// <remarks>The key is (<see cref="CallId"/>, <see cref="Day"/>): analysing the same call of the same day again replaces the row.</remarks>
public sealed record HistoryCall
{
    public required string CallId { get; init; }

    /// <summary>The call's day: its start in the run's time zone, else the night scanned, else the run's day.</summary>
    public required DateOnly Day { get; init; }

    public required string AgentId { get; init; }

    public string? AgentName { get; init; }

    public required string Language { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>The score, null when the call could not be judged.</summary>
    public double? Score { get; init; }

    public string? NotJudgedReason { get; init; }

    /// <summary>Outcome per check id: "pass", "fail" or "n/a".</summary>
    public required IReadOnlyDictionary<string, string> Outcomes { get; init; }

    /// <summary>The checks' counters (interruptions, polite phrases, elements not checked, ...).</summary>
    public required IReadOnlyDictionary<string, double> Counts { get; init; }

    public string? SourceFile { get; init; }

    public required string Model { get; init; }

    public required string Rules { get; init; }

    public required string RunId { get; init; }

    /// <summary>The history row of a call report analysed in run <paramref name="run"/>.</summary>
    public static HistoryCall From(CallReport report, HistoryRun run, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        var m = report.Metadata;
        var day = m.StartedAt is { } s ? LocalTime.DayOf(s, zone) : run.Night ?? LocalTime.DayOf(run.StartedAt, zone);
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in report.Results.SelectMany(r => r.Counts))
        {
            counts[name] = counts.GetValueOrDefault(name) + value;
        }

        return new HistoryCall
        {
            CallId = m.CallId,
            Day = day,
            AgentId = m.AgentId,
            AgentName = m.AgentName,
            Language = m.Language,
            StartedAt = m.StartedAt,
            DurationSeconds = m.DurationSeconds,
            Score = report.IsJudged ? report.Score : null,
            NotJudgedReason = report.NotJudgedReason,
            Outcomes = CheckIds.Ordered(report.Results.Select(r => r.CheckId))
                .ToDictionary(c => c, c => (report.ResultOf(c)?.Outcome ?? Outcome.NotApplicable).ToReportText(), StringComparer.Ordinal),
            Counts = counts,
            SourceFile = m.SourceFile,
            Model = run.Model,
            Rules = run.Rules,
            RunId = run.RunId,
        };
    }
}

/// <summary>Which calls to read back.</summary>
/// <param name="AgentId">One agent, or null for all.</param>
/// <param name="From">First day included, or null.</param>
/// <param name="To">Last day included, or null.</param>
public sealed record HistoryQuery(string? AgentId = null, DateOnly? From = null, DateOnly? To = null);
