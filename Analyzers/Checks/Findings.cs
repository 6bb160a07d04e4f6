using System.Globalization;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>Small helpers the checks share for wording and ordering findings.</summary>
internal static class Findings
{
    /// <summary>Seconds as "1.6" (invariant culture, one decimal).</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Findings in time order (start, then end).</summary>
    public static IReadOnlyList<Finding> InTimeOrder(IEnumerable<Finding> findings) =>
        findings.OrderBy(f => f.Start).ThenBy(f => f.End).ToArray();

    /// <summary>The texts of the given utterances, as transcribed, joined with " / " for evidence.</summary>
    public static string QuoteAll(IEnumerable<Utterance> utterances) =>
        string.Join(" / ", utterances.Select(u => u.Text.Trim()));

    /// <summary>Items joined as "a, b, c".</summary>
    public static string List(IReadOnlyList<string> items) => string.Join(", ", items);
}
