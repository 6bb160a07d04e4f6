using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests;

[TestFixture]
public sealed class CallScoreTests
{
    // Shipped Polish weights: greeting 25, interruption 15, politeness 20, dont_know 20, closing 20.
    private static CheckResult Result(string checkId, Outcome outcome) => new(checkId, outcome, [], "");

    private static CheckResult[] Results(params Outcome[] outcomes) =>
        CheckIds.All.Zip(outcomes, Result).ToArray();

    [Test]
    public void Compute_AllPass_IsHundred()
    {
        var score = CallScore.Compute(Results(Outcome.Pass, Outcome.Pass, Outcome.Pass, Outcome.Pass, Outcome.Pass), RulePacks.Polish);

        Assert.That(score, Is.EqualTo(100), "a perfect call");
    }

    [Test]
    public void Compute_OneFail_LosesItsWeight()
    {
        var score = CallScore.Compute(Results(Outcome.Fail, Outcome.Pass, Outcome.Pass, Outcome.Pass, Outcome.Pass), RulePacks.Polish);

        Assert.That(score, Is.EqualTo(75), "the greeting weighs 25 of 100");
    }

    [Test]
    public void Compute_NotApplicable_LeftOutOfTheTotal()
    {
        var score = CallScore.Compute(Results(Outcome.Fail, Outcome.NotApplicable, Outcome.Pass, Outcome.NotApplicable, Outcome.Pass), RulePacks.Polish);

        Assert.That(score, Is.EqualTo(61.5), "40 of the 65 applicable points; a mono call is not punished for unjudgeable checks");
    }

    [Test]
    public void Compute_NothingApplicable_IsHundred()
    {
        var score = CallScore.Compute(Results(Outcome.NotApplicable, Outcome.NotApplicable, Outcome.NotApplicable, Outcome.NotApplicable, Outcome.NotApplicable), RulePacks.Polish);

        Assert.That(score, Is.EqualTo(100), "nothing was faulted");
    }

    [Test]
    public void Compute_CriticalCheckFails_CapsTheScore()
    {
        var pack = WithCriticalDontKnow(RulePacks.Polish);

        var score = CallScore.Compute(Results(Outcome.Pass, Outcome.Pass, Outcome.Pass, Outcome.Fail, Outcome.Pass), pack);

        Assert.That(score, Is.EqualTo(50), "80 points capped at the critical-fail cap of 50");
    }

    [Test]
    public void Compute_CriticalFailWithLowScore_KeepsLowerScore()
    {
        var pack = WithCriticalDontKnow(RulePacks.Polish);

        var score = CallScore.Compute(Results(Outcome.Fail, Outcome.Fail, Outcome.Pass, Outcome.Fail, Outcome.Fail), pack);

        Assert.That(score, Is.EqualTo(20), "the cap never raises a score");
    }

    [Test]
    public void Compute_NonCriticalFail_IsNotCapped()
    {
        var pack = WithCriticalDontKnow(RulePacks.Polish);

        var score = CallScore.Compute(Results(Outcome.Pass, Outcome.Pass, Outcome.Fail, Outcome.Pass, Outcome.Pass), pack);

        Assert.That(score, Is.EqualTo(80), "only critical checks cap");
    }

    private static RulePack WithCriticalDontKnow(RulePack pack) =>
        pack with { DontKnow = pack.DontKnow with { Scoring = pack.DontKnow.Scoring with { Critical = true } } };
}
