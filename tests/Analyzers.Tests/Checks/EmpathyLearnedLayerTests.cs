using System.Globalization;
using System.Text;
using QualityScan.Analyzers.Checks;
using QualityScan.Analyzers.Rules;
using QualityScan.Analyzers.Tests.Learning;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

/// <summary>
/// The empathy check's phrase classes backed by the learned layer: the held-out sentences of
/// <c>empathy-learned-heldout.tsv</c> (paraphrases of frustration and acknowledgement the phrases miss, and near misses)
/// judged by the real check, with the phrases alone and with the model trained on the pack's <c>empathy.examples</c>.
/// </summary>
[TestFixture]
public sealed class EmpathyLearnedLayerTests
{
    private static readonly Lazy<List<Item>> Items = new(() => File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Checks", "empathy-learned-heldout.tsv"))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split('\t'))
        .Select(f => new Item(f[0], f[1], f[2] == "+", f[3]))
        .ToList());

    [TestCase("pl")]
    [TestCase("cs")]
    public void HeldOut_WithTheLearnedLayer_AgreesBetterThanThePhrasesAndAcceptsFewNearMisses(string language)
    {
        var phrasesOnly = language == "cs" ? RulePacks.Czech : RulePacks.Polish;
        var learned = LearnedModels.For(language);
        var report = new StringBuilder();
        var failures = new List<string>();
        foreach (var phraseClass in new[] { "frustration", "acknowledge" })
        {
            var items = Items.Value.Where(i => i.Language == language && i.PhraseClass == phraseClass).ToList();
            var alone = Score(phrasesOnly, items);
            var withModel = Score(learned, items);
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{language} {phraseClass,-12} {items.Count} sentences: phrases {alone.Agreement:0.00} → learned {withModel.Agreement:0.00}; near misses accepted {alone.NearMissesAccepted} → {withModel.NearMissesAccepted}"));
            report.AppendJoin(Environment.NewLine, withModel.Disagreements.Select(d => "  learned: " + d)).AppendLine();

            Assert.That(items.Count(i => i.Positive), Is.GreaterThanOrEqualTo(10), "enough instances to say something");
            if (withModel.Agreement <= alone.Agreement)
            {
                failures.Add($"{phraseClass}: the layer must add agreement ({alone.Agreement:0.00} → {withModel.Agreement:0.00})");
            }

            if (withModel.NearMissesAccepted > 2)
            {
                failures.Add($"{phraseClass}: {withModel.NearMissesAccepted} near misses accepted");
            }
        }

        TestContext.Out.WriteLine(report);
        Assert.That(failures, Is.Empty, report.ToString());
    }

    [Test]
    public void Acknowledgement_OnlyTheModelRecognises_PassesAndSaysTheModelDidIt()
    {
        var call = TranscriptBuilder.Polish()
            .Customer(5, 8, "To jest nie do przyjęcia.")
            .Agent(8.5, 12, "Rozumiem, że to musi być dla Pana bardzo męczące.")
            .Build();

        var phrasesAlone = Empathy(RulePacks.Polish, call);
        var withModel = Empathy(LearnedModels.Polish, call);

        Assert.Multiple(() =>
        {
            Assert.That(phrasesAlone.Outcome, Is.EqualTo(Outcome.Fail), "the phrases do not know this acknowledgement");
            Assert.That(withModel.Outcome, Is.EqualTo(Outcome.Pass), withModel.Summary);
            Assert.That(withModel.Findings.Single().Message, Does.Contain("recognised by the learned model").And.Contain("nearest example"), "the finding says the model decided");
        });
    }

