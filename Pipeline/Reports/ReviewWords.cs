using System.Globalization;
using System.Text;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// The words a coach may type in a review sheet, in any report language: the verdict (<c>zgadzam się</c> /
/// <c>nie zgadzam się</c>, <c>souhlasím</c> / <c>nesouhlasím</c>, <c>agree</c> / <c>disagree</c>) and outcomes
/// (<c>zaliczone</c> / <c>niezaliczone</c> / <c>nie dotyczy</c>, <c>splněno</c> ..., <c>pass</c> / <c>fail</c> / <c>n/a</c>),
/// and the column headers of every language.
/// </summary>
/// <remarks>
/// The words come from the shipped messages files (<c>report.review_agree</c>, <c>report.outcome_pass</c>, ...,
/// <c>report.col_verdict</c>, ...), so a sheet written in one language is read in any other. Matching folds case,
/// diacritics, spaces and a trailing full stop: "Zgadzam sie", " NIE ZGADZAM SIĘ." are read too.
/// </remarks>
public static class ReviewWords
{
    private static readonly Lazy<IReadOnlyList<ReportText>> LazyTexts = new(() =>
        ReportLanguages.Supported.Select(l => new ReportText(MessageCatalogLoader.LoadForLanguage(l, MessageKeys.Schema))).ToList());

    private static readonly Lazy<Dictionary<string, bool>> LazyVerdicts = new(() =>
    {
        var words = new Dictionary<string, bool>(StringComparer.Ordinal) { [Fold("agree")] = true, [Fold("disagree")] = false };
        foreach (var text in LazyTexts.Value)
        {
            words[Fold(text.T("review_agree"))] = true;
            words[Fold(text.T("review_disagree"))] = false;
        }

        return words;
    });

    private static readonly Lazy<Dictionary<string, Outcome>> LazyOutcomes = new(() =>
    {
        var words = new Dictionary<string, Outcome>(StringComparer.Ordinal)
        {
            [Fold("pass")] = Outcome.Pass, [Fold("fail")] = Outcome.Fail, [Fold("n/a")] = Outcome.NotApplicable, [Fold("na")] = Outcome.NotApplicable,
        };
        foreach (var text in LazyTexts.Value)
        {
            foreach (var outcome in new[] { Outcome.Pass, Outcome.Fail, Outcome.NotApplicable })
            {
                words[Fold(text.OutcomeWord(outcome))] = outcome;
            }
        }

        return words;
    });

    /// <summary>The words of <paramref name="text"/>'s language a coach picks from: agree, disagree.</summary>
    public static IReadOnlyList<string> VerdictChoices(ReportText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [text.T("review_agree"), text.T("review_disagree")];
    }

    /// <summary>The outcome words of <paramref name="text"/>'s language a coach picks from: pass, fail, n/a.</summary>
    public static IReadOnlyList<string> OutcomeChoices(ReportText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [text.OutcomeWord(Outcome.Pass), text.OutcomeWord(Outcome.Fail), text.OutcomeWord(Outcome.NotApplicable)];
    }

    /// <summary>The verdict word for <paramref name="agrees"/> in <paramref name="text"/>'s language (what a coach picks from the list).</summary>
    public static string Verdict(ReportText text, bool agrees)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.T(agrees ? "review_agree" : "review_disagree");
    }

    /// <summary>True (agrees), false (disagrees) or null (empty, or a word no language knows: see <see cref="IsKnownVerdict"/>).</summary>
    public static bool? ParseVerdict(string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? null : LazyVerdicts.Value.TryGetValue(Fold(typed), out var agrees) ? agrees : null;

    /// <summary>True when <paramref name="typed"/> is empty or a verdict word of some language.</summary>
    public static bool IsKnownVerdict(string? typed) => string.IsNullOrWhiteSpace(typed) || LazyVerdicts.Value.ContainsKey(Fold(typed));

    /// <summary>The outcome an outcome word of any language means, or null (empty or unknown: see <see cref="IsKnownOutcome"/>).</summary>
    public static Outcome? ParseOutcome(string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? null : LazyOutcomes.Value.TryGetValue(Fold(typed), out var outcome) ? outcome : null;

    /// <summary>True when <paramref name="typed"/> is empty or an outcome word of some language.</summary>
    public static bool IsKnownOutcome(string? typed) => string.IsNullOrWhiteSpace(typed) || LazyOutcomes.Value.ContainsKey(Fold(typed));

    /// <summary>Every header a column is known by: its id and its header in each report language.</summary>
    internal static IEnumerable<string> HeadersOf(ReviewColumn column) =>
        new[] { column.Id }.Concat(column.Aliases).Concat(LazyTexts.Value.Select(t => t.T(column.HeaderKey)));

    /// <summary>Lower case, no diacritics, single spaces, no trailing full stop: the form words are compared in.</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Trim().TrimEnd('.').Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c) || c == '_')
            {
                space = folded.Length > 0;
                continue;
            }

            if (space)
            {
                folded.Append(' ');
                space = false;
            }

            folded.Append(c == 'ł' ? 'l' : c);
        }

        return folded.ToString();
    }
}
