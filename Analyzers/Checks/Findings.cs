using System.Globalization;
using QualityScan.Analyzers.Rules;
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

    /// <summary>Longest quote of one utterance in evidence, in characters; a longer text is cut and ends with "…".</summary>
    public const int MaxQuotedChars = 500;

    /// <summary>Longest evidence of one finding, in characters (a few quoted turns); longer evidence is cut and ends with "…".</summary>
    /// <remarks>Keeps every finding, and so findings.csv and the coach pack, in proportion to the number of findings however long or crowded the call.</remarks>
    public const int MaxEvidenceChars = 3_000;

    /// <summary>The texts of the given utterances, as transcribed (each cut at <see cref="MaxQuotedChars"/>), joined with " / " for evidence.</summary>
    /// <param name="utterances">The utterances quoted.</param>
    /// <param name="total">How many utterances the quote stands for; when more than those quoted, "… (+N)" ends the quote.</param>
    public static string QuoteAll(IEnumerable<Utterance> utterances, int total = 0)
    {
        var quoted = utterances.Select(u => Cut(u.Text.Trim(), MaxQuotedChars)).ToList();
        if (total > quoted.Count)
        {
            quoted.Add(string.Create(CultureInfo.InvariantCulture, $"… (+{total - quoted.Count})"));
        }

        return string.Join(" / ", quoted);
    }

    /// <summary><paramref name="text"/> cut to at most <paramref name="max"/> characters, ending with "…" when cut (never inside a surrogate pair).</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var length = max - 1;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>Items joined as "a, b, c".</summary>
    public static string List(IReadOnlyList<string> items) => string.Join(", ", items);

    /// <summary>A finding worded by <paramref name="messages"/> from <paramref name="reason"/>, keeping the reason for reports in other languages.</summary>
    public static Finding Make(this MessageCatalog messages, string checkId, Outcome outcome, Speaker speaker, double start, double end, string evidence, MessageRef reason) =>
        new(checkId, outcome, speaker, start, end, Cut(evidence, MaxEvidenceChars), messages.Format(reason)) { Reason = reason };

    /// <summary>A finding whose evidence is itself a message (who spoke over whom), worded by <paramref name="messages"/>.</summary>
    public static Finding Make(this MessageCatalog messages, string checkId, Outcome outcome, Speaker speaker, double start, double end, MessageRef evidence, MessageRef reason) =>
        messages.Make(checkId, outcome, speaker, start, end, messages.Format(evidence), reason) with { EvidenceText = evidence };

    /// <summary>A check result whose summary is <paramref name="parts"/> worded by <paramref name="messages"/> and joined with "; ".</summary>
    public static CheckResult Result(this MessageCatalog messages, string checkId, Outcome outcome, IReadOnlyList<Finding> findings, params MessageRef[] parts) =>
        new(checkId, outcome, findings, string.Join("; ", parts.Select(messages.Format))) { SummaryParts = parts };

    /// <summary>A message of the <c>findings</c> section.</summary>
    public static MessageRef Say(string key, params (string Name, string Value)[] args) => MessageRef.Of(MessageKeys.Findings + "." + key, args);
}
