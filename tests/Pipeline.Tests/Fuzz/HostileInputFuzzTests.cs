using QualityScan.Models.IO;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Fuzz;

/// <summary>
/// Generated hostile inputs, run through the real commands: mutated WAV headers (rate and size bombs among them), hostile
/// ids and manifest paths, malformed transcript JSON. Whatever comes in, every input ends as a report row or an error row
/// naming the file and the problem, nothing is written outside the output folder, no two calls share an output file,
/// and the command returns one of the documented exit codes. Seeds are fixed, so a failure reproduces.
/// </summary>
[TestFixture]
[Category("fuzz")]
[NonParallelizable]
public sealed class HostileInputFuzzTests
{
    private const int Seed = 9_2026;
    private static readonly int[] DocumentedExitCodes = [ExitCodes.Success, ExitCodes.Failure, ExitCodes.PartialFailure, ExitCodes.ReportsNotWritten, ExitCodes.EmptyNight];

    private string _work = "";
    private TextWriter _stdout = Console.Out;
    private TextWriter _stderr = Console.Error;

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-fuzz-{Guid.NewGuid():N}"));
        _stdout = Console.Out;
        _stderr = Console.Error;
        Console.SetOut(new StringWriter());
        Console.SetError(new StringWriter());
    }

    [TearDown]
    public void TearDown()
    {
        Console.SetOut(_stdout);
        Console.SetError(_stderr);
        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", _work]) { UseShellExecute = false })!;
        rm.WaitForExit();
    }

    [Test]
    [Category("model")]
    public async Task Scan_MutatedWavsHostileIdsAndManifestPaths_EveryInputAccountedForAndNothingLeaks()
    {
        var input = Path.Combine(_work, "in");
        var outside = Path.Combine(_work, "outside");
        Directory.CreateDirectory(outside);
        var secret = Path.Combine(outside, "secret.wav");
        File.WriteAllBytes(secret, BaseWav(new Random(1)));

        var random = new Random(Seed);
        var expectedFiles = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            var relative = $"fuzz{i % 4}/m{i:000}.wav";
            Write(input, relative, MutateWav(BaseWav(random), random));
            expectedFiles.Add(relative);
        }

        // Hostile ids through the manifest; hostile paths, links, a FIFO and a device link beside them.
        var rows = new List<string>();
        var hostileIds = IO.IdFileNameTests.HostileIds().ToList();
        for (var i = 0; i < hostileIds.Count; i++)
        {
            var relative = $"ids/call{i:00}.wav";
            Write(input, relative, BaseWav(random));
            rows.Add($"{relative},{Csv(hostileIds[i])},{Csv(hostileIds[(i + 3) % hostileIds.Count])},,");
            expectedFiles.Add(relative);
        }

        string[] hostilePaths = ["../outside/secret.wav", secret, "ids/../../outside/secret.wav", "/dev/zero", "ids/link-out.wav", "ids/pipe.wav", "ids/zero.wav", "ids/missing.wav", "ids", ""];
        File.CreateSymbolicLink(Path.Combine(input, "ids", "link-out.wav"), secret);
        File.CreateSymbolicLink(Path.Combine(input, "ids", "zero.wav"), "/dev/zero");
        Directory.CreateSymbolicLink(Path.Combine(input, "ids", "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(input, "elsewhere"), outside);
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [Path.Combine(input, "ids", "pipe.wav")]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
        }

        for (var i = 0; i < hostilePaths.Length; i++)
        {
            rows.Add($"{Csv(hostilePaths[i])},path{i},evil,,");
        }

        File.WriteAllText(Path.Combine(input, "calls.csv"), "file,call_id,agent_id,agent_name,company\n" + string.Join("\n", rows) + "\n", new UTF8Encoding(false));
        var before = Snapshot(_work);
        var secretBefore = File.ReadAllBytes(secret);
        var output = Path.Combine(_work, "out");

        var code = await Program.Main(["scan", input, "--out", output, "--workers", "1"]);

        Assert.That(DocumentedExitCodes, Does.Contain(code));
        Assert.That(Snapshot(_work).Where(p => !p.Path.StartsWith(output + "/", StringComparison.Ordinal) && p.Path != output), Is.EquivalentTo(before), "nothing outside the output folder is written");
        Assert.That(File.ReadAllBytes(secret), Is.EqualTo(secretBefore));

        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv"));
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv"));
        foreach (var file in expectedFiles)
        {
            var asCall = calls.Count(c => c.SourceFile == file);
            var asError = errors.Where(e => e.File == file).ToList();
            Assert.That(asCall + asError.Count, Is.EqualTo(1), $"{file}: one report row or one error row");
            foreach (var error in asError)
            {
                Assert.That(error.Reason, Does.Contain(Path.GetFileName(file)), "the error names the file");
                Assert.That(error.Reason.Length, Is.GreaterThan(Path.GetFileName(file).Length + 10), "and says what is wrong");
            }
        }

        for (var i = 0; i < hostilePaths.Length; i++)
        {
            Assert.That(errors.Count(e => e.CallId == $"path{i}") + errors.Count(e => e.Reason.Contains($"calls.csv:{hostileIds.Count + i + 2}:", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(1), $"manifest path '{hostilePaths[i]}' is an error row");
            Assert.That(calls.Any(c => c.CallId == $"path{i}"), Is.False, $"manifest path '{hostilePaths[i]}' is never read");
        }

        Assert.That(calls.Any(c => (c.SourceFile ?? "").Contains("secret", StringComparison.Ordinal) || (c.SourceFile ?? "").StartsWith("elsewhere", StringComparison.Ordinal)), Is.False);
        AssertOneFilePerCallAndAgent(output, calls);
    }

    [Test]
    public async Task Analyze_MalformedTranscriptJson_EveryFileAReportOrAnErrorNamingFileAndField()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        var example = File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "transcript.example.json"));
        var random = new Random(Seed);
        var files = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var name = $"t{i:000}.json";
            File.WriteAllBytes(Path.Combine(input, name), MutateJson(example, random, i));
            files.Add(name);
        }

        var before = Snapshot(_work);
        var output = Path.Combine(_work, "out");

        var code = await Program.Main(["analyze", input, "--out", output]);

        Assert.That(DocumentedExitCodes, Does.Contain(code));
        Assert.That(Snapshot(_work).Where(p => !p.Path.StartsWith(output + "/", StringComparison.Ordinal) && p.Path != output), Is.EquivalentTo(before), "nothing outside the output folder is written");
        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv"));
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv"));
        Assert.That(calls.Count + errors.Count, Is.EqualTo(files.Count), "every transcript is a report row or an error row");
        Assert.That(errors.Select(e => Path.GetFileName(e.File)).Distinct().Count(), Is.EqualTo(errors.Count), "each bad file once");
        foreach (var error in errors)
        {
            Assert.That(error.Reason, Does.StartWith(error.File + ": "), "the reason names the file");
            Assert.That(error.Stage, Is.EqualTo("transcript").Or.EqualTo("rules"), error.Reason);
        }

        Assert.That(errors, Has.Count.GreaterThan(100), "the mutations do break most files");
        Assert.That(calls, Has.Count.GreaterThan(20), "and some still read");
        AssertOneFilePerCallAndAgent(output, calls, transcripts: false);
    }

    private static void AssertOneFilePerCallAndAgent(string output, IReadOnlyList<CallRow> calls, bool transcripts = true)
    {
        var agents = calls.Select(c => c.AgentId).Distinct(StringComparer.Ordinal).ToList();
        Assert.That(Directory.GetFiles(Path.Combine(output, "agents")), Has.Length.EqualTo(agents.Count), "one coaching file per agent, none shared");
        foreach (var agent in agents)
        {
            var coaching = ReportWriter.Read<CoachingRow, CoachingRowMap>(Path.Combine(output, "agents", IdFileName.For(agent) + ".csv"));
            Assert.That(coaching, Has.Count.EqualTo(calls.Count(c => c.AgentId == agent)), $"coaching file of '{agent}' holds that agent's calls only");
        }

        if (transcripts)
        {
            foreach (var call in calls)
            {
                var stored = QualityScan.Pipeline.Transcripts.TranscriptJson.Read(Path.Combine(output, "transcripts", IdFileName.For(call.CallId) + ".json"));
                Assert.That(stored.Transcript.Metadata.CallId, Is.EqualTo(call.CallId), "each call has its own transcript file");
            }

            Assert.That(Directory.GetFiles(Path.Combine(output, "transcripts"), "*.json"), Has.Length.EqualTo(calls.Count));
        }
    }

    /// <summary>1.5 s of a tone with noise, 8 kHz 16-bit mono: long enough to be judged, short enough to transcribe fast.</summary>
    private static byte[] BaseWav(Random random)
    {
        var samples = Signals.Sine(200 + random.Next(400), 8000, 1.5, 0.3);
        var noise = Signals.Noise(samples.Length, -40, random.Next());
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] += noise[i];
        }

        return WavBuilder.Pcm16(8000, samples);
    }

    /// <summary>One header mutation: a field set to a hostile value, random bytes flipped, a bomb of a size, or a cut.</summary>
    internal static byte[] MutateWav(byte[] wav, Random random)
    {
        var bytes = (byte[])wav.Clone();
        uint[] rates = [0, 1, 100, 1999, 2000, 8000, 44100, 384_000, 384_001, uint.MaxValue];
        uint[] sizes = [0, 1, 15, 16, 0x7FFF_FFFF, 0xFFFF_FFFF, (uint)random.Next()];
        switch (random.Next(10))
        {
            case 0:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), rates[random.Next(rates.Length)]);
                break;
            case 1:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(22), (ushort)new[] { 0, 1, 2, 33, 65535 }[random.Next(5)]);
                break;
            case 2:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), sizes[random.Next(sizes.Length)]);
                break;
            case 3:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), sizes[random.Next(sizes.Length)]);
                break;
            case 4:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(34), (ushort)new[] { 0, 4, 7, 8, 12, 24, 32, 64, 65535 }[random.Next(9)]);
                break;
            case 5:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(20), (ushort)new[] { 0, 2, 3, 6, 7, 0x11, 0x31, 0x55, 0xFFFE }[random.Next(9)]);
                break;
            case 6:
                Array.Resize(ref bytes, random.Next(bytes.Length));
                break;
            case 7:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), 0xFFFF_FFFF);
                break;
            default:
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    bytes[random.Next(44)] = (byte)random.Next(256);
                }

                break;
        }

        return bytes;
    }

    private static byte[] MutateJson(byte[] json, Random random, int i)
    {
        var text = Encoding.UTF8.GetString(json);
        string Replace(string from, string to) => text.Replace(from, to, StringComparison.Ordinal);
        string[] ids = ["x/y", "x_y", "..", ".", "\\u001b[31m", "\\ud800", new string('a', 300), "CON", "a\\nb"];
        var id = ids[random.Next(ids.Length)];
        switch (i % 12)
        {
            case 0:
                return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Replace("2026-11-22-0007", $"bom-{i}"))];
            case 1:
                var bytes = Encoding.UTF8.GetBytes(text);
                bytes[random.Next(bytes.Length)] = (byte)(0x80 + random.Next(0x80));
                return bytes;
            case 2:
                return Encoding.UTF8.GetBytes(Replace("\"Telkom\"", "\"Tel\\udc00kom\""));
            case 3:
                return Encoding.UTF8.GetBytes(Replace("\"language\": \"pl\"", "\"language\": \"pl\", \"language\": \"cs\""));
            case 4:
                return Encoding.UTF8.GetBytes(Replace("41.5", new[] { "1e308", "-1", "NaN", "86400.5", "99999999999999999999" }[random.Next(5)]));
            case 5:
                return Encoding.UTF8.GetBytes(text[..random.Next(text.Length)]);
            case 6:
                return Encoding.UTF8.GetBytes(Replace("\"agentId\": \"akowalska\"", $"\"agentId\": \"{id}\"").Replace("2026-11-22-0007", $"{id}-{i}", StringComparison.Ordinal));
            case 7:
                return Encoding.UTF8.GetBytes(new string('[', 5000));
            case 8:
                return Encoding.UTF8.GetBytes(Replace("\"start\": 10.2", "\"start\": \"ten\""));
            case 9:
                var flipped = Encoding.UTF8.GetBytes(text);
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(0x20, 0x7F);
                }

                return flipped;
            case 10:
                return Encoding.UTF8.GetBytes(Replace("2026-11-22-0007", $"ok-{i}"));
            default:
                return Encoding.UTF8.GetBytes(Replace("\"speaker\": \"agent\"", "\"speaker\": \"agent\", \"speaker\": \"customer\""));
        }
    }

    private static void Write(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static string Csv(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Every entry under <paramref name="folder"/> with its size and time, links listed but not followed.</summary>
    private static List<(string Path, long Length, DateTime Written)> Snapshot(string folder)
    {
        var entries = new List<(string, long, DateTime)>();
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(current, "*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                var kind = FileKinds.Of(entry, followLinks: false);
                entries.Add((entry, kind == FileKind.Regular ? new FileInfo(entry).Length : -1, kind == FileKind.SymbolicLink ? default : File.GetLastWriteTimeUtc(entry)));
                if (kind == FileKind.Directory)
                {
                    pending.Push(entry);
                }
            }
        }

        return entries;
    }
}
