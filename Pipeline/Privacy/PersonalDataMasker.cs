using System.Text;
using System.Text.RegularExpressions;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Privacy;

/// <summary>
/// Masks a customer's personal data in text people read: PESEL, Czech birth numbers, card numbers, IBAN and account
/// numbers, phone numbers and e-mail addresses, written as digits ("85031212345", "600 700 800", "123456/0100") or read
/// out as words ("osiemdziesiąt pięć zero trzy…", "čtyři pět šest…", "jan małpa firma kropka pl"), and any other run of
/// six or more digits. Each is replaced by its category in the report language (<c>[PESEL]</c>, <c>[karta]</c>), never
/// a part of its value.
/// </summary>
/// <remarks>
/// Kept as they are: amounts of money (a number followed by a currency: "1 250,50 zł", "dwadzieścia złotych", "300 Kč"),
/// percentages, dates ("12.03.2024", "2026-11-29"), times ("10:30"), numbers under six digits, and what the rule pack of
/// the text's language names safe (<see cref="PrivacyRules"/>: order numbers after "numer zamówienia", ids like
/// <c>ZAM-123456</c>). Immutable and safe to share between threads.
/// </remarks>
public sealed partial class PersonalDataMasker
{
    /// <summary>Runs shorter than this many digits are never masked as a bare number (prices, years, house numbers).</summary>
    public const int MinimumDigits = 6;

    private static readonly HashSet<string> AtWords = new(StringComparer.Ordinal) { "malpa", "malpe", "malpka", "zavinac" };

    private static readonly HashSet<string> DotWords = new(StringComparer.Ordinal)
    {
        "kropka", "kropke", "tecka", "tecku", "dot", "podkreslnik", "podkreslenie", "podtrzitko", "myslnik", "pomlcka", "minus",
    };

    private static readonly HashSet<string> CurrencyWords = new(StringComparer.Ordinal)
    {
        "zl", "zloty", "zlote", "zlotych", "zlotego", "pln", "gr", "grosz", "grosze", "groszy", "kc", "koruna", "koruny", "korun",
        "korunu", "czk", "halir", "haleru", "eur", "euro", "eura", "usd", "dolar", "dolary", "dolarow", "dolaru", "dolaru",
        "procent", "procenta", "procento", "procentu",
    };

    private readonly IReadOnlyDictionary<string, PrivacyRules> _rules;
    private readonly Func<PersonalDataKind, string> _label;

    /// <summary>A masker with the safe numbers of <paramref name="rulesByLanguage"/> and the category names of <paramref name="label"/>.</summary>
    public PersonalDataMasker(IReadOnlyDictionary<string, PrivacyRules> rulesByLanguage, Func<PersonalDataKind, string> label)
    {
        ArgumentNullException.ThrowIfNull(rulesByLanguage);
        ArgumentNullException.ThrowIfNull(label);
        _rules = rulesByLanguage;
        _label = label;
    }

    /// <summary>A masker with nothing named safe and the English category names (<c>[card]</c>).</summary>
    public static PersonalDataMasker English { get; } = new(new Dictionary<string, PrivacyRules>(), Label(MessageCatalogs.English));

    /// <summary>The masker of a run: the safe numbers of every rule pack in <paramref name="rules"/>, categories in <paramref name="text"/>'s language.</summary>
    public static PersonalDataMasker For(RuleBook rules, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(text);
        return new(rules.Languages.ToDictionary(l => l, l => rules.For(l).Pack.Privacy, StringComparer.Ordinal), Label(text.Catalog));
    }

    /// <summary>The category name of <paramref name="kind"/> as the masker writes it, e.g. <c>[PESEL]</c>.</summary>
    public string LabelOf(PersonalDataKind kind) => _label(kind);

