namespace QualityScan.Pipeline.Audio;

/// <summary>A recording that cannot be decoded, with the file and the reason.</summary>
public sealed class UnsupportedAudioException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/> with a human-readable <paramref name="reason"/>.</summary>
    public UnsupportedAudioException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file that could not be decoded.</summary>
    public string Path { get; }

    /// <summary>Why it could not be decoded.</summary>
    public string Reason { get; }
}
