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

    /// <summary>Creates the five checks of the mission and every check the pack defines (<see cref="RulePack.DefinedChecks"/>) from <paramref name="pack"/>.</summary>
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
        foreach (var defined in pack.DefinedChecks)
        {
            checks[defined.Id] = new DefinedCheckAnalyzer(defined, pack);
        }

        _checks = pack.CheckIds.Select(id => (id, checks[id])).ToArray();
    }

    /// <summary>The <see cref="CallReport.NotJudgedReason"/> of a call in which the agent said nothing the checks can use.</summary>
    public const string NoAgentSpeech = "no agent speech";

    /// <summary>The rule pack the checks use.</summary>
    public RulePack Pack { get; }

    /// <summary>Runs every check (in <see cref="RulePack.CheckIds"/> order) and scores the call with <see cref="CallScore"/>.</summary>
    /// <remarks>
    /// A call with no agent speech (no agent or unknown-speaker utterance with a word in it that the speech model was
    /// sure of: an empty transcript, a silent or noise-only recording, hallucinated text on noise) is not judged: every
    /// check is n/a, <see cref="CallReport.NotJudgedReason"/> is <see cref="NoAgentSpeech"/> and the score (0) means nothing.
    /// </remarks>
    public CallReport Analyze(CallTranscript call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var prepared = Pack.Prepare(call);
        if (!HasAgentSpeech(prepared))
        {
            // A silent or noise-only recording is not a perfect call: no check is judged and the call gets no score.
            var notJudged = Pack.CheckIds.Select(id => new CheckResult(id, Outcome.NotApplicable, [], NoAgentSpeech)
            {
                LocalName = Pack.DefinedChecks.FirstOrDefault(c => c.Id == id)?.Name,
            }).ToArray();
            return new CallReport(call.Metadata, notJudged, 0) { NotJudgedReason = NoAgentSpeech };
        }

        var results = new CheckResult[_checks.Length];
        for (var i = 0; i < _checks.Length; i++)
        {
            results[i] = _checks[i].Check.Analyze(prepared);
        }

        return new CallReport(call.Metadata, results, CallScore.Compute(results, Pack));
    }

    private static bool HasAgentSpeech(PreparedCall call) =>
        call.AgentSide.Any(i => !call.Utterances[i].IsLowConfidence && call.Texts[i].Words.Count > 0);
}
