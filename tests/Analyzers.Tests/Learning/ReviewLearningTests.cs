using QualityScan.Analyzers.Learning;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Learning;

/// <summary>Which training sentences a reviewed moment gives: only what the review makes certain.</summary>
public sealed class ReviewLearningTests
{
    [Test]
    public void ToExamples_DisagreedClosingFailWithOneUnexplainedUtterance_IsAPositiveOfTheMissingElement()
    {
        var moment = new ReviewedMoment("c1", CheckIds.Closing, "Czy mogę jeszcze w czymś pomóc? / Dziękuję za rozmowę. / No to papatki.", false, Outcome.Pass, "sheet:2");

        var (examples, use) = ReviewLearning.ToExamples(RulePacks.Polish, null, moment);

        Assert.That(use, Is.EqualTo(ReviewUse.Used));
        Assert.That(examples, Is.EqualTo(new[] { new TrainingExample(PhraseClasses.Farewell, "No to papatki.", true, "sheet:2") }));
    }

    [Test]
    public void ToExamples_ReviewerOverrulesAPhraseMatch_AsksForAnEditOfTheList()
    {
        var moment = new ReviewedMoment("c1", CheckIds.Closing, "Do widzenia", false, Outcome.Fail, "sheet:3");

        var (examples, use) = ReviewLearning.ToExamples(RulePacks.Polish, null, moment);

        Assert.That((examples.Count, use), Is.EqualTo((0, ReviewUse.ContradictsPhrase)), "learning never overrides a phrase of the list");
    }

    [Test]
    public void ToExamples_NieWiemWithNextTurnThatShouldPass_IsAPositiveCommitment()
    {
        var moment = new ReviewedMoment("c1", CheckIds.DontKnow, "Nie wiem", false, Outcome.Pass, "sheet:4") { NextTurn = "Pogadam z szefową i przyjdę z odpowiedzią." };

        var (examples, _) = ReviewLearning.ToExamples(RulePacks.Polish, null, moment);

        Assert.That(examples, Is.EqualTo(new[] { new TrainingExample(PhraseClasses.Commitment, "Pogadam z szefową i przyjdę z odpowiedzią.", true, "sheet:4") }));
    }

    [Test]
    public void ToExamples_AgreedNieWiemFailWithGenericFollowUp_IsANegativeCommitment()
    {
        var moment = new ReviewedMoment("c1", CheckIds.DontKnow, "Nie wiem … Zapraszamy serdecznie do nas znowu.", true, Outcome.Fail, "sheet:5");

        var (examples, _) = ReviewLearning.ToExamples(RulePacks.Polish, null, moment);

        Assert.That(examples, Is.EqualTo(new[] { new TrainingExample(PhraseClasses.Commitment, "Zapraszamy serdecznie do nas znowu.", false, "sheet:5") }));
    }

    [Test]
    public void ToExamples_InterruptionOrNoOutcome_TeachesNothing()
    {
        Assert.That(ReviewLearning.ToExamples(RulePacks.Polish, null, new ReviewedMoment("c", CheckIds.Interruption, "overlap 1.6 s", false, Outcome.Pass, "s")).Use,
            Is.EqualTo(ReviewUse.NotLearnable));
        Assert.That(ReviewLearning.ToExamples(RulePacks.Polish, null, new ReviewedMoment("c", CheckIds.Closing, "Do widzenia", true, null, "s")).Use,
            Is.EqualTo(ReviewUse.NotLearnable));
    }
}
