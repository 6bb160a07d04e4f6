using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Cli;

/// <summary>The report options <c>scan</c> and <c>analyze</c> share: <c>--report-language pl|cs|en</c> and <c>--no-clips</c>.</summary>
public static class ReportOptions
{
    /// <summary><c>--report-language</c>: the language of report.xlsx, the coach pack and the summary.</summary>
    public static OptionSpec LanguageOption { get; } = new("report-language", "Language of report.xlsx, the coach pack and the summary line.")
    {
        ValueName = "pl|cs|en",
        Default = "the language most calls were judged in",
    };

    /// <summary><c>--no-clips</c>: coach pages without audio clips.</summary>
    public static OptionSpec NoClipsOption { get; } = OptionSpec.Flag("no-clips", "Leave the audio clips out of the coach pack (coach/clips/).");

    /// <summary>Loads the messages for <c>--report-language</c> (every language when not given), from the <c>--rules</c> folder when it holds them.</summary>
    /// <exception cref="RulePackException">A messages file is invalid.</exception>
    public static ReportLanguages LoadLanguages(CommandArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var requested = parsed.Value("report-language") is null ? null : parsed.Choice("report-language", "pl", [.. ReportLanguages.Supported]);
        var rules = parsed.Value("rules");
        var folder = rules is null ? null : Directory.Exists(rules) ? rules : Path.GetDirectoryName(Path.GetFullPath(rules));
        return ReportLanguages.Load(requested, folder);
    }

    /// <summary>
    /// Where the coach pack of a scan finds a call's words (the transcript the scan stored in <c>transcripts/</c>) and
    /// its recording: the file discovery resolved for that call id (<paramref name="recordingOf"/>, its real path even
    /// when the shown path has a masked phone number), and only inside the input folder; none with <c>--no-clips</c>.
    /// </summary>
    public static CoachSources ScanSources(string inputFolder, Func<string, string> transcriptPathOf, Func<string, string?> recordingOf, bool clips)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(inputFolder)) + Path.DirectorySeparatorChar;
        return new CoachSources(
            call => TryRead(transcriptPathOf(call.Metadata.CallId)),
            call =>
            {
                if (!clips || recordingOf(call.Metadata.CallId) is not { } recording)
                {
                    return null;
                }

                var full = Path.GetFullPath(recording);
                return full.StartsWith(root, StringComparison.Ordinal) && File.Exists(full) ? full : null;
            });
    }

    private static CallTranscript? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? TranscriptJson.Read(path).Transcript : null;
        }
        catch (TranscriptFormatException)
        {
            return null;
        }
    }
}
