using System.Globalization;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Checks that the agent lets the customer finish (standard point 2), from the voice activity of both parties.
/// </summary>
/// <remarks>
/// <para>Each party's speech intervals are first merged when less than <see cref="InterruptionRules.MergeGapSeconds"/>
/// (default 0.3 s) apart. An interruption is an agent interval that starts strictly after a customer interval
/// starts and before it ends; it lasts from the agent's start to whichever ends first, and counts when it
/// lasts at least <see cref="InterruptionRules.MinOverlapSeconds"/> (default 1 s). Shorter overlaps are ignored.</para>
/// <para>Backchannels: when the agent's words during the overlap are only listening signals from the rule pack
/// ("mhm", "tak", "aha"), the overlap is not an interruption even if it is long; it is reported as a pass
/// finding. An overlap with no transcribed agent words is judged on the voice alone and counts.</para>
/// <para>The customer talking over the agent is found the same way and reported as pass findings (speaker
/// customer); it never fails the check. Each interruption is a fail finding spanning the overlap, quoting the
/// agent's words and the customer's words talked over.</para>
/// <para>Calls without speaker separation (mono) are n/a.</para>
/// Counts: <c>interruptions</c>, <c>overlap_seconds</c> (total length of the counted interruptions),
/// <c>customer_interruptions</c>.
/// </remarks>
public sealed class InterruptionAnalyzer : ICallCheck
{
    private readonly InterruptionRules _rules;
    private readonly MessageCatalog _messages;

