using QualityScan.Models;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary><c>qualityscan trends</c> over a real history file, with days written the way the manifest and Polish Excel write them.</summary>
[NonParallelizable]
public sealed class TrendsCommandTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"qs-trends-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        using var store = SqliteHistoryStore.Open(Path.Combine(_dir, "history.db"));
        foreach (var day in new[] { new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 24) })
        {
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(1));
            var run = new HistoryRun($"run-{day:yyyyMMdd}", at, at, day, "/in", "test", "model", "rules", 1, 0, false);
            var report = new CallReport(new CallMetadata($"c-{day:dd}", "jan", "Jan", "Telkom", "pl", 60) { StartedAt = at },
                CheckIds.All.Select(id => new CheckResult(id, Outcome.Pass, [], "")).ToList(), 90);
            store.Record(run, [HistoryCall.From(report, run, LocalTime.Zone("Europe/Warsaw"))]);
        }
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Trends_FromAndToAsPolishDates_OnlyThoseDays()
    {
        var csv = Path.Combine(_dir, "t.csv");

        var (code, _, error) = await CliRun.RunAsync("trends", "--history", Path.Combine(_dir, "history.db"), "--from", "22.11.2026", "--to", "24.11.2026", "--csv", csv);

        Assert.That(code, Is.Zero, error);
        var days = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')[1]).Distinct();
        Assert.That(days, Is.EqualTo(new[] { "2026-11-24" }), "24.11.2026 is in, 20.11.2026 is before --from 22.11.2026");
    }

    [Test]
    public async Task Trends_DateInAnotherForm_ExitTwoNamingTheForms()
    {
        var (code, _, error) = await CliRun.RunAsync("trends", "--history", Path.Combine(_dir, "history.db"), "--from", "11/22/2026");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("29.11.2026").And.Contain("11/22/2026"));
    }
}
