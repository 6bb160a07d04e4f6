using QualityScan.Analyzers;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Pipeline.Evaluation;

/// <summary>Agreement of one check with the expected outcomes: phrases alone, with the learned model, and cross-validated.</summary>
/// <param name="CheckId">The check.</param>
/// <param name="Compared">Calls with an expected outcome and a transcript.</param>
/// <param name="PhrasesAgreed">Agreements judging with the phrase lists alone.</param>
/// <param name="LearnedAgreed">Agreements with the learned model (the one beside the pack, or one trained on all the data).</param>
/// <param name="CrossValidatedAgreed">Agreements when each call is judged by a model trained without that call's outcomes and reviews.</param>
public sealed record LearningScore(string CheckId, int Compared, int PhrasesAgreed, int LearnedAgreed, int CrossValidatedAgreed);

/// <summary>What <see cref="LearningEvaluation.Evaluate"/> found.</summary>
/// <param name="Checks">Per check, in report order.</param>
/// <param name="Calls">Calls judged (expected outcome and transcript present, language with a pack).</param>
/// <param name="ReviewMoments">Reviewed moments from the review files.</param>
/// <param name="Folds">Number of cross-validation folds.</param>
/// <param name="LearnedFrom">Where the "learned" column's model came from, per language.</param>
public sealed record LearningEvaluationResult(IReadOnlyList<LearningScore> Checks, int Calls, int ReviewMoments, int Folds, IReadOnlyList<string> LearnedFrom);

/// <summary>
/// Re-judges the scanned transcripts with and without learning, so a team sees what learning bought them.
/// </summary>
/// <remarks>
/// <para>"learned" uses the model beside each rule pack when there is one (it may have been trained on these very calls,
/// so it flatters itself), else a model trained on the pack's examples, the review files and all expected outcomes.</para>
/// <para>"cross-validated" splits the calls into folds (by call id, round robin); each fold is judged by a model trained
/// on the pack's examples plus the expected outcomes and reviews of the other folds only: the honest figure for calls
/// the model has not seen.</para>
/// </remarks>
public static class LearningEvaluation
{
    /// <summary>Judges the calls of <paramref name="expected"/> found in <paramref name="transcripts"/>.</summary>
    public static LearningEvaluationResult Evaluate(
        RuleBook rules,
        IReadOnlyDictionary<string, CallTranscript> transcripts,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, Outcome>> expected,
        IReadOnlyList<string> reviewFiles,
        int folds,
        ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(transcripts);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(reviewFiles);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var phrases = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        var learned = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        var crossValidated = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        var learnedFrom = new List<string>();
        var reviewCount = 0;
        var callCount = 0;
        foreach (var language in rules.Languages.Order(StringComparer.Ordinal))
        {
            var pack = rules.For(language).Pack;
            var calls = expected.Keys.Where(id => transcripts.TryGetValue(id, out var t) && TrainingInput.LanguageOf(t) == language)
                .Order(StringComparer.Ordinal).ToList();
            var reviews = reviewFiles.SelectMany(f => TrainingInput.Read(f, pack, transcripts, problems)).ToList();
            reviewCount += reviews.Count;
            if (calls.Count == 0 || pack.Learning.Examples.Count == 0)
            {
                continue;
            }

            callCount += calls.Count;
            var baseModel = ModelTrainer.Train(pack, []);
            var phrasesOnly = new CallAnalyzer(pack with { Model = null });
            var model = pack.Model;
            if (model is null)
            {
                var everything = reviews.Concat(TrainingInput.FromExpected("expected", Subset(expected, calls), pack, transcripts, problems));
                model = ReviewLearning.Learn(pack, everything, baseModel).Model;
                learnedFrom.Add($"{language}: trained now on the pack's examples, the reviews and all expected outcomes");
            }
            else
            {
                learnedFrom.Add($"{language}: the model beside {pack.SourcePath} (it may have learned from these calls)");
            }

            var withModel = new CallAnalyzer(pack with { Model = model });
            foreach (var id in calls)
            {
                Record(phrases, id, phrasesOnly.Analyze(transcripts[id]));
                Record(learned, id, withModel.Analyze(transcripts[id]));
            }

            for (var fold = 0; fold < folds; fold++)
            {
                var heldOut = calls.Where((_, i) => i % folds == fold).ToHashSet(StringComparer.Ordinal);
                if (heldOut.Count == 0)
                {
                    continue;
                }

                var training = calls.Where(c => !heldOut.Contains(c)).ToList();
                var moments = reviews.Where(m => !heldOut.Contains(m.CallId))
                    .Concat(TrainingInput.FromExpected("expected", Subset(expected, training), pack, transcripts, problems));
                var foldAnalyzer = new CallAnalyzer(pack with { Model = ReviewLearning.Learn(pack, moments, baseModel).Model });
                foreach (var id in heldOut)
                {
                    Record(crossValidated, id, foldAnalyzer.Analyze(transcripts[id]));
                }
            }
        }

        var scores = CheckIds.All.Select(check =>
        {
            int compared = 0, a = 0, b = 0, c = 0;
            foreach (var (id, outcomes) in expected)
            {
                if (!outcomes.TryGetValue(check, out var want) || !phrases.ContainsKey(Key(id, check)))
                {
                    continue;
                }

                compared++;
                a += phrases[Key(id, check)] == want ? 1 : 0;
                b += learned[Key(id, check)] == want ? 1 : 0;
                c += crossValidated[Key(id, check)] == want ? 1 : 0;
            }

            return new LearningScore(check, compared, a, b, c);
        }).ToList();
        return new LearningEvaluationResult(scores, callCount, reviewCount, folds, learnedFrom);
    }

    private static void Record(Dictionary<string, Outcome> into, string callId, CallReport report)
    {
        foreach (var result in report.Results)
        {
            into[Key(callId, result.CheckId)] = result.Outcome;
        }
    }

    private static string Key(string callId, string checkId) => callId + "\n" + checkId;

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, Outcome>> Subset(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, Outcome>> expected, IEnumerable<string> calls) =>
        calls.ToDictionary(c => c, c => expected[c], StringComparer.Ordinal);
}
