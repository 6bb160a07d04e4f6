using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Rules;

/// <summary>Settings of the greeting check.</summary>
/// <param name="Scoring">Weight and criticality.</param>
/// <param name="WindowSeconds">Agent utterances starting this many seconds or less after the agent's first word form the greeting.</param>
/// <param name="Greetings">Greeting words ("dzień dobry").</param>
/// <param name="Departments">Department names that count for the company element ("dział obsługi klienta").</param>
/// <param name="OffersOfHelp">Offers of help ("w czym mogę pomóc").</param>
/// <remarks>The agent's name and the company come from the call's metadata, never from the rule pack.</remarks>
public sealed record GreetingRules(
    CheckScoring Scoring,
    double WindowSeconds,
    PhraseList Greetings,
    PhraseList Departments,
    PhraseList OffersOfHelp);
