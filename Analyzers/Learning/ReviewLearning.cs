using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Learning;

/// <summary>What became of one reviewed moment when it was turned into training sentences.</summary>
public enum ReviewUse
{
    /// <summary>Gave one or more training sentences.</summary>
    Used,

    /// <summary>The reviewer says a phrase of the pack was wrong here; learning cannot overrule a phrase: edit the list.</summary>
    ContradictsPhrase,

    /// <summary>Could not tell which words are the instance or which class they belong to.</summary>
    Ambiguous,

    /// <summary>Nothing to learn (interruption, no outcome given, no words).</summary>
    NotLearnable,
}

/// <summary>
/// Turns reviewed moments into labelled sentences for <see cref="ModelTrainer"/>, using only what the review makes certain.
/// </summary>
/// <remarks>
/// <para>Each utterance of the evidence is given the class of the check whose phrases match it, else the class the
/// examples-only model (the base model given to <see cref="ToExamples"/>) scores highest at 0.5 or more.</para>
/// <list type="bullet">
/// <item>The check should fail (correct outcome fail) and the words were accepted by the model: a negative of that
/// class. Accepted by a phrase: <see cref="ReviewUse.ContradictsPhrase"/> (edit the list).</item>
/// <item>The check should pass and the reviewer disagreed (the check failed it): the one utterance no phrase explains
/// is a positive of the one element the phrases missed ("nie wiem": the words after it, or the next turn). More than
/// one candidate: <see cref="ReviewUse.Ambiguous"/>.</item>
/// <item>The reviewer agreed with a pass of one utterance: a positive of its class. Agreed with a fail: the utterances
/// are negatives of the elements that nothing found.</item>
/// </list>
/// </remarks>
public static class ReviewLearning
{
    /// <summary>Separator of a window's utterances in evidence.</summary>
    public const string UtteranceSeparator = " / ";

    /// <summary>Separator of a "nie wiem" and its next turn in evidence.</summary>
    public const string NextTurnSeparator = " … ";

    /// <summary>
    /// Trains the pack's classifiers from its examples and <paramref name="moments"/>: an examples-only model first (to
    /// tell which class a reviewed utterance was taken for), then the final model on examples plus reviewed sentences.
    /// </summary>
    /// <remarks>Pass <paramref name="baseModel"/> (<see cref="ModelTrainer.Train(RulePack, IEnumerable{TrainingExample})"/> with no reviews) when training many times on one pack.</remarks>
    public static ReviewTrainingResult Learn(RulePack pack, IEnumerable<ReviewedMoment> moments, LearnedModel? baseModel = null)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(moments);
        var list = moments.ToList();
        baseModel ??= list.Count == 0 ? null : ModelTrainer.Train(pack, []);
        var examples = new List<TrainingExample>();
        var uses = Enum.GetValues<ReviewUse>().ToDictionary(u => u, _ => 0);
        var contradicted = new List<ReviewedMoment>();
        foreach (var moment in list)
        {
            var (found, use) = ToExamples(pack, baseModel, moment);
            examples.AddRange(found);
            uses[use]++;
            if (use == ReviewUse.ContradictsPhrase)
            {
                contradicted.Add(moment);
            }
        }

