using System.Globalization;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Batch;

/// <summary>Picks one day's calls out of a folder that holds many days (<c>scan --date yesterday</c>).</summary>
/// <remarks>
/// A call belongs to the day of its start time in the configured zone (from the manifest's <c>started_at</c> or
/// the file-name pattern); a call without a start time belongs to the date its file-name pattern or its path gives
/// (a folder named <c>2026-11-29</c>, <c>20261129</c> or <c>2026/11/29</c>). A call with no date at all belongs to
/// no night: it is counted in <see cref="NightSelectionResult.Undated"/> and left out.
/// </remarks>
public static class NightSelection
{
    /// <summary>The forms a day may be written in on the command line: ISO, and the Polish and Czech form the manifest accepts.</summary>
    public static IReadOnlyList<string> DayFormats { get; } = ["yyyy-MM-dd", "dd.MM.yyyy", "d.M.yyyy"];

    /// <summary>Parses <c>--date</c>: <c>yesterday</c>, <c>today</c>, <c>yyyy-MM-dd</c> or <c>dd.MM.yyyy</c>, relative to <paramref name="now"/> in <paramref name="zone"/>.</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static DateOnly ParseDate(string text, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        var today = LocalTime.DayOf(now, zone);
        return text.Trim().ToLowerInvariant() switch
        {
            "yesterday" => today.AddDays(-1),
            "today" => today,
            var t when TryParseDay(t, out var d) => d,
            _ => throw new FormatException($"--date takes yesterday, today or a date like 2026-11-29 or 29.11.2026 (got '{text}')"),
        };
    }

    /// <summary>Reads a day written <c>2026-11-29</c> or <c>29.11.2026</c> (as Polish and Czech Excel and the manifest write it).</summary>
    public static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), [.. DayFormats], CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    /// <summary>The day a job belongs to, or null when nothing tells.</summary>
    public static DateOnly? DayOf(CallJob job, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(zone);
        if (job.StartedAt is { } started)
        {
            return LocalTime.DayOf(started, zone);
        }

        return job.Day ?? DayInPath(job.RelativePath);
    }

    /// <summary>The jobs of <paramref name="night"/>; errors are kept unless their path names another day.</summary>
    public static NightSelectionResult Select(DiscoveryResult all, DateOnly night, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(all);
        var jobs = new List<CallJob>();
        var undated = 0;
        foreach (var job in all.Jobs)
        {
            var day = DayOf(job, zone);
            undated += day is null ? 1 : 0;
            if (day == night)
            {
                jobs.Add(job);
            }
        }

        var errors = all.Errors.Where(e => DayInPath(e.File) is not { } d || d == night).ToList();
        var warnings = all.Warnings.Where(w => DayInPath(w.Split(':')[0]) is not { } d || d == night).ToList();
        return new NightSelectionResult(new DiscoveryResult(jobs, errors, warnings), undated, all.Jobs.Count);
    }

    /// <summary>A date written in a path's folders: <c>2026-11-29</c>, <c>20261129</c> or <c>2026/11/29</c>.</summary>
    public static DateOnly? DayInPath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var folders = relativePath.Replace('\\', '/').Split('/')[..^1];
        foreach (var folder in folders)
        {
            if (DateOnly.TryParseExact(folder, ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
        }

        for (var i = 0; i + 2 < folders.Length; i++)
        {
            if (DateOnly.TryParseExact($"{folders[i]}-{folders[i + 1]}-{folders[i + 2]}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
        }

        return null;
    }
}

/// <summary>One night's share of a folder.</summary>
/// <param name="Night">The calls of the night, with the errors that concern it.</param>
/// <param name="Undated">Recordings left out because nothing gives their date.</param>
/// <param name="Total">Recordings in the whole folder.</param>
public sealed record NightSelectionResult(DiscoveryResult Night, int Undated, int Total);
