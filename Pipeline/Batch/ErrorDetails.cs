using System.Globalization;
using QualityScan.Analyzers;
using QualityScan.Models;
using QualityScan.Speech.Audio;

namespace QualityScan.Pipeline.Batch;

/// <summary>
/// The report-language sentence of a call's error row (<see cref="Night.ErrorRow.Detail"/>): what went wrong told from
/// the exception's kind, not from its English text, so the workbook's errors sheet reads in Polish or Czech while
/// <c>errors.csv</c> keeps the program's message. Every key has <c>{file}</c>, filled with the row's file when shown.
/// </summary>
public static class ErrorDetails
{
    /// <summary>The section of the messages files the keys live in.</summary>
    public const string Section = "report.";

    /// <summary>The sentence for <paramref name="exception"/> met at <paramref name="stage"/> (read, decode, transcribe, analyze), or null for none.</summary>
    public static MessageRef? Of(string stage, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            UnsupportedAudioException { Problem: AudioProblem.TooShort, Seconds: { } seconds } => MessageRef.Of(Section + "error_too_short",
                ("seconds", seconds.ToString("0.00", CultureInfo.InvariantCulture)), ("minimum", ScanRunner.MinimumCallSeconds.ToString("0", CultureInfo.InvariantCulture))),
            UnsupportedAudioException audio => MessageRef.Of(Section + audio.Problem switch
            {
                AudioProblem.NotFound => "error_not_found",
                AudioProblem.Unreadable => "error_unreadable",
                AudioProblem.EmptyFile => "error_empty_file",
                AudioProblem.NoAudio => "error_no_audio",
                AudioProblem.NeedsFfmpeg => "error_needs_ffmpeg",
                _ => "error_unsupported_format",
            }),
            UnsupportedLanguageException language => MessageRef.Of(Section + "error_no_rules", ("language", language.Language)),
            FileNotFoundException or DirectoryNotFoundException => MessageRef.Of(Section + "error_not_found"),
            IOException or UnauthorizedAccessException when stage == "read" => MessageRef.Of(Section + "error_unreadable"),
            _ => stage switch
            {
                "read" => MessageRef.Of(Section + "error_unreadable"),
                "decode" => MessageRef.Of(Section + "error_unsupported_format"),
                "transcribe" => MessageRef.Of(Section + "error_transcription"),
                _ => null,
            },
        };
    }
}
