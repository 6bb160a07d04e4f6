using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Tests.Batch;

[TestFixture]
public sealed class NightSelectionTests
{
    private static readonly TimeZoneInfo Warsaw = LocalTime.Zone("Europe/Warsaw");

    [Test]
    public void ParseDate_Yesterday_IsTheDayBeforeInTheZoneNotInUtc()
    {
        // 23:30 UTC on 30 November is already 1 December in Warsaw: yesterday is 30 November.
        var now = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

        Assert.That(NightSelection.ParseDate("yesterday", now, Warsaw), Is.EqualTo(new DateOnly(2026, 11, 30)));
        Assert.That(NightSelection.ParseDate("2026-11-29", now, Warsaw), Is.EqualTo(new DateOnly(2026, 11, 29)));
        Assert.That(NightSelection.ParseDate("29.11.2026", now, Warsaw), Is.EqualTo(new DateOnly(2026, 11, 29)), "the form the manifest and Polish Excel use");
        Assert.Throws<FormatException>(() => NightSelection.ParseDate("11/29/2026", now, Warsaw));
    }

    [Test]
    public void Select_ByStartTimeOrDateFolder_OnlyThatNight()
    {
        CallJob Job(string path, DateTimeOffset? started = null) => new("/in/" + path, path, Path.GetFileNameWithoutExtension(path), "a", null, null, null, null, started);
        var jobs = new[]
        {
            Job("2026-11-29/a/1.wav"),
            Job("2026/11/28/a/2.wav"),
            Job("x/3.wav", new DateTimeOffset(2026, 11, 28, 23, 30, 0, TimeSpan.Zero)), // 00:30 on the 29th in Warsaw
            Job("x/4.wav", new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.Zero)), // already the 30th in Warsaw
            Job("x/5.wav"),
        };

        var result = NightSelection.Select(new DiscoveryResult(jobs, [], []), new DateOnly(2026, 11, 29), Warsaw);

        Assert.That(result.Night.Jobs.Select(j => j.CallId), Is.EqualTo(new[] { "1", "3" }));
        Assert.That(result.Undated, Is.EqualTo(1));
        Assert.That(result.Total, Is.EqualTo(5));
    }
}
