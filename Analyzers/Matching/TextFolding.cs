using System.Globalization;
using System.Text;

namespace QualityScan.Analyzers.Matching;

/// <summary>
/// Lower-cases text and folds diacritics to plain Latin letters, so that "Dziękuję", "dziekuje" and an
/// ASR's "DZIĘKUJĘ" compare equal, and Czech "děkuji" becomes "dekuji".
/// </summary>
/// <remarks>
/// Polish (ą ć ę ł ń ó ś ź ż) and Czech (á č ď é ě í ň ó ř š ť ú ů ý ž) letters are mapped explicitly;
/// other accented Latin letters fall back to their Unicode base letter. Combining marks are dropped.
/// </remarks>
public static class TextFolding
{
    private const int TableSize = 0x0250;

    private static readonly char[] Table = BuildTable();

    /// <summary>Folds one character: lower case, diacritics removed.</summary>
    public static char Fold(char c)
    {
        if (c < TableSize)
        {
            return Table[c];
        }

        return char.ToLowerInvariant(c);
    }

    /// <summary>Folds a whole string character by character (no tokenising; punctuation is kept).</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (IsCombiningMark(c))
            {
                continue;
            }

            builder.Append(Fold(c));
        }

        return builder.ToString();
    }

    /// <summary>True for combining diacritics (text written in decomposed form), which belong to the letter before them.</summary>
    public static bool IsCombiningMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static char[] BuildTable()
    {
        var table = new char[TableSize];
        for (var i = 0; i < TableSize; i++)
        {
            var lower = char.ToLowerInvariant((char)i);
            table[i] = lower < 0x80 ? lower : BaseLetter(lower);
        }

        const string Explicit =
            "ąa ćc ęe łl ńn óo śs źz żz " +
            "áa čc ďd ée ěe íi ňn řr šs ťt úu ůu ýy žz " +
            "äa öo üu ľl ĺl ŕr ôo";
        foreach (var pair in Explicit.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            table[pair[0]] = pair[1];
            table[char.ToUpperInvariant(pair[0])] = pair[1];
        }

        return table;
    }

    private static char BaseLetter(char c)
    {
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 0 && decomposed[0] < 0x80 && char.IsLetter(decomposed[0]) ? decomposed[0] : c;
    }
}
