namespace QualityScan.Speech.Transcription;

/// <summary>
/// A speech model folder, or a file the model needs, does not exist. The message names what is missing and
/// explains where real models come from.
/// </summary>
public sealed class ModelNotFoundException : Exception
{
    /// <summary>How to get a real model, appended to every message.</summary>
    public const string Guidance =
        "Export a Whisper model to the two-file ONNX layout (encoder + decoder with Whisper metadata, plus tokens.txt), " +
        "e.g. sherpa-onnx's Whisper exports (tiny … large-v3), and pass --model <folder>.";

    /// <summary>Creates the error for <paramref name="missingPath"/> inside <paramref name="folder"/>.</summary>
    /// <param name="folder">The model folder that was asked for.</param>
    /// <param name="missingPath">The file or folder that does not exist.</param>
    /// <param name="detail">What was expected there, without the guidance (which is appended).</param>
    public ModelNotFoundException(string folder, string missingPath, string detail)
        : base($"{detail} {Guidance}")
    {
        Folder = folder;
        MissingPath = missingPath;
    }

    /// <summary>The model folder that was asked for.</summary>
    public string Folder { get; }

    /// <summary>The file or folder that does not exist.</summary>
    public string MissingPath { get; }
}
