using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

[TestFixture]
public sealed class PolitenessAnalyzerTests
{
    private static CheckResult Analyze(TranscriptBuilder builder) => RulePacks.Run(builder.Build(), p => new PolitenessAnalyzer(p));

    [Test]
    public void Analyze_ContractExample_FailsOnMusiPan()
    {
        var result = RulePacks.Run(ContractExample.Build(), p => new PolitenessAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "directive phrasing fails the check");
        Assert.That(result.Counts["directive_phrases"], Is.EqualTo(1), "one directive");
        var finding = result.Findings.Single(f => f.Outcome == Outcome.Fail);
        Assert.That((finding.Evidence, finding.Start, finding.End), Is.EqualTo(("Musi Pan", 10.2, 13.2)), "quotes the directive where it was said");
    }

    [Test]
    public void Analyze_PoliteAgent_PassesAndCountsEachPhraseOnce()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(0, 3, "Dziękuję za informację.")
            .Customer(3.5, 6, "Internet nie działa od wczoraj.")
            .Agent(6.5, 12, "Przepraszam za utrudnienia. Proszę chwilę poczekać.")
            .WithDuration(120));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        Assert.That(result.Counts["polite_phrases"], Is.EqualTo(3), "'dziękuję za informację' and 'przepraszam za utrudnienia' count once each, plus 'proszę'");
        Assert.That(result.Findings.Select(f => f.Evidence), Is.EqualTo(new[] { "Dziękuję za informację", "Przepraszam za utrudnienia", "Proszę" }),
            "each phrase quoted");
    }

    [TestCase("Nie musi Pan nic robić, wszystko załatwimy.", Description = "negated directive")]
    [TestCase("Pan nie musi tego podpisywać.", Description = "negation inside")]
    [TestCase("Musimy to sprawdzić po naszej stronie.", Description = "'musimy' is about the company")]
    public void Analyze_LookAlikeOfDirective_IsNotADirective(string text)
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(0, 4, text));

        Assert.That(result.Counts["directive_phrases"], Is.EqualTo(0), "not an order to the customer");
    }

    [TestCase("Niech Pani poczeka.")]
    [TestCase("Pan musi to podpisać.")]
    [TestCase("musi pani zadzwonić jutro")]
    public void Analyze_DirectiveVariants_Fail(string text)
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(0, 4, text));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "each is a directive the standard asks to avoid");
    }

    [TestCase(90, Outcome.Fail, Description = "long call with no polite word")]
    [TestCase(60, Outcome.Fail, Description = "exactly at the threshold")]
    [TestCase(45, Outcome.Pass, Description = "short call: no polite word is not a failure")]
    public void Analyze_NoPolitePhrase_FailsOnlyInLongCalls(double duration, Outcome expected)
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(0, 3, "Słucham.")
            .Customer(3.5, 10, "Mam pytanie o fakturę.")
            .Agent(11, 15, "Kwota jest prawidłowa.")
            .WithDuration(duration));

        Assert.That(result.Outcome, Is.EqualTo(expected), result.Summary);
    }

    [Test]
    public void Analyze_CustomerDirective_DoesNotCount()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(0, 3, "Musi Pan to natychmiast naprawić!")
            .Agent(3.5, 6, "Rozumiem, przepraszam za utrudnienia."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "only the agent's speech is judged");
        Assert.That(result.Counts["directive_phrases"], Is.EqualTo(0), "the customer's words are not counted");
    }

    [Test]
    public void Analyze_MonoCall_CountsAllSpeech()
    {
        var result = Analyze(TranscriptBuilder.Polish().Unknown(0, 3, "Dziękuję bardzo.").Unknown(3.5, 5, "Proszę."));

        Assert.That(result.Counts["polite_phrases"], Is.EqualTo(2), "without separation every utterance may be the agent's");
    }

    [Test]
    public void Analyze_CzechDirective_Fails()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0, 3, "Musíte vyplnit formulář."));

        Assert.That(result.Findings.Single(f => f.Outcome == Outcome.Fail).Evidence, Is.EqualTo("Musíte"), "Czech directive quoted");
    }

    [Test]
    public void Analyze_CzechNemusite_IsNotADirective()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0, 3, "Nemusíte nic dělat, děkuji."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "'nemusíte' (you need not) is the opposite of a directive");
    }

    [Test]
    public void Analyze_CzechPolitePhrases_Counted()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0, 5, "Děkuji za trpělivost a omlouvám se za komplikace."));

        Assert.That(result.Findings.Select(f => f.Evidence), Is.EqualTo(new[] { "Děkuji za trpělivost", "omlouvám se za komplikace" }), "Czech polite phrases quoted whole");
    }

    [Test]
    public void Analyze_NegatedPolitePhrase_IsNotCounted()
    {
        var result = RulePacks.Run(
            TranscriptBuilder.Polish().Agent(0, 3, "Nie rozumiem, o co Panu chodzi.").Build(),
            p => new PolitenessAnalyzer(p));

        Assert.That(result.Counts["polite_phrases"], Is.EqualTo(0), "'nie rozumiem' (I don't understand) is not the empathy phrase 'rozumiem'");
    }
}
