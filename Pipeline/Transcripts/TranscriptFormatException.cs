namespace QualityScan.Pipeline.Transcripts;

/// <summary>A transcript file that does not follow the transcript contract, naming the file and the field.</summary>
public sealed class TranscriptFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>, pointing at <paramref name="field"/> (a JSON path such as <c>utterances[2].end</c>).</summary>
    public TranscriptFormatException(string path, string field, string reason, Exception? inner = null)
        : base($"{path}: {(field.Length == 0 ? "" : field + ": ")}{reason}", inner)
    {
        Path = path;
        Field = field;
        Reason = reason;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The offending field as a JSON path; empty when the file as a whole is unreadable.</summary>
    public string Field { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
