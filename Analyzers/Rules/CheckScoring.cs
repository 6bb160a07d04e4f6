namespace QualityScan.Analyzers.Rules;

/// <summary>How much one check counts towards a call's score.</summary>
/// <param name="Weight">Relative weight (positive); a passed check earns its full weight, a failed one nothing.</param>
/// <param name="Critical">When true, failing this check caps the call's score at <see cref="ScoringRules.CriticalFailCap"/>.</param>
public sealed record CheckScoring(double Weight, bool Critical);
