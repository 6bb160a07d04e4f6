using System.Globalization;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Runs one check a QA lead defined in the rule pack (<see cref="DefinedCheck"/>): finds the occurrences of its
/// trigger (a phrase said, a pause, a monologue, an overlap), judges each against its conditions (a phrase said or
/// not said in a scope, before or after the occurrence), and words the findings in every report language from the
/// pack's own texts.
/// </summary>
/// <remarks>
/// Turns: consecutive utterances of one party less than <see cref="TurnGapSeconds"/> apart are one turn. On a call
/// without speaker separation the agent's words are every utterance (the customer has none); a check with
/// <c>mono: n/a</c> is n/a there. Utterances the speech model marked unreliable never count as a phrase said.
/// A phrase class with examples (the check's <c>examples</c>) is also recognised by the pack's learned model where its
/// phrases find nothing (a sentence at or above the pack's threshold), and the finding says so.
/// </remarks>
public sealed class DefinedCheckAnalyzer : ICallCheck
{
    /// <summary>Utterances of one party separated by less than this many seconds form one turn.</summary>
    public const double TurnGapSeconds = 1.5;

    /// <summary>How far an utterance's time may disagree with the voice activity around an occurrence.</summary>
    private const double Slack = 0.5;

    private readonly DefinedCheck _check;
    private readonly RulePack _pack;
    private readonly MessageCatalog _messages;

    /// <summary>Creates the check <paramref name="check"/> with <paramref name="pack"/>'s messages.</summary>
    public DefinedCheckAnalyzer(DefinedCheck check, RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(pack);
        _check = check;
        _pack = pack;
        _messages = pack.Messages;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!_check.JudgeMono && !call.HasSpeakerSeparation)
        {
            return Named(_messages.Result(_check.Id, Outcome.NotApplicable, [], Findings.Say("defined_no_separation")));
        }

