using System.Text;
using System.Text.Json;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>What a QA team relies on around the output folder: checked before any work, nothing done is lost, and the reports say how the run ended.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ScanOutputTests
{
    private string _work = "";
    private TextWriter _stderr = Console.Error;
    private TextWriter _stdout = Console.Out;
    private StringWriter _errors = new();
    private StringWriter _output = new();

    [SetUp]
    public void SetUp()
    {
        // No digits in the folder name: the log masks runs of 9-13 digits as phone numbers, and a GUID can hold one.
        Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), "qs-out-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsDigit(c) ? (char)('g' + (c - '0')) : c))));
        _stderr = Console.Error;
        _stdout = Console.Out;
        Console.SetError(_errors = new StringWriter());
        Console.SetOut(_output = new StringWriter());
    }

    [TearDown]
    public void TearDown()
    {
        Console.SetError(_stderr);
        Console.SetOut(_stdout);
        Directory.Delete(_work, recursive: true);
    }

    [TestCase("/dev/null")]
    [TestCase("a-file")]
    [TestCase("a-file/below")]
    [TestCase("/proc/qualityscan-out")]
    public async Task Scan_OutputNotAWritableFolder_OneLineErrorBeforeAnyWork(string output)
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        File.WriteAllText(Path.Combine(_work, "a-file"), "not a folder");
        var started = DateTime.UtcNow;

        var code = await Program.Main(["scan", input, "--out", output.StartsWith('/') ? output : Path.Combine(_work, output), "--model", "/nonexistent-model"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        var lines = _errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "one line, no stack trace: " + _errors);
        Assert.That(lines[0], Does.StartWith("qualityscan scan: ").And.Contain(output.Split('/')[^1]));
        Assert.That(lines[0], Does.Not.Contain("model"), "the output folder is checked before the model is even looked for");
    }

    [Test]
    public async Task Scan_InputIsAFile_SaysScanTakesAFolder()
    {
        var file = Path.Combine(_work, "call.wav");
        File.WriteAllBytes(file, [1, 2, 3]);

        var code = await Program.Main(["scan", file, "--out", Path.Combine(_work, "out")]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(_errors.ToString(), Does.Contain("is a file").And.Contain("transcribe").And.Not.Contain("does not exist"));
    }

    [Test]
    [Category("model")]
    public async Task Scan_DamagedStoredTranscript_RedoneAndTheLogNamesTheFile()
    {
        var (input, id) = CopyOneSampleCall();
        var output = Path.Combine(_work, "out");
        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));
        var stored = Path.Combine(output, "transcripts", id + ".json");
        var bytes = File.ReadAllBytes(stored);
        bytes[bytes.Length / 2] = 0xFF;
        File.WriteAllBytes(stored, bytes);

        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));

        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Select(c => c.CallId), Is.EqualTo(new[] { id }), "the call is reported, not an error row");
        var log = File.ReadAllText(Path.Combine(output, "qualityscan.log"));
        Assert.That(log, Does.Contain("unreadable").And.Contain(stored).And.Contain("1 transcribed, 0 reused"));
        Assert.That(() => QualityScan.Pipeline.Transcripts.TranscriptJson.Read(stored), Throws.Nothing, "the transcript was stored again");
    }

    [Test]
    [Category("model")]
    public async Task Scan_TranscriptCannotBeStoredAndStaleTemporaryFiles_CallReportedAndLeftoversRemoved()
    {
        var (input, id) = CopyOneSampleCall();
        var output = Path.Combine(_work, "out");
        var transcripts = Path.Combine(output, "transcripts");
        Directory.CreateDirectory(Path.Combine(transcripts, id + ".json"));
        var stale = Path.Combine(transcripts, $".{id}.json.999999999.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a transcript");
        var staleReport = Path.Combine(output, $".calls.csv.999999999.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(staleReport, "half a report");

        var code = await Run(input, output);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Select(c => c.CallId), Is.EqualTo(new[] { id }), "a transcript that cannot be stored still gets its call checked and reported");
        Assert.That(ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")), Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain("Could not store the transcript of " + id));
        Assert.That(File.Exists(stale) || File.Exists(staleReport), Is.False, "temporary files of a killed run are cleaned at the next start");
        Assert.That(RunJson(output).GetProperty("counts").GetProperty("transcriptsNotStored").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    [Category("model")]
    public async Task Scan_ReportsCannotBeWritten_ClearErrorAndExitCodeThree()
    {
        var (input, id) = CopyOneSampleCall();
        var output = Path.Combine(_work, "out");
        Directory.CreateDirectory(Path.Combine(output, "calls.csv"));

        var code = await Run(input, output);

        Assert.That(code, Is.EqualTo(ExitCodes.ReportsNotWritten));
        Assert.That(_errors.ToString(), Does.Contain("the reports could not be written to " + output));
        Assert.That(File.Exists(Path.Combine(output, "transcripts", id + ".json")), Is.True, "the transcription work is kept");
        Assert.That(RunJson(output).GetProperty("status").GetString(), Is.EqualTo("failed"));
    }

    [Test]
    [Category("model")]
    public async Task Scan_CompleteRun_RunJsonAndSummarySayComplete()
    {
        var (input, id) = CopyOneSampleCall();
        var output = Path.Combine(_work, "out");

        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));

        var run = RunJson(output);
        Assert.That(run.GetProperty("status").GetString(), Is.EqualTo("complete"));
        Assert.That(run.GetProperty("counts").GetProperty("reported").GetInt32(), Is.EqualTo(1));
        Assert.That(run.GetProperty("counts").GetProperty("recordings").GetInt32(), Is.EqualTo(1));
        Assert.That(run.GetProperty("model").GetString(), Does.StartWith("whisper-demo-pl-cs@"));
        Assert.That(run.GetProperty("rulePacks").EnumerateArray().Select(p => p.GetProperty("language").GetString()), Is.EquivalentTo(new[] { "cs", "pl" }));
        Assert.That(DateTimeOffset.Parse(run.GetProperty("endedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(DateTimeOffset.Parse(run.GetProperty("startedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(_output.ToString(), Does.Contain("status: complete"));
    }

    [Test]
    [Category("model")]
    public async Task Scan_RecordingShorterThanOneSecond_ErrorRowTooShortNotAPerfectCall()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(Path.Combine(input, "anowak"));
        File.WriteAllBytes(Path.Combine(input, "anowak", "tiny.wav"), TinyDataChunkWav());
        var output = Path.Combine(_work, "out");

        await Run(input, output);

        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")), Is.Empty, "a 0-second call is not scored");
        var error = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")).Single();
        Assert.That(error.File, Is.EqualTo("anowak/tiny.wav"));
        Assert.That(error.Reason, Does.Contain("tiny.wav").And.Contain("too short to judge"));
    }

    private static Task<int> Run(string input, string output) => Program.Main(["scan", input, "--out", output, "--workers", "1"]);

    private static JsonElement RunJson(string output) => JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json"))).RootElement;

    /// <summary>A 64 KB WAV whose data chunk claims 15 bytes: 7 samples of 8 kHz audio.</summary>
    internal static byte[] TinyDataChunkWav()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(Encoding.ASCII.GetBytes("RIFF"));
        w.Write(36 + 65536);
        w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(8000);
        w.Write(16000);
        w.Write((short)2);
        w.Write((short)16);
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(15);
        var random = new Random(7);
        var body = new byte[65536];
        random.NextBytes(body);
        w.Write(body);
        return stream.ToArray();
    }

    private (string Input, string CallId) CopyOneSampleCall()
    {
        var samples = RepositoryPaths.SampleAudio;
        var lines = File.ReadAllLines(Path.Combine(samples, "calls.csv"));
        var row = lines.Skip(1).Where(l => l.Length > 0).OrderBy(l => new FileInfo(Path.Combine(samples, l.Split(',')[0])).Length).First();
        var input = Path.Combine(_work, "in");
        var target = Path.Combine(input, row.Split(',')[0]);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(samples, row.Split(',')[0]), target);
        File.WriteAllLines(Path.Combine(input, "calls.csv"), [lines[0], row]);
        return (input, row.Split(',')[1]);
    }
}
