using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Models;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// Everything the checks need for one language: phrases, thresholds and weights, loaded from a rule file
/// by <see cref="RulePackLoader"/> with its phrase patterns compiled.
/// </summary>
/// <param name="Language">Language code ("pl", "cs").</param>
/// <param name="SourcePath">The file it was loaded from.</param>
/// <param name="Matching">Matching tolerance.</param>
/// <param name="Normalizer">Normaliser with this language's filler and negation words.</param>
/// <param name="Scoring">Call-level scoring.</param>
/// <param name="Greeting">Greeting check settings.</param>
/// <param name="Interruption">Interruption check settings.</param>
/// <param name="Politeness">Politeness check settings.</param>
/// <param name="DontKnow">"Nie wiem" check settings.</param>
/// <param name="Closing">Closing check settings.</param>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record RulePack(
    string Language,
    string SourcePath,
    MatchingOptions Matching,
    TextNormalizer Normalizer,
    ScoringRules Scoring,
    GreetingRules Greeting,
    InterruptionRules Interruption,
    PolitenessRules Politeness,
    DontKnowRules DontKnow,
    ClosingRules Closing)
{
    /// <summary>Example sentences per phrase class and the learned-model threshold (the optional <c>learning</c> section).</summary>
    public LearningRules Learning { get; init; } = LearningRules.None;

    /// <summary>Numbers the reports' personal-data masker keeps (the optional <c>privacy</c> section); none by default.</summary>
    public PrivacyRules Privacy { get; init; } = PrivacyRules.None;

    /// <summary>
    /// The classifiers <c>qualityscan learn</c> trained on this pack, consulted where the phrases find nothing; null when
    /// there is none (or it is stale, see <see cref="ModelNote"/>).
    /// </summary>
    public LearnedModel? Model { get; init; }

    /// <summary>Why a model file beside the pack is not used (stale or unreadable), for the log; null when there is nothing to say.</summary>
    public string? ModelNote { get; init; }

    /// <summary>
    /// The model's verdict on utterance <paramref name="index"/> of <paramref name="call"/> for <paramref name="phraseClass"/>:
    /// its most probable sentence at or above the threshold, or null (no model, nothing above it, or a low-confidence utterance).
    /// </summary>
    public ModelVerdict? Judge(PreparedCall call, int index, string phraseClass)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Model is null || call.Utterances[index].IsLowConfidence)
        {
            return null;
        }

        ModelVerdict? best = null;
        foreach (var sentence in call.SentencesOf(index))
        {
            if (Model.Judge(phraseClass, sentence.Features, Learning.Threshold) is { } verdict && (best is null || verdict.Probability > best.Probability))
            {
                best = verdict with { Quote = call.Texts[index].Quote(sentence.FirstWord, sentence.LastWord) };
            }
        }

        return best;
    }

    /// <summary>The checks the pack defines from primitives (the <c>defined_checks</c> section), in file order; empty when it has none.</summary>
    public IReadOnlyList<DefinedCheck> DefinedChecks { get; init; } = [];

    /// <summary>Every check this pack runs, in report column order: the five of <see cref="Models.CheckIds.All"/>, then <see cref="DefinedChecks"/>.</summary>
    public IReadOnlyList<string> CheckIds => [.. Models.CheckIds.All, .. DefinedChecks.Select(c => c.Id)];

    /// <summary>Weight and criticality of the check with id <paramref name="checkId"/> (see <see cref="CheckIds"/>).</summary>
    public CheckScoring ScoringOf(string checkId) => checkId switch
    {
        Models.CheckIds.Greeting => Greeting.Scoring,
        Models.CheckIds.Interruption => Interruption.Scoring,
        Models.CheckIds.Politeness => Politeness.Scoring,
        Models.CheckIds.DontKnow => DontKnow.Scoring,
        Models.CheckIds.Closing => Closing.Scoring,
        _ => DefinedChecks.FirstOrDefault(c => c.Id == checkId)?.Scoring
            ?? throw new ArgumentOutOfRangeException(nameof(checkId), checkId, "Unknown check id."),
    };

    /// <summary>
    /// The messages the checks word their findings and summaries with: the shipped English <c>messages.en.yaml</c>,
    /// which is also the <c>message</c> column of <c>findings.csv</c>. Reports in another language re-word each finding
    /// from its <see cref="Finding.Reason"/>.
    /// </summary>
    public MessageCatalog Messages { get; init; } = MessageCatalogs.English;

    /// <summary>Normalises every utterance of <paramref name="call"/> once, for all checks.</summary>
    public PreparedCall Prepare(CallTranscript call) => new(call, Normalizer);
}
