using System.Globalization;
using System.Runtime.InteropServices;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>
/// Reports kept per night: an <c>--out</c> with a <c>{date}</c> placeholder (e.g. <c>/srv/qa/{date}</c>) names one folder per
/// night scanned, and a <c>latest</c> symbolic link beside those folders points at the newest night that has reports.
/// </summary>
/// <remarks>
/// The link is replaced atomically (a new link under a temporary name, then a rename over <c>latest</c>), so a reader
/// following it never finds it missing. A past night scanned again does not move it back; an empty, failed or
/// interrupted night does not move it at all.
/// </remarks>
public static class NightFolder
{
    /// <summary>The placeholder replaced by the night (yyyy-MM-dd).</summary>
    public const string Placeholder = "{date}";

    /// <summary>The link's name, in the folder that holds the nights' folders.</summary>
    public const string LatestLink = "latest";

    /// <summary>Whether <paramref name="output"/> holds the placeholder.</summary>
    public static bool IsPattern(string output) => output.Contains(Placeholder, StringComparison.Ordinal);

    /// <summary>The night's folder: <paramref name="pattern"/> with <c>{date}</c> replaced.</summary>
    public static string Resolve(string pattern, DateOnly night) =>
        pattern.Replace(Placeholder, night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The folder that holds the nights' folders: the path above the first part that has <c>{date}</c>.</summary>
    public static string Root(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var full = Path.GetFullPath(pattern);
        var at = full.IndexOf(Placeholder, StringComparison.Ordinal);
        var slash = full.LastIndexOf(Path.DirectorySeparatorChar, at);
        return slash <= 0 ? Path.GetPathRoot(full)! : full[..slash];
    }

    /// <summary>The night's top folder under <see cref="Root"/> (the one the link points at).</summary>
    private static string NightTop(string pattern, DateOnly night)
    {
        var root = Root(pattern);
        var full = Path.GetFullPath(Resolve(pattern, night));
        var relative = Path.GetRelativePath(root, full);
        return relative.Split(Path.DirectorySeparatorChar)[0];
    }

    /// <summary>
    /// Points <c>latest</c> at <paramref name="night"/>'s folder unless it already points at a later night.
    /// </summary>
    /// <returns>What was done, for the log.</returns>
    /// <exception cref="IOException">The link could not be made.</exception>
    public static string UpdateLatest(string pattern, DateOnly night)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var root = Root(pattern);
        var link = Path.Combine(root, LatestLink);
        var top = NightTop(pattern, night);
        if (File.Exists(link) || Directory.Exists(link))
        {
            var info = new FileInfo(link);
            if (info.LinkTarget is null)
            {
                throw new IOException($"{link} exists and is not a symbolic link; it is left alone");
            }

            var current = RunRecord.Peek(Path.Combine(root, info.LinkTarget, Path.GetRelativePath(Path.Combine(root, top), Path.GetFullPath(Resolve(pattern, night)))));
            if (current.Night is { } shown && shown > night && current.Status is "complete" or "partial")
            {
                return $"{link} kept on the later night {shown:yyyy-MM-dd}";
            }
        }

        var temp = Path.Combine(root, $".{LatestLink}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.CreateSymbolicLink(temp, top);
        // rename(2) replaces the old link in one step; File.Move follows a link to a folder and refuses it.
        if (OperatingSystem.IsWindows())
        {
            File.Delete(link);
            File.Move(temp, link);
        }
        else if (Rename(temp, link) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            File.Delete(temp);
            throw new IOException($"could not point {link} at {top}: {error}");
        }

        return $"{link} -> {top}";
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
}
