using QualityScan.Models.IO;

namespace QualityScan.Pipeline;

/// <summary>Checks, before any work, that an output folder can be written, so a first night does not fail after hours of transcription.</summary>
public static class OutputFolder
{
    /// <summary>
    /// Creates <paramref name="folder"/> (and the given subfolders) when missing and writes and removes a probe file in
    /// each; returns null when all is well, else one line saying what is wrong.
    /// </summary>
    public static string? Prepare(string folder, params string[] subfolders)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var kind = FileKinds.Of(folder);
        if (kind is FileKind.Regular or FileKind.Special)
        {
            return $"--out {folder} is a file, not a folder; give a folder for the reports";
        }

        foreach (var path in subfolders.Select(s => Path.Combine(folder, s)).Prepend(folder))
        {
            var probe = Path.Combine(path, $".qualityscan-write-test.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                Directory.CreateDirectory(path);
                using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                    stream.WriteByte(0);
                    stream.Flush(flushToDisk: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return $"cannot write to the output folder {path}: {ex.Message}";
            }
        }

        return null;
    }
}
