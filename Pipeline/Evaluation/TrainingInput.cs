using QualityScan.Models.IO;
using System.Globalization;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Evaluation;

/// <summary>
/// Reads what reviewers said into <see cref="ReviewedMoment"/>s: the coach review sheet (either form, read by
/// <see cref="ReviewSheet.Read"/>) and the per-call <c>expected.csv</c> that <c>evaluate</c> reads (then the call's
/// transcript supplies the words).
/// </summary>
/// <remarks>
/// The form is told by the extension (.xlsx) and the header. A sheet row counts when the coach typed a verdict or a
/// correct outcome (words of any report language, see <see cref="ReviewWords"/>). An empty correct outcome means: after
/// an agree, what QualityScan said (the sheet's outcome column); after a disagree with a pass or a fail, the other one.
/// Transcripts (<c>transcripts/&lt;call_id&gt;.json</c> of the scan) add the agent's next turn after a "nie wiem" and
/// tell each call's language; without them every row is taken to be in the pack's language.
/// </remarks>
public static class TrainingInput
{
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
        if (ReviewSheet.NotRegular(path) is { } notRegular)
        {
            // Told before anything opens it: a FIFO named like a sheet would block the run for ever.
            throw new InvalidDataException($"{path}: {notRegular}; expected a review sheet (coach/<agent>-review.xlsx or .csv) or an expected.csv");
        }

        IReadOnlyList<ReviewRow> sheet;
        try
        {
            sheet = ReviewSheet.Read(path);
        }
        catch (ReviewSheetException) when (!ReviewSheet.IsXlsx(path) && IsExpectedCsv(path))
        {
            var expected = Evaluator.ReadExpected(path);
            return FromExpected(path, expected, pack, transcripts, problems);
        }
        catch (ReviewSheetException ex)
        {
            throw new InvalidDataException(
                $"{ex.Message}; expected a review sheet (coach/<agent>-review.xlsx or .csv) or an expected.csv (call_id and one column per check)", ex);
        }

        return FromSheet(path, sheet, pack, transcripts, problems);
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

    /// <summary>The reviewed moments of a review sheet's rows (see the remarks of <see cref="TrainingInput"/>).</summary>
    public static IReadOnlyList<ReviewedMoment> FromSheet(string path, IReadOnlyList<ReviewRow> rows, RulePack pack,
        IReadOnlyDictionary<string, CallTranscript> transcripts, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(transcripts);
        ArgumentNullException.ThrowIfNull(problems);
        var moments = new List<ReviewedMoment>();
        CallAnalyzer? analyzer = null;
        foreach (var row in rows)
        {
            if (string.IsNullOrWhiteSpace(row.Verdict) && string.IsNullOrWhiteSpace(row.CorrectOutcome))
            {
                continue;
            }

            var where = $"{path}:{row.Line}";
            if (!CheckIds.All.Contains(row.Check))
            {
                problems.Add($"{where}: unknown check '{row.Check}' (expected one of {string.Join(", ", CheckIds.All)}); row skipped");
                continue;
            }

            if (!ReviewWords.IsKnownVerdict(row.Verdict))
            {
                problems.Add($"{where}: the verdict '{row.Verdict.Trim()}' is not a known word (zgadzam się / nie zgadzam się, souhlasím / nesouhlasím, agree / disagree); row skipped");
                continue;
            }

            if (!ReviewWords.IsKnownOutcome(row.CorrectOutcome))
            {
                problems.Add($"{where}: the correct outcome '{row.CorrectOutcome.Trim()}' is not a known word (zaliczone / niezaliczone / nie dotyczy, splněno / nesplněno / netýká se, pass / fail / n/a); row skipped");
                continue;
            }

            transcripts.TryGetValue(row.CallId, out var call);
            if (call is not null && LanguageOf(call) != pack.Language)
            {
                continue;
            }

            var agrees = ReviewWords.ParseVerdict(row.Verdict);
            var said = ReviewWords.ParseOutcome(row.ToolOutcome);
            if (said is null && call is not null)
            {
                analyzer ??= new CallAnalyzer(pack with { Model = null });
                said = analyzer.Analyze(call).ResultOf(row.Check)?.Outcome;
            }

            var correct = ReviewWords.ParseOutcome(row.CorrectOutcome) ?? (agrees, said) switch
            {
                (true, _) => said,
                (false, Outcome.Fail) => Outcome.Pass,
                (false, Outcome.Pass) => Outcome.Fail,
                _ => null,
            };
            moments.Add(new ReviewedMoment(row.CallId, row.Check, row.Quote, agrees, correct, where)
            {
                NextTurn = row.Check == CheckIds.DontKnow && call is not null && row.StartSeconds is { } at ? NextAgentTurn(call, at, pack) : null,
            });
        }

        return moments;
    }

    private static bool IsExpectedCsv(string path)
    {
        if (FileKinds.Of(path) != FileKind.Regular)
        {
            return false;
        }

        var text = ManifestReader.Decode(File.ReadAllBytes(path));
        var firstLine = text.Text.Split('\n', 2)[0];
        var header = firstLine.Split(text.Delimiter[0]).Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToList();
        return header.Contains("call_id") && CheckIds.All.Any(header.Contains);
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
