using QualityScan.Models;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Naming;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>Night after night into one output folder and one history, with the shipped model on real sample calls named the telephony way.</summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class NightlyScanTests
{
    private string _work = "";
    private string _input = "";
    private string _output = "";

    [SetUp]
    public void SetUp()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-nightly-{Guid.NewGuid():N}");
        _input = Path.Combine(_work, "recordings");
        _output = Path.Combine(_work, "out");
        Directory.CreateDirectory(_input);
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task Scan_TwoNightsIntoOneFolder_BothInTrendsNoStaleAgentFilesAndRerunDoesNotDuplicate()
    {
        var samples = RepositoryPaths.SampleAudio;
        // Night 1: Olszewski's worst call; night 2: Veselý's call. Telephony names, no manifest: the pattern reads them.
        Place(Path.Combine(samples, "polszewski", "pl09-worst.wav"), "2026-11-28/agent_polszewski/20261128-101500_48601234567_in.wav");
        Place(Path.Combine(samples, "jvesely", "cs02-nevim-musite.wav"), "2026-11-29/agent_jvesely/20261129-143000_420601234567_out.wav");
        File.WriteAllText(Path.Combine(_input, QualityScanConfig.FileName), $"workers: 1\nfile_names:\n  pattern: '{FileNameConventionTests.TelephonyPattern}'\n");

        Assert.That(await Scan("--date", "2026-11-28"), Is.EqualTo(ExitCodes.Success));
        Assert.That(AgentFiles(), Is.EqualTo(new[] { "polszewski.csv" }));
        var night1Calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(_output, "calls.csv"));
        Assert.That(night1Calls.Select(c => c.CallId), Is.EqualTo(new[] { "20261128-101500_xxxxxxxx567_in" }), "phone number masked in the call id");

        Assert.That(await Scan("--date", "2026-11-29"), Is.EqualTo(ExitCodes.Success));
        Assert.That(AgentFiles(), Is.EqualTo(new[] { "jvesely.csv" }), "night 1's agent file is gone: every report belongs to this run");
        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(_output, "calls.csv"));
        Assert.That(calls.Select(c => c.CallId), Is.EqualTo(new[] { "20261129-143000_xxxxxxxxx567_out" }));
        Assert.That(calls[0].StartedAt, Does.StartWith("2026-11-29T14:30:00").And.EndWith("+01:00"), "wall-clock time of the name, Warsaw winter time");
        Assert.That(Directory.GetFiles(Path.Combine(_output, "transcripts")).Select(Path.GetFileName).Any(f => f!.Contains("48601234567", StringComparison.Ordinal) || f!.Contains("420601234567", StringComparison.Ordinal)), Is.False, "no phone number in any file name");

        var log = File.ReadAllText(Path.Combine(_output, "qualityscan.log"));
        Assert.That(log, Does.Contain("Night 2026-11-29 (Europe/Warsaw): 1 of 2 recording(s)"));
        Assert.That(log, Does.Contain("Removed 1 agent file(s)").And.Contain("polszewski.csv"));
        Assert.That(CountOccurrences(log, "have no agent name or company in their metadata"), Is.EqualTo(2), "one warning per run, not per call");
        Assert.That(log, Does.Not.Contain("ms/token"), "engineering figures are for --verbose");
        var findings = File.ReadAllText(Path.Combine(_output, "findings.csv"));
        Assert.That(findings, Does.Contain(",greeting,n/a,").And.Contain("not checked: agent name"), "greeting elements without metadata are shown, not passed silently");
        Assert.That(Directory.GetFiles(Path.Combine(_output, "coach", "clips")), Is.Not.Empty, "a recording whose shown path has a masked phone number still gets its clips");
        Assert.That(Directory.GetFiles(Path.Combine(_output, "coach"), "*", SearchOption.AllDirectories).Any(f => f.Contains("420601234567", StringComparison.Ordinal)), Is.False, "no phone number in the coach pack's file names");

        Assert.That(await Scan("--date", "2026-11-29"), Is.EqualTo(ExitCodes.Success), "re-run of night 2");
        using (var store = SqliteHistoryStore.Open(Path.Combine(_output, "history.db")))
        {
            var history = store.Calls(new HistoryQuery());
            Assert.That(history.Select(c => (c.Day, c.AgentId)), Is.EqualTo(new[] { (new DateOnly(2026, 11, 28), "polszewski"), (new DateOnly(2026, 11, 29), "jvesely") }),
                "both nights, and the re-run of night 2 replaced its row instead of adding one");
            Assert.That(store.Runs(), Has.Count.EqualTo(3));
            Assert.That(store.Runs().Select(r => r.Night), Is.EqualTo(new DateOnly?[] { new(2026, 11, 28), new(2026, 11, 29), new(2026, 11, 29) }));
            Assert.That(history.Select(c => c.Counts[NightlyRun.GreetingNotCheckedCount]), Is.All.GreaterThan(0), "counted in the history too");
            Assert.That(history.All(c => c.Model.StartsWith("whisper-demo-pl-cs@", StringComparison.Ordinal) && c.Rules.Contains("pl:", StringComparison.Ordinal)), Is.True, "model and rule-pack identity recorded");
            Assert.That(history[0].Score, Is.EqualTo(night1Calls[0].Score), "the history holds what the report showed");
        }

        var weekly = File.ReadAllLines(Path.Combine(_output, "trends.csv"));
        Assert.That(weekly.Single(l => l.Contains(",team,", StringComparison.Ordinal)), Does.StartWith("2026-W48,2026-11-23,team,,,2,"),
            "the scan's own trends.csv has the last weeks: both nights fall in week 48");

        var trendsCsv = Path.Combine(_work, "trends.csv");
        var stdout = new StringWriter();
        var original = Console.Out;
        Console.SetOut(stdout);
        try
        {
            Assert.That(await new TrendsCommand().RunAsync(["--history", Path.Combine(_output, "history.db"), "--csv", trendsCsv], CancellationToken.None), Is.EqualTo(ExitCodes.Success));
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = File.ReadAllLines(trendsCsv);
        Assert.That(lines[0], Does.StartWith("period,period_start,scope,agent_id,agent_name,calls,judged_calls,mean_score,greeting_pass_rate"));
        Assert.That(lines.Skip(1).Select(l => string.Join(",", l.Split(',')[..6])), Is.EqualTo(new[]
        {
            "2026-11-28,2026-11-28,team,,,1", "2026-11-28,2026-11-28,agent,polszewski,,1",
            "2026-11-29,2026-11-29,team,,,1", "2026-11-29,2026-11-29,agent,jvesely,,1",
        }));
        Assert.That(stdout.ToString(), Does.Contain("2026-11-28").And.Contain("2026-11-29").And.Contain("(team)"));
    }

    [Test]
    public async Task Scan_OutputFolderLockedByAnotherScan_RefusedWithExitCode1AndNothingWritten()
    {
        Place(Path.Combine(RepositoryPaths.SampleAudio, "polszewski", "pl09-worst.wav"), "polszewski/call.wav");
        using var other = OutputLock.Acquire(_output, "scan /srv/other");
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        int code;
        try
        {
            code = await Scan();
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(stderr.ToString(), Does.Contain("is in use by another scan").And.Contain("scan /srv/other"));
        Assert.That(File.Exists(Path.Combine(_output, "calls.csv")), Is.False, "the second scan wrote nothing");
    }

    [Test]
    public async Task Scan_CorruptRecordingWithAPhoneNumberInItsName_NumberInNeitherErrorsCsvNorTheLog()
    {
        var relative = "2026-11-29/agent_1043/20261129-093012_48601234567_in.wav";
        Directory.CreateDirectory(Path.Combine(_input, "2026-11-29", "agent_1043"));
        File.WriteAllText(Path.Combine(_input, relative), "not audio");

        var code = await Scan();

        Assert.That(code, Is.EqualTo(ExitCodes.Failure), "nothing could be reported");
        var errors = File.ReadAllText(Path.Combine(_output, "errors.csv"));
        Assert.That(errors, Does.Contain("20261129-093012_xxxxxxxx567_in"), "the error row is there, with the number masked: " + errors);
        Assert.That(errors, Does.Not.Contain("48601234567"));
        Assert.That(File.ReadAllText(Path.Combine(_output, "qualityscan.log")), Does.Not.Contain("48601234567"));
    }

    private Task<int> Scan(params string[] extra) =>
        new ScanCommand().RunAsync([_input, "--out", _output, .. extra], CancellationToken.None);

    private string[] AgentFiles() =>
        Directory.GetFiles(Path.Combine(_output, ReportWriter.AgentsFolder)).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    private void Place(string source, string relative)
    {
        var target = Path.Combine(_input, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    private static int CountOccurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
