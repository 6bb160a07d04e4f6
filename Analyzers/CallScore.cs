using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers;

/// <summary>Turns a call's check results into one 0-100 score using a rule pack's weights.</summary>
/// <remarks>
/// A passed check earns its full weight and a failed one nothing (no partial credit); n/a checks are left out
/// of both the earned and the possible total. When any check marked critical failed, the score is capped at
/// <see cref="ScoringRules.CriticalFailCap"/>. When no check applied at all there is nothing to fault and the
/// score is 100. The result is rounded to one decimal.
/// </remarks>
public static class CallScore
{
    /// <summary>The weighted score of <paramref name="results"/> under <paramref name="pack"/>.</summary>
    public static double Compute(IEnumerable<CheckResult> results, RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(pack);
        var earned = 0.0;
        var possible = 0.0;
        var criticalFailed = false;
        foreach (var result in results)
        {
            if (result.Outcome == Outcome.NotApplicable)
            {
                continue;
            }

            var scoring = pack.ScoringOf(result.CheckId);
            possible += scoring.Weight;
            if (result.Outcome == Outcome.Pass)
            {
                earned += scoring.Weight;
            }
            else
            {
                criticalFailed |= scoring.Critical;
            }
        }

        var score = possible == 0 ? 100 : 100 * earned / possible;
        if (criticalFailed)
        {
            score = Math.Min(score, pack.Scoring.CriticalFailCap);
        }

        return Math.Round(score, 1, MidpointRounding.AwayFromZero);
    }
}
