using QualityScan.Speech.Tests.Transcription;
using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Batch;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Tests.Transcription;

/// <summary>Model folders as users get them: sherpa-onnx's prefixed names, weight sidecars, several models, English-only exports.</summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class ModelFolderTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-models-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public void Find_SherpaNamesWithWeightSidecars_FindsPrefixPairAndSidecars()
    {
        var folder = TurboCopy();

        var files = WhisperModelFiles.Find(folder, WhisperPrecision.Int8);

        Assert.That(files.Prefix, Is.EqualTo("turbo"));
        Assert.That(Path.GetFileName(files.Encoder), Is.EqualTo("turbo-encoder.int8.onnx"));
        Assert.That(Path.GetFileName(files.Decoder), Is.EqualTo("turbo-decoder.int8.onnx"));
        Assert.That(Path.GetFileName(files.Tokens), Is.EqualTo("turbo-tokens.txt"));
        Assert.That(files.Sidecars.Select(Path.GetFileName), Is.EqualTo(new[] { "turbo-encoder.weights" }));
    }

    [Test]
    public void Identity_SidecarChanges_IdentityChanges()
    {
        var folder = TurboCopy();
        var before = WhisperModelFiles.Find(folder, WhisperPrecision.Int8).Identity();
        Assert.That(WhisperModelFiles.Find(folder, WhisperPrecision.Int8).Identity(), Is.EqualTo(before), "the identity is stable");

        var sidecar = Path.Combine(folder, "turbo-encoder.weights");
        var bytes = File.ReadAllBytes(sidecar);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(sidecar, bytes);

        Assert.That(WhisperModelFiles.Find(folder, WhisperPrecision.Int8).Identity(), Is.Not.EqualTo(before), "changed weights in a sidecar make a new model identity, so cached transcripts are redone");
    }

    [Test]
    public void Identity_CopiedToAnotherFolderOfTheSameName_IsTheSame()
    {
        var folder = TurboCopy();
        var copy = Path.Combine(_work, "elsewhere", Path.GetFileName(folder));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            File.SetLastWriteTimeUtc(Path.Combine(copy, Path.GetFileName(file)), DateTime.UtcNow.AddDays(-3));
        }

        Assert.That(WhisperModelFiles.Find(copy, WhisperPrecision.Int8).Identity(), Is.EqualTo(WhisperModelFiles.Find(folder, WhisperPrecision.Int8).Identity()),
            "a model copied to another machine keeps its identity (content, not file times), so shards share transcripts");
    }

    [Test]
    public void Find_TwoModelsInOneFolder_ErrorListsBothPrefixes()
    {
        var folder = TurboCopy();
        File.Copy(Path.Combine(folder, "turbo-tokens.txt"), Path.Combine(folder, "small-tokens.txt"));
        File.WriteAllText(Path.Combine(folder, "small-encoder.int8.onnx"), "x");

        var error = Assert.Throws<InvalidModelException>(() => WhisperModelFiles.Find(folder, WhisperPrecision.Int8));

        Assert.That(error!.Message, Does.Contain("'small-'").And.Contain("'turbo-'").And.Contain("one model per folder"));
    }

    [Test]
    public async Task Transcribe_TurboNamedFolderWithSidecar_LoadsAndTranscribes()
    {
        var folder = TurboCopy();

        var (code, output, error) = await CliRun.RunAsync("transcribe", Path.Combine(TestData.DemoVectors, "utt0.wav"), "--model", folder, "--language", "pl");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.Contain("Dzień dobry"), "the renamed demo model hears the greeting");
    }

    [Test]
    public async Task ModelsInfo_TurboNamedFolder_PrintsFilesMemoryAndSelfTest()
    {
        var folder = TurboCopy();

        var (code, output, error) = await CliRun.RunAsync("models", "info", folder);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.Contain("sherpa-onnx prefix 'turbo'"));
        Assert.That(output, Does.Contain("turbo-encoder.int8.onnx").And.Contain("turbo-encoder.weights").And.Contain("turbo-tokens.txt"));
        Assert.That(output, Does.Contain("per worker").And.Contain("multilingual; pl yes, cs yes"));
        Assert.That(output, Does.Match(@"heard\s+Dzień dobry, Katarzyna Kowalska"), "the self-test transcribes the shipped Polish clip");
    }

    [Test]
    public async Task Scan_TurboNamedFolder_TranscribesTheCall()
    {
        var folder = TurboCopy();
        var input = Path.Combine(_work, "in", "kkowalska");
        Directory.CreateDirectory(input);
        File.Copy(Path.Combine(RepositoryPaths.SampleAudio, "kkowalska", "pl01-all-pass.wav"), Path.Combine(input, "pl01-all-pass.wav"));
        var output = Path.Combine(_work, "out");

        var (code, _, error) = await CliRun.RunAsync("scan", Path.GetDirectoryName(input)!, "--out", output, "--model", folder);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        var transcript = File.ReadAllText(Path.Combine(output, "transcripts", "pl01-all-pass.json"));
        Assert.That(transcript, Does.Contain("\"model\": \"whisper-turbo@"), "the cache names the model by folder and content");
        Assert.That(transcript, Does.Contain("\"confidence\"").And.Contain("\"stopReason\": \"end_of_text\""), "every utterance carries its confidence figures");
    }

    [Test]
    public async Task Transcribe_EnglishOnlyModelForPolish_RefusedBeforeAnyWork()
    {
        var folder = Path.Combine(_work, "sherpa-onnx-whisper-tiny.en");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(TestData.SherpaModel))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file).Replace("random-", "tiny.en-", StringComparison.Ordinal)));
        }

        // Flip the metadata value is_multilingual 1 -> 0 in the exported graph (same length, so the protobuf stays valid).
        var encoder = Path.Combine(folder, "tiny.en-encoder.onnx");
        var bytes = File.ReadAllBytes(encoder);
        var key = Encoding.ASCII.GetBytes("is_multilingual");
        var at = bytes.AsSpan().IndexOf(key);
        Assert.That(at, Is.GreaterThan(0), "the sherpa export carries is_multilingual");
        var value = bytes.AsSpan(at + key.Length).IndexOf((byte)'1') + at + key.Length;
        Assert.That(value - at - key.Length, Is.LessThan(4), "the value follows the key");
        bytes[value] = (byte)'0';
        File.WriteAllBytes(encoder, bytes);

        var (code, output, error) = await CliRun.RunAsync("transcribe", Path.Combine(TestData.SherpaVectors, "speech12s.wav"), "--model", folder, "--precision", "fp32", "--language", "pl");

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(output, Is.Empty, "no text at all, not wrong text");
        Assert.That(error, Does.Contain("English-only").And.Contain("'pl'").And.Contain("models list"));
    }

    /// <summary>The shipped int8 demo model renamed as sherpa-onnx names a turbo export, with a weights sidecar beside the encoder.</summary>
    private string TurboCopy()
    {
        var folder = Path.Combine(_work, "whisper-turbo");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(TestData.DemoModel, "encoder.int8.onnx"), Path.Combine(folder, "turbo-encoder.int8.onnx"));
        File.Copy(Path.Combine(TestData.DemoModel, "decoder.int8.onnx"), Path.Combine(folder, "turbo-decoder.int8.onnx"));
        File.Copy(Path.Combine(TestData.DemoModel, "tokens.txt"), Path.Combine(folder, "turbo-tokens.txt"));
        var sidecar = new byte[WhisperModelFiles.WholeHashLimit + (3 << 20)];
        new Random(7).NextBytes(sidecar);
        File.WriteAllBytes(Path.Combine(folder, "turbo-encoder.weights"), sidecar);
        return folder;
    }
}
