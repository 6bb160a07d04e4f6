namespace QualityScan.Speech.Audio;

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

    /// <summary>The kind of problem, for a message in the report language. Default <see cref="AudioProblem.Unsupported"/>.</summary>
    public AudioProblem Problem { get; init; } = AudioProblem.Unsupported;

    /// <summary>The audio's length in seconds, for <see cref="AudioProblem.TooShort"/>.</summary>
    public double? Seconds { get; init; }
}

/// <summary>What kept a recording from being decoded, as the reports name it in their language.</summary>
public enum AudioProblem
{
    /// <summary>A format or codec the decoders do not read, or a damaged file.</summary>
    Unsupported,

    /// <summary>The file is not there.</summary>
    NotFound,

    /// <summary>The file cannot be read (permissions, disk).</summary>
    Unreadable,

    /// <summary>The file has no bytes.</summary>
    EmptyFile,

    /// <summary>The file holds no audio samples.</summary>
    NoAudio,

    /// <summary>ffmpeg is needed for the format and cannot be run.</summary>
    NeedsFfmpeg,

    /// <summary>Too little audio to judge a call.</summary>
    TooShort,
}
