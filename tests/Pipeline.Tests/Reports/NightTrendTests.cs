using QualityScan.Models;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>The trend the workbook and the coach pages draw: window, nights or weeks, tonight replacing stored calls, checks that moved.</summary>
public sealed class NightTrendTests
{
    private static readonly DateOnly Night = new(2026, 11, 22);

    [Test]
    public void Of_TonightsCallStoredEarlier_TonightsResultCounts()
    {
        var trend = NightTrend.Of([Call("d1", "jan", Night, 0)], [Call("d1", "jan", Night, 90)], Night);

        Assert.That(trend.Agent("jan", Night)!.MeanScore, Is.EqualTo(90), "the same call of the same day is replaced, as the history will replace it");
        Assert.That(trend.Team(Night)!.Calls, Is.EqualTo(1));
    }

    [Test]
    public void Of_HistoryOlderThanEightWeeks_LeftOutAndLongSpansGoWeekly()
    {
        var past = new[] { Call("old", "jan", Night.AddDays(-70), 10), Call("w1", "jan", Night.AddDays(-40), 50), Call("w2", "jan", Night.AddDays(-39), 70) };

        var trend = NightTrend.Of(past, [Call("t", "jan", Night, 90)], Night);

        Assert.That(trend.From, Is.EqualTo(new DateOnly(2026, 9, 28)), "Monday seven weeks before the night's week");
        Assert.That(trend.By, Is.EqualTo(TrendPeriod.Week), "40 days of history are drawn per week");
        Assert.That(trend.Periods, Is.EqualTo(new[] { new DateOnly(2026, 10, 12), new DateOnly(2026, 11, 16) }), "the 70-day-old call is outside the window");
        Assert.That(trend.Agent("jan", new DateOnly(2026, 10, 12))!.MeanScore, Is.EqualTo(60));
    }

    [Test]
    public void Of_AWeekOfNights_DrawnPerNight()
    {
        var trend = NightTrend.Of([Call("a", "jan", Night.AddDays(-6), 50)], [Call("b", "jan", Night, 70)], Night);

        Assert.That(trend.By, Is.EqualTo(TrendPeriod.Day));
        Assert.That(trend.Periods, Is.EqualTo(new[] { Night.AddDays(-6), Night }));
    }

    [Test]
    public void Changes_GreetingFailedBeforePassedTonight_BetterAndClosingWorse()
    {
        var past = new[]
        {
            Call("a", "jan", Night.AddDays(-2), 50, greeting: "fail", closing: "pass"),
            Call("b", "jan", Night.AddDays(-1), 50, greeting: "fail", closing: "pass"),
        };

        var changes = NightTrend.Of(past, [Call("c", "jan", Night, 80, greeting: "pass", closing: "fail")], Night).Changes("jan", CheckIds.All);

        Assert.That(changes.Select(c => (c.CheckId, c.Better, c.Before, c.Now)),
            Is.EquivalentTo(new[] { (CheckIds.Greeting, true, 0.0, 1.0), (CheckIds.Closing, false, 1.0, 0.0) }), "the unchanged checks are not named");
    }

    [Test]
    public void Changes_FirstNight_None()
    {
        var trend = NightTrend.Of([], [Call("c", "jan", Night, 80, greeting: "fail")], Night);

        Assert.That(trend.Changes("jan", CheckIds.All), Is.Empty, "nothing to compare with");
    }

    private static HistoryCall Call(string id, string agent, DateOnly day, double score, string greeting = "pass", string closing = "pass") => new()
    {
        CallId = id,
        Day = day,
        AgentId = agent,
        AgentName = agent,
        Language = "pl",
        Score = score,
        Outcomes = CheckIds.All.ToDictionary(c => c, c => c == CheckIds.Greeting ? greeting : c == CheckIds.Closing ? closing : "pass"),
        Counts = new Dictionary<string, double>(),
        Model = "m",
        Rules = "r",
        RunId = "run",
    };
}
