using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Reports;

/// <summary>The reports people open, and what they need: the words in one language and where clips come from.</summary>
/// <param name="Text">The report language's words.</param>
/// <param name="Sources">Transcripts and recordings for the coach pack.</param>
public sealed record PeopleReports(ReportText Text, CoachSources Sources)
{
    /// <summary>
    /// How personal data is masked in every quote and transcript line these reports show (and in the CSV files written
    /// with them); null masks with the category names of <see cref="Text"/> and nothing named safe.
    /// </summary>
    public PersonalDataMasker? Masker { get; init; }

    /// <summary>False leaves the coach pack out (workbook only).</summary>
    public bool CoachPack { get; init; } = true;

    /// <summary>The night scanned (<c>--date</c>), named on the workbook's first sheet and the coach index; null: the calls' days.</summary>
    public DateOnly? Night { get; init; }

    /// <summary>The trend over past nights for the workbook's trend sheet and the coach pages; null: no history, no trend.</summary>
    public NightTrend? Trend { get; init; }

    /// <summary>The input folder, so that the workbook names files relative to it (no server paths); null: paths as given.</summary>
    public string? InputFolder { get; init; }

    /// <summary>A warning every reader must see first (the demo model), shown as one line on the coach index and the workbook's first sheet; null for none.</summary>
    public string? Banner { get; init; }

    /// <summary>Problems worth a log line met while writing (a recording a clip could not be cut from).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>
    /// Error rows the writing itself added to <c>errors.csv</c> and the workbook (a review sheet that cannot be read), so
    /// that the run counts them and its exit code and status say so.
    /// </summary>
    public List<ErrorRow> AddedErrors { get; } = [];
}

/// <summary>
/// Loads the messages files a run can report in (<c>messages.pl.yaml</c>, <c>cs</c>, <c>en</c>) at start-up, so a
/// broken file stops the run before any work, and picks the report language.
/// </summary>
public sealed class ReportLanguages
{
    /// <summary>The languages reports can be written in.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["pl", "cs", "en"];

    private readonly Dictionary<string, ReportText> _texts;
    private readonly string? _requested;

    private ReportLanguages(Dictionary<string, ReportText> texts, string? requested)
    {
        _texts = texts;
        _requested = requested;
    }

    /// <summary>
    /// Loads the messages of <paramref name="requested"/> (or of every supported language when null) from
    /// <paramref name="folder"/> when it holds them, else from the shipped <c>Rules/</c> folder.
    /// </summary>
    /// <exception cref="RulePackException">A messages file is missing or invalid (file, line and key named).</exception>
    public static ReportLanguages Load(string? requested, string? folder)
    {
        var languages = requested is null ? Supported : [requested];
        var texts = new Dictionary<string, ReportText>(StringComparer.Ordinal);
        foreach (var language in languages)
        {
            var directory = folder is not null && File.Exists(Path.Combine(folder, MessageCatalogLoader.FileName(language))) ? folder : null;
            texts[language] = new ReportText(MessageCatalogLoader.LoadForLanguage(language, MessageKeys.Schema, directory));
        }

        return new ReportLanguages(texts, requested);
    }

    /// <summary>
    /// The requested language, or else the language of the rule pack most calls were judged with (ties: the first in
    /// code order), or Polish when there were no calls.
    /// </summary>
    public ReportText For(IEnumerable<CallReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (_requested is not null)
        {
            return _texts[_requested];
        }

        var language = reports.GroupBy(r => r.Metadata.Language, StringComparer.Ordinal)
            .Where(g => _texts.ContainsKey(g.Key))
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault() ?? "pl";
        return _texts[language];
    }
}