        return new ReviewTrainingResult(ModelTrainer.Train(pack, examples), examples, uses, contradicted);
    }

    /// <summary>The training sentences <paramref name="moment"/> gives, and what became of it.</summary>
    public static (IReadOnlyList<TrainingExample> Examples, ReviewUse Use) ToExamples(RulePack pack, LearnedModel? baseModel, ReviewedMoment moment)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(moment);
        var classes = PhraseClasses.Of(moment.CheckId);
        if (classes.Count == 0 || moment.CorrectOutcome is not (Outcome.Pass or Outcome.Fail) || string.IsNullOrWhiteSpace(moment.Evidence))
        {
            return ([], ReviewUse.NotLearnable);
        }

        var segments = Segments(moment.Evidence, moment.NextTurn);
        var claims = segments.Select(s => Claim(pack, baseModel, classes, s)).ToArray();
        var examples = new List<TrainingExample>();
        TrainingExample Example(string phraseClass, string text, bool positive) => new(phraseClass, text, positive, moment.Source);

        if (moment.CheckId == CheckIds.DontKnow)
        {
            return DontKnow(pack, moment, segments, Example);
        }

        if (moment.CorrectOutcome == Outcome.Fail)
        {
            if (moment.Agrees == false)
            {
                // The check passed on these words and should not have.
                for (var i = 0; i < segments.Count; i++)
                {
                    if (claims[i] is { ByPhrase: true })
                    {
                        return ([], ReviewUse.ContradictsPhrase);
                    }

                    if (claims[i] is { } claim)
                    {
                        examples.Add(Example(claim.PhraseClass, segments[i], false));
                    }
                }

                return examples.Count > 0 ? (examples, ReviewUse.Used) : ([], ReviewUse.Ambiguous);
            }

            // Agreed fail: the elements nothing found are absent from every utterance of the window.
            var absent = classes.Where(c => claims.All(x => x?.PhraseClass != c)).Where(c => c != PhraseClasses.Directive).ToArray();
            foreach (var segment in segments)
            {
                examples.AddRange(absent.Select(c => Example(c, segment, false)));
            }

            return examples.Count > 0 ? (examples, ReviewUse.Used) : ([], ReviewUse.NotLearnable);
        }

        if (moment.Agrees == true)
        {
            // Agreed pass: a single utterance is an instance of the class it was taken for.
            if (segments.Count == 1 && claims[0] is { } claim)
            {
                return ([Example(claim.PhraseClass, segments[0], true)], ReviewUse.Used);
            }

            return ([], ReviewUse.NotLearnable);
        }

        // The check failed and should have passed: the words hold an element the check missed.
        if (moment.CheckId == CheckIds.Politeness)
        {
            // A wrongly failed politeness is either a directive the model invented or a polite phrase the list lacks.
            var directive = Enumerable.Range(0, segments.Count).Where(i => claims[i]?.PhraseClass == PhraseClasses.Directive).ToArray();
            if (directive.Length > 0)
            {
                return directive.Any(i => claims[i]!.ByPhrase)
                    ? ([], ReviewUse.ContradictsPhrase)
                    : (directive.Select(i => Example(PhraseClasses.Directive, segments[i], false)).ToArray(), ReviewUse.Used);
            }

            return segments.Count == 1 ? ([Example(PhraseClasses.Polite, segments[0], true)], ReviewUse.Used) : ([], ReviewUse.Ambiguous);
        }

        var missing = classes.Where(c => !claims.Any(x => x is { ByPhrase: true } && x.PhraseClass == c)).ToArray();
        var candidates = Enumerable.Range(0, segments.Count).Where(i => claims[i] is not { ByPhrase: true }).ToArray();
        if (missing.Length == 1 && candidates.Length == 1)
        {
            return ([Example(missing[0], segments[candidates[0]], true)], ReviewUse.Used);
        }

        if (missing.Length > 1 && candidates.Length == 1 && claims[candidates[0]] is { } modelClaim && missing.Contains(modelClaim.PhraseClass))
        {
            return ([Example(modelClaim.PhraseClass, segments[candidates[0]], true)], ReviewUse.Used);
        }

        return ([], ReviewUse.Ambiguous);
    }

    private static (IReadOnlyList<TrainingExample>, ReviewUse) DontKnow(RulePack pack, ReviewedMoment moment, IReadOnlyList<string> segments,
        Func<string, string, bool, TrainingExample> example)
    {
        // The follow-up is what comes after the "nie wiem": the rest of its utterance, or the next turn.
        var first = pack.Normalizer.Normalize(segments[0]);
        var match = pack.DontKnow.DontKnowPhrases.FindFirst(first);
        var rest = match is not null && match.LastWord + 1 < first.Words.Count
            ? first.Original[first.Words[match.LastWord + 1].Start..].Trim()
            : "";
        var followUps = new[] { rest }.Concat(segments.Skip(1)).Where(t => t.Length > 0).ToArray();
        if (followUps.Length == 0)
        {
            return ([], ReviewUse.Ambiguous);
        }

        var byPhrase = followUps.Where(t => ClassPhrases.Matches(pack, PhraseClasses.Commitment, pack.Normalizer.Normalize(t))).ToArray();
        if (moment.CorrectOutcome == Outcome.Fail)
        {
            // No next step was given: none of these words is one.
            return byPhrase.Length > 0 && moment.Agrees == false
                ? ([], ReviewUse.ContradictsPhrase)
                : (followUps.Except(byPhrase).Select(t => example(PhraseClasses.Commitment, t, false)).ToArray(), ReviewUse.Used);
        }

        if (byPhrase.Length > 0)
        {
            return ([], ReviewUse.NotLearnable);
        }

        // A next step was given: the follow-up words are one (the same turn's rest first, else the next turn).
        return ([example(PhraseClasses.Commitment, followUps[0], true)], ReviewUse.Used);
    }

    private static IReadOnlyList<string> Segments(string evidence, string? nextTurn)
    {
        var parts = evidence.Split([UtteranceSeparator, NextTurnSeparator], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (!string.IsNullOrWhiteSpace(nextTurn) && !parts.Contains(nextTurn.Trim()))
        {
            parts.Add(nextTurn.Trim());
        }

        return parts;
    }

    private static Claimed? Claim(RulePack pack, LearnedModel? baseModel, IReadOnlyList<string> classes, string segment)
    {
        var text = pack.Normalizer.Normalize(segment);
        foreach (var phraseClass in classes)
        {
            if (ClassPhrases.Matches(pack, phraseClass, text))
            {
                return new Claimed(phraseClass, ByPhrase: true);
            }
        }

        if (baseModel is null)
        {
            return null;
        }

        var features = TextFeatures.Of(text);
        var best = classes.Select(c => (Class: c, P: baseModel.For(c)?.Probability(features) ?? 0)).MaxBy(x => x.P);
        return best.P >= 0.5 ? new Claimed(best.Class, ByPhrase: false) : null;
    }

    private sealed record Claimed(string PhraseClass, bool ByPhrase);
}

/// <summary>What <see cref="ReviewLearning.Learn"/> made.</summary>
/// <param name="Model">The trained classifiers.</param>
/// <param name="ReviewExamples">The sentences the reviews contributed.</param>
/// <param name="Uses">How many moments were used, contradicted a phrase, were ambiguous or had nothing to learn.</param>
/// <param name="ContradictedPhrases">Moments where the reviewer overruled a phrase match: the phrase list needs editing.</param>
public sealed record ReviewTrainingResult(
    LearnedModel Model,
    IReadOnlyList<TrainingExample> ReviewExamples,
    IReadOnlyDictionary<ReviewUse, int> Uses,
    IReadOnlyList<ReviewedMoment> ContradictedPhrases);
