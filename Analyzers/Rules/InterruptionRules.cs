namespace QualityScan.Analyzers.Rules;

/// <summary>Settings of the interruption check.</summary>
/// <param name="Scoring">Weight and criticality.</param>
/// <param name="MinOverlapSeconds">Shortest overlap that counts as talking over someone.</param>
/// <param name="MergeGapSeconds">Speech intervals of one speaker separated by less than this are treated as one turn.</param>
/// <param name="BackchannelWords">Folded listening signals ("mhm", "tak"); an overlap made only of these is not an interruption.</param>
public sealed record InterruptionRules(
    CheckScoring Scoring,
    double MinOverlapSeconds,
    double MergeGapSeconds,
    IReadOnlySet<string> BackchannelWords);
