using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

[TestFixture]
public sealed class InterruptionAnalyzerTests
{
    private static CheckResult Analyze(TranscriptBuilder builder) => RulePacks.Run(builder.Build(), p => new InterruptionAnalyzer(p));

    [Test]
    public void Analyze_ContractExample_FindsOneInterruptionOfAboutOnePointSixSeconds()
    {
        var result = RulePacks.Run(ContractExample.Build(), p => new InterruptionAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "the agent talked over the customer's complaint");
        Assert.That(result.Counts["interruptions"], Is.EqualTo(1), "one interruption");
        Assert.That(result.Counts["overlap_seconds"], Is.EqualTo(1.6).Within(0.01), "11.8 - 10.2");
        var finding = result.Findings.Single(f => f.Outcome == Outcome.Fail);
        Assert.That((finding.Start, finding.End, finding.Speaker), Is.EqualTo((10.2, 11.8, Speaker.Agent)), "the finding spans the overlap");
        Assert.That(finding.Evidence, Does.Contain("Musi Pan podać numer klienta.").And.Contain("kwota jest za wysoka"),
            "evidence quotes the agent's words and the customer's words talked over");
    }

    [Test]
    public void Analyze_OverlapBelowThreshold_IsNotAnInterruption()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(0, 5.0, "Chciałbym zapytać o fakturę za październik.")
            .Agent(4.2, 8.0, "Oczywiście, już sprawdzam."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "0.8 s is a normal turn-taking overlap");
        Assert.That(result.Counts["interruptions"], Is.EqualTo(0), "nothing counted");
    }

    [Test]
    public void Analyze_OverlapExactlyAtThreshold_Counts()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(0, 5.0, "Chciałbym zapytać o fakturę za październik.")
            .Agent(4.0, 8.0, "Proszę podać numer klienta."));

        Assert.That(result.Counts["interruptions"], Is.EqualTo(1), "the threshold (1.0 s) is inclusive");
    }

    [Test]
    public void Analyze_LongBackchannel_IsNotAnInterruption()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(0, 10.0, "No i wtedy przyszła faktura, a na niej kwota dwa razy większa niż zwykle.")
            .Agent(4.0, 5.5, "Mhm, tak, tak."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "listening signals are not taking the floor, however long");
        Assert.That(result.Findings.Single().Message, Does.Contain("backchannel"), "the overlap is still reported, as a backchannel");
    }

    [Test]
    public void Analyze_BackchannelThenRealWords_IsAnInterruption()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(0, 10.0, "No i wtedy przyszła faktura, a na niej kwota dwa razy większa niż zwykle.")
            .Agent(4.0, 7.0, "Mhm, tak, ale to jest normalna kwota."));

        Assert.That(result.Counts["interruptions"], Is.EqualTo(1), "a backchannel word does not excuse the rest of the sentence");
    }

    [Test]
    public void Analyze_CustomerTalksOverAgent_ReportedButDoesNotFail()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(0, 6.0, "Faktura obejmuje opłatę abonamentową i dodatkowe usługi.")
            .Customer(3.0, 7.0, "Ale ja nie zamawiałem żadnych usług!"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "the customer talking over the agent is not the agent's fault");
        Assert.That(result.Counts["customer_interruptions"], Is.EqualTo(1), "it is counted separately");
        var finding = result.Findings.Single();
        Assert.That((finding.Speaker, finding.Outcome, finding.Start, finding.End), Is.EqualTo((Speaker.Customer, Outcome.Pass, 3.0, 6.0)),
            "reported as the customer's overlap");
    }

    [Test]
    public void Analyze_AgentStartsInCustomersShortPause_CountsAsInterruption()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .WithActivity(agent: [(3.1, 6.0)], customer: [(0, 3.0), (3.2, 5.5)])
            .Customer(0, 5.5, "Dzwonię, bo... bo nie wiem, co zrobić z tą fakturą.")
            .Agent(3.1, 6.0, "Proszę podać numer faktury."));

        Assert.That(result.Counts["interruptions"], Is.EqualTo(1), "a 0.2 s breath is not the end of the customer's turn (gaps under 0.3 s are merged)");
        Assert.That(result.Counts["overlap_seconds"], Is.EqualTo(2.4).Within(0.01), "from 3.1 to the customer's end at 5.5");
    }

    [Test]
    public void Analyze_AgentStartsInRealPause_IsNotAnInterruption()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .WithActivity(agent: [(3.2, 6.0)], customer: [(0, 3.0), (3.6, 5.5)])
            .Customer(0, 5.5, "Dzwonię w sprawie faktury. Czy mogę…")
            .Agent(3.2, 6.0, "Proszę podać numer faktury."));

        Assert.That(result.Counts["interruptions"], Is.EqualTo(0), "the agent started after the customer stopped");
        Assert.That(result.Counts["customer_interruptions"], Is.EqualTo(1), "then the customer resumed over the agent");
    }

    [Test]
    public void Analyze_TwoInterruptions_SumsOverlap()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(0, 5, "Mam problem z internetem od wczoraj wieczorem.")
            .Agent(3, 7, "Proszę zrestartować router.")
            .Customer(8, 14, "Zrestartowałem już trzy razy i nic to nie dało.")
            .Agent(11.5, 15, "To proszę sprawdzić kable."));

        Assert.That(result.Counts["interruptions"], Is.EqualTo(2), "two separate interruptions");
        Assert.That(result.Counts["overlap_seconds"], Is.EqualTo(4.5).Within(0.01), "2.0 s + 2.5 s");
    }

    [Test]
    public void Analyze_BothStartTogether_IsNobodysInterruption()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Customer(5, 8, "Halo, czy mnie Pani słyszy?")
            .Agent(5, 8, "Tak, słucham, w czym mogę pomóc?"));

        Assert.That((result.Counts["interruptions"], result.Counts["customer_interruptions"]), Is.EqualTo((0.0, 0.0)),
            "nobody started while the other was already speaking");
    }

    [Test]
    public void Analyze_MonoCall_IsNotApplicable()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Unknown(0, 5, "Dzień dobry, w czym mogę pomóc?")
            .Unknown(4, 8, "Dzień dobry, dzwonię w sprawie faktury."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "without separate channels an overlap cannot be attributed");
    }

    [Test]
    public void Analyze_CzechAgentTalksOver_Fails()
    {
        var result = Analyze(TranscriptBuilder.Czech()
            .Customer(2, 8, "Chtěl bych se zeptat na fakturu, protože je tam nějaká divná položka.")
            .Agent(5, 9, "Musíte mi nejdřív dát číslo zákazníka."));

        Assert.That(result.Counts["overlap_seconds"], Is.EqualTo(3.0).Within(0.01), "from 5 to the customer's end at 8");
        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "the agent talked over the customer for 3 s");
    }

    [Test]
    public void Analyze_CzechBackchannel_IsNotAnInterruption()
    {
        var result = Analyze(TranscriptBuilder.Czech()
            .Customer(2, 8, "Chtěl bych se zeptat na fakturu, protože je tam nějaká divná položka.")
            .Agent(4, 5.5, "Jo, ano, hm."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "Czech 'jo', 'ano', 'hm' are listening signals");
    }
}