    /// <summary>Creates the check with the interruption settings of <paramref name="pack"/>.</summary>
    public InterruptionAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _rules = pack.Interruption;
        _messages = pack.Messages;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!call.HasSpeakerSeparation)
        {
            return _messages.Result(CheckIds.Interruption, Outcome.NotApplicable, [], Findings.Say("interruption_no_separation"));
        }

        var agent = Merge(call.Call.Activity.Agent);
        var customer = Merge(call.Call.Activity.Customer);
        var findings = new List<Finding>();
        var interruptions = 0;
        var overlapSeconds = 0.0;
        var customerInterruptions = 0;

        var agentSpeech = WordsOf(call, Speaker.Agent);
        var customerSpeech = WordsOf(call, Speaker.Customer);
        foreach (var overlap in Overlaps(agent, customer))
        {
            var agentWords = agentSpeech.In(overlap);
            var customerWords = customerSpeech.In(overlap);
            var evidence = Findings.Say("overlap_evidence",
                ("speaker", MessageRef.KeyList(["speaker_agent"])), ("words", agentWords.Quote),
                ("other", MessageRef.KeyList(["speaker_customer"])), ("other_words", customerWords.Quote));
            if (agentWords.OnlyBackchannel)
            {
                findings.Add(_messages.Make(CheckIds.Interruption, Outcome.Pass, Speaker.Agent, overlap.Start, overlap.End, evidence,
                    Findings.Say("interruption_backchannel", ("seconds", Findings.Seconds(overlap.Duration)))));
                continue;
            }

            interruptions++;
            overlapSeconds += overlap.Duration;
            findings.Add(_messages.Make(CheckIds.Interruption, Outcome.Fail, Speaker.Agent, overlap.Start, overlap.End, evidence,
                Findings.Say("interruption_by_agent", ("seconds", Findings.Seconds(overlap.Duration)))));
        }

        agentSpeech = WordsOf(call, Speaker.Agent);
        customerSpeech = WordsOf(call, Speaker.Customer);
        foreach (var overlap in Overlaps(customer, agent))
        {
            var customerWords = customerSpeech.In(overlap);
            var agentWords = agentSpeech.In(overlap);
            if (customerWords.OnlyBackchannel)
            {
                continue;
            }

            customerInterruptions++;
            var evidence = Findings.Say("overlap_evidence",
                ("speaker", MessageRef.KeyList(["speaker_customer"])), ("words", customerWords.Quote),
                ("other", MessageRef.KeyList(["speaker_agent"])), ("other_words", agentWords.Quote));
            findings.Add(_messages.Make(CheckIds.Interruption, Outcome.Pass, Speaker.Customer, overlap.Start, overlap.End, evidence,
                Findings.Say("interruption_by_customer", ("seconds", Findings.Seconds(overlap.Duration)))));
        }

        var counts = new Dictionary<string, double>
        {
            ["interruptions"] = interruptions,
            ["overlap_seconds"] = Math.Round(overlapSeconds, 2),
            ["customer_interruptions"] = customerInterruptions,
        };
        var ordered = Findings.InTimeOrder(findings);
        if (interruptions > 0)
        {
            return _messages.Result(CheckIds.Interruption, Outcome.Fail, ordered,
                Findings.Say("interruption_failed", ("count", Count(interruptions)), ("seconds", Findings.Seconds(overlapSeconds)))) with { Counts = counts };
        }

        var summary = customerInterruptions == 0
            ? Findings.Say("interruption_none")
            : Findings.Say("interruption_none_by_agent", ("count", Count(customerInterruptions)));
        return _messages.Result(CheckIds.Interruption, Outcome.Pass, ordered, summary) with { Counts = counts };
    }

    /// <summary>Overlaps started by <paramref name="starter"/> inside an interval of <paramref name="speaker"/>, at least the threshold long.</summary>
    /// <remarks>
    /// Both lists are merged turns: sorted and disjoint, so a start lies inside at most one interval of the other party and
    /// one forward pass over both finds every overlap (time and memory linear in the turns, however crowded the call).
    /// </remarks>
    private IEnumerable<TimeInterval> Overlaps(IReadOnlyList<TimeInterval> starter, IReadOnlyList<TimeInterval> speaker)
    {
        var j = 0;
        foreach (var started in starter)
        {
            while (j < speaker.Count && speaker[j].End <= started.Start)
            {
                j++;
            }

            if (j == speaker.Count)
            {
                yield break;
            }

            var spoken = speaker[j];
            if (spoken.Start < started.Start)
            {
                var end = Math.Min(started.End, spoken.End);
                if (end - started.Start >= _rules.MinOverlapSeconds)
                {
                    yield return new TimeInterval(started.Start, end);
                }
            }
        }
    }

    private IReadOnlyList<TimeInterval> Merge(IReadOnlyList<TimeInterval> intervals)
    {
        var merged = new List<TimeInterval>(intervals.Count);
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && interval.Start - merged[^1].End < _rules.MergeGapSeconds)
            {
                merged[^1] = new TimeInterval(merged[^1].Start, Math.Max(merged[^1].End, interval.End));
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private SpeakerWords WordsOf(PreparedCall call, Speaker speaker) =>
        new(call, speaker, i => call.Texts[i].Words.All(w => _rules.BackchannelWords.Contains(w.Text)));

    /// <summary>Words of one speaker inside overlap spans: everything an overlap's finding needs to know of them.</summary>
    /// <param name="Quote">At most <see cref="SpanSweep.MaxQuoted"/> utterances quoted (the count of the rest added), so a crowded call cannot make a finding as large as the call.</param>
    /// <param name="OnlyBackchannel">True when every overlapping utterance is made only of listening signals.</param>
    private readonly record struct SpanWords(string Quote, bool OnlyBackchannel);

    /// <summary>
    /// The utterances of one speaker that overlap each of a series of spans given in time order, found by a sweep line:
    /// utterances enter when the sweep reaches their start and leave once they end before a span starts, so a call is
    /// read once per series instead of once per overlap.
    /// </summary>
    private sealed class SpeakerWords(PreparedCall call, Speaker speaker, Func<int, bool> isBackchannel)
    {
        private readonly SpanSweep _sweep = new(call.Utterances, i => call.Utterances[i].Speaker == speaker, isBackchannel);

        public SpanWords In(TimeInterval span)
        {
            var (quoted, count, others) = _sweep.Take(span);
            var quote = Findings.QuoteAll(quoted.Select(i => call.Utterances[i]), count);
            return new SpanWords(quote, count > 0 && others == 0);
        }
    }
}