    [Test]
    public void Frustration_OnlyTheModelRecognises_MakesTheCheckApply()
    {
        var call = TranscriptBuilder.Polish()
            .Customer(5, 8, "Naprawdę tracę już cierpliwość.")
            .Agent(8.5, 11, "Proszę podać numer klienta.")
            .Build();

        Assert.Multiple(() =>
        {
            Assert.That(Empathy(RulePacks.Polish, call).Outcome, Is.EqualTo(Outcome.NotApplicable), "the phrases see no frustration");
            var learned = Empathy(LearnedModels.Polish, call);
            Assert.That(learned.Outcome, Is.EqualTo(Outcome.Fail), learned.Summary);
            Assert.That(learned.Findings.Single().Evidence, Does.Contain("tracę już cierpliwość").And.Contain("numer klienta"), "quotes both turns");
        });
    }

    [Test]
    public void Acknowledgement_ModelWouldAcceptButSpeechModelWasUnsure_DoesNotPass()
    {
        var call = TranscriptBuilder.Polish()
            .Customer(5, 8, "To jest nie do przyjęcia.")
            .AgentUnsure(8.5, 12, "Rozumiem, że to musi być dla Pana bardzo męczące.")
            .Build();

        Assert.That(Empathy(LearnedModels.Polish, call).Outcome, Is.EqualTo(Outcome.Fail), "words the speech model was unsure of never make a check pass");
    }

    [Test]
    public void Examples_ForAPhraseClassTheCheckLacks_StopTheLoadNamingLineAndKey()
    {
        var shipped = File.ReadAllText(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"));
        var broken = shipped.Replace("    examples:\n      frustration:", "    examples:\n      frustation:", StringComparison.Ordinal);
        Assert.That(broken, Is.Not.EqualTo(shipped), "the test edits the empathy check's examples");
        var line = broken.Split('\n').ToList().FindIndex(l => l == "      frustation:") + 1;

        var error = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(broken, "my-pl.yaml"));

        Assert.That(error!.Message, Does.Contain($"my-pl.yaml:{line}").And.Contain("defined_checks.empathy.examples")
            .And.Contain("unknown phrase class 'frustation'").And.Contain("frustration, acknowledge"));
    }

    private static CheckResult Empathy(RulePack pack, CallTranscript call) =>
        new DefinedCheckAnalyzer(pack.DefinedChecks.Single(c => c.Id == "empathy"), pack).Analyze(pack.Prepare(call));

    private static (double Agreement, int NearMissesAccepted, List<string> Disagreements) Score(RulePack pack, IReadOnlyList<Item> items)
    {
        var agreed = 0;
        var nearMisses = 0;
        var disagreements = new List<string>();
        foreach (var item in items)
        {
            var (call, expected) = CallFor(item);
            var outcome = Empathy(pack, call).Outcome;
            if (outcome == expected)
            {
                agreed++;
            }
            else
            {
                disagreements.Add($"{(item.Positive ? "+" : "-")} \"{item.Text}\": expected {expected.ToReportText()}, got {outcome.ToReportText()}");
                nearMisses += item.Positive ? 0 : 1;
            }
        }

        return ((double)agreed / items.Count, nearMisses, disagreements);
    }

    /// <summary>The sentence in the smallest call that puts it to the test, and the outcome the call should get.</summary>
    private static (CallTranscript Call, Outcome Expected) CallFor(Item item)
    {
        var builder = item.Language == "cs" ? TranscriptBuilder.Czech() : TranscriptBuilder.Polish();
        if (item.PhraseClass == "frustration")
        {
            var neutral = item.Language == "cs" ? "Prosím, sdělte mi zákaznické číslo." : "Proszę podać numer klienta.";
            return (builder.Customer(5, 9, item.Text).Agent(9.5, 12, neutral).Build(), item.Positive ? Outcome.Fail : Outcome.NotApplicable);
        }

        var upset = item.Language == "cs" ? "To je nepřijatelné." : "To jest nie do przyjęcia.";
        return (builder.Customer(5, 8, upset).Agent(8.5, 12, item.Text).Build(), item.Positive ? Outcome.Pass : Outcome.Fail);
    }

    private sealed record Item(string Language, string PhraseClass, bool Positive, string Text);
}
