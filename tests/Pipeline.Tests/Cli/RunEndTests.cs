using System.Diagnostics;
using System.Text.Json;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Batch;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>
/// How a run ends when it does not end normally: a second Ctrl-C sent to the real program, and the last-resort
/// handler; each must leave a true <c>run.json</c> and no lock.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunEndTests
{
    private string _work = "";

    [SetUp]
    public void SetUp()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-runend-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_work);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    [Category("model")]
    public async Task Scan_SecondSigint_ExitsAt130WithRunJsonInterruptedNoLockAndWholeReports()
    {
        var output = Path.Combine(_work, "out");
        var program = Path.Combine(TestContext.CurrentContext.TestDirectory, OperatingSystem.IsWindows() ? "qualityscan.exe" : "qualityscan");
        if (!File.Exists(program) || OperatingSystem.IsWindows())
        {
            Assert.Ignore($"{program} was not built beside the tests (or no POSIX signals here)");
        }

        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "scan", RepositoryPaths.SampleAudio, "--out", output, "--workers", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var transcripts = Path.Combine(output, ScanCommand.TranscriptsFolder);
        var watch = Stopwatch.StartNew();
        while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3)
            && !(Directory.Exists(transcripts) && Directory.EnumerateFiles(transcripts, "*.json").Any()))
        {
            await Task.Delay(50);
        }

        Assert.That(process.HasExited, Is.False, "the scan was still running after its first transcript");
        Signal(process.Id);
        await Task.Delay(300);
        var secondAt = Stopwatch.StartNew();
        Signal(process.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        var texts = await drained;

        Assert.That(process.ExitCode, Is.EqualTo(ExitCodes.Interrupted), texts[1]);
        Assert.That(secondAt.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the second Ctrl-C stops at once, not after the calls in progress");
        Assert.That(texts[1], Does.Contain("quitting now"));
        using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, RunRecord.FileName)));
        Assert.That(record.RootElement.GetProperty("status").GetString(), Is.EqualTo("interrupted"), "run.json does not stay 'running'");
        Assert.That(record.RootElement.GetProperty("exitCode").GetInt32(), Is.EqualTo(ExitCodes.Interrupted));
        Assert.That(record.RootElement.GetProperty("reason").GetString(), Does.Contain("second Ctrl-C"));
        Assert.That(record.RootElement.TryGetProperty("reports", out _), Is.True, "run.json says what the report files beside it are");
        Assert.That(File.Exists(Path.Combine(output, OutputLock.FileName)), Is.False, "the lock is released");
        foreach (var csv in new[] { ReportWriter.CallsFile, ReportWriter.FindingsFile, ReportWriter.ErrorsFile }.Select(f => Path.Combine(output, f)).Where(File.Exists))
        {
            Assert.That(() => ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, ReportWriter.CallsFile)), Throws.Nothing, $"{csv} is whole");
        }

        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain("stopped at once by a second Ctrl-C"));

        Assert.That(() => OutputLock.Acquire(output, "the next night").Dispose(), Throws.Nothing, "the next run takes the folder at once");
    }

    [Test]
    public void Crash_DuringARun_LogsTheFileAndWritesRunJsonFailed()
    {
        var output = Path.Combine(_work, "out");
        Directory.CreateDirectory(output);
        var log = Path.Combine(output, "qualityscan.log");
        var record = new RunRecord { Command = "scan", Input = "/srv/recordings", Night = new DateOnly(2026, 11, 30) };
        record.Write(output);
        var session = new RunSession();
        var heldLock = OutputLock.Acquire(output, "test");
        session.Begin(record, output, heldLock, log);
        session.Working(() => "processing kkowalska/pl03.wav");

        var code = session.Crash(new InvalidOperationException("header 'evidence' not found"), "scan");

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        using var written = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, RunRecord.FileName)));
        Assert.That(written.RootElement.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(written.RootElement.GetProperty("exitCode").GetInt32(), Is.EqualTo(ExitCodes.Failure));
        Assert.That(written.RootElement.GetProperty("night").GetString(), Is.EqualTo("2026-11-30"));
        Assert.That(written.RootElement.GetProperty("reason").GetString(), Does.Contain("kkowalska/pl03.wav").And.Contain("header 'evidence' not found"));
        Assert.That(File.ReadAllText(log), Does.Contain("FTL").And.Contain("kkowalska/pl03.wav").And.Contain("InvalidOperationException"), "the log names the exception and the file");
        Assert.That(File.Exists(Path.Combine(output, OutputLock.FileName)), Is.False, "the lock is released");
        Assert.That(session.End(RunStatus.Complete, ExitCodes.Success, null), Is.False, "a run ended by the handler is not ended again as complete");
    }

    [Test]
    [Category("model")]
    public async Task Scan_HistoryIsNotADatabase_Exit1AndRunJsonFailedNamingIt()
    {
        var input = Path.Combine(_work, "recordings", "kkowalska");
        Directory.CreateDirectory(input);
        File.Copy(Path.Combine(RepositoryPaths.SampleAudio, "kkowalska", "pl01-all-pass.wav"), Path.Combine(input, "pl01.wav"));
        var history = Path.Combine(_work, "history.db");
        File.WriteAllText(history, "this is a note, not a SQLite database\n");
        var output = Path.Combine(_work, "out");

        var (code, stdout, error) = await CliRun.RunAsync("scan", Path.GetDirectoryName(input)!, "--out", output, "--history", history, "--workers", "1");

        Assert.That(code, Is.EqualTo(ExitCodes.Failure), error);
        using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, RunRecord.FileName)));
        Assert.That(record.RootElement.GetProperty("status").GetString(), Is.EqualTo("failed"), "not 'complete' when the night never reached the history");
        Assert.That(record.RootElement.GetProperty("exitCode").GetInt32(), Is.EqualTo(ExitCodes.Failure));
        Assert.That(record.RootElement.GetProperty("reason").GetString(), Does.Contain(history));
        Assert.That(stdout, Does.Contain("status: FAILED"), "the summary agrees with the exit code");
        Assert.That(File.Exists(Path.Combine(output, ReportWriter.CallsFile)), Is.True, "the reports are written all the same");
    }

    private static void Signal(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
