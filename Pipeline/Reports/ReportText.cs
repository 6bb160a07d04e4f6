using System.Globalization;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// The words of the reports people open (workbook, coach pack) in one language, from its messages file
/// (<c>Rules/messages.pl.yaml</c>): headers, check names, outcomes, speakers, finding reasons and summaries.
/// </summary>
/// <remarks>Immutable; the CSV files never use it (they stay English and invariant).</remarks>
public sealed partial class ReportText
{
    private const string Report = "report.";

    private readonly IReadOnlyDictionary<string, LocalText> _checkNames;

    /// <summary>Wraps a validated catalog (see <see cref="QualityScan.Analyzers.Rules.MessageKeys.Schema"/>).</summary>
    public ReportText(MessageCatalog catalog)
        : this(catalog, new Dictionary<string, LocalText>())
    {
    }

    private ReportText(MessageCatalog catalog, IReadOnlyDictionary<string, LocalText> checkNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        Culture = CultureFor(catalog.Language);
        _checkNames = checkNames;
    }

    /// <summary>
    /// These words plus the names the rule packs gave the checks they define, taken from <paramref name="reports"/>'
    /// results, so that a check written only in a rule pack is shown by its own name.
    /// </summary>
    public ReportText WithCheckNamesOf(IEnumerable<CallReport> reports) => new(Catalog, CheckIds.NamesOf(reports));

    /// <summary>The messages the words come from.</summary>
    public MessageCatalog Catalog { get; }

    /// <summary>Language code ("pl", "cs", "en").</summary>
    public string Language => Catalog.Language;

    /// <summary>The culture numbers and dates are shown in on the HTML pages (the workbook stores real values).</summary>
    public CultureInfo Culture { get; }

    /// <summary>A report word or header, e.g. <c>T("sheet_agents")</c>.</summary>
    public string T(string key) => Catalog.Text(Report + key);

    /// <summary>A report sentence with placeholders.</summary>
    public string T(string key, params (string Name, string Value)[] args) => Catalog.Format(Report + key, args);

    /// <summary>The name of a check ("Powitanie").</summary>
    /// <remarks>The messages file names the five checks of the mission; a check a rule pack defines is named by the pack.</remarks>
    public string CheckName(string checkId) =>
        Catalog.Has(Report + "check_" + checkId) ? T("check_" + checkId)
        : _checkNames.TryGetValue(checkId, out var name) ? name.For(Language)
        : checkId;

    /// <summary>"zaliczone", "niezaliczone", "nie dotyczy".</summary>
    public string OutcomeWord(Outcome outcome) => outcome switch
    {
        Outcome.Pass => T("outcome_pass"),
        Outcome.Fail => T("outcome_fail"),
        _ => T("outcome_na"),
    };

    /// <summary>"konsultant", "klient", "nieznany".</summary>
    public string SpeakerWord(Speaker speaker) => speaker switch
    {
        Speaker.Agent => T("speaker_agent"),
        Speaker.Customer => T("speaker_customer"),
        _ => T("speaker_unknown"),
    };

    /// <summary>Why a finding counts, in this language; the English message for findings made without a key.</summary>
    public string Reason(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.LocalMessage is { } local ? local.For(Language)
            : finding.Reason is { } reason && Catalog.Has(reason.Key) ? Catalog.Format(Localized(reason))
            : finding.Message;
    }

    /// <summary>The quoted words of a finding; an overlap's "who over whom" in this language.</summary>
    public string Evidence(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.EvidenceText is { } text && Catalog.Has(text.Key) ? Catalog.Format(text) : finding.Evidence;
    }

    /// <summary>A check result's summary line in this language; the English summary when it has no keys.</summary>
    public string Summary(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.LocalSummary is { } local)
        {
            return local.For(Language);
        }

        return result.SummaryParts.Count > 0 && result.SummaryParts.All(p => Catalog.Has(p.Key))
            ? string.Join("; ", result.SummaryParts.Select(p => Catalog.Format(Localized(p))))
            : result.Summary;
    }

    /// <summary>Seconds as a player shows them: <c>1:05.3</c>.</summary>
    public static string Clock(double seconds) => ReportRows.Clock(seconds);

    /// <summary>A number in this language's form ("66,7" in Polish).</summary>
    public string Number(double value, string format = "0.#") => value.ToString(format, Culture);

    /// <summary>A rate 0-1 as a percentage ("67%"), or "–" when there is none.</summary>
    public string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0", Culture) + "%" : "–";

    /// <summary>
    /// The message with its plain-number values ("1.6") in this language's form ("1,6"), and the checks' lists of quoted
    /// words ("Musi Pan", "Nie wiem") in the language's quotation marks („Musi Pan”); the words themselves are left alone.
    /// </summary>
    private MessageRef Localized(MessageRef message) =>
        message with
        {
            Args = message.Args.ToDictionary(
                a => a.Key,
                a => double.TryParse(a.Value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    ? number.ToString("0.##", Culture)
                    : a.Key == "quotes" ? StraightQuotes().Replace(a.Value, Language == "en" ? "“$1”" : "„$1”")
                    : a.Value,
                StringComparer.Ordinal),
        };

    [System.Text.RegularExpressions.GeneratedRegex("\"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex StraightQuotes();

    private static CultureInfo CultureFor(string language)
    {
        try
        {
            return language switch
            {
                "pl" => CultureInfo.GetCultureInfo("pl-PL"),
                "cs" => CultureInfo.GetCultureInfo("cs-CZ"),
                _ => CultureInfo.GetCultureInfo("en-GB"),
            };
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }
}