        var turns = Turns(call);
        return _check.Trigger is { } trigger ? JudgeOccurrences(call, turns, trigger) : JudgeCall(call, turns);
    }

    private CheckResult JudgeOccurrences(PreparedCall call, IReadOnlyList<Turn> turns, DefinedTrigger trigger)
    {
        var occurrences = Occurrences(call, turns, trigger);
        if (occurrences.Count == 0)
        {
            return Summarised(_check.NoneIsPass ? Outcome.Pass : Outcome.NotApplicable, [], _check.None!);
        }

        var findings = new List<Finding>();
        foreach (var occurrence in occurrences)
        {
            var failed = new List<LocalText>();
            var notes = new List<LocalText>();
            var seen = new List<Turn>();
            var learned = new List<ModelVerdict>();
            if (occurrence.Learned is { } byModel)
            {
                learned.Add(byModel);
            }

            foreach (var rule in _check.Require)
            {
                var (ok, looked, verdicts) = Holds(call, turns, rule, occurrence);
                seen.AddRange(looked);
                learned.AddRange(verdicts);
                if (!ok)
                {
                    failed.Add(rule.Fail);
                }
            }

            foreach (var rule in _check.Notes)
            {
                var (ok, _, _) = Holds(call, turns, rule, occurrence);
                notes.Add(ok ? rule.Found! : rule.Fail);
            }

            notes.AddRange(learned.Select(ByModel));

            // A trigger with no conditions is a fault in itself (a monologue): every occurrence fails.
            var outcome = failed.Count == 0 && _check.Require.Count > 0 ? Outcome.Pass : Outcome.Fail;
            var examined = seen.Distinct().OrderBy(t => t.Start).ToList();
            var values = Values(call, occurrence, examined);
            var message = Compose(_check.Occurrence!, failed, notes, values);
            var evidence = examined.Count == 0 || occurrence.Quote.Length == 0
                ? occurrence.Quote.Length > 0 ? occurrence.Quote : Findings.QuoteAll(examined.SelectMany(t => t.Utterances(call)))
                : $"{occurrence.Quote} → {Findings.QuoteAll(examined.SelectMany(t => t.Utterances(call)))}";
            var start = Math.Min(occurrence.Start, examined.Count == 0 ? occurrence.Start : examined.Min(t => t.Start));
            var end = Math.Max(occurrence.End, examined.Count == 0 ? occurrence.End : examined.Max(t => t.End));
            findings.Add(new Finding(_check.Id, outcome, occurrence.Speaker, start, end, evidence, message.For("en")) { LocalMessage = message });
        }

        var fails = findings.Where(f => f.Outcome == Outcome.Fail).ToList();
        return fails.Count == 0
            ? Summarised(Outcome.Pass, findings, _check.Passed)
            : Summarised(Outcome.Fail, findings, Joined(fails.Select(f => f.LocalMessage!)));
    }

    private CheckResult JudgeCall(PreparedCall call, IReadOnlyList<Turn> turns)
    {
        var whole = new Occurrence(Speaker.Unknown, 0, 0, "");
        if (_check.OnlyIf is { } onlyIf && !Holds(call, turns, onlyIf, whole).Ok)
        {
            return Named(_messages.Result(_check.Id, Outcome.NotApplicable, [], Findings.Say("defined_not_applicable")));
        }

        var findings = new List<Finding>();
        foreach (var rule in _check.Require)
        {
            if (rule.Kind == RuleKind.TalkShare)
            {
                var share = TalkShare(call, rule.By);
                if (share is { } s && (s < rule.Min || s > rule.Max))
                {
                    var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["quote"] = s.ToString("P0", CultureInfo.InvariantCulture) };
                    var text = Fill(rule.Fail, values);
                    findings.Add(new Finding(_check.Id, Outcome.Fail, rule.By, 0, call.Call.Metadata.DurationSeconds, values["quote"], text.For("en")) { LocalMessage = text });
                }

                continue;
            }

            var matches = Matches(call, Scope(call, turns, rule, whole), rule.PhraseClass!).ToList();
            if (rule.Kind == RuleKind.Say && matches.Count == 0)
            {
                var (from, to) = ScopeSpan(call, turns, rule);
                var text = Fill(rule.Fail, Clock(from, to));
                findings.Add(new Finding(_check.Id, Outcome.Fail, rule.By, from, to, "", text.For("en")) { LocalMessage = text });
            }
            else if (rule.Kind == RuleKind.Say)
            {
                var (index, quote, verdict) = matches.Find(m => m.Verdict is null) is { Quote: not null } phrase ? phrase : matches[0];
                var u = call.Utterances[index];
                var text = verdict is null ? _check.Passed : Joined([_check.Passed, ByModel(verdict)]);
                findings.Add(new Finding(_check.Id, Outcome.Pass, u.Speaker, u.Start, u.End, quote, text.For("en")) { LocalMessage = text });
            }
            else
            {
                foreach (var (index, quote, verdict) in matches)
                {
                    var u = call.Utterances[index];
                    var values = Clock(u.Start, u.End);
                    values["quote"] = quote;
                    var text = Fill(rule.Fail, values);
                    text = verdict is null ? text : Joined([text, ByModel(verdict)]);
                    findings.Add(new Finding(_check.Id, Outcome.Fail, u.Speaker, u.Start, u.End, quote, text.For("en")) { LocalMessage = text });
                }
            }
        }

        var ordered = Findings.InTimeOrder(findings);
        var fails = ordered.Where(f => f.Outcome == Outcome.Fail).ToList();
        return fails.Count == 0
            ? Summarised(Outcome.Pass, ordered, _check.Passed)
            : Summarised(Outcome.Fail, ordered, Joined(fails.Select(f => f.LocalMessage!)));
    }

    /// <summary>Whether <paramref name="rule"/> holds for <paramref name="occurrence"/>, the turns it looked at, and the learned verdicts it relied on.</summary>
    private (bool Ok, IReadOnlyList<Turn> Looked, IReadOnlyList<ModelVerdict> Learned) Holds(PreparedCall call, IReadOnlyList<Turn> turns, DefinedRule rule, Occurrence occurrence)
    {
        if (rule.Kind == RuleKind.TalkShare)
        {
            var share = TalkShare(call, rule.By);
            return (share is not { } s || (s >= rule.Min && s <= rule.Max), [], []);
        }

        var scope = Scope(call, turns, rule, occurrence);
        // A phrase anywhere in the scope outranks a model verdict on an earlier utterance.
        var matches = Matches(call, scope, rule.PhraseClass!).ToList();
        var first = matches.Find(m => m.Verdict is null) is { Quote: not null } phrase ? phrase : matches.FirstOrDefault();
        var found = first.Quote is not null;
        var looked = rule.Scope is RuleScope.TurnsBefore or RuleScope.TurnsAfter ? scope : [];
        return (rule.Kind == RuleKind.Say ? found : !found, looked, first.Verdict is { } verdict ? [verdict] : []);
    }

    /// <summary>
    /// The utterances of <paramref name="scope"/> that say a phrase of <paramref name="phraseClass"/>: by its phrases, else
    /// by the learned model (its verdict given); utterances the speech model was unsure of never count.
    /// </summary>
    private IEnumerable<(int Index, string Quote, ModelVerdict? Verdict)> Matches(PreparedCall call, IReadOnlyList<Turn> scope, string phraseClass)
    {
        var phrases = _check.Phrases[phraseClass];
        foreach (var index in scope.SelectMany(t => t.Indices))
        {
            if (call.Utterances[index].IsLowConfidence)
            {
                continue;
            }

            if (phrases.FindFirst(call.Texts[index]) is { } match)
            {
                yield return (index, match.Quote, null);
            }
            else if (Learned(call, index, phraseClass) is { } verdict)
            {
                yield return (index, verdict.Quote, verdict);
            }
        }
    }

    /// <summary>The learned model's verdict that utterance <paramref name="index"/> says a phrase of the class, when the class has examples.</summary>
    private ModelVerdict? Learned(PreparedCall call, int index, string phraseClass) =>
        _check.Examples.ContainsKey(phraseClass) ? _pack.Judge(call, index, _check.LearnedClass(phraseClass)) : null;

    /// <summary>"recognised by the learned model (model 0.91, nearest example: "…")" in every report language.</summary>
    private static LocalText ByModel(ModelVerdict verdict)
    {
        var model = verdict.Describe();
        return new LocalText(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pl"] = $"„{verdict.Quote}” rozpoznane przez model uczony ({model})",
            ["cs"] = $"„{verdict.Quote}“ rozpoznáno naučeným modelem ({model})",
            ["en"] = $"\"{verdict.Quote}\" recognised by the learned model ({model})",
        });
    }

    /// <summary>The turns of <paramref name="rule"/>'s party that its scope covers, in time order.</summary>
    private static IReadOnlyList<Turn> Scope(PreparedCall call, IReadOnlyList<Turn> turns, DefinedRule rule, Occurrence occurrence)
    {
        var own = turns.Where(t => t.Speaker == rule.By || (rule.By == Speaker.Agent && t.Speaker == Speaker.Unknown)).ToList();
        var n = (int)rule.Amount;
        var (callStart, callEnd) = CallSpan(call);
        return rule.Scope switch
        {
            RuleScope.TurnsBefore => own.Where(t => t.End <= occurrence.Start + Slack && t.Start < occurrence.Start && !ReferenceEquals(t, occurrence.Turn)).TakeLast(n).ToList(),
            RuleScope.TurnsAfter => own.Where(t => t.Start >= occurrence.AfterFrom && !ReferenceEquals(t, occurrence.Turn)).Take(n).ToList(),
            RuleScope.SecondsBefore => own.Where(t => t.End > occurrence.Start - rule.Amount && t.Start < occurrence.Start && !ReferenceEquals(t, occurrence.Turn)).ToList(),
            RuleScope.SecondsAfter => own.Where(t => t.Start >= occurrence.AfterFrom && t.Start <= occurrence.End + rule.Amount && !ReferenceEquals(t, occurrence.Turn)).ToList(),
            RuleScope.FirstTurns => own.Take(n).ToList(),
            RuleScope.LastTurns => own.TakeLast(n).ToList(),
            RuleScope.FirstSeconds => own.Where(t => t.Start <= callStart + rule.Amount).ToList(),
            RuleScope.LastSeconds => own.Where(t => t.End >= callEnd - rule.Amount).ToList(),
            _ => own,
        };
    }

    private static (double From, double To) ScopeSpan(PreparedCall call, IReadOnlyList<Turn> turns, DefinedRule rule)
    {
        var (start, end) = CallSpan(call);
        return rule.Scope switch
        {
            RuleScope.FirstSeconds => (start, Math.Min(end, start + rule.Amount)),
            RuleScope.LastSeconds => (Math.Max(start, end - rule.Amount), end),
            _ => Scope(call, turns, rule, new Occurrence(Speaker.Unknown, 0, 0, "")) is { Count: > 0 } scope ? (scope[0].Start, scope[^1].End) : (start, end),
        };
    }

    private static (double Start, double End) CallSpan(PreparedCall call) =>
        call.Utterances.Count == 0 ? (0, 0) : (call.Utterances.Min(u => u.Start), call.Utterances.Max(u => u.End));

    private IReadOnlyList<Occurrence> Occurrences(PreparedCall call, IReadOnlyList<Turn> turns, DefinedTrigger trigger) => trigger.Kind switch
    {
        TriggerKind.Pause => Pauses(call, trigger.MinSeconds),
        TriggerKind.Monologue => Monologues(call, turns, trigger),
        TriggerKind.Overlap => Overlaps(call, trigger.MinSeconds),
        _ => Said(call, turns, trigger),
    };

    /// <summary>Each turn of the trigger's party in which a phrase of its class is said.</summary>
    private List<Occurrence> Said(PreparedCall call, IReadOnlyList<Turn> turns, DefinedTrigger trigger)
    {
        var said = new List<Occurrence>();
        foreach (var turn in turns.Where(t => t.Speaker == trigger.By || (trigger.By == Speaker.Agent && t.Speaker == Speaker.Unknown)))
        {
            var matches = Matches(call, [turn], trigger.PhraseClass!).ToList();
            if (matches.Count > 0)
            {
                // Phrases first: a turn the phrases recognise names no model verdict.
                var learned = matches.All(m => m.Verdict is not null) ? matches[0].Verdict : null;
                said.Add(new Occurrence(turn.Speaker, turn.Start, turn.End, Findings.QuoteAll(turn.Utterances(call))) { AfterFrom = turn.Start, Turn = turn, Learned = learned });
            }
        }

        return said;
    }

    private static IReadOnlyList<Occurrence> Pauses(PreparedCall call, double minSeconds)
    {
        var activity = call.Call.Activity;
        var speech = Merge(activity.Agent.Concat(activity.Customer).Concat(activity.Unknown));
        var pauses = new List<Occurrence>();
        for (var i = 1; i < speech.Count; i++)
        {
            var gap = speech[i].Start - speech[i - 1].End;
            if (gap >= minSeconds)
            {
                pauses.Add(new Occurrence(Speaker.Unknown, speech[i - 1].End, speech[i].Start, "") { AfterFrom = speech[i].Start - Slack });
            }
        }

        return pauses;
    }

    private static IReadOnlyList<Occurrence> Monologues(PreparedCall call, IReadOnlyList<Turn> turns, DefinedTrigger trigger)
    {
        var stretches = new List<Occurrence>();
        Turn? first = null;
        var end = 0.0;
        void Close()
        {
            if (first is not null && end - first.Start >= trigger.MinSeconds)
            {
                stretches.Add(new Occurrence(trigger.By, first.Start, end, FirstWords(call, first)) { AfterFrom = end });
            }

            first = null;
        }

        foreach (var turn in turns)
        {
            var mine = turn.Speaker == trigger.By || (trigger.By == Speaker.Agent && turn.Speaker == Speaker.Unknown);
            if (mine)
            {
                if (first is not null && turn.Start - end >= trigger.MaxGapSeconds)
                {
                    Close();
                }

                first ??= turn;
                end = Math.Max(end, turn.End);
            }
            else if (!IsBackchannel(call, turn, trigger.Backchannels))
            {
                Close();
            }
        }

        Close();
        return stretches;
    }

    private static IReadOnlyList<Occurrence> Overlaps(PreparedCall call, double minSeconds)
    {
        var agent = Merge(call.Call.Activity.Agent);
        var customer = Merge(call.Call.Activity.Customer);
        var overlaps = new List<Occurrence>();
        foreach (var a in agent)
        {
            foreach (var c in customer.Where(c => a.OverlapWith(c) >= minSeconds))
            {
                var from = Math.Max(a.Start, c.Start);
                var to = Math.Min(a.End, c.End);
                var words = Findings.QuoteAll(call.Utterances.Where(u => u.Speaker == Speaker.Agent && u.Span.OverlapWith(new TimeInterval(from, to)) > 0));
                overlaps.Add(new Occurrence(Speaker.Agent, from, to, words) { AfterFrom = to });
            }
        }

        return overlaps;
    }

    private static bool IsBackchannel(PreparedCall call, Turn turn, IReadOnlySet<string> backchannels) =>
        turn.Indices.All(i => call.Texts[i].Words.All(w => backchannels.Contains(w.Text)));

    private static string FirstWords(PreparedCall call, Turn turn)
    {
        var words = turn.Utterances(call).SelectMany(u => u.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return words.Count <= 12 ? string.Join(' ', words) : string.Join(' ', words.Take(12)) + " …";
    }

    private static double? TalkShare(PreparedCall call, Speaker by)
    {
        var agent = Merge(call.Call.Activity.Agent).Sum(i => i.Duration);
        var customer = Merge(call.Call.Activity.Customer).Sum(i => i.Duration);
        return agent + customer <= 0 ? null : (by == Speaker.Agent ? agent : customer) / (agent + customer);
    }

    private static List<TimeInterval> Merge(IEnumerable<TimeInterval> intervals)
    {
        var merged = new List<TimeInterval>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
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

    /// <summary>The call's turns in time order.</summary>
    private static IReadOnlyList<Turn> Turns(PreparedCall call)
    {
        var order = Enumerable.Range(0, call.Utterances.Count).OrderBy(i => call.Utterances[i].Start).ToArray();
        var turns = new List<Turn>();
        foreach (var i in order)
        {
            var u = call.Utterances[i];
            if (turns.Count > 0 && turns[^1].Speaker == u.Speaker && u.Start - turns[^1].End < TurnGapSeconds)
            {
                turns[^1] = turns[^1].With(i, u.End);
            }
            else
            {
                turns.Add(new Turn(u.Speaker, [i], u.Start, u.End));
            }
        }

        return turns;
    }

    private static Dictionary<string, string> Values(PreparedCall call, Occurrence occurrence, IReadOnlyList<Turn> examined)
    {
        var values = Clock(occurrence.Start, occurrence.End);
        values["quote"] = occurrence.Quote;
        values["turn"] = examined.Count == 0 ? "—" : Findings.QuoteAll(examined.SelectMany(t => t.Utterances(call)));
        return values;
    }

    private static Dictionary<string, string> Clock(double from, double to) => new(StringComparer.Ordinal)
    {
        ["from"] = Clock(from),
        ["to"] = Clock(to),
        ["seconds"] = (to - from).ToString("0.#", CultureInfo.InvariantCulture),
    };

    private static string Clock(double seconds)
    {
        var minutes = (int)(seconds / 60);
        return string.Create(CultureInfo.InvariantCulture, $"{minutes}:{seconds - minutes * 60:00.0}");
    }

    /// <summary>"occurrence: failure; failure; note" in every language.</summary>
    private static LocalText Compose(LocalText occurrence, IReadOnlyList<LocalText> failed, IReadOnlyList<LocalText> notes, IReadOnlyDictionary<string, string> values)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in DefinedCheckLoader.Languages)
        {
            var parts = failed.Concat(notes).Select(t => Fill(t.For(language), values, language)).ToList();
            var head = Fill(occurrence.For(language), values, language);
            texts[language] = parts.Count == 0 ? head : $"{head}: {string.Join("; ", parts)}";
        }

        return new LocalText(texts);
    }

    private static LocalText Fill(LocalText text, IReadOnlyDictionary<string, string> values) =>
        new(DefinedCheckLoader.Languages.ToDictionary(l => l, l => Fill(text.For(l), values, l), StringComparer.Ordinal));

    private static string Fill(string text, IReadOnlyDictionary<string, string> values, string language)
    {
        foreach (var (name, value) in values)
        {
            var shown = name == "seconds" && language != "en" ? value.Replace('.', ',') : value;
            text = text.Replace("{" + name + "}", shown, StringComparison.Ordinal);
        }

        return text;
    }

    private static LocalText Joined(IEnumerable<LocalText> texts)
    {
        var list = texts.Take(3).ToList();
        return new LocalText(DefinedCheckLoader.Languages.ToDictionary(l => l, l => string.Join("; ", list.Select(t => t.For(l))), StringComparer.Ordinal));
    }

    private CheckResult Summarised(Outcome outcome, IReadOnlyList<Finding> findings, LocalText summary) =>
        new(_check.Id, outcome, findings, summary.For("en")) { LocalSummary = summary, LocalName = _check.Name };

    private CheckResult Named(CheckResult result) => result with { LocalName = _check.Name };

    /// <summary>One turn: consecutive utterances of one party.</summary>
    private sealed record Turn(Speaker Speaker, int[] Indices, double Start, double End)
    {
        public Turn With(int index, double end) => this with { Indices = [.. Indices, index], End = Math.Max(End, end) };

        public IEnumerable<Utterance> Utterances(PreparedCall call) => Indices.Select(i => call.Utterances[i]);
    }

    /// <summary>One occurrence of the trigger: who, when, and the words that name it.</summary>
    private sealed record Occurrence(Speaker Speaker, double Start, double End, string Quote)
    {
        /// <summary>Turns starting at or after this time count as "after" the occurrence.</summary>
        public double AfterFrom { get; init; } = End;

        /// <summary>The turn that is the occurrence (a phrase said), never examined as its own before or after.</summary>
        public Turn? Turn { get; init; }

        /// <summary>The learned model's verdict when only the model recognised the phrase that makes this occurrence.</summary>
        public ModelVerdict? Learned { get; init; }
    }
}
