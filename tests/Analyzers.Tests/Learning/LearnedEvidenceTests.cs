using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Learning;

/// <summary>How the checks use a learned model: only where the phrases find nothing, and saying so in the finding.</summary>
public sealed class LearnedEvidenceTests
{
    [Test]
    public void Greeting_ParaphrasedOffer_PassesWithTheModelScoreAndNearestExample()
    {
        var call = TranscriptBuilder.Polish().Agent(0, 4, "Dzień dobry, Anna Kowalska, Telkom.").Agent(4.5, 6, "Z czym Pani do nas dzwoni?").Build();

        var without = RulePacks.Run(call, p => new GreetingAnalyzer(p));
        var with = new GreetingAnalyzer(LearnedModels.Polish).Analyze(LearnedModels.Polish.Prepare(call));

        Assert.That(without.Outcome, Is.EqualTo(Outcome.Fail), "the phrase list has no 'z czym Pani dzwoni'");
        Assert.That(with.Outcome, Is.EqualTo(Outcome.Pass), with.Summary);
        var finding = with.Findings.Single(f => f.Message.StartsWith("offer of help", StringComparison.Ordinal));
        Assert.That(finding.Message, Does.Match(@"^offer of help heard \(model 0\.\d\d, nearest example: "".+""\)$"), "a coach can judge the model's find");
        Assert.That((finding.Evidence, finding.Start, finding.End), Is.EqualTo(("Z czym Pani do nas dzwoni", 4.5, 6.0)), "quotes the words and times");
    }

    [Test]
    public void Greeting_PhraseMatch_KeepsPrecedenceAndItsQuote()
    {
        var call = TranscriptBuilder.Polish().Agent(0, 4, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?").Build();

        var result = new GreetingAnalyzer(LearnedModels.Polish).Analyze(LearnedModels.Polish.Prepare(call));

        var finding = result.Findings.Single(f => f.Message.StartsWith("offer of help", StringComparison.Ordinal));
        Assert.That((finding.Evidence, finding.Message), Is.EqualTo(("w czym mogę pomóc", "offer of help heard")), "no model consulted when a phrase matched");
    }

    [Test]
    public void DontKnow_ParaphrasedNextStep_PassesOnlyWithTheModel()
    {
        var call = TranscriptBuilder.Polish().Customer(0, 3, "Kiedy przyjdzie technik?").Agent(3.5, 4.5, "Nie wiem.")
            .Agent(5, 9, "Poczekam na informację od technika i przyjdę z odpowiedzią.").Build();

        var without = RulePacks.Run(call, p => new DontKnowAnalyzer(p));
        var with = new DontKnowAnalyzer(LearnedModels.Polish).Analyze(LearnedModels.Polish.Prepare(call));

        Assert.That(without.Outcome, Is.EqualTo(Outcome.Fail), "no commitment phrase in the list matches");
        Assert.That(with.Outcome, Is.EqualTo(Outcome.Pass));
        Assert.That(with.Findings.Single().Message, Does.Contain("model 0."));
    }

    [Test]
    public void DontKnow_GenericInvitation_FailsEvenWithTheModel()
    {
        var call = TranscriptBuilder.Polish().Customer(0, 3, "Kiedy przyjdzie technik?").Agent(3.5, 4.5, "Nie wiem.")
            .Agent(5, 9, "W razie pytań zapraszam ponownie do kontaktu.").Build();

        var with = new DontKnowAnalyzer(LearnedModels.Polish).Analyze(LearnedModels.Polish.Prepare(call));

        Assert.That(with.Outcome, Is.EqualTo(Outcome.Fail), "the pack's near-miss examples teach the model that this is no next step");
    }

    [Test]
    public void Closing_CzechParaphrasedThanks_PassesWithTheModel()
    {
        var call = TranscriptBuilder.Czech().Agent(50, 53, "Můžu vám ještě s něčím pomoci?").Customer(53.5, 55, "Ne.")
            .Agent(55.5, 57, "Děkuji vám za to, že jste zavolala.").Agent(57.2, 58, "Na shledanou.").Build();

        var without = RulePacks.Run(call, p => new ClosingAnalyzer(p));
        var with = new ClosingAnalyzer(LearnedModels.Czech).Analyze(LearnedModels.Czech.Prepare(call));

        Assert.That(without.Outcome, Is.EqualTo(Outcome.Fail), without.Summary);
        Assert.That(with.Outcome, Is.EqualTo(Outcome.Pass), with.Summary);
    }
}
