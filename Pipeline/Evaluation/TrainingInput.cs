using System.Globalization;
using CsvHelper;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Evaluation;

/// <summary>
/// Reads what reviewers said into <see cref="ReviewedMoment"/>s: the coach review sheet
/// (<c>moment_id,call_id,check,start_s,end_s,evidence,verdict,correct_outcome,comment</c>) and the per-call
/// <c>expected.csv</c> that <c>evaluate</c> reads (then the call's transcript supplies the words).
/// </summary>
/// <remarks>
/// The form is told by the header. <c>verdict</c> is <c>agree</c> or <c>disagree</c>; <c>correct_outcome</c> is
/// <c>pass</c> or <c>fail</c> (empty after an agree means "as reported", which the sheet does not say, so such a row
/// teaches nothing unless a transcript is at hand). Transcripts (<c>transcripts/&lt;call_id&gt;.json</c> of the scan)
/// add the agent's next turn after a "nie wiem" and tell each call's language; without them every row is taken to be in
/// the pack's language.
/// </remarks>
public static class TrainingInput
{
    /// <summary>The review sheet's columns, in order.</summary>
    public static IReadOnlyList<string> ReviewColumns { get; } = ["moment_id", "call_id", "check", "start_s", "end_s", "evidence", "verdict", "correct_outcome", "comment"];

