using System.Globalization;
using System.Text;
using QualityScan.Models;

namespace QualityScan.Pipeline.Cli;

/// <summary>The short table printed after a run: one line per call (or per agent for a large batch).</summary>
public static class SummaryTable
{
    /// <summary>Above this many calls, the table lists agents instead of calls.</summary>
    public const int MaxCallRows = 40;

    /// <summary>Formats the summary of <paramref name="reports"/>.</summary>
    /// <param name="reports">The calls reported.</param>
    /// <param name="errorCount">The calls that could not be processed.</param>
    /// <param name="unreadableSheets">Review sheets that could not be read (also error rows, so also not a complete night).</param>
    public static string Format(IReadOnlyList<CallReport> reports, int errorCount, int unreadableSheets = 0)
    {
        var sb = new StringBuilder();
        var checks = CheckIds.Of(reports);
        if (reports.Count <= MaxCallRows)
        {
            // Each check's column is as wide as its id (at least "fail"), so the table grows with the rule pack's checks.
            var widths = checks.Select(c => Math.Max(c.Length, 4)).ToArray();
            sb.Append(CultureInfo.InvariantCulture, $"{"call",-28} {"agent",-12} {"score",5} ");
            sb.AppendLine(string.Join(" ", checks.Select((c, i) => c.PadLeft(widths[i]))));
            foreach (var r in reports.OrderBy(r => r.Metadata.AgentId, StringComparer.Ordinal).ThenBy(r => r.Metadata.CallId, StringComparer.Ordinal))
            {
                string O(string check) => (r.ResultOf(check)?.Outcome ?? Outcome.NotApplicable).ToReportText();
                sb.Append(CultureInfo.InvariantCulture, $"{Cut(r.Metadata.CallId, 28),-28} {Cut(r.Metadata.AgentId, 12),-12} {(r.IsJudged ? r.Score.ToString("0", CultureInfo.InvariantCulture) : "-"),5} ");
                sb.AppendLine(string.Join(" ", checks.Select((c, i) => O(c).PadLeft(widths[i]))));
            }
        }
        else
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"agent",-16} {"calls",6} {"mean",6} {"min",6}  failed checks (calls)"));
            foreach (var g in reports.GroupBy(r => r.Metadata.AgentId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var fails = checks.Select(c => $"{c} {g.Count(r => r.ResultOf(c)?.Outcome == Outcome.Fail)}");
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Cut(g.Key, 16),-16} {g.Count(),6} {Mean(g),6} {Min(g),6}  {string.Join(", ", fails)}"));
            }
        }

        var failedCalls = reports.Count(r => r.Results.Any(x => x.Outcome == Outcome.Fail));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{reports.Count} call(s) analysed, {failedCalls} with at least one failed check, {errorCount} could not be processed{(unreadableSheets > 0 ? $", {unreadableSheets} review sheet(s) could not be read" : "")}"));
        var notJudged = reports.Count(r => !r.IsJudged);
        if (notJudged > 0)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{notJudged} call(s) not judged (no score): {string.Join(", ", reports.Where(r => !r.IsJudged).Select(r => r.NotJudgedReason).Distinct())}"));
        }
        return sb.ToString();
    }

    private static string Mean(IEnumerable<CallReport> calls)
    {
        var judged = calls.Where(r => r.IsJudged).ToList();
        return judged.Count == 0 ? "-" : judged.Average(r => r.Score).ToString("0.0", CultureInfo.InvariantCulture);
    }

    private static string Min(IEnumerable<CallReport> calls)
    {
        var judged = calls.Where(r => r.IsJudged).ToList();
        return judged.Count == 0 ? "-" : judged.Min(r => r.Score).ToString("0", CultureInfo.InvariantCulture);
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "~";
}
