using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Checks the closing formula (standard point 5): an "anything else?" question, thanks for the call and a
/// farewell, in the agent's last turn(s).
/// </summary>
/// <remarks>
/// <para>The closing is made of the agent's utterances that start at most <see cref="ClosingRules.WindowSeconds"/>
/// (default 30 s) before the end of the agent's last utterance, plus always the last
/// <see cref="ClosingRules.MinTurns"/> (default 2) agent utterances, so that a long final turn is not cut off.
/// The order of the elements is not judged. A fail names the missing elements.</para>
/// <para>A low-confidence utterance never supplies an element (it is still quoted in a fail). Where the phrases find an
/// element nowhere in the closing, the pack's learned model may (above its threshold; the finding says so).</para>
/// <para>Mono calls: unknown-speaker utterances are treated as possibly the agent's (a customer's
/// "do widzenia" may then count for the agent). A call with no agent (or unknown) speech is n/a.</para>
/// Counts: <c>closing_missing_elements</c>.
/// </remarks>
public sealed class ClosingAnalyzer : ICallCheck
{
    private readonly ClosingRules _rules;
    private readonly MessageCatalog _messages;
    private readonly RulePack _pack;

    /// <summary>Creates the check with the closing settings of <paramref name="pack"/>.</summary>
    public ClosingAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _rules = pack.Closing;
        _messages = pack.Messages;
        _pack = pack;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var side = call.AgentSide;
        if (side.Count == 0)
        {
            return _messages.Result(CheckIds.Closing, Outcome.NotApplicable, [], Findings.Say("no_agent_speech"));
        }

        var lastEnd = side.Max(i => call.Utterances[i].End);
        var window = side
            .Select((index, position) => (index, position))
            .Where(x => call.Utterances[x.index].Start >= lastEnd - _rules.WindowSeconds || x.position >= side.Count - _rules.MinTurns)
            .Select(x => x.index)
            .ToArray();
        if (window.Length == 0)
        {
            window = [side[^1]];
        }

        (string Name, PhraseList List, string PhraseClass)[] elements =
        [
            ("element_anything_else", _rules.AnythingElsePhrases, PhraseClasses.AnythingElse),
            ("element_thanks", _rules.ThanksPhrases, PhraseClasses.Thanks),
            ("element_farewell", _rules.FarewellPhrases, PhraseClasses.Farewell),
        ];

        var findings = new List<Finding>();
        var missing = new List<string>();
        foreach (var (name, list, phraseClass) in elements)
        {
            // Low-confidence words (a hallucinated "Dziękuję." on hold music) never complete the closing.
            var hit = window
                .Where(i => !call.Utterances[i].IsLowConfidence)
                .Select(i => (Index: i, Match: list.FindFirst(call.Texts[i])))
                .FirstOrDefault(x => x.Match is not null);
            if (hit.Match is null)
            {
                if (LearnedEvidence.Best(_pack, call, window, phraseClass) is { } learned)
                {
                    var heard = call.Utterances[learned.Index];
                    findings.Add(_messages.Make(CheckIds.Closing, Outcome.Pass, heard.Speaker, heard.Start, heard.End,
                        learned.Verdict.Quote, Findings.Say("element_heard_by_model", ("element", MessageRef.KeyList([name])), ("model", learned.Verdict.Describe()))));
                    continue;
                }

                missing.Add(name);
                continue;
            }

            var utterance = call.Utterances[hit.Index];
            findings.Add(_messages.Make(CheckIds.Closing, Outcome.Pass, utterance.Speaker, utterance.Start, utterance.End,
                hit.Match.Quote, Findings.Say("element_heard", ("element", MessageRef.KeyList([name])))));
        }

        var counts = new Dictionary<string, double> { ["closing_missing_elements"] = missing.Count };
        if (missing.Count == 0)
        {
            return _messages.Result(CheckIds.Closing, Outcome.Pass, Findings.InTimeOrder(findings), Findings.Say("closing_complete")) with { Counts = counts };
        }

        var first = call.Utterances[window[0]];
        var last = call.Utterances[window[^1]];
        var message = Findings.Say("missing", ("elements", MessageRef.KeyList(missing)));
        findings.Add(_messages.Make(CheckIds.Closing, Outcome.Fail, last.Speaker, first.Start, last.End,
            Findings.QuoteAll(window.Select(i => call.Utterances[i])), message));
        return _messages.Result(CheckIds.Closing, Outcome.Fail, Findings.InTimeOrder(findings), message) with { Counts = counts };
    }
}
