using QualityScan.Models.IO;

namespace QualityScan.Speech.Audio;

/// <summary>Opening recordings with file-system failures reported as <see cref="UnsupportedAudioException"/>.</summary>
internal static class AudioFiles
{
    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    /// <exception cref="UnsupportedAudioException">The file is missing, is not a regular file (a FIFO would block the
    /// open until something writes into it, a device would never end), or cannot be read.</exception>
    public static FileStream OpenRead(string path)
    {
        switch (FileKinds.Of(path))
        {
            case FileKind.Missing:
                throw new UnsupportedAudioException(path, "file not found") { Problem = AudioProblem.NotFound };
            case FileKind.Directory:
                throw new UnsupportedAudioException(path, "is a folder, not a recording") { Problem = AudioProblem.Unreadable };
            case FileKind.Special:
                throw new UnsupportedAudioException(path, "is not a regular file (a pipe, socket or device), not a recording") { Problem = AudioProblem.Unreadable };
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UnsupportedAudioException(path, "file not found", ex) { Problem = AudioProblem.NotFound };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UnsupportedAudioException(path, $"cannot read file: {ex.Message}", ex) { Problem = AudioProblem.Unreadable };
        }
    }
}
