using QualityScan.Analyzers.Checks;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// Judges a <see cref="PhrasingSet"/> with the real checks: each utterance inside a small call built around it (the
/// check passes, or for a directive fails, when it finds the class), each whole call by every check.
/// </summary>
public static class PhrasingEvaluation
{
    /// <summary>Agreement of <paramref name="pack"/> with the set's items of its language in <paramref name="halves"/>.</summary>
    public static PhrasingScore Score(RulePack pack, PhrasingSet set, IReadOnlyCollection<string> halves)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(halves);
        var classes = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (var item in set.Utterances.Where(i => i.Language == pack.Language && halves.Contains(i.Half)))
        {
            var detected = Detected(pack, item.PhraseClass, item.Text);
            Tally.Of(classes, item.PhraseClass).Add(item.Positive, detected);
            if (detected != item.Positive)
            {
                misses.Add($"{(item.Positive ? "missed" : "accepted")} {item.PhraseClass}: {item.Text}");
            }
        }

        var checks = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var analyzer = new CallAnalyzer(pack);
        foreach (var call in set.Calls.Where(c => c.Transcript.Metadata.Language == pack.Language && halves.Contains(c.Half)))
        {
            var report = analyzer.Analyze(call.Transcript);
            foreach (var (check, expected) in call.Expected)
            {
                var actual = report.ResultOf(check)?.Outcome;
                Tally.Of(checks, check).Add(expected == Outcome.Fail, actual == Outcome.Fail, actual == expected);
                if (actual != expected)
                {
                    misses.Add($"{call.Transcript.Metadata.CallId} {check}: expected {expected}, got {actual?.ToString() ?? "nothing"}");
                }
            }
        }

        return new PhrasingScore(classes, checks, misses);
    }

    /// <summary>Whether the real check, on a small call built around <paramref name="text"/>, finds <paramref name="phraseClass"/> in it.</summary>
    public static bool Detected(RulePack pack, string phraseClass, string text)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var czech = pack.Language == "cs";
        var utterances = new List<Utterance>();
        double duration;
        ICallCheck check;
        switch (phraseClass)
        {
            case PhraseClasses.OfferOfHelp:
                utterances.Add(new Utterance(Speaker.Agent, 0, 3, czech ? "Dobrý den, Petr Svoboda, Telkom." : "Dzień dobry, Anna Kowalska, Telkom."));
                utterances.Add(new Utterance(Speaker.Agent, 3.5, 6, text));
                duration = 6;
                check = new GreetingAnalyzer(pack);
                break;
            case PhraseClasses.Commitment:
                utterances.Add(new Utterance(Speaker.Customer, 0, 4, czech ? "Kdy mi přijde nová karta?" : "Kiedy dostanę nową kartę?"));
                utterances.Add(new Utterance(Speaker.Agent, 5, 6, czech ? "Nevím." : "Nie wiem."));
                utterances.Add(new Utterance(Speaker.Agent, 6.5, 10, text));
                duration = 10;
                check = new DontKnowAnalyzer(pack);
                break;
            case PhraseClasses.Polite:
            case PhraseClasses.Directive:
                utterances.Add(new Utterance(Speaker.Agent, 10, 13, text));
                duration = phraseClass == PhraseClasses.Polite ? 70 : 20;
                check = new PolitenessAnalyzer(pack);
                break;
            default:
                string[] closing = czech
                    ? ["Můžu vám ještě s něčím pomoci?", "Děkuji za hovor.", "Na shledanou."]
                    : ["Czy mogę jeszcze w czymś pomóc?", "Dziękuję za rozmowę.", "Do widzenia."];
                closing[phraseClass switch { PhraseClasses.AnythingElse => 0, PhraseClasses.Thanks => 1, _ => 2 }] = text;
                utterances.Add(new Utterance(Speaker.Agent, 50, 53, closing[0]));
                utterances.Add(new Utterance(Speaker.Customer, 53.5, 55, czech ? "Ne, to je vše." : "Nie, to wszystko."));
                utterances.Add(new Utterance(Speaker.Agent, 55.5, 57, closing[1]));
                utterances.Add(new Utterance(Speaker.Agent, 57.2, 58, closing[2]));
                duration = 58;
                check = new ClosingAnalyzer(pack);
                break;
        }

        var metadata = new CallMetadata("probe", "probe", czech ? "Petr Svoboda" : "Anna Kowalska", "Telkom", pack.Language, duration);
        var outcome = check.Analyze(pack.Prepare(new CallTranscript(metadata, utterances, VoiceActivity.FromUtterances(utterances)))).Outcome;
        return phraseClass == PhraseClasses.Directive ? outcome == Outcome.Fail : outcome == Outcome.Pass;
    }
}

/// <summary>Agreement per phrase class (utterances) and per check (whole calls), and every disagreement.</summary>
public sealed record PhrasingScore(IReadOnlyDictionary<string, Tally> Classes, IReadOnlyDictionary<string, Tally> Checks, IReadOnlyList<string> Disagreements);

/// <summary>Counts of agreement; positive = the class was found (utterances) or the check failed (calls).</summary>
public sealed class Tally
{
    /// <summary>Items compared.</summary>
    public int Count { get; private set; }

    /// <summary>Items judged as expected.</summary>
    public int Agreed { get; private set; }

    /// <summary>Negatives judged positive (a near miss accepted; a call failed that should pass).</summary>
    public int FalsePositives { get; private set; }

    /// <summary>Positives judged negative.</summary>
    public int FalseNegatives { get; private set; }

    /// <summary>Agreed ÷ compared (0 when nothing was compared).</summary>
    public double Agreement => Count == 0 ? 0 : (double)Agreed / Count;

    /// <summary>Adds one item judged <paramref name="detected"/> whose truth is <paramref name="expected"/>.</summary>
    public void Add(bool expected, bool detected) => Add(expected, detected, expected == detected);

    /// <summary>Adds one item; <paramref name="agreed"/> decides agreement (an n/a outcome can disagree either way).</summary>
    public void Add(bool expected, bool detected, bool agreed)
    {
        Count++;
        Agreed += agreed ? 1 : 0;
        FalsePositives += !agreed && !expected && detected ? 1 : 0;
        FalseNegatives += !agreed && expected && !detected ? 1 : 0;
    }

    internal static Tally Of(Dictionary<string, Tally> tallies, string key)
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tally = new Tally();
            tallies[key] = tally;
        }

        return tally;
    }
}
