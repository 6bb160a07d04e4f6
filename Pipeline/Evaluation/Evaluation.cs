using System.Globalization;
using CsvHelper;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Evaluation;

/// <summary>How one check did against the expected outcomes. "Positive" means the check failed the call (what QA looks for).</summary>
/// <param name="CheckId">The check.</param>
/// <param name="Compared">Calls with an expected outcome for this check.</param>
/// <param name="Agreed">Calls where the reported outcome equals the expected one.</param>
/// <param name="TruePositives">Expected fail, reported fail.</param>
/// <param name="FalsePositives">Expected pass, reported fail.</param>
/// <param name="FalseNegatives">Expected fail, reported anything else.</param>
public sealed record CheckScore(string CheckId, int Compared, int Agreed, int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>Share of reported fails that were expected; null when nothing was reported as failed.</summary>
    public double? Precision => TruePositives + FalsePositives == 0 ? null : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Share of expected fails that were reported; null when none were expected.</summary>
    public double? Recall => TruePositives + FalseNegatives == 0 ? null : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Share of calls where reported and expected outcomes agree.</summary>
    public double Agreement => Compared == 0 ? 0 : (double)Agreed / Compared;
}

/// <summary>A call and check where the report and the expectation differ, with the evidence behind the report.</summary>
public sealed record Disagreement(string CallId, string CheckId, string Expected, string Reported, string Evidence);

/// <summary>The result of comparing a scan's <c>calls.csv</c> with an <c>expected.csv</c>.</summary>
public sealed record EvaluationResult(IReadOnlyList<CheckScore> Checks, IReadOnlyList<Disagreement> Disagreements, IReadOnlyList<string> MissingCalls);

/// <summary>Compares reported outcomes with expected ones: the project's own accuracy figure.</summary>
/// <remarks>
/// <c>expected.csv</c> has a <c>call_id</c> column and one column per check holding <c>pass</c>, <c>fail</c> or
/// <c>n/a</c>; an empty cell means "no expectation". Every check of the scan's <c>calls.csv</c> (the rule pack's checks,
/// the ones it defines included) is reported, in its column order, then any check only <c>expected.csv</c> names. A call that is expected but missing from the scan (it failed to
/// process) counts as a disagreement on every check, so errors cannot raise the score.
/// </remarks>
public static class Evaluator
{
    /// <summary>Reads the two files and compares them.</summary>
    public static EvaluationResult Evaluate(string scanOutputFolder, string expectedCsv)
    {
        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(scanOutputFolder, ReportWriter.CallsFile));
        var findingsPath = Path.Combine(scanOutputFolder, ReportWriter.FindingsFile);
        var findings = File.Exists(findingsPath) ? ReportWriter.Read<FindingRow, FindingRowMap>(findingsPath) : [];
        return Compare(calls, findings, ReadExpected(expectedCsv));
    }

    /// <summary>Reads <c>expected.csv</c> as call id → check id → outcome.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, Outcome>> ReadExpected(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, ReportWriter.Configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null || !csv.HeaderRecord.Contains("call_id"))
        {
            throw new InvalidDataException($"{path}: expected a header row with call_id and one column per check (e.g. {string.Join(", ", CheckIds.All)})");
        }

        var header = csv.HeaderRecord;
        var result = new Dictionary<string, IReadOnlyDictionary<string, Outcome>>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var callId = csv.GetField("call_id")?.Trim();
            if (string.IsNullOrEmpty(callId))
            {
                continue;
            }

            var outcomes = new Dictionary<string, Outcome>(StringComparer.Ordinal);
            foreach (var check in header.Where(h => h != "call_id" && !string.IsNullOrWhiteSpace(h)))
            {
                var text = csv.GetField(check);
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                outcomes[check] = OutcomeText.Parse(text)
                    ?? throw new InvalidDataException($"{path}:{csv.Parser.RawRow}: {check} must be pass, fail or n/a (got '{text}')");
            }

            result[callId] = outcomes;
        }

        return result;
    }

    /// <summary>Compares rows already read.</summary>
    public static EvaluationResult Compare(
        IReadOnlyList<CallRow> calls,
        IReadOnlyList<FindingRow> findings,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, Outcome>> expected)
    {
        var byCall = calls.ToDictionary(c => c.CallId, StringComparer.Ordinal);
        var disagreements = new List<Disagreement>();
        var missing = expected.Keys.Where(id => !byCall.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        var scores = new List<CheckScore>();
        var checks = calls.SelectMany(c => c.Outcomes.Keys).Concat(CheckIds.All).Concat(expected.Values.SelectMany(e => e.Keys)).Distinct(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            int compared = 0, agreed = 0, tp = 0, fp = 0, fn = 0;
            foreach (var (callId, outcomes) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!outcomes.TryGetValue(check, out var want))
                {
                    continue;
                }

                compared++;
                Outcome? got = byCall.TryGetValue(callId, out var row) ? OutcomeText.Parse(Column(row, check)) : null;
                if (got == want)
                {
                    agreed++;
                }
                else
                {
                    var evidence = got is null
                        ? "call missing from calls.csv (see errors.csv)"
                        : string.Join(" | ", findings.Where(f => f.CallId == callId && f.Check == check)
                            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Outcome} {f.StartSeconds:0.0}-{f.EndSeconds:0.0}s \"{f.Evidence}\" ({f.Message})")));
                    disagreements.Add(new Disagreement(callId, check, want.ToReportText(), got?.ToReportText() ?? "missing", evidence));
                }

                if (want == Outcome.Fail && got == Outcome.Fail)
                {
                    tp++;
                }
                else if (want != Outcome.Fail && got == Outcome.Fail)
                {
                    fp++;
                }
                else if (want == Outcome.Fail)
                {
                    fn++;
                }
            }

            scores.Add(new CheckScore(check, compared, agreed, tp, fp, fn));
        }

        return new EvaluationResult(scores, disagreements, missing);
    }

    private static string? Column(CallRow row, string check) => row.Outcomes.TryGetValue(check, out var outcome) ? outcome : null;
}
