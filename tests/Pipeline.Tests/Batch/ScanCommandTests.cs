using QualityScan.Speech.Tests.Transcription;
using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>The nightly batch end to end on real sample calls with the shipped model, plus broken files among them.</summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class ScanCommandTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-scan-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Scan_BadFilesAmongCalls_EachInErrorsCsvAndEveryGoodCallReported()
    {
        var input = CopySampleCalls(2, out var good);
        var bad = Path.Combine(input, "bad");
        Directory.CreateDirectory(bad);
        File.WriteAllBytes(Path.Combine(bad, "corrupt.wav"), TruncatedWav());
        File.WriteAllBytes(Path.Combine(bad, "empty.wav"), []);
        File.WriteAllText(Path.Combine(bad, "notes.wav"), "Call notes: customer asked about the invoice.");
        File.WriteAllBytes(Path.Combine(bad, "voicemail.xyz"), [1, 2, 3, 4]);
        File.WriteAllBytes(Path.Combine(bad, "broken.ogg"), Encoding.ASCII.GetBytes("OggS but not really an ogg stream"));
        File.AppendAllText(Path.Combine(input, "calls.csv"), "nowhere/missing.wav,missing-1,ghost,Ghost Agent,Teleplus,pl,left,\n");
        var output = Path.Combine(_work, "out");

        var code = await Run(input, output);

        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), "reports are written, and cron/systemd learn that some calls could not be processed");
        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv"));
        Assert.That(calls.Select(c => c.CallId), Is.EquivalentTo(good), "every good call is reported");
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv"));
        Assert.That(errors.Select(e => e.File), Is.EquivalentTo(new[]
        {
            "bad/corrupt.wav", "bad/empty.wav", "bad/notes.wav", "bad/voicemail.xyz", "bad/broken.ogg", "nowhere/missing.wav",
        }));
        string Reason(string file) => errors.Single(e => e.File == file).Reason;
        Assert.That(Reason("bad/corrupt.wav"), Does.Contain("corrupt.wav").And.Contain("truncated"));
        Assert.That(Reason("bad/empty.wav"), Does.Contain("empty.wav").And.Contain("empty"));
        Assert.That(Reason("bad/notes.wav"), Does.Contain("notes.wav").And.Contain("not a RIFF"));
        Assert.That(Reason("bad/voicemail.xyz"), Does.Contain("voicemail.xyz").And.Contain("unknown audio format"));
        Assert.That(Reason("bad/broken.ogg"), Does.Contain("broken.ogg"));
        Assert.That(Reason("nowhere/missing.wav"), Does.Contain("calls.csv:").And.Contain("does not exist"));
        foreach (var id in good)
        {
            Assert.That(File.Exists(Path.Combine(output, "transcripts", id + ".json")), Is.True, $"transcript of {id}");
        }
    }

    [Test]
    public async Task Scan_SecondRun_ReusesEveryTranscriptAndForceRedoesThem()
    {
        var input = CopySampleCalls(2, out var good);
        var output = Path.Combine(_work, "out");
        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));
        var transcripts = good.Select(id => Path.Combine(output, "transcripts", id + ".json")).ToList();
        var firstWrite = transcripts.Select(File.GetLastWriteTimeUtc).ToList();
        var firstCalls = File.ReadAllText(Path.Combine(output, "calls.csv"));

        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));

        Assert.That(transcripts.Select(File.GetLastWriteTimeUtc), Is.EqualTo(firstWrite), "unchanged audio is not transcribed again");
        Assert.That(File.ReadAllText(Path.Combine(output, "calls.csv")), Is.EqualTo(firstCalls), "the reports come out the same from reused transcripts");
        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain("0 transcribed, 2 reused"));

        Assert.That(await Run(input, output, "--force"), Is.EqualTo(ExitCodes.Success));
        Assert.That(transcripts.Select(File.GetLastWriteTimeUtc), Is.Not.EqualTo(firstWrite), "--force transcribes again");
    }

    [Test]
    public async Task Scan_InterruptedAfterFirstCall_KeepsWhatIsDoneAndRerunContinues()
    {
        var input = CopySampleCalls(3, out var good);
        var output = Path.Combine(_work, "out");
        var transcripts = Path.Combine(output, "transcripts");
        using var cts = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                if (Directory.Exists(transcripts) && Directory.GetFiles(transcripts, "*.json").Length > 0)
                {
                    await cts.CancelAsync();
                    return;
                }

                await Task.Delay(20);
            }
        });

        var code = await new ScanCommand().RunAsync([input, "--out", output, "--workers", "1"], cts.Token);
        await watcher;

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted));
        var done = Directory.GetFiles(transcripts, "*.json").Length;
        Assert.That(done, Is.InRange(1, good.Count - 1), "stopped part-way");
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")), Has.Count.EqualTo(done), "finished calls are reported even when interrupted");
        Assert.That(Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no half-written file is left behind");
        var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json"))).RootElement;
        Assert.That(run.GetProperty("status").GetString(), Is.EqualTo("interrupted"), "the partial reports say they are partial");
        Assert.That(run.GetProperty("counts").GetProperty("reported").GetInt32(), Is.EqualTo(done));

        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Select(c => c.CallId), Is.EquivalentTo(good));
        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain($"{good.Count - done} transcribed, {done} reused"));
    }

    [Test]
    public async Task Scan_MonoRecording_TextChecksJudgedAndSeparationChecksNotApplicable()
    {
        var utterance = QualityScan.Speech.Tests.Transcription.TestData.DemoManifest().Single(u => u.Wav == "utt4.wav");
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(Path.Combine(input, "swilk"));
        File.Copy(Path.Combine(QualityScan.Speech.Tests.Transcription.TestData.DemoVectors, utterance.Wav), Path.Combine(input, "swilk", "mono-call.wav"));
        File.WriteAllText(Path.Combine(input, "calls.csv"), "file,call_id,agent_id,agent_name,company\nswilk/mono-call.wav,mono-1,swilk,Sylwia Wilk,Bank Horyzont\n");
        var output = Path.Combine(_work, "out");

        Assert.That(await Run(input, output), Is.EqualTo(ExitCodes.Success));

        var call = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Single();
        Assert.That(call.Outcomes["interruption"], Is.EqualTo("n/a"), "who talks over whom cannot be told on one channel");
        Assert.That(call.Outcomes["dont_know"], Is.EqualTo("n/a"), "whose 'nie wiem' it is cannot be told on one channel");
        Assert.That(call.Outcomes["greeting"], Is.EqualTo("pass"), "the greeting is recognisable without speaker separation: " + File.ReadAllText(Path.Combine(output, "findings.csv")));
        Assert.That(File.ReadAllText(Path.Combine(output, "transcripts", "mono-1.json")), Does.Contain("\"speaker\": \"unknown\""));
    }

    private static Task<int> Run(string input, string output, params string[] extra) =>
        new ScanCommand().RunAsync([input, "--out", output, .. extra], CancellationToken.None);

    /// <summary>Copies the <paramref name="count"/> smallest sample calls, with their manifest rows, into a fresh input folder.</summary>
    private string CopySampleCalls(int count, out IReadOnlyList<string> callIds)
    {
        var samples = RepositoryPaths.SampleAudio;
        var lines = File.ReadAllLines(Path.Combine(samples, "calls.csv"));
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => (Line: l, File: l.Split(',')[0], CallId: l.Split(',')[1]))
            .OrderBy(r => new FileInfo(Path.Combine(samples, r.File)).Length)
            .Take(count)
            .ToList();
        var input = Path.Combine(_work, "in");
        foreach (var row in rows)
        {
            var target = Path.Combine(input, row.File);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(samples, row.File), target);
        }

        File.WriteAllLines(Path.Combine(input, "calls.csv"), rows.Select(r => r.Line).Prepend(lines[0]));
        callIds = rows.Select(r => r.CallId).ToList();
        return input;
    }

    private static byte[] TruncatedWav()
    {
        var bytes = new List<byte>();
        void Ascii(string s) => bytes.AddRange(Encoding.ASCII.GetBytes(s));
        void U32(uint v) => bytes.AddRange(BitConverter.GetBytes(v));
        void U16(ushort v) => bytes.AddRange(BitConverter.GetBytes(v));
        Ascii("RIFF");
        U32(36 + 64000);
        Ascii("WAVE");
        Ascii("fmt ");
        U32(16);
        U16(1);
        U16(2);
        U32(8000);
        U32(32000);
        U16(4);
        U16(16);
        Ascii("data");
        U32(64000);
        bytes.AddRange(new byte[400]);
        return bytes.ToArray();
    }
}
