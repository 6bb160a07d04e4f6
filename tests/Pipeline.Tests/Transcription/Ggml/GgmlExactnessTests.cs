using QualityScan.Speech.Tests.Transcription.Ggml;
using QualityScan.Speech.Tests.Transcription;
using QualityScan.Speech.Audio;
using QualityScan.Speech.Transcription;
using QualityScan.Speech.Transcription.Ggml;

namespace QualityScan.Pipeline.Tests.Transcription.Ggml;

/// <summary>
/// The Whisper.net engine on the sherpa-random-v2 weights converted to ggml, against whisper.cpp's own command-line
/// output on the same clips (made outside this project: shared/models/sherpa-random-v2-ggml/README.md).
/// </summary>
[TestFixture]
[Category("model")]
[Category("ggml")]
public sealed class GgmlExactnessTests
{
    private readonly Dictionary<bool, GgmlModel> _models = [];

    private static string Fixture => Path.Combine(TestData.SharedModels, "sherpa-random-v2-ggml");

    /// <summary>SHA-256 of the f16 conversion whisper-cli v1.8.5 ran on (Fixtures/ggml-exactness/README.md).</summary>
    private const string ReferenceInputSha256 = "06ea16e7b5e456ebe4b02acb649a2810e4c75c9fd9183f2128da8965b9817146";

    private string? _f16;

