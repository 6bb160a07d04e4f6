namespace QualityScan.Speech.Transcription;

/// <summary>A model file exists but cannot be used: bad metadata, a missing input, a malformed token table.</summary>
public sealed class InvalidModelException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/> with a human-readable <paramref name="reason"/>.</summary>
    public InvalidModelException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