    /// <summary>
    /// <paramref name="text"/> with every piece of personal data replaced by its category; <paramref name="language"/>
    /// ("pl", "cs") picks the rule pack whose safe numbers are kept.
    /// </summary>
    public string Mask(string text, string? language)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsAsciiDigit) && !text.Contains('@') && !HasSpokenData(text))
        {
            return text;
        }

        var rules = language is not null && _rules.TryGetValue(language.Split('-', '_')[0].ToLowerInvariant(), out var r) ? r : PrivacyRules.None;
        var found = new List<(int Start, int End, PersonalDataKind Kind)>();
        var kept = new List<(int Start, int End)>();
        foreach (Match m in WrittenEmail().Matches(text))
        {
            found.Add((m.Index, m.Index + m.Length, PersonalDataKind.Email));
        }

        foreach (var pattern in rules.SafePatterns.Append(DateOrTime()))
        {
            foreach (Match m in pattern.Matches(text))
            {
                kept.Add((m.Index, m.Index + m.Length));
            }
        }

        var tokens = Tokenize(text);
        bool Free(Token t) => !kept.Any(k => t.Start < k.End && k.Start < t.End) && !found.Any(f => t.Start < f.End && f.Start < t.End);
        FindSpokenEmails(tokens, found);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!IsNumberToken(tokens[i]) || !Free(tokens[i]))
            {
                continue;
            }

            var end = i;
            while (true)
            {
                var next = end + 1;
                if (next < tokens.Count && tokens[next].Type == TokenType.Symbol && tokens[next].Text is "-" or "." or "," or "/" && tokens[next].Start - tokens[end].End <= 1)
                {
                    next++;
                }

                if (next < tokens.Count && IsNumberToken(tokens[next]) && Free(tokens[next]) && tokens[next].Start - tokens[next - 1].End <= 2)
                {
                    end = next;
                    continue;
                }

                break;
            }

            if (Classify(text, tokens, i, end, rules) is { } hit)
            {
                found.Add(hit);
            }

            i = end;
        }

        if (found.Count == 0)
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, stop, kind) in found.OrderBy(f => f.Start))
        {
            if (start < at)
            {
                continue;
            }

            output.Append(text, at, start - at).Append(_label(kind));
            at = stop;
        }

        return output.Append(text, at, text.Length - at).ToString();
    }

    private static Func<PersonalDataKind, string> Label(MessageCatalog catalog)
    {
        var labels = Enum.GetValues<PersonalDataKind>().ToDictionary(k => k, k => catalog.Text("report." + KeyOf(k)));
        return kind => labels[kind];
    }

    /// <summary>The messages key of a category's name (<c>mask_pesel</c>).</summary>
    public static string KeyOf(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Pesel => "mask_pesel",
        PersonalDataKind.BirthNumber => "mask_birth_number",
        PersonalDataKind.Card => "mask_card",
        PersonalDataKind.Account => "mask_account",
        PersonalDataKind.Phone => "mask_phone",
        PersonalDataKind.Email => "mask_email",
        _ => "mask_number",
    };

    private static (int, int, PersonalDataKind)? Classify(string text, List<Token> tokens, int first, int last, PrivacyRules rules)
    {
        var segments = new List<List<string>> { new() };
        for (var i = first; i <= last; i++)
        {
            if (tokens[i].Type == TokenType.Symbol)
            {
                if (tokens[i].Text == "/")
                {
                    segments.Add([]);
                }

                continue;
            }

            segments[^1].Add(tokens[i].Type == TokenType.Digits ? tokens[i].Text : tokens[i].Folded);
        }

        var parts = new List<string>();
        foreach (var segment in segments)
        {
            var digits = new StringBuilder();
            if (!NumberWords.TryAppend(segment, digits))
            {
                return null;
            }

            parts.Add(digits.ToString());
        }

        var all = string.Concat(parts);
        var start = tokens[first].Start;
        var end = tokens[last].End;

        // An amount, a percentage, or a number the pack names safe stays.
        if (last + 1 < tokens.Count && (CurrencyWords.Contains(tokens[last + 1].Folded) || tokens[last + 1].Text is "€" or "$" or "%" or "Kč")
            || first > 0 && tokens[first - 1].Text is "€" or "$"
            || AfterSafePhrase(tokens, first, rules))
        {
            return null;
        }

        string? country = null;
        var prefixed = false;
        if (first > 0)
        {
            var before = tokens[first - 1];
            if (before.Folded is "pl" or "cz" && before.Text.All(char.IsUpper) && start - before.End <= 1)
            {
                country = before.Folded;
                start = before.Start;
            }
            else if ((before.Text == "+" && start - before.End == 0) || before.Folded == "plus")
            {
                prefixed = true;
                start = before.Start;
            }
        }

        var kind = Kind(all, parts, country, prefixed);
        return kind is null ? null : (start, end, kind.Value);
    }

    private static PersonalDataKind? Kind(string all, List<string> parts, string? country, bool prefixed)
    {
        var n = all.Length;
        if ((country == "pl" && n == 26) || (country == "cz" && n == 22))
        {
            return PersonalDataKind.Account;
        }

        if (parts.Count == 2)
        {
            var (number, bank) = (parts[0], parts[1]);
            if (number.Length == 6 && bank.Length is 3 or 4 && IdentityNumbers.IsBirthNumber(number + bank))
            {
                return PersonalDataKind.BirthNumber;
            }

            if (bank.Length == 4 && number.Length is >= 2 and <= 16)
            {
                return PersonalDataKind.Account;
            }
        }

        if (IdentityNumbers.IsPesel(all))
        {
            return PersonalDataKind.Pesel;
        }

        if (n == 10 && IdentityNumbers.IsBirthNumber(all))
        {
            return PersonalDataKind.BirthNumber;
        }

        if (n == 26)
        {
            return PersonalDataKind.Account;
        }

        var national = all.StartsWith("00", StringComparison.Ordinal) ? all[2..] : all;
        if ((prefixed || national.Length != n) && ((national.Length == 11 && national.StartsWith("48", StringComparison.Ordinal)) || (national.Length == 12 && national.StartsWith("420", StringComparison.Ordinal))))
        {
            return PersonalDataKind.Phone;
        }

        if (IdentityNumbers.IsCard(all))
        {
            return PersonalDataKind.Card;
        }

        if (n == 9 || (n == 11 && all.StartsWith("48", StringComparison.Ordinal)) || (n == 12 && all.StartsWith("420", StringComparison.Ordinal)))
        {
            return PersonalDataKind.Phone;
        }

        return n >= MinimumDigits ? PersonalDataKind.Number : null;
    }

    private static bool AfterSafePhrase(List<Token> tokens, int first, PrivacyRules rules)
    {
        if (rules.SafeAfter.Count == 0)
        {
            return false;
        }

        var words = new List<string>();
        for (var i = first - 1; i >= 0 && words.Count < 12; i--)
        {
            if (tokens[i].Type != TokenType.Symbol)
            {
                words.Insert(0, tokens[i].Folded);
            }
        }

        foreach (var phrase in rules.SafeAfter)
        {
            for (var skip = 0; skip <= 2; skip++)
            {
                var endAt = words.Count - skip;
                if (endAt - phrase.Count >= 0 && phrase.SequenceEqual(words.Skip(endAt - phrase.Count).Take(phrase.Count)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void FindSpokenEmails(List<Token> tokens, List<(int Start, int End, PersonalDataKind Kind)> found)
    {
        bool IsPart(int i) => i >= 0 && i < tokens.Count && tokens[i].Type != TokenType.Symbol && !AtWords.Contains(tokens[i].Folded) && !DotWords.Contains(tokens[i].Folded);
        bool IsJoin(int i) => i >= 0 && i < tokens.Count && (DotWords.Contains(tokens[i].Folded) || tokens[i].Text is "." or "_" or "-");
        for (var i = 1; i + 1 < tokens.Count; i++)
        {
            if (!AtWords.Contains(tokens[i].Folded) || !IsPart(i - 1) || !IsPart(i + 1))
            {
                continue;
            }

            var first = i - 1;
            while (IsJoin(first - 1) && IsPart(first - 2))
            {
                first -= 2;
            }

            var last = i + 1;
            var dots = 0;
            while (IsJoin(last + 1) && IsPart(last + 2))
            {
                last += 2;
                dots++;
            }

            if (dots > 0)
            {
                found.Add((tokens[first].Start, tokens[last].End, PersonalDataKind.Email));
            }
        }
    }

    private static bool IsNumberToken(Token token) =>
        token.Type == TokenType.Digits || (token.Type == TokenType.Word && NumberWords.IsNumberWord(token.Folded));

    private static bool HasSpokenData(string text)
    {
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var folded = TextFolding.Fold(word.Trim(',', '.', ';', ':', '!', '?', '-', '"'));
            if (NumberWords.IsNumberWord(folded) || AtWords.Contains(folded))
            {
                return true;
            }
        }

        return false;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            TokenType type;
            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                type = TokenType.Digits;
            }
            else if (char.IsLetter(c))
            {
                while (i < text.Length && (char.IsLetter(text[i]) || TextFolding.IsCombiningMark(text[i])))
                {
                    i++;
                }

                type = TokenType.Word;
            }
            else
            {
                i++;
                type = TokenType.Symbol;
            }

            var raw = text[start..i];
            tokens.Add(new Token(start, i, raw, type == TokenType.Word ? TextFolding.Fold(raw) : raw, type));
        }

        return tokens;
    }

    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+", RegexOptions.CultureInvariant, 200)]
    private static partial Regex WrittenEmail();

    /// <summary>Dates (12.03.2024, 2026-11-29) and clock times (10:30, 9:05:12): never personal data by themselves.</summary>
    [GeneratedRegex(@"(?<![\d./-])(\d{1,2}([./-])\d{1,2}\2(\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?)(?![./-]?\d)", RegexOptions.CultureInvariant, 200)]
    private static partial Regex DateOrTime();

    private enum TokenType
    {
        Word,
        Digits,
        Symbol,
    }

    private readonly record struct Token(int Start, int End, string Text, string Folded, TokenType Type);
}
