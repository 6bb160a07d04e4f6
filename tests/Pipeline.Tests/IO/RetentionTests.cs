namespace QualityScan.Pipeline.Tests.IO;

/// <summary>Retention over folders laid out as scans leave them: one output folder, or dated night folders under a root.</summary>
public sealed class RetentionTests
{
    private string _root = "";

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("qs-retention-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Apply_ThreeDatedNights_OnlyTheNightPastThePeriodDeletedHistoryKept()
    {
        foreach (var night in new[] { "2026-11-20", "2026-11-25", "2026-11-30" })
        {
            MakeNight(Path.Combine(_root, night));
        }

        File.WriteAllText(Path.Combine(_root, "2026-11-20", "history.db"), "scores");
        Directory.CreateDirectory(Path.Combine(_root, "2026-11-01"));
        File.WriteAllText(Path.Combine(_root, "2026-11-01", "notes.txt"), "not a scan's folder");
        Directory.CreateSymbolicLink(Path.Combine(_root, "latest"), Path.Combine(_root, "2026-11-30"));

        var result = Retention.Apply(Path.Combine(_root, "2026-11-30"), 7, new DateOnly(2026, 11, 30));

        Assert.That(result.Deleted["nightFolders"], Is.EqualTo(1));
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "2026-11-20")).Select(Path.GetFileName), Is.EqualTo(new[] { "history.db" }),
            "the old night's words are gone; its history file keeps the scores");
        Assert.That(File.Exists(Path.Combine(_root, "2026-11-25", "transcripts", "c1.json")), Is.True, "5 days old: kept");
        Assert.That(File.Exists(Path.Combine(_root, "2026-11-01", "notes.txt")), Is.True, "a dated folder QualityScan did not write is left alone");
        Assert.That(Directory.Exists(Path.Combine(_root, "latest")), Is.True);
    }

    [Test]
    public void Apply_OneOutputFolder_FilesLastWrittenBeforeTheCutoffDeleted()
    {
        var output = Path.Combine(_root, "out");
        MakeNight(output);
        var old = DateTime.UtcNow.AddDays(-40);
        foreach (var file in new[] { Path.Combine("transcripts", "c1.json"), Path.Combine("coach", "clips", "c1_x.wav"), Path.Combine("coach", "anowak.html"), Path.Combine("coach", "anowak-review.csv") })
        {
            File.SetLastWriteTimeUtc(Path.Combine(output, file), old);
        }

        var result = Retention.Apply(output, 30, DateOnly.FromDateTime(DateTime.Now));

        Assert.That(result.Deleted, Is.EquivalentTo(new Dictionary<string, int> { ["transcripts"] = 1, ["clips"] = 1, ["coachPages"] = 2, ["nightFolders"] = 0 }));
        Assert.That(File.Exists(Path.Combine(output, "transcripts", "c2.json")), Is.True, "a fresh transcript stays");
        Assert.That(File.Exists(Path.Combine(output, "calls.csv")), Is.True, "the scores stay");
    }

    private static void MakeNight(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "transcripts"));
        Directory.CreateDirectory(Path.Combine(folder, "coach", "clips"));
        File.WriteAllText(Path.Combine(folder, "run.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "calls.csv"), "call_id\n");
        File.WriteAllText(Path.Combine(folder, "transcripts", "c1.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "transcripts", "c2.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "coach", "clips", "c1_x.wav"), "RIFF");
        File.WriteAllText(Path.Combine(folder, "coach", "anowak.html"), "<p>words</p>");
        File.WriteAllText(Path.Combine(folder, "coach", "anowak-review.csv"), "moment_id\n");
    }
}
