using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Rules;

/// <summary>Settings of the closing check.</summary>
/// <param name="Scoring">Weight and criticality.</param>
/// <param name="WindowSeconds">Agent utterances starting this many seconds or less before the end of the agent's last word form the closing.</param>
/// <param name="MinTurns">The last this-many agent utterances always belong to the closing, however long they are.</param>
/// <param name="AnythingElsePhrases">"Anything else?" questions.</param>
/// <param name="ThanksPhrases">Thanks for the call.</param>
/// <param name="FarewellPhrases">Farewells.</param>
public sealed record ClosingRules(
    CheckScoring Scoring,
    double WindowSeconds,
    int MinTurns,
    PhraseList AnythingElsePhrases,
    PhraseList ThanksPhrases,
    PhraseList FarewellPhrases);
