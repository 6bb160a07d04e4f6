namespace QualityScan.Analyzers.Rules;

/// <summary>Call-level scoring settings.</summary>
/// <param name="CriticalFailCap">The highest score (0-100) a call can get when any critical check failed.</param>
public sealed record ScoringRules(double CriticalFailCap);
