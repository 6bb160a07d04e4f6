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

    /// <summary>The texts of the given utterances, as transcribed, joined with " / " for evidence.</summary>
    public static string QuoteAll(IEnumerable<Utterance> utterances) =>
        string.Join(" / ", utterances.Select(u => u.Text.Trim()));

    /// <summary>Items joined as "a, b, c".</summary>
    public static string List(IReadOnlyList<string> items) => string.Join(", ", items);

    /// <summary>A finding worded by <paramref name="messages"/> from <paramref name="reason"/>, keeping the reason for reports in other languages.</summary>
    public static Finding Make(this MessageCatalog messages, string checkId, Outcome outcome, Speaker speaker, double start, double end, string evidence, MessageRef reason) =>
        new(checkId, outcome, speaker, start, end, evidence, messages.Format(reason)) { Reason = reason };

    /// <summary>A finding whose evidence is itself a message (who spoke over whom), worded by <paramref name="messages"/>.</summary>
    public static Finding Make(this MessageCatalog messages, string checkId, Outcome outcome, Speaker speaker, double start, double end, MessageRef evidence, MessageRef reason) =>
        messages.Make(checkId, outcome, speaker, start, end, messages.Format(evidence), reason) with { EvidenceText = evidence };

    /// <summary>A check result whose summary is <paramref name="parts"/> worded by <paramref name="messages"/> and joined with "; ".</summary>
    public static CheckResult Result(this MessageCatalog messages, string checkId, Outcome outcome, IReadOnlyList<Finding> findings, params MessageRef[] parts) =>
        new(checkId, outcome, findings, string.Join("; ", parts.Select(messages.Format))) { SummaryParts = parts };

    /// <summary>A message of the <c>findings</c> section.</summary>
    public static MessageRef Say(string key, params (string Name, string Value)[] args) => MessageRef.Of(MessageKeys.Findings + "." + key, args);
}
