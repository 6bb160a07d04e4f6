using QualityScan.Analyzers;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>A call with no agent speech shows no score and says why, and never lifts or drags an agent's average.</summary>
public sealed class NotJudgedReportTests
{
    private string _out = "";

    [SetUp]
    public void SetUp() => _out = Path.Combine(Path.GetTempPath(), $"qs-notjudged-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Test]
    public void WriteAll_SilentCall_HasNoScoreTheReasonAndIsLeftOutOfTheAgentAverage()
    {
        var book = RuleBook.Load();
        var judged = book.Analyze(Call("c1", new Utterance(Speaker.Agent, 0.5, 4, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?"),
            new Utterance(Speaker.Customer, 4.5, 8, "Chciałam zapytać o fakturę."),
            new Utterance(Speaker.Agent, 9, 14, "Dziękuję, proszę bardzo. Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę, do widzenia.")));
        var silent = book.Analyze(Call("c2"));
        var customerOnly = book.Analyze(Call("c3", new Utterance(Speaker.Customer, 1, 3, "Halo? Halo?")));

        ReportWriter.WriteAll(_out, [judged, silent, customerOnly], []);

        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(_out, "calls.csv")).ToDictionary(r => r.CallId);
        Assert.That((calls["c2"].Score, calls["c2"].NotJudged), Is.EqualTo(((double?)null, "no agent speech")), "a silent call is not a 100");
        Assert.That((calls["c3"].Score, calls["c3"].NotJudged), Is.EqualTo(((double?)null, "no agent speech")));
        Assert.That(calls["c2"].Outcomes["greeting"], Is.EqualTo("n/a"));
        Assert.That(calls["c1"].Score, Is.EqualTo(100), "control: the judged call has its score");
        Assert.That(File.ReadLines(Path.Combine(_out, "calls.csv")).Single(l => l.StartsWith("c2,", StringComparison.Ordinal)), Does.Contain(",,no agent speech,"),
            "the score cell is empty and the reason stands beside it");

        var agent = ReportWriter.Read<AgentRow, AgentRowMap>(Path.Combine(_out, "agents.csv")).Single();
        Assert.That((agent.Calls, agent.NotJudgedCalls, agent.MeanScore, agent.MinScore, agent.WorstCall), Is.EqualTo((3, 2, (double?)100, (double?)100, "c1")),
            "the average and the worst call come from judged calls only");

        var coaching = ReportWriter.Read<CoachingRow, CoachingRowMap>(Path.Combine(_out, "agents", "akowalska.csv"));
        Assert.That(coaching.Select(c => c.CallId), Is.EqualTo(new[] { "c1", "c2", "c3" }), "unjudged calls after the judged ones");
        Assert.That((coaching[1].Score, coaching[1].Moments), Is.EqualTo(((double?)null, "not judged: no agent speech")));
    }

    private static CallTranscript Call(string id, params Utterance[] utterances) =>
        new(new CallMetadata(id, "akowalska", "Anna Kowalska", "Telkom", "pl", 60), utterances, VoiceActivity.FromUtterances(utterances));
}
