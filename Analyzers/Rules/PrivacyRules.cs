using System.Text.RegularExpressions;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// What the personal-data masker of the reports leaves alone in this language (the optional <c>privacy</c> section of a
/// rule pack): numbers that are the company's own, not the customer's.
/// </summary>
/// <param name="SafeAfter">
/// Folded phrases ("numer zamowienia") after which a number is kept: a number whose first word or digit comes within two
/// words of the phrase's end is an order or ticket number, not personal data.
/// </param>
/// <param name="SafePatterns">Patterns of written ids kept as they are (<c>ZAM-\d{6}</c>), matched case-insensitively in the text.</param>
public sealed record PrivacyRules(IReadOnlyList<IReadOnlyList<string>> SafeAfter, IReadOnlyList<Regex> SafePatterns)
{
    /// <summary>Nothing named safe: every number that looks like personal data is masked.</summary>
    public static PrivacyRules None { get; } = new([], []);
}