    private static string References => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "ggml-exactness");

    private string F16 => _f16 ??= F16Copy();

    private GgmlModel Model => ModelWith(flashAttention: true);

    [OneTimeTearDown]
    public void TearDown()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }

        if (_f16 is not null)
        {
            File.Delete(_f16);
        }
    }

    [Test]
    public void Load_Float32Fixture_RefusedWithTheReasonInsteadOfAbortingTheProcess()
    {
        var path = Path.Combine(Fixture, "ggml-random-f32.bin");

        Assert.That(() => GgmlModel.Load(path), Throws.TypeOf<InvalidModelException>()
            .With.Message.Contains(path).And.Message.Contains("float32").And.Message.Contains("f16"));
    }

    [Test]
    public void F16Conversion_OfTheFixture_IsTheFileTheReferenceRanOn()
    {
        Assert.That(Sha256(F16), Is.EqualTo(ReferenceInputSha256),
            "the in-test f16 conversion is byte for byte the file whisper-cli v1.8.5 decoded (Fixtures/ggml-exactness/README.md); if it changes, the reference files must be made again");
    }

    /// <summary>whisper-cli v1.8.5 greedy on the f16 conversion: flash attention on (its default) with and without <c>-sns</c>, and off (<c>-nfa</c>, Whisper.net's own default) with <c>-sns</c>.</summary>
    [TestCase("tone3s", false, true)]
    [TestCase("speech12s", false, true)]
    [TestCase("tone3s", true, true)]
    [TestCase("speech12s", true, true)]
    [TestCase("tone3s", true, false)]
    [TestCase("speech12s", true, false)]
    public async Task DecodeTokens_Greedy_EqualsWhisperCli185TokenForToken(string clip, bool suppressNonSpeech, bool flashAttention)
    {
        Assume.That(Sha256(F16), Is.EqualTo(ReferenceInputSha256), "the reference was made on this exact f16 file");
        var expected = WhisperCliJson.Read(Path.Combine(References, $"whisper-cli-{clip}-{(suppressNonSpeech ? "sns" : "plain")}{(flashAttention ? "" : "-nfa")}.json"));
        using var transcriber = ModelWith(flashAttention).CreateTranscriber(suppressNonSpeech);
        // Through the project's own WAV reader, as the engine gets a call's samples (whisper-cli reads the file with miniaudio: int16 / 32768 both).
        var samples = new AudioDecoder().Decode(Path.Combine(TestData.SherpaVectors, $"{clip}.wav"), LogMelSpectrogram.SampleRate).Channels[0];

        var actual = WhisperCliJson.Merge(await transcriber.DecodeTokensAsync(samples, "pl"), BytesOf);

        TestContext.Out.WriteLine($"{clip}: {actual.Count} entries (whisper-cli {expected.Count}): {string.Join(" ", actual.Select(t => t.Id))}");
        Assert.That(actual.Select(t => t.Id), Is.EqualTo(expected.Select(t => t.Id)), "the same token ids, in the same order, as whisper-cli v1.8.5 greedy (-bs 1 -nf -nth 1)");
        Assert.That(actual.Select(t => t.Text), Is.EqualTo(expected.Select(t => t.Text)), "the same bytes under each entry (tokens merged into whole UTF-8 characters as whisper-cli prints them)");
        Assert.That(actual.Select(t => t.Probability), Is.EqualTo(expected.Select(t => t.Probability)).Within(5e-4), "each token's probability as whisper-cli printed it");
    }

    [Test]
    public void Read_FixtureFile_GivesTheDimensionsOfSherpaRandomV2()
    {
        var file = GgmlModelFile.Read(Path.Combine(Fixture, "ggml-random-f32.bin"));

        Assert.That((file.VocabularySize, file.AudioState, file.AudioLayers, file.TextState, file.TextLayers, file.MelBins), Is.EqualTo((51865, 64, 2, 64, 2, 80)));
        Assert.That(file.Precision, Is.EqualTo("f32"));
        Assert.That(file.TimestampBegin, Is.EqualTo(50364));
        Assert.That(System.Text.Encoding.UTF8.GetString(file.Tokens[220]), Is.EqualTo(" "), "token 220 is the blank, as in openai's vocabulary");
    }

    [Test]
    public void Locate_FolderWithOneGgmlFile_FindsIt_AndAnOnnxFolderIsNotGgml()
    {
        Assert.That(GgmlModelFile.Locate(Fixture), Is.EqualTo(Path.GetFullPath(Path.Combine(Fixture, "ggml-random-f32.bin"))));
        Assert.That(GgmlModelFile.Locate(TestData.SherpaModel), Is.Null, "an ONNX folder stays with the ONNX engine");
    }

    [Test]
    public void Read_TruncatedFile_NamesTheFileAndTheProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qs-ggml-{Guid.NewGuid():N}.bin");
        try
        {
            using (var source = File.OpenRead(Path.Combine(Fixture, "ggml-random-f32.bin")))
            using (var target = File.Create(path))
            {
                var head = new byte[200_000];
                source.ReadExactly(head);
                target.Write(head);
            }

            Assert.That(() => GgmlModelFile.Read(path), Throws.TypeOf<InvalidModelException>().With.Message.Contains(path).And.Message.Contains("cut short").Or.Message.Contains("ends inside"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private GgmlModel ModelWith(bool flashAttention)
    {
        if (!_models.TryGetValue(flashAttention, out var model))
        {
            model = GgmlModel.Load(F16, threads: 2, flashAttention: flashAttention);
            _models[flashAttention] = model;
        }

        return model;
    }

    private static string F16Copy()
    {
        var source = Path.Combine(Fixture, "ggml-random-f32.bin");
        var f16 = Path.Combine(Path.GetTempPath(), $"qs-ggml-f16-{Guid.NewGuid():N}.bin");
        GgmlF16Conversion.Convert(source, f16, GgmlModelFile.Read(source).TensorsOffset);
        return f16;
    }

    /// <summary>A token's bytes as whisper.cpp's <c>whisper_token_to_str</c> gives them (special tokens spelled as its vocabulary loader names them).</summary>
    private byte[] BytesOf(int id)
    {
        var file = Model.File;
        return id < file.EndOfText ? file.Tokens[id]
            : id == file.EndOfText ? "[_EOT_]"u8.ToArray()
            : id == file.TimestampBegin ? "[_BEG_]"u8.ToArray()
            : id > file.TimestampBegin ? System.Text.Encoding.ASCII.GetBytes($"[_TT_{id - file.TimestampBegin}]")
            : System.Text.Encoding.ASCII.GetBytes($"[_extra_token_{id}]");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
