using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Checks the opening formula (standard point 1): a greeting, the agent's name, the company or a department,
/// and an offer of help, all within the agent's first turn(s).
/// </summary>
/// <remarks>
/// <para>The greeting is made of the agent's utterances that start at most
/// <see cref="GreetingRules.WindowSeconds"/> (default 20 s) after the agent's first utterance starts. The
/// order of the elements is not judged.</para>
/// <para>Agent name: any word of <see cref="CallMetadata.AgentName"/> (first name or surname) counts, with the
/// usual tolerance for misrecognised letters. When the metadata has no name, the element is "not checked".</para>
/// <para>Company: all words of <see cref="CallMetadata.Company"/> in order, or any department phrase from the
/// rule pack. When the metadata has no company, a department phrase satisfies the element; without one the
/// element is "not checked" (the company name cannot be verified).</para>
/// <para>An element not checked never passes silently: it gets an n/a finding quoting the greeting, the summary
/// names it, and <c>greeting_not_checked_elements</c> counts it apart from the missing ones.</para>
/// <para>An utterance the speech model marked low-confidence is quoted in a fail but never satisfies an element. Where
/// the phrases find no offer of help, the pack's learned model may (above its threshold; the finding says so).</para>
/// <para>Mono calls: unknown-speaker utterances are treated as possibly the agent's, since an agent's greeting
/// is recognisable by its words. A call with no agent (or unknown) speech is n/a.</para>
/// Counts: <c>greeting_missing_elements</c>, <c>greeting_not_checked_elements</c>.
/// </remarks>
public sealed class GreetingAnalyzer : ICallCheck
{
    private const string GreetingElement = "element_greeting";
    private const string NameElement = "element_agent_name";
    private const string CompanyElement = "element_company";
    private const string OfferElement = "element_offer_of_help";

    private readonly GreetingRules _rules;
    private readonly MessageCatalog _messages;
    private readonly RulePack _pack;
    private readonly MatchingOptions _matching;
    private readonly TextNormalizer _normalizer;

    /// <summary>Creates the check with the greeting settings of <paramref name="pack"/>.</summary>
    public GreetingAnalyzer(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _rules = pack.Greeting;
        _messages = pack.Messages;
        _pack = pack;
        _matching = pack.Matching;
        _normalizer = pack.Normalizer;
    }

    /// <inheritdoc/>
    public CheckResult Analyze(PreparedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.AgentSide.Count == 0)
        {
            return _messages.Result(CheckIds.Greeting, Outcome.NotApplicable, [], Findings.Say("no_agent_speech"));
        }

        var firstStart = call.Utterances[call.AgentSide[0]].Start;
        var window = call.AgentSide.TakeWhile(i => call.Utterances[i].Start <= firstStart + _rules.WindowSeconds).ToArray();

        var notes = new List<MessageRef>();
        var notChecked = new List<string>();
        var elements = new List<Element> { new(GreetingElement, [_rules.Greetings], Judged: true) };

        var name = NamePattern(call.Call.Metadata.AgentName);
        elements.Add(name is null ? new Element(NameElement, [], Judged: false) : new Element(NameElement, [name], Judged: true));

        var company = CompanyPattern(call.Call.Metadata.Company);
        elements.Add(company is null
            ? new Element(CompanyElement, [_rules.Departments], Judged: false)
            : new Element(CompanyElement, [company, _rules.Departments], Judged: true));
        elements.Add(new Element(OfferElement, [_rules.OffersOfHelp], Judged: true));

        var findings = new List<Finding>();
        var missing = new List<string>();
        foreach (var element in elements)
        {
            var found = FindInWindow(call, window, element.Lists);
            if (found is { } hit)
            {
                var utterance = call.Utterances[hit.Utterance];
                findings.Add(_messages.Make(CheckIds.Greeting, Outcome.Pass, utterance.Speaker, utterance.Start, utterance.End,
                    hit.Match.Quote, Findings.Say("element_heard", ("element", MessageRef.KeyList([element.Name])))));
            }
            else if (element.Name == OfferElement && LearnedEvidence.Best(_pack, call, window, PhraseClasses.OfferOfHelp) is { } learned)
            {
                var utterance = call.Utterances[learned.Index];
                findings.Add(_messages.Make(CheckIds.Greeting, Outcome.Pass, utterance.Speaker, utterance.Start, utterance.End,
                    learned.Verdict.Quote, Findings.Say("element_heard_by_model", ("element", MessageRef.KeyList([element.Name])), ("model", learned.Verdict.Describe()))));
            }
            else if (element.Judged)
            {
                missing.Add(element.Name);
            }
            else
            {
                notChecked.Add(element.Name);
            }
        }

        if (notChecked.Count > 0)
        {
            notes.Add(Findings.Say("greeting_not_checked_note", ("elements", MessageRef.KeyList(notChecked))));
            var windowStart = call.Utterances[window[0]];
            var windowEnd = call.Utterances[window[^1]];
            findings.Add(_messages.Make(CheckIds.Greeting, Outcome.NotApplicable, windowStart.Speaker, windowStart.Start, windowEnd.End,
                Findings.QuoteAll(window.Select(i => call.Utterances[i])), Findings.Say("greeting_not_checked", ("elements", MessageRef.KeyList(notChecked)))));
        }

        var counts = new Dictionary<string, double>
        {
            ["greeting_missing_elements"] = missing.Count,
            ["greeting_not_checked_elements"] = notChecked.Count,
        };
        if (missing.Count == 0)
        {
            return _messages.Result(CheckIds.Greeting, Outcome.Pass, Findings.InTimeOrder(findings), [Findings.Say("greeting_complete"), .. notes]) with
            {
                Counts = counts,
            };
        }

        var first = call.Utterances[window[0]];
        var last = call.Utterances[window[^1]];
        var message = Findings.Say("missing", ("elements", MessageRef.KeyList(missing)));
        findings.Add(_messages.Make(CheckIds.Greeting, Outcome.Fail, first.Speaker, first.Start, last.End,
            Findings.QuoteAll(window.Select(i => call.Utterances[i])), message));
        return _messages.Result(CheckIds.Greeting, Outcome.Fail, Findings.InTimeOrder(findings), [message, .. notes]) with
        {
            Counts = counts,
        };
    }

    private static (int Utterance, PhraseMatch Match)? FindInWindow(PreparedCall call, int[] window, PhraseList[] lists)
    {
        foreach (var index in window)
        {
            if (call.Utterances[index].IsLowConfidence)
            {
                // Words the speech model was unsure of (a hallucinated "Dzień dobry" on noise) never make the greeting pass.
                continue;
            }

            foreach (var list in lists)
            {
                if (list.FindFirst(call.Texts[index]) is { } match)
                {
                    return (index, match);
                }
            }
        }

        return null;
    }

    private PhraseList? NamePattern(string? agentName)
    {
        var words = string.IsNullOrWhiteSpace(agentName) ? [] : _normalizer.Words(agentName).Where(w => w.Length >= 2).ToArray();
        return words.Length == 0 ? null : new PhraseList([PhrasePattern.Parse(string.Join('|', words), _matching)]);
    }

    private PhraseList? CompanyPattern(string? company)
    {
        var words = string.IsNullOrWhiteSpace(company) ? [] : _normalizer.Words(company);
        return words.Count == 0 ? null : new PhraseList([PhrasePattern.Parse(string.Join(' ', words), _matching)]);
    }

    private sealed record Element(string Name, PhraseList[] Lists, bool Judged);
}
