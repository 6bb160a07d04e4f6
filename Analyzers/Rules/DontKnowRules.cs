using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Rules;

/// <summary>Settings of the "nie wiem" check.</summary>
/// <param name="Scoring">Weight and criticality.</param>
/// <param name="ResponseWindowSeconds">The agent's next utterance counts only if it starts within this many seconds after the "nie wiem" utterance ends.</param>
/// <param name="DontKnowPhrases">"Don't know" answers ("nie wiem", "nevím").</param>
/// <param name="CommitmentPhrases">Next steps that resolve it ("sprawdzę", "oddzwonię"); not counted right after a negation word.</param>
/// <param name="ContinuationWords">Words that turn "nie wiem" into a figure of speech when a clause follows ("nie wiem, czy Pan pamięta").</param>
public sealed record DontKnowRules(
    CheckScoring Scoring,
    double ResponseWindowSeconds,
    PhraseList DontKnowPhrases,
    PhraseList CommitmentPhrases,
    PhraseList ContinuationWords)
{
    /// <summary>
    /// Generic invitations, farewell and "cannot" formulas ("zapraszam do kontaktu z nami", "nie da się tego ustalić"): a
    /// commitment phrase lying wholly inside one of these is not a next step. Optional in the rule file (empty when absent).
    /// </summary>
    public PhraseList GenericPhrases { get; init; } = PhraseList.Empty;
}
