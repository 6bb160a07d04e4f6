using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Rules;

/// <summary>Settings of the politeness check.</summary>
/// <param name="Scoring">Weight and criticality.</param>
/// <param name="PoliteWordsRequiredAfterSeconds">A call at least this long in which the agent uses no polite phrase fails.</param>
/// <param name="PolitePhrases">Polite phrases ("proszę", "dziękuję za cierpliwość").</param>
/// <param name="DirectivePhrases">Directive phrasing to avoid ("musi Pan"); not counted right after a negation word.</param>
public sealed record PolitenessRules(
    CheckScoring Scoring,
    double PoliteWordsRequiredAfterSeconds,
    PhraseList PolitePhrases,
    PhraseList DirectivePhrases);
