using System.Globalization;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Checks politeness (standard point 3): counts the agent's polite phrases and fails on directive phrasing
/// ("Musi Pan…") or on a long call without a single polite phrase.
/// </summary>
/// <remarks>
/// <para>Every polite phrase is a pass finding; overlapping phrases count once, the longest winning
/// ("dziękuję za cierpliwość" is one phrase, not also "dziękuję"). Every directive phrase is a fail finding,
/// except right after a negation word ("nie musi Pan"). The check fails when there is any directive phrase,
/// or when the call lasts at least <see cref="PolitenessRules.PoliteWordsRequiredAfterSeconds"/> (default 60 s;
/// call length is the metadata duration or the last utterance's end, whichever is later) and no polite
/// phrase was heard.</para>
/// <para>Only the agent's speech counts. Mono calls: all speech counts (the parties cannot be told apart), so a
/// customer's "musi Pan" can fail a mono call. A call with no agent (or unknown) speech is n/a.</para>
/// Counts: <c>polite_phrases</c>, <c>directive_phrases</c>.
/// </remarks>
public sealed class PolitenessAnalyzer : ICallCheck
{
    private readonly PolitenessRules _rules;
    private readonly MessageCatalog _messages;

    /// <summary>Creates the check with the politeness settings of <paramref name="pack"/>.</summary>
    public PolitenessAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _rules = pack.Politeness;
        _messages = pack.Messages;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.AgentSide.Count == 0)
        {
            return _messages.Result(CheckIds.Politeness, Outcome.NotApplicable, [], Findings.Say("no_agent_speech"));
        }

        var findings = new List<Finding>();
        var polite = 0;
        var directive = 0;
        foreach (var index in call.AgentSide)
        {
            var utterance = call.Utterances[index];
            var text = call.Texts[index];
            foreach (var match in _rules.PolitePhrases.FindAll(text))
            {
                if (text.IsNegated(match.FirstWord))
                {
                    // "Nie rozumiem" is not the empathy of "Rozumiem".
                    continue;
                }

                polite++;
                findings.Add(_messages.Make(CheckIds.Politeness, Outcome.Pass, utterance.Speaker, utterance.Start, utterance.End,
                    match.Quote, Findings.Say("politeness_polite_phrase")));
            }

            foreach (var match in _rules.DirectivePhrases.FindAll(text))
            {
                if (text.IsNegated(match.FirstWord))
                {
                    continue;
                }

                directive++;
                findings.Add(_messages.Make(CheckIds.Politeness, Outcome.Fail, utterance.Speaker, utterance.Start, utterance.End,
                    match.Quote, Findings.Say("politeness_directive")));
            }
        }

        var counts = new Dictionary<string, double> { ["polite_phrases"] = polite, ["directive_phrases"] = directive };
        var callLength = Math.Max(call.Call.Metadata.DurationSeconds, call.Utterances.Count == 0 ? 0 : call.Utterances.Max(u => u.End));
        if (directive > 0)
        {
            var quotes = string.Join(", ", findings.Where(f => f.Outcome == Outcome.Fail).Select(f => $"\"{f.Evidence}\""));
            return _messages.Result(CheckIds.Politeness, Outcome.Fail, Findings.InTimeOrder(findings),
                Findings.Say("politeness_directive_summary", ("quotes", quotes))) with { Counts = counts };
        }

        if (polite == 0 && callLength >= _rules.PoliteWordsRequiredAfterSeconds)
        {
            var first = call.Utterances[call.AgentSide[0]];
            var last = call.Utterances[call.AgentSide[^1]];
            var message = Findings.Say("politeness_no_polite_phrase", ("seconds", Findings.Seconds(callLength)));
            findings.Add(_messages.Make(CheckIds.Politeness, Outcome.Fail, first.Speaker, first.Start, last.End, "", message));
            return _messages.Result(CheckIds.Politeness, Outcome.Fail, Findings.InTimeOrder(findings), message) with { Counts = counts };
        }

        var summary = polite == 0
            ? Findings.Say("politeness_short_call")
            : Findings.Say("politeness_passed", ("count", polite.ToString(CultureInfo.InvariantCulture)));
        return _messages.Result(CheckIds.Politeness, Outcome.Pass, Findings.InTimeOrder(findings), summary) with { Counts = counts };
    }
}
