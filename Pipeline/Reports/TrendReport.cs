using QualityScan.Models.IO;
using System.Globalization;
using System.Text;
using CsvHelper;
using QualityScan.Models;
using QualityScan.Pipeline.History;

namespace QualityScan.Pipeline.Reports;

/// <summary>Writes trend rows as <c>trends.csv</c> and as a table for the terminal.</summary>
/// <remarks>
/// CSV columns: <c>period, period_start, scope</c> (<c>team</c> or <c>agent</c>), <c>agent_id, agent_name, calls,
/// judged_calls, mean_score</c>, then <c>&lt;check&gt;_pass_rate</c> per check (empty when the check never applied).
/// </remarks>
public static class TrendReport
{
    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteCsv(string path, IReadOnlyList<TrendRow> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rows);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            using var csv = new CsvWriter(writer, ReportWriter.Configuration);
            var checks = CheckIds.Ordered(rows.SelectMany(r => r.PassRates.Keys));
            foreach (var name in new[] { "period", "period_start", "scope", "agent_id", "agent_name", "calls", "judged_calls", "mean_score" }.Concat(checks.Select(c => c + "_pass_rate")))
            {
                csv.WriteField(name);
            }

            csv.NextRecord();
            foreach (var row in rows)
            {
                csv.WriteField(row.Period);
                csv.WriteField(row.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(row.IsTeam ? "team" : "agent");
                csv.WriteField(row.AgentId);
                csv.WriteField(row.AgentName ?? "");
                csv.WriteField(row.Calls);
                csv.WriteField(row.JudgedCalls);
                csv.WriteField(Number(row.MeanScore, "0.0"));
                foreach (var check in checks)
                {
                    csv.WriteField(Number(row.PassRates.GetValueOrDefault(check), "0.###"));
                }

                csv.NextRecord();
            }
        });
    }

    /// <summary>A fixed-width table: one line per row, the team's rows marked <c>(team)</c>.</summary>
    public static string Format(IReadOnlyList<TrendRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        var checks = CheckIds.Ordered(rows.SelectMany(r => r.PassRates.Keys));
        sb.Append(CultureInfo.InvariantCulture, $"{"period",-10}  {"agent",-20} {"calls",5} {"score",6}");
        foreach (var check in checks)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {check,12}");
        }

        sb.AppendLine();
        foreach (var row in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{row.Period,-10}  {(row.IsTeam ? "(team)" : row.AgentId),-20} {row.Calls,5} {Number(row.MeanScore, "0.0"),6}");
            foreach (var check in checks)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {Number(row.PassRates.GetValueOrDefault(check), "0.00"),12}");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
