using QualityScan.Models;

namespace QualityScan.Models.Tests;

public sealed class TimeIntervalTests
{
    [TestCase(6.1, 11.8, 10.2, 13.2, 1.6)]
    [TestCase(0, 1, 2, 3, 0)]
    [TestCase(0, 5, 1, 2, 1)]
    public void OverlapWith_TwoSpans_IsTheSharedLength(double s1, double e1, double s2, double e2, double expected) =>
        Assert.That(new TimeInterval(s1, e1).OverlapWith(new TimeInterval(s2, e2)), Is.EqualTo(expected).Within(1e-9));

    [Test]
    public void Constructor_ReversedOrNegative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TimeInterval(3, 1), "end before start");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TimeInterval(-0.1, 1), "negative start");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TimeInterval(double.NaN, 1), "NaN start");
    }
}

public sealed class VoiceActivityTests
{
    [Test]
    public void FromUtterances_MixedSpeakers_SortedTracksPerSpeaker()
    {
        var activity = VoiceActivity.FromUtterances([
            new Utterance(Speaker.Customer, 6.1, 11.8, "b"),
            new Utterance(Speaker.Agent, 10.2, 13.2, "c"),
            new Utterance(Speaker.Agent, 0.4, 5.6, "a"),
        ]);

        Assert.That(activity.Agent, Is.EqualTo(new[] { new TimeInterval(0.4, 5.6), new TimeInterval(10.2, 13.2) }));
        Assert.That(activity.Customer, Is.EqualTo(new[] { new TimeInterval(6.1, 11.8) }));
        Assert.That(activity.IsSeparated, Is.True);
    }

    [Test]
    public void IsSeparated_MonoTrack_IsFalse() =>
        Assert.That(new VoiceActivity([], [], [new TimeInterval(0, 1)]).IsSeparated, Is.False, "a mono call cannot tell the parties apart");
}

public sealed class OutcomeTextTests
{
    [TestCase(Outcome.Pass, "pass")]
    [TestCase(Outcome.Fail, "fail")]
    [TestCase(Outcome.NotApplicable, "n/a")]
    public void ToReportTextThenParse_RoundTrips(Outcome outcome, string text)
    {
        Assert.That(outcome.ToReportText(), Is.EqualTo(text));
        Assert.That(OutcomeText.Parse(text.ToUpperInvariant()), Is.EqualTo(outcome), "parsing ignores case");
    }

    [Test]
    public void Parse_Unknown_IsNull() => Assert.That(OutcomeText.Parse("maybe"), Is.Null);
}
