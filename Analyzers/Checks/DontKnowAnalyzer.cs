using QualityScan.Analyzers.Learning;
using System.Globalization;
using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Checks that the agent's "nie wiem" never stands alone (standard point 4): each one must be followed by a
/// next step ("sprawdzę", "oddzwonię", "przełączę…") in the same utterance or the agent's next one.
/// </summary>
/// <remarks>
/// <para>A "don't know" phrase is resolved when a commitment phrase follows it in the same utterance, or
/// appears in the agent's next utterance if that starts within <see cref="DontKnowRules.ResponseWindowSeconds"/>
/// (default 15 s) of the end of the "nie wiem" utterance. A commitment right after a negation word
/// ("nie oddzwonię") does not count, nor does one inside a generic invitation or farewell formula
/// (<see cref="DontKnowRules.GenericPhrases"/>: "zapraszam do kontaktu z nami", "nie da się tego ustalić"), while a referral that
/// names who or where ("zapraszam do kontaktu z działem reklamacji") does. Where the phrases find no next step, the
/// pack's learned model may (above its threshold; the finding gives its score and nearest example). A low-confidence
/// utterance is never the next step. Resolved ones are pass findings, unresolved ones fail findings quoting
/// the whole sentence.</para>
/// <para>Figure of speech: when a continuation word from the rule pack ("czy", "jak", "gdzie"…) follows the
/// phrase and at least one more word follows it in the same sentence ("nie wiem, czy Pan pamięta…"), the
/// "nie wiem" introduces a clause rather than answering, and is neither counted nor judged. "Nie wiem jak."
/// alone is still an answer.</para>
/// <para>Only the agent's words count; the customer's "nie wiem" is normal. No "nie wiem" at all passes.
/// Mono calls are n/a: there is no telling whose "nie wiem" it is.</para>
/// Counts: <c>dont_know_total</c>, <c>unresolved_dont_know</c>.
/// </remarks>
public sealed class DontKnowAnalyzer : ICallCheck
{
    private readonly DontKnowRules _rules;
    private readonly MessageCatalog _messages;
    private readonly RulePack _pack;

    /// <summary>Creates the check with the "nie wiem" settings of <paramref name="pack"/>.</summary>
    public DontKnowAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _rules = pack.DontKnow;
        _messages = pack.Messages;
        _pack = pack;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!call.HasSpeakerSeparation)
        {
            return _messages.Result(CheckIds.DontKnow, Outcome.NotApplicable, [], Findings.Say("dont_know_no_separation"));
        }

        var findings = new List<Finding>();
        var total = 0;
        var unresolved = 0;
        var agent = call.AgentOnly;
        for (var position = 0; position < agent.Count; position++)
        {
            var index = agent[position];
            var utterance = call.Utterances[index];
            var text = call.Texts[index];
            foreach (var match in _rules.DontKnowPhrases.FindAll(text))
            {
                if (IsFigureOfSpeech(text, match))
                {
                    continue;
                }

                total++;
                var commitment = utterance.IsLowConfidence ? null : Commitment(text, match.LastWord + 1);
                if (commitment is not null)
                {
                    findings.Add(_messages.Make(CheckIds.DontKnow, Outcome.Pass, Speaker.Agent, utterance.Start, utterance.End,
                        text.Quote(match.FirstWord, commitment.LastWord), Findings.Say("dont_know_next_step")));
                    continue;
                }

                var nextIndex = position + 1 < agent.Count && call.Utterances[agent[position + 1]].Start <= utterance.End + _rules.ResponseWindowSeconds
                    ? agent[position + 1]
                    : -1;
                if (nextIndex >= 0)
                {
                    var next = call.Utterances[nextIndex];
                    var nextCommitment = next.IsLowConfidence ? null : Commitment(call.Texts[nextIndex], 0);
                    if (nextCommitment is not null)
                    {
                        findings.Add(_messages.Make(CheckIds.DontKnow, Outcome.Pass, Speaker.Agent, utterance.Start, next.End,
                            $"{match.Quote} … {nextCommitment.Quote}", Findings.Say("dont_know_next_step_next_turn")));
                        continue;
                    }
                }

                // The phrases found no next step: the learned model may recognise one the list lacks.
                if (LearnedEvidence.OnRest(_pack, call, index, match.LastWord + 1, PhraseClasses.Commitment) is { } sameTurn)
                {
                    findings.Add(_messages.Make(CheckIds.DontKnow, Outcome.Pass, Speaker.Agent, utterance.Start, utterance.End,
                        $"{match.Quote} … {sameTurn.Quote}", Findings.Say("dont_know_next_step_by_model", ("model", sameTurn.Describe()))));
                    continue;
                }

                if (nextIndex >= 0 && LearnedEvidence.Best(_pack, call, [nextIndex], PhraseClasses.Commitment) is { } nextTurn)
                {
                    var next = call.Utterances[nextIndex];
                    findings.Add(_messages.Make(CheckIds.DontKnow, Outcome.Pass, Speaker.Agent, utterance.Start, next.End,
                        $"{match.Quote} … {nextTurn.Verdict.Quote}", Findings.Say("dont_know_next_step_next_turn_by_model", ("model", nextTurn.Verdict.Describe()))));
                    continue;
                }

                unresolved++;
                findings.Add(_messages.Make(CheckIds.DontKnow, Outcome.Fail, Speaker.Agent, utterance.Start, utterance.End,
                    text.SentenceQuote(match.FirstWord), Findings.Say("dont_know_unresolved")));
            }
        }

        var counts = new Dictionary<string, double> { ["dont_know_total"] = total, ["unresolved_dont_know"] = unresolved };
        var ordered = Findings.InTimeOrder(findings);
        if (unresolved > 0)
        {
            var quotes = string.Join(", ", ordered.Where(f => f.Outcome == Outcome.Fail).Select(f => $"\"{f.Evidence}\""));
            return _messages.Result(CheckIds.DontKnow, Outcome.Fail, ordered,
                Findings.Say("dont_know_failed", ("unresolved", Count(unresolved)), ("total", Count(total)), ("quotes", quotes))) with { Counts = counts };
        }

        var summary = total == 0 ? Findings.Say("dont_know_none") : Findings.Say("dont_know_all_resolved", ("count", Count(total)));
        return _messages.Result(CheckIds.DontKnow, Outcome.Pass, ordered, summary) with { Counts = counts };
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private bool IsFigureOfSpeech(NormalizedText text, PhraseMatch match)
    {
        var next = match.LastWord + 1;
        if (next >= text.Words.Count || !text.SameSentence(match.LastWord, next))
        {
            return false;
        }

        var continuation = _rules.ContinuationWords.MatchAt(text, next);
        if (continuation is null)
        {
            return false;
        }

        var after = continuation.LastWord + 1;
        return after < text.Words.Count && text.SameSentence(continuation.LastWord, after);
    }

    private PhraseMatch? Commitment(NormalizedText text, int fromWord) => ClassPhrases.FindCommitment(_rules, text, fromWord);
}