    /// <summary>Every transcript in <paramref name="folder"/> (recursively) by call id; unreadable ones are reported in <paramref name="problems"/>.</summary>
    public static IReadOnlyDictionary<string, CallTranscript> ReadTranscripts(string? folder, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var result = new Dictionary<string, CallTranscript>(StringComparer.Ordinal);
        if (folder is null || !Directory.Exists(folder))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                var transcript = TranscriptJson.Read(file).Transcript;
                result[transcript.Metadata.CallId] = transcript;
            }
            catch (TranscriptFormatException e)
            {
                problems.Add(e.Message);
            }
        }

        return result;
    }

    /// <summary>The transcripts folder that belongs to a review file: <c>transcripts/</c> beside it or one level up (a coach sheet lives in <c>&lt;out&gt;/coach/</c>).</summary>
    public static string? TranscriptsBeside(string reviewFile)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(reviewFile)) ?? ".";
        foreach (var candidate in new[] { Path.Combine(directory, "transcripts"), Path.Combine(directory, "..", "transcripts") })
        {
            if (Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads <paramref name="path"/> (a review sheet or an <c>expected.csv</c>) as moments of calls in <paramref name="pack"/>'s
    /// language; the rows of an <c>expected.csv</c> need the calls' transcripts.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has neither form, or a row is malformed (the message names file and line).</exception>
    public static IReadOnlyList<ReviewedMoment> Read(string path, RulePack pack, IReadOnlyDictionary<string, CallTranscript> transcripts, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(transcripts);
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, ReportWriter.Configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            throw new InvalidDataException($"{path}: empty file; expected a review sheet ({string.Join(",", ReviewColumns)}) or an expected.csv (call_id and check columns)");
        }

        if (header.Contains("verdict") && header.Contains("evidence") && header.Contains("check"))
        {
            return ReadSheet(path, csv, pack, transcripts, problems);
        }

        if (header.Contains("call_id") && CheckIds.All.Any(header.Contains))
        {
            var expected = Evaluator.ReadExpected(path);
            return FromExpected(path, expected, pack, transcripts, problems);
        }

        throw new InvalidDataException($"{path}: expected a review sheet ({string.Join(",", ReviewColumns)}) or an expected.csv (call_id and check columns); the header is {string.Join(",", header)}");
    }

    /// <summary>The decisive moments of calls whose expected outcomes are known, judged by the pack's phrases alone.</summary>
    public static IReadOnlyList<ReviewedMoment> FromExpected(string source, IReadOnlyDictionary<string, IReadOnlyDictionary<string, Outcome>> expected,
        RulePack pack, IReadOnlyDictionary<string, CallTranscript> transcripts, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var analyzer = new CallAnalyzer(pack with { Model = null });
        var moments = new List<ReviewedMoment>();
        var missing = 0;
        foreach (var (callId, outcomes) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!transcripts.TryGetValue(callId, out var call))
            {
                missing++;
                continue;
            }

            if (LanguageOf(call) != pack.Language)
            {
                continue;
            }

            var report = analyzer.Analyze(call);
            foreach (var (check, want) in outcomes)
            {
                if (want is not (Outcome.Pass or Outcome.Fail) || report.ResultOf(check) is not { } result || result.Outcome == Outcome.NotApplicable)
                {
                    continue;
                }

                foreach (var finding in result.Findings.Where(f => f.Outcome == result.Outcome && f.Evidence.Length > 0))
                {
                    moments.Add(new ReviewedMoment(callId, check, finding.Evidence, result.Outcome == want, want, $"{source}:{callId}")
                    {
                        NextTurn = check == CheckIds.DontKnow ? NextAgentTurn(call, finding.Start, pack) : null,
                    });
                }
            }
        }

        if (missing > 0)
        {
            problems.Add($"{source}: {missing} call(s) have no transcript, so their words are unknown (pass --transcripts <scan output>/transcripts)");
        }

        return moments;
    }

    private static IReadOnlyList<ReviewedMoment> ReadSheet(string path, CsvReader csv, RulePack pack, IReadOnlyDictionary<string, CallTranscript> transcripts, ICollection<string> problems)
    {
        var moments = new List<ReviewedMoment>();
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            var callId = csv.GetField("call_id")?.Trim() ?? "";
            var check = csv.GetField("check")?.Trim().ToLowerInvariant() ?? "";
            if (callId.Length == 0 && check.Length == 0)
            {
                continue;
            }

            if (!CheckIds.All.Contains(check))
            {
                problems.Add($"{path}:{line}: unknown check '{check}' (expected one of {string.Join(", ", CheckIds.All)}); row skipped");
                continue;
            }

            var verdictText = csv.GetField("verdict")?.Trim().ToLowerInvariant() ?? "";
            bool? agrees = verdictText switch
            {
                "agree" => true,
                "disagree" => false,
                "" => null,
                _ => null,
            };
            if (verdictText.Length > 0 && agrees is null)
            {
                problems.Add($"{path}:{line}: verdict must be agree or disagree (got '{verdictText}'); row skipped");
                continue;
            }

            var outcomeText = csv.GetField("correct_outcome");
            var correct = string.IsNullOrWhiteSpace(outcomeText) ? (Outcome?)null : OutcomeText.Parse(outcomeText);
            if (!string.IsNullOrWhiteSpace(outcomeText) && correct is null)
            {
                problems.Add($"{path}:{line}: correct_outcome must be pass, fail or n/a (got '{outcomeText}'); row skipped");
                continue;
            }

            transcripts.TryGetValue(callId, out var call);
            if (call is not null && LanguageOf(call) != pack.Language)
            {
                continue;
            }

            var start = double.TryParse(csv.GetField("start_s"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : (double?)null;
            if (correct is null && agrees == true && call is not null)
            {
                // "Agree" with no outcome written: the outcome is the one the checks gave.
                correct = new CallAnalyzer(pack with { Model = null }).Analyze(call).ResultOf(check)?.Outcome;
            }

            moments.Add(new ReviewedMoment(callId, check, csv.GetField("evidence") ?? "", agrees, correct, $"{path}:{line}")
            {
                NextTurn = check == CheckIds.DontKnow && call is not null && start is { } at ? NextAgentTurn(call, at, pack) : null,
            });
        }

        return moments;
    }

    /// <summary>The call's language code ("pl-PL" → "pl").</summary>
    public static string LanguageOf(CallTranscript call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var code = call.Metadata.Language.Trim().ToLowerInvariant();
        var dash = code.IndexOfAny(['-', '_']);
        return dash > 0 ? code[..dash] : code;
    }

    /// <summary>The agent's next utterance after the one starting at <paramref name="start"/>, within the pack's response window.</summary>
    private static string? NextAgentTurn(CallTranscript call, double start, RulePack pack)
    {
        var agent = call.Utterances.Where(u => u.Speaker == Speaker.Agent).OrderBy(u => u.Start).ToList();
        var index = agent.FindIndex(u => u.Start <= start + 0.05 && start - 0.05 <= u.End);
        if (index < 0 || index + 1 >= agent.Count)
        {
            return null;
        }

        var next = agent[index + 1];
        return next.Start <= agent[index].End + pack.DontKnow.ResponseWindowSeconds && !next.IsLowConfidence ? next.Text.Trim() : null;
    }
}
