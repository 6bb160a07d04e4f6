using System.Globalization;

namespace QualityScan.Pipeline;

/// <summary>What one retention pass deleted, per kind, and what it could not delete.</summary>
/// <param name="Days">The retention period.</param>
/// <param name="Cutoff">Nights before this day were deleted (files last written before its start, folders named before it).</param>
/// <param name="Deleted">Deletions per kind: <c>transcripts</c>, <c>clips</c>, <c>coachPages</c>, <c>nightFolders</c>.</param>
/// <param name="Problems">Paths that could not be deleted, with the reason.</param>
public sealed record RetentionResult(int Days, DateOnly Cutoff, IReadOnlyDictionary<string, int> Deleted, IReadOnlyList<string> Problems)
{
    /// <summary>Everything deleted.</summary>
    public int Total => Deleted.Values.Sum();
}

/// <summary>
/// Deletes a night's words once they are older than the retention period (<c>retention_days</c>, <c>--keep-days</c>), at the
/// start of a night: transcripts, coach clips, coach pages and review sheets in the output folder, and — when the output
/// folder is one of dated night folders (<c>/srv/qa/2026-11-29</c>, from <c>--out /srv/qa/{date}</c>) — whole sibling
/// night folders named <c>yyyy-MM-dd</c> before the cutoff. The history keeps the scores (it holds no words): a
/// <c>history.db</c> inside an old night folder is kept with its <c>-wal</c>/<c>-shm</c> files.
/// </summary>
/// <remarks>
/// Files are judged by their last write (a transcript reused tonight was read, not written, so a transcript of an old
/// call is deleted even when that call is scanned again: it is transcribed anew). A night folder is deleted only when it
/// is QualityScan's (it holds <c>run.json</c>, <c>calls.csv</c> or <c>transcripts/</c>); links are never followed.
/// </remarks>
public static class Retention
{
    /// <summary>The name form of a dated night folder.</summary>
    public const string NightFolderFormat = "yyyy-MM-dd";

    private static readonly string[] HistoryFiles = ["history.db", "history.db-wal", "history.db-shm", "history.db-journal"];

    /// <summary>Deletes what in <paramref name="outputFolder"/> (and its dated siblings) is older than <paramref name="days"/> days before <paramref name="today"/>.</summary>
    /// <param name="outputFolder">This night's output folder.</param>
    /// <param name="days">The retention period, at least 1.</param>
    /// <param name="today">The night being scanned (its local day), from which the period is counted.</param>
    public static RetentionResult Apply(string outputFolder, int days, DateOnly today)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var cutoff = today.AddDays(-days);
        var cutoffInstant = new DateTimeOffset(cutoff.ToDateTime(TimeOnly.MinValue), TimeZoneInfo.Local.GetUtcOffset(cutoff.ToDateTime(TimeOnly.MinValue)));
        var deleted = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["transcripts"] = 0, ["clips"] = 0, ["coachPages"] = 0, ["nightFolders"] = 0 };
        var problems = new List<string>();
        var output = Path.GetFullPath(outputFolder);

        void Purge(string kind, string folder, params string[] patterns)
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            foreach (var file in patterns.SelectMany(p => Directory.EnumerateFiles(folder, p)).Distinct(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                if (info.LinkTarget is null && info.LastWriteTimeUtc < cutoffInstant.UtcDateTime && Delete(() => info.Delete(), file, problems))
                {
                    deleted[kind]++;
                }
            }
        }

        Purge("transcripts", Path.Combine(output, "transcripts"), "*.json");
        Purge("clips", Path.Combine(output, "coach", "clips"), "*");
        Purge("coachPages", Path.Combine(output, "coach"), "*.html", "*-review.csv", "*-review.xlsx");

        if (IsNightFolder(Path.GetFileName(Path.TrimEndingDirectorySeparator(output)), out _) && Path.GetDirectoryName(output) is { } root && Directory.Exists(root))
        {
            foreach (var sibling in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var info = new DirectoryInfo(sibling);
                if (info.LinkTarget is not null || !IsNightFolder(info.Name, out var night) || night >= cutoff
                    || string.Equals(info.FullName, output, StringComparison.Ordinal) || !IsQualityScanOutput(info.FullName))
                {
                    continue;
                }

                if (DeleteNight(info, problems))
                {
                    deleted["nightFolders"]++;
                }
            }
        }

        return new RetentionResult(days, cutoff, deleted, problems);
    }

    /// <summary>True when <paramref name="name"/> is a night folder's name (<c>2026-11-29</c>).</summary>
    public static bool IsNightFolder(string name, out DateOnly night) =>
        DateOnly.TryParseExact(name, NightFolderFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out night);

    private static bool IsQualityScanOutput(string folder) =>
        File.Exists(Path.Combine(folder, "run.json")) || File.Exists(Path.Combine(folder, "calls.csv")) || Directory.Exists(Path.Combine(folder, "transcripts"));

    private static bool DeleteNight(DirectoryInfo night, List<string> problems)
    {
        var keeps = HistoryFiles.Any(h => File.Exists(Path.Combine(night.FullName, h)));
        if (!keeps)
        {
            return Delete(() => night.Delete(recursive: true), night.FullName, problems);
        }

        // The history keeps the scores: everything else of the night goes.
        var all = true;
        foreach (var entry in night.EnumerateFileSystemInfos())
        {
            if (HistoryFiles.Contains(entry.Name, StringComparer.Ordinal))
            {
                continue;
            }

            all &= Delete(
                () =>
                {
                    if (entry is DirectoryInfo folder)
                    {
                        folder.Delete(recursive: folder.LinkTarget is null);
                    }
                    else
                    {
                        entry.Delete();
                    }
                },
                entry.FullName,
                problems);
        }

        return all;
    }

    private static bool Delete(Action delete, string path, List<string> problems)
    {
        try
        {
            delete();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: {ex.Message}");
            return false;
        }
    }
}
