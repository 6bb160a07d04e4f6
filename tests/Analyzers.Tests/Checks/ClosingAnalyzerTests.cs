using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

[TestFixture]
public sealed class ClosingAnalyzerTests
{
    private static CheckResult Analyze(TranscriptBuilder builder) => RulePacks.Run(builder.Build(), p => new ClosingAnalyzer(p));

    [Test]
    public void Analyze_ContractExampleClosing_PassesQuotingEachElement()
    {
        var result = RulePacks.Run(ContractExample.Build(), p => new ClosingAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        Assert.That(result.Findings.Select(f => f.Evidence), Is.EqualTo(new[] { "Czy mogę jeszcze w czymś pomóc", "Dziękuję za rozmowę", "życzę miłego dnia" }),
            "each element is quoted as said");
    }

    [Test]
    public void Analyze_DobraToTyleCzesc_FailsWithEverythingMissing()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(10, 12, "To wszystko, dziękuję.")
            .Agent(12.5, 14, "Dobra, to tyle. Cześć."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "the standard names this as a failing close");
        Assert.That(result.Summary, Is.EqualTo("missing: anything-else question, thanks for the call, farewell"), "every element is listed");
        Assert.That(result.Findings.Single().Evidence, Is.EqualTo("Dobra, to tyle. Cześć."), "the fail quotes the closing words");
    }

    [Test]
    public void Analyze_FarewellOnly_NamesTheTwoMissing()
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(12, 13, "Do widzenia."));

        Assert.That(result.Summary, Is.EqualTo("missing: anything-else question, thanks for the call"), "only what is missing is listed");
    }

    [Test]
    public void Analyze_UnpunctuatedAsrText_Passes()
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(30, 36, "czy moge jeszcze w czyms pomoc yyy dziekuje za rozmowe do widzenia"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Analyze_AnythingElseAskedLongBeforeTheEnd_DoesNotCount()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(10, 12, "Czy mogę jeszcze w czymś pomóc?")
            .Customer(12.5, 20, "Tak, jeszcze jedna sprawa z fakturą.")
            .Agent(21, 30, "Już sprawdzam.")
            .Agent(31, 50, "Faktura została skorygowana.")
            .Customer(51, 55, "Super.")
            .Agent(56, 60, "Dziękuję za rozmowę, do widzenia."));

        Assert.That(result.Summary, Is.EqualTo("missing: anything-else question"), "asked 50 s before the end and three agent turns earlier, it belongs to the middle of the call");
    }

    [Test]
    public void Analyze_LongFinalTurn_IncludedThroughLastTwoTurns()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(100, 150, "Czy mogę jeszcze w czymś pomóc? Bo jeśli nie, to podsumuję jeszcze raz ustalenia dotyczące faktury i terminu płatności.")
            .Customer(150.5, 151, "Nie.")
            .Agent(151.5, 153, "Dziękuję za rozmowę, do widzenia."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "the last two agent turns always count, even a 50 s one");
    }

    [Test]
    public void Analyze_CustomerSaysFarewell_DoesNotCountForAgent()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(20, 23, "Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę.")
            .Customer(23.5, 24.5, "Do widzenia."));

        Assert.That(result.Summary, Is.EqualTo("missing: farewell"), "only the agent's words count when speakers are separated");
    }

    [Test]
    public void Analyze_NoAgentSpeech_IsNotApplicable()
    {
        var result = Analyze(TranscriptBuilder.Polish().Customer(0, 2, "Halo?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "nothing to judge");
    }

    [Test]
    public void Analyze_MonoCall_JudgesUnknownSpeakerAsPossiblyAgent()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Unknown(30, 35, "Czy mogę jeszcze w czymś pomóc? Dziękuję za telefon.")
            .Unknown(35.5, 36, "Nie, dziękuję.")
            .Unknown(36.5, 37.5, "Do widzenia."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "an agent's closing is recognisable without speaker separation");
    }

    [Test]
    public void Analyze_CzechClosing_Passes()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(40, 45, "Můžu vám ještě s něčím pomoci? Děkuji za hovor a přeji hezký den, na shledanou."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Analyze_CzechCurtClosing_Fails()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(40, 41, "Tak jo, čau."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "a curt Czech close misses every element");
        Assert.That(result.Counts["closing_missing_elements"], Is.EqualTo(3), "three elements missing");
    }
}
