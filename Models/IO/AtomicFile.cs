namespace QualityScan.Models.IO;

/// <summary>Writes files so that a reader never sees half of one (shared by the program and the speech library): a temporary file in the same folder, then a rename.</summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> and replaces <paramref name="path"/> in one step.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Deletes the temporary files (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c>) that a run killed mid-write left in
    /// <paramref name="folder"/>, except those of a process still running (another run writing there now).
    /// </summary>
    /// <returns>The names of the files deleted.</returns>
    public static IReadOnlyList<string> CleanStale(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var deleted = new List<string>();
        if (!Directory.Exists(folder))
        {
            return deleted;
        }

        foreach (var path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            var parts = Path.GetFileName(path).Split('.');
            if (parts.Length < 5 || !int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || parts[^2].Length != 32 || (pid != Environment.ProcessId && IsRunning(pid)))
            {
                continue;
            }

            try
            {
                File.Delete(path);
                deleted.Add(Path.GetFileName(path));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the next run; it is never read.
            }
        }

        return deleted;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
