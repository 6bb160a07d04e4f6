using System.Text.Json;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Batch;
using QualityScan.Speech.Tests.Transcription;
using QualityScan.Speech.Tests.Transcription.Ggml;
using QualityScan.Speech.Transcription.Ggml;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>
/// <c>scan</c> with a whisper.cpp ggml model (<c>--model x.bin</c>): a real scan of two sample calls through
/// Whisper.net, the engine named in <c>run.json</c>, and transcripts never reused across engines.
/// </summary>
[TestFixture]
[Category("model")]
[Category("ggml")]
public sealed class BatchEngineTests
{
    private string _work = string.Empty;

    [SetUp]
    public void SetUp()
    {
        // Letters only: a run of digits in a random name would be masked in the log as a phone or identity number.
        _work = Path.Combine(Path.GetTempPath(), "qs-ggml-scan-" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('g' + (c % 16))).ToArray()));
        Directory.CreateDirectory(_work);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Scan_GgmlModel_TranscribesWithWhisperNetAndNeverSharesTranscriptsWithOnnx()
    {
        var model = F16Model();
        var input = Path.Combine(_work, "in");
        foreach (var (agent, call) in new[] { ("kkowalska", "pl01-all-pass"), ("polszewski", "pl08-curt") })
        {
            Directory.CreateDirectory(Path.Combine(input, agent));
            File.Copy(Path.Combine(RepositoryPaths.SampleAudio, agent, call + ".wav"), Path.Combine(input, agent, call + ".wav"));
        }

        var output = Path.Combine(_work, "out");

        var (code, _, error) = await CliRun.RunAsync("scan", input, "--out", output, "--model", model, "--workers", "1", "--language", "pl");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        using (var run = RunJson(output))
        {
            Assert.That(run.RootElement.GetProperty("engine").GetString(), Is.EqualTo("whisper.net"), "run.json names the engine");
            Assert.That(run.RootElement.GetProperty("modelPath").GetString(), Is.EqualTo(model), "and the model file");
            Assert.That(run.RootElement.GetProperty("model").GetString(), Does.StartWith("whisper.net:ggml-random-f16.bin@"));
            Assert.That(run.RootElement.GetProperty("counts").GetProperty("transcribed").GetInt32(), Is.EqualTo(2));
        }

        var calls = File.ReadAllLines(Path.Combine(output, "calls.csv"));
        Assert.That(calls.Skip(1).Select(l => l.Split(',')[0]), Is.EquivalentTo(new[] { "pl01-all-pass", "pl08-curt" }), "calls.csv has both calls");
        Assert.That(File.ReadAllText(Path.Combine(output, "transcripts", "pl01-all-pass.json")), Does.Contain("\"model\": \"whisper.net:ggml-random-f16.bin@"), "the transcript names the engine and file that made it");
        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain("engine whisper.net").And.Contain(model), "the log names the engine and the model file");

        // The same calls with the ONNX engine (the shipped demo model): nothing made by whisper.cpp is reused.
        (code, _, error) = await CliRun.RunAsync("scan", input, "--out", output, "--workers", "1", "--language", "pl");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        using (var run = RunJson(output))
        {
            Assert.That(run.RootElement.GetProperty("engine").GetString(), Is.EqualTo("onnx"));
            Assert.That(run.RootElement.GetProperty("counts").GetProperty("reused").GetInt32(), Is.EqualTo(0), "a ggml transcript is never reused by the ONNX engine");
            Assert.That(run.RootElement.GetProperty("counts").GetProperty("transcribed").GetInt32(), Is.EqualTo(2));
        }

        Assert.That(File.ReadAllText(Path.Combine(output, "transcripts", "pl01-all-pass.json")), Does.Contain("\"model\": \"whisper-demo-pl-cs@"));

        // Back to the ggml file: the ONNX transcripts are not reused either, and a second ggml run reuses its own.
        (code, _, error) = await CliRun.RunAsync("scan", input, "--out", output, "--model", model, "--workers", "1", "--language", "pl");
        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        (code, _, error) = await CliRun.RunAsync("scan", input, "--out", output, "--model", model, "--workers", "1", "--language", "pl");
        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        using (var run = RunJson(output))
        {
            Assert.That(run.RootElement.GetProperty("counts").GetProperty("reused").GetInt32(), Is.EqualTo(2), "the same ggml file reuses its own transcripts");
        }
    }

    [Test]
    public void Identity_SameFileOtherEngineOrOtherBytes_Differs()
    {
        var model = F16Model();
        var identity = BatchEngine.GgmlIdentity(model);
        Assert.That(identity, Is.EqualTo(BatchEngine.GgmlIdentity(model)), "stable");
        Assert.That(identity, Does.StartWith("whisper.net:"), "never equal to an ONNX model's folder@hash");

        var bytes = File.ReadAllBytes(model);
        bytes[^10] ^= 0x55;
        var changed = Path.Combine(_work, "other", Path.GetFileName(model));
        Directory.CreateDirectory(Path.GetDirectoryName(changed)!);
        File.WriteAllBytes(changed, bytes);
        Assert.That(BatchEngine.GgmlIdentity(changed), Is.Not.EqualTo(identity), "other weights, another identity");
    }

    /// <summary>The ggml fixture converted to f16, which the whisper.cpp inside Whisper.net runs (it refuses f32 convolutions).</summary>
    private string F16Model()
    {
        var source = Path.Combine(TestData.SharedModels, "sherpa-random-v2-ggml", "ggml-random-f32.bin");
        var folder = Path.Combine(_work, "ggml");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "ggml-random-f16.bin");
        GgmlF16Conversion.Convert(source, path, GgmlModelFile.Read(source).TensorsOffset);
        return path;
    }

    private static JsonDocument RunJson(string output) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "run.json")));
}
