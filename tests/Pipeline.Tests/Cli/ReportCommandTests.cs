using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary><c>qualityscan report</c> refuses a night it cannot build whole, and says why (the merge itself: <c>ShardedScanTests</c>).</summary>
[TestFixture]
[NonParallelizable]
public sealed class ReportCommandTests
{
    private string _input = "";
    private string _out = "";

    [SetUp]
    public void SetUp()
    {
        var root = Directory.CreateTempSubdirectory("qs-report-").FullName;
        _input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        _out = Path.Combine(root, "out");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(_input)!, recursive: true);

    [Test]
    public async Task Report_ShardMissing_NamesTheShardAndItsCallsAndWritesNoReports()
    {
        Shard(1, "night", "plan-a").Write(_out);

        var (code, _, error) = await CliRun.RunAsync("report", _out, "--run-id", "night");

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("shard 2/2 has no result").And.Contain("c2 (shard 2/2)"));
        Assert.That(File.Exists(Path.Combine(_out, ReportWriter.CallsFile)), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(_out, RunRecord.FileName)), Does.Contain("\"status\": \"failed\""), "run.json says the night is not whole");
    }

    [Test]
    public async Task Report_ShardOfAnotherNightUnderTheSameRunId_Refused()
    {
        Shard(1, "night", "plan-a").Write(_out);
        Shard(2, "night", "plan-b").Write(_out);

        var (code, _, error) = await CliRun.RunAsync("report", _out, "--run-id", "night");

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("shard 2/2 saw another night than shard 1/2"));
        Assert.That(File.Exists(Path.Combine(_out, ReportWriter.CallsFile)), Is.False);
    }

    [Test]
    public async Task Report_FifoNamedAsAShardResult_RefusedWithoutBlocking()
    {
        Shard(1, "night", "plan-a").Write(_out);
        ExternalTools.Run(ExternalTools.Require("mkfifo", "coreutils"), ShardResult.PathFor(_out, "night", new ShardSpec(2, 2)));

        var run = CliRun.RunAsync("report", _out, "--run-id", "night");
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));

        Assert.That(finished, Is.SameAs(run), "report must not open a FIFO (it would wait for a writer for ever)");
        var (code, _, error) = await run;
        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("shard-2-of-2.json: not a regular file"));
        Assert.That(File.Exists(Path.Combine(_out, ReportWriter.CallsFile)), Is.False);
    }

    [Test]
    public async Task Report_ResultOfAnotherRunCopiedIntoTheRunFolder_LeftOut()
    {
        Shard(1, "night", "plan-a").Write(_out);
        Shard(2, "yesterday", "plan-a").Write(_out);
        File.Copy(ShardResult.PathFor(_out, "yesterday", new ShardSpec(2, 2)), ShardResult.PathFor(_out, "night", new ShardSpec(2, 2)));

        var (code, _, error) = await CliRun.RunAsync("report", _out, "--run-id", "night");

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("is not shard 2/2 of run night (it says shard 2/2 of run yesterday); left out"));
    }

    [Test]
    public async Task Report_SeveralRunsAndNoRunId_UsageListsThem()
    {
        Shard(1, "night", "plan-a").Write(_out);
        Shard(1, "yesterday", "plan-a").Write(_out);
        var saved = Environment.GetEnvironmentVariable(ShardEnvironment.RunIdVariable);
        Environment.SetEnvironmentVariable(ShardEnvironment.RunIdVariable, null);
        try
        {
            var (code, _, error) = await CliRun.RunAsync("report", _out);

            Assert.That(code, Is.EqualTo(ExitCodes.Usage));
            Assert.That(error, Does.Contain("holds 2 runs").And.Contain("night").And.Contain("yesterday"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ShardEnvironment.RunIdVariable, saved);
        }
    }

    private ShardResult Shard(int number, string runId, string fingerprint) => new()
    {
        RunId = runId,
        Shard = number,
        ShardCount = 2,
        Status = RunStatus.Complete,
        ScanArguments = [_input, "--out", _out],
        Model = "model@0",
        PlanFingerprint = fingerprint,
        Plan = [new PlannedCall("c1", "a/c1.wav", 1), new PlannedCall("c2", "a/c2.wav", 2)],
        Errors = [new ErrorRow { File = $"a/c{number}.wav", CallId = $"c{number}", AgentId = "a", Stage = "decode", Reason = "not a RIFF/WAVE file" }],
    };
}
