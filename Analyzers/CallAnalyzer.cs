using QualityScan.Analyzers.Checks;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers;

/// <summary>
/// Runs all checks of one rule pack on a call and scores it: the entry point for analysing a transcript in
/// one language (use <see cref="RuleBook"/> to pick the pack by the call's language).
/// </summary>
/// <remarks>Stateless after construction and safe to call from parallel workers.</remarks>
public sealed class CallAnalyzer
{
    private readonly (string Id, ICallCheck Check)[] _checks;

    /// <summary>Creates the five checks from <paramref name="pack"/>.</summary>
    public CallAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        Pack = pack;
        var checks = new Dictionary<string, ICallCheck>
        {
            [CheckIds.Greeting] = new GreetingAnalyzer(pack),
            [CheckIds.Interruption] = new InterruptionAnalyzer(pack),
            [CheckIds.Politeness] = new PolitenessAnalyzer(pack),
            [CheckIds.DontKnow] = new DontKnowAnalyzer(pack),
            [CheckIds.Closing] = new ClosingAnalyzer(pack),
        };
        _checks = CheckIds.All.Select(id => (id, checks[id])).ToArray();
    }

    /// <summary>The rule pack the checks use.</summary>
    public RulePack Pack { get; }

    /// <summary>Runs every check (in <see cref="CheckIds.All"/> order) and scores the call with <see cref="CallScore"/>.</summary>
    public CallReport Analyze(CallTranscript call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var prepared = Pack.Prepare(call);
        var results = new CheckResult[_checks.Length];
        for (var i = 0; i < _checks.Length; i++)
        {
            results[i] = _checks[i].Check.Analyze(prepared);
        }

        return new CallReport(call.Metadata, results, CallScore.Compute(results, Pack));
    }
}
