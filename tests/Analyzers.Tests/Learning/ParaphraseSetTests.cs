using System.Globalization;
using System.Text;
using QualityScan.Analyzers.Checks;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Learning;

/// <summary>
/// The paraphrase set (<c>paraphrases.tsv</c>, written apart from the packs' examples) judged by the real checks, with
/// the phrases alone and with a model learned from the packs' examples: the model must catch paraphrases the lists
/// miss without accepting near misses the lists rightly reject.
/// </summary>
public sealed class ParaphraseSetTests
{
    private static readonly Lazy<IReadOnlyList<Item>> Items = new(Load);

    [TestCase("pl")]
    [TestCase("cs")]
    public void Set_PerLanguage_HasAtLeast100UtterancesHalfPositiveCoveringEveryClass(string language)
    {
        var items = Items.Value.Where(i => i.Language == language).ToList();

        Assert.That(items, Has.Count.GreaterThanOrEqualTo(100));
        Assert.That(items.Count(i => i.Positive), Is.EqualTo(items.Count / 2), "half positive");
        Assert.That(items.Select(i => i.PhraseClass).Distinct(), Is.EquivalentTo(PhraseClasses.All), "every phrase class");
    }

    [TestCase("pl")]
    [TestCase("cs")]
    public void Set_NoUtteranceIsAnExampleOfThePack(string language)
    {
        var pack = RulePacks.For(new CallTranscript(new CallMetadata("x", "a", null, null, language, 0), [], VoiceActivity.Empty));
        var examples = pack.Learning.ToTrainingExamples("pack").Select(e => Fold(pack, e.Text)).Concat(pack.Learning.Neutral.Select(t => Fold(pack, t))).ToHashSet();

        var copied = Items.Value.Where(i => i.Language == language && examples.Contains(Fold(pack, i.Text))).Select(i => i.Text).ToList();

        Assert.That(copied, Is.Empty, "the test set must be independent of the examples the model learns from");
    }

    [TestCase("pl")]
    [TestCase("cs")]
    public void LearnedModel_OnParaphrases_RaisesAgreementAndAcceptsNoNearMiss(string language)
    {
        var items = Items.Value.Where(i => i.Language == language).ToList();
        var phrasesOnly = RulePacks.For(new CallTranscript(new CallMetadata("x", "a", null, null, language, 0), [], VoiceActivity.Empty));
        var learned = LearnedModels.For(language);

        var report = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"{language}: class           n  agreement phrases -> model   false positives phrases -> model");
        var without = new Tally();
        var with = new Tally();
        var wrong = new List<string>();
        foreach (var group in items.GroupBy(i => i.PhraseClass))
        {
            var a = new Tally();
            var b = new Tally();
            foreach (var item in group)
            {
                a.Add(item.Positive, Detected(phrasesOnly, item));
                var detected = Detected(learned, item);
                b.Add(item.Positive, detected);
                if (detected != item.Positive)
                {
                    wrong.Add($"      {(item.Positive ? "missed" : "accepted")} {item.PhraseClass}: {item.Text}");
                }
            }

            without.Add(a);
            with.Add(b);
            report.AppendLine(CultureInfo.InvariantCulture, $"    {group.Key,-14} {a.Count,3}  {a.Agreement,17:0.00} -> {b.Agreement:0.00}   {a.FalsePositives,15} -> {b.FalsePositives}");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"    {"all",-14} {without.Count,3}  {without.Agreement,17:0.00} -> {with.Agreement:0.00}   {without.FalsePositives,15} -> {with.FalsePositives}");
        report.AppendLine(CultureInfo.InvariantCulture, $"    precision {without.Precision:0.00} -> {with.Precision:0.00}, recall {without.Recall:0.00} -> {with.Recall:0.00}");
        report.AppendLine("    still wrong with the model:").AppendJoin(Environment.NewLine, wrong).AppendLine();
        TestContext.Out.Write(report.ToString());

