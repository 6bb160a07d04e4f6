using QualityScan.Analyzers.Learning;
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
/// <para>A low-confidence utterance never earns a polite phrase. Where the phrases find no polite phrase (or no
/// directive) in the whole call, the pack's learned model may, utterance by utterance (above its threshold; the
/// finding says so).</para>
/// <para>Only the agent's speech counts. Mono calls: all speech counts (the parties cannot be told apart), so a
/// customer's "musi Pan" can fail a mono call. A call with no agent (or unknown) speech is n/a.</para>
/// Counts: <c>polite_phrases</c>, <c>directive_phrases</c>.
/// </remarks>
public sealed class PolitenessAnalyzer : ICallCheck
{
    private readonly PolitenessRules _rules;
    private readonly MessageCatalog _messages;
    private readonly RulePack _pack;

    /// <summary>Creates the check with the politeness settings of <paramref name="pack"/>.</summary>
    public PolitenessAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _rules = pack.Politeness;
        _messages = pack.Messages;
        _pack = pack;
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
                if (utterance.IsLowConfidence)
                {
                    // Whisper's typical hallucination on noise is "Dziękuję."; unsure words never earn a polite phrase.
                    break;
                }

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

        if (_pack.Model is not null)
        {
            // Where the phrases found nothing in the whole call, the learned model may recognise what the lists lack.
            polite += polite == 0 ? JudgeByModel(call, PhraseClasses.Polite, Outcome.Pass, "politeness_polite_phrase_by_model", findings) : 0;
            directive += directive == 0 ? JudgeByModel(call, PhraseClasses.Directive, Outcome.Fail, "politeness_directive_by_model", findings) : 0;
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

    /// <summary>Adds a finding for every agent utterance the learned model puts in <paramref name="phraseClass"/>; returns how many.</summary>
    private int JudgeByModel(PreparedCall call, string phraseClass, Outcome outcome, string messageKey, List<Finding> findings)
    {
        var found = 0;
        foreach (var index in call.AgentSide)
        {
            if (_pack.Judge(call, index, phraseClass) is { } verdict)
            {
                var utterance = call.Utterances[index];
                found++;
                findings.Add(_messages.Make(CheckIds.Politeness, outcome, utterance.Speaker, utterance.Start, utterance.End,
                    verdict.Quote, Findings.Say(messageKey, ("model", verdict.Describe()))));
            }
        }

        return found;
    }
}
