using QualityScan.Analyzers.Learning;
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
    private readonly RulePack _pack;

    /// <summary>Creates the check with the politeness settings of <paramref name="pack"/>.</summary>
    public PolitenessAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _pack = pack;
        _rules = pack.Politeness;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.AgentSide.Count == 0)
        {
            return new CheckResult(CheckIds.Politeness, Outcome.NotApplicable, [], "no agent speech to judge");
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
                findings.Add(new Finding(CheckIds.Politeness, Outcome.Pass, utterance.Speaker, utterance.Start, utterance.End,
                    match.Quote, "polite phrase"));
            }

            foreach (var match in _rules.DirectivePhrases.FindAll(text))
            {
                if (text.IsNegated(match.FirstWord))
                {
                    continue;
                }

                directive++;
                findings.Add(new Finding(CheckIds.Politeness, Outcome.Fail, utterance.Speaker, utterance.Start, utterance.End,
                    match.Quote, "directive phrasing; put it as a suggestion instead"));
            }
        }

        if (_pack.Model is not null)
        {
            // Where the phrases found nothing in the whole call, the learned model may recognise what the lists lack.
            foreach (var index in polite == 0 ? call.AgentSide : [])
            {
                if (_pack.Judge(call, index, PhraseClasses.Polite) is { } verdict)
                {
                    var utterance = call.Utterances[index];
                    polite++;
                    findings.Add(new Finding(CheckIds.Politeness, Outcome.Pass, utterance.Speaker, utterance.Start, utterance.End,
                        verdict.Quote, $"polite phrase ({verdict.Describe()})"));
                }
            }

            foreach (var index in directive == 0 ? call.AgentSide : [])
            {
                if (_pack.Judge(call, index, PhraseClasses.Directive) is { } verdict)
                {
                    var utterance = call.Utterances[index];
                    directive++;
                    findings.Add(new Finding(CheckIds.Politeness, Outcome.Fail, utterance.Speaker, utterance.Start, utterance.End,
                        verdict.Quote, $"directive phrasing; put it as a suggestion instead ({verdict.Describe()})"));
                }
            }
        }

        var counts = new Dictionary<string, double> { ["polite_phrases"] = polite, ["directive_phrases"] = directive };
        var callLength = Math.Max(call.Call.Metadata.DurationSeconds, call.Utterances.Count == 0 ? 0 : call.Utterances.Max(u => u.End));
        if (directive > 0)
        {
            var quotes = string.Join(", ", findings.Where(f => f.Outcome == Outcome.Fail).Select(f => $"\"{f.Evidence}\""));
            return new CheckResult(CheckIds.Politeness, Outcome.Fail, Findings.InTimeOrder(findings),
                $"directive phrasing: {quotes}") { Counts = counts };
        }

        if (polite == 0 && callLength >= _rules.PoliteWordsRequiredAfterSeconds)
        {
            var first = call.Utterances[call.AgentSide[0]];
            var last = call.Utterances[call.AgentSide[^1]];
            var message = $"no polite phrase in a {Findings.Seconds(callLength)} s call";
            findings.Add(new Finding(CheckIds.Politeness, Outcome.Fail, first.Speaker, first.Start, last.End, "", message));
            return new CheckResult(CheckIds.Politeness, Outcome.Fail, Findings.InTimeOrder(findings), message) { Counts = counts };
        }

        var summary = polite == 0 ? "no polite phrase, but the call is short" : $"{polite} polite phrase(s), no directive phrasing";
        return new CheckResult(CheckIds.Politeness, Outcome.Pass, Findings.InTimeOrder(findings), summary) { Counts = counts };
    }
}