        Assert.That(with.Agreement, Is.GreaterThan(without.Agreement), "the learned model must catch paraphrases the phrase lists miss");
        Assert.That(with.Agreement, Is.GreaterThanOrEqualTo(0.9), "phrases and learned layer together judge the paraphrase set");
        Assert.That(without.FalsePositives, Is.Zero, "the phrase lists accept no near miss of the set");
        Assert.That(with.FalsePositives, Is.Zero, "the learned layer accepts no near miss of the set");
    }

    internal static (double Agreement, int FalsePositives, int PhraseFalsePositives) Score(RulePack pack, string language)
    {
        var phrasesOnly = pack with { Model = null };
        var a = new Tally();
        var b = new Tally();
        foreach (var item in Items.Value.Where(i => i.Language == language))
        {
            a.Add(item.Positive, Detected(phrasesOnly, item));
            b.Add(item.Positive, Detected(pack, item));
        }

        return (b.Agreement, b.FalsePositives, a.FalsePositives);
    }

    /// <summary>Whether the real check, on a small call built around the utterance, found the class in it.</summary>
    private static bool Detected(RulePack pack, Item item)
    {
        var czech = item.Language == "cs";
        var builder = czech ? TranscriptBuilder.Czech() : TranscriptBuilder.Polish();
        switch (item.PhraseClass)
        {
            case PhraseClasses.OfferOfHelp:
                builder.Agent(0, 3, czech ? "Dobrý den, Petr Svoboda, Telkom." : "Dzień dobry, Anna Kowalska, Telkom.").Agent(3.5, 6, item.Text);
                return Run(pack, builder.Build(), p => new GreetingAnalyzer(p)) == Outcome.Pass;
            case PhraseClasses.Commitment:
                builder.Customer(0, 4, czech ? "Kdy mi přijde nová karta?" : "Kiedy dostanę nową kartę?")
                    .Agent(5, 6, czech ? "Nevím." : "Nie wiem.").Agent(6.5, 10, item.Text);
                return Run(pack, builder.Build(), p => new DontKnowAnalyzer(p)) == Outcome.Pass;
            case PhraseClasses.Polite:
                builder.Agent(30, 33, item.Text).WithDuration(70);
                return Run(pack, builder.Build(), p => new PolitenessAnalyzer(p)) == Outcome.Pass;
            case PhraseClasses.Directive:
                builder.Agent(10, 13, item.Text).WithDuration(20);
                return Run(pack, builder.Build(), p => new PolitenessAnalyzer(p)) == Outcome.Fail;
            default:
                string[] closing = czech
                    ? ["Můžu vám ještě s něčím pomoci?", "Děkuji za hovor.", "Na shledanou."]
                    : ["Czy mogę jeszcze w czymś pomóc?", "Dziękuję za rozmowę.", "Do widzenia."];
                var slot = item.PhraseClass switch { PhraseClasses.AnythingElse => 0, PhraseClasses.Thanks => 1, _ => 2 };
                closing[slot] = item.Text;
                builder.Agent(50, 53, closing[0]).Customer(53.5, 55, czech ? "Ne, to je vše." : "Nie, to wszystko.")
                    .Agent(55.5, 57, closing[1]).Agent(57.2, 58, closing[2]);
                return Run(pack, builder.Build(), p => new ClosingAnalyzer(p)) == Outcome.Pass;
        }
    }

    private static Outcome Run(RulePack pack, CallTranscript call, Func<RulePack, ICallCheck> create) => create(pack).Analyze(pack.Prepare(call)).Outcome;

    private static string Fold(RulePack pack, string text) => string.Join(' ', pack.Normalizer.Normalize(text).Words.Select(w => w.Text));

    private static IReadOnlyList<Item> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Learning", "paraphrases.tsv");
        return File.ReadAllLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(f => new Item(f[0], f[1], f[2] == "+", f[3]))
            .ToList();
    }

    private sealed record Item(string Language, string PhraseClass, bool Positive, string Text);

    private sealed class Tally
    {
        public int TruePositives { get; private set; }

        public int FalsePositives { get; private set; }

        public int TrueNegatives { get; private set; }

        public int FalseNegatives { get; private set; }

        public int Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

        public double Agreement => Count == 0 ? 0 : (double)(TruePositives + TrueNegatives) / Count;

        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

        public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

        public void Add(bool expected, bool detected)
        {
            if (expected && detected)
            {
                TruePositives++;
            }
            else if (expected)
            {
                FalseNegatives++;
            }
            else if (detected)
            {
                FalsePositives++;
            }
            else
            {
                TrueNegatives++;
            }
        }

        public void Add(Tally other)
        {
            TruePositives += other.TruePositives;
            FalsePositives += other.FalsePositives;
            TrueNegatives += other.TrueNegatives;
            FalseNegatives += other.FalseNegatives;
        }
    }
}
