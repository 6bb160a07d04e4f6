using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

/// <summary>Words the speech model marked unreliable (Whisper's "Dziękuję." on hold music) never make a check pass.</summary>
public sealed class LowConfidenceTests
{
    [Test]
    public void Politeness_LowConfidenceDziekuje_DoesNotMakeItPass()
    {
        var call = TranscriptBuilder.Polish()
            .Agent(0, 4, "Telkom, słucham.").Customer(5, 30, "Chciałem zapytać o fakturę za październik.")
            .Agent(31, 40, "Faktura była wyższa przez roaming.").AgentUnsure(80, 81, "Dziękuję.").WithDuration(90).Build();

        var result = RulePacks.Run(call, p => new PolitenessAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "a 90 s call whose only polite word is a low-confidence 'Dziękuję.'");
        Assert.That(result.Counts["polite_phrases"], Is.Zero);
    }

    [Test]
    public void Politeness_SameDziekujeHeardWithConfidence_Passes()
    {
        var call = TranscriptBuilder.Polish()
            .Agent(0, 4, "Telkom, słucham.").Customer(5, 30, "Chciałem zapytać o fakturę za październik.")
            .Agent(31, 40, "Faktura była wyższa przez roaming.").Agent(80, 81, "Dziękuję.").WithDuration(90).Build();

        Assert.That(RulePacks.Run(call, p => new PolitenessAnalyzer(p)).Outcome, Is.EqualTo(Outcome.Pass), "control: the same words heard surely");
    }

    [Test]
    public void Closing_LowConfidenceDziekuje_DoesNotSupplyTheThanks()
    {
        var call = TranscriptBuilder.Polish()
            .Agent(50, 53, "Czy mogę jeszcze w czymś pomóc?").Customer(54, 55, "Nie.")
            .AgentUnsure(56, 57, "Dziękuję za rozmowę.").Agent(57.5, 58, "Do widzenia.").Build();

        var result = RulePacks.Run(call, p => new ClosingAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail));
        Assert.That(result.Summary, Does.Contain("thanks for the call"), "the unsure thanks is missing, and the fail quotes it");
        Assert.That(result.Findings.Single(f => f.Outcome == Outcome.Fail).Evidence, Does.Contain("Dziękuję za rozmowę."), "listed, not counted");
    }

    [Test]
    public void Closing_LowConfidenceDziekujeWithLearnedModel_DoesNotSupplyTheThanksEither()
    {
        var call = TranscriptBuilder.Polish()
            .Agent(50, 53, "Czy mogę jeszcze w czymś pomóc?").Customer(54, 55, "Nie.")
            .AgentUnsure(56, 57, "Dziękuję.").Agent(57.5, 58, "Do widzenia.").Build();
        var pack = Learning.LearnedModels.Polish;

        var result = new ClosingAnalyzer(pack).Analyze(pack.Prepare(call));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "the model is never asked about low-confidence words");
    }

    [Test]
    public void Greeting_LowConfidenceOffer_DoesNotCompleteIt()
    {
        var call = TranscriptBuilder.Polish().Agent(0, 3, "Dzień dobry, Anna Kowalska, Telkom.").AgentUnsure(3.5, 5, "W czym mogę pomóc?").Build();

        var result = RulePacks.Run(call, p => new GreetingAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail));
        Assert.That(result.Summary, Does.Contain("offer of help"));
    }

    [Test]
    public void CallAnalyzer_OnlyLowConfidenceDziekujeOnNoise_IsNotJudged()
    {
        var call = TranscriptBuilder.Polish().Customer(1, 4, "Halo? Halo?").AgentUnsure(10, 11, "Dziękuję.").Build();

        var report = new CallAnalyzer(RulePacks.Polish).Analyze(call);

        Assert.That(report.NotJudgedReason, Is.EqualTo("no agent speech"), "a hallucinated 'Dziękuję.' is not agent speech");
        Assert.That(report.Results.Select(r => r.Outcome), Is.All.EqualTo(Outcome.NotApplicable), "no check passes on it");
    }
}
