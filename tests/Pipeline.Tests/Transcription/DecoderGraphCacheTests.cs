using QualityScan.Speech.Tests.Transcription;
using System.Text.Json;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Tests.Transcription;

/// <summary>
/// The rebuilt decoder kept between loads (<see cref="WhisperModelOptions.DecoderCacheFolder"/>): the second load of
/// the same decoder opens the kept graph instead of rebuilding and probing, decodes exactly as openai-whisper does, and
/// a changed or damaged entry is never used.
/// </summary>
[TestFixture]
[Category("model")]
public sealed class DecoderGraphCacheTests
{
    // The cache keeps the encoder rewritten by EncoderGraph too (random-encoder-…); these tests are about the decoder's entries.
    private const string DecoderGraphs = "random-decoder-*.onnx";
    private const string DecoderRecords = "random-decoder-*.json";

    private string _folder = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"qs-decoder-cache-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Load_SecondTimeWithCache_OpensTheKeptGraphAndDecodesExactly()
    {
        var model = CopyModel();
        var cache = Path.Combine(_folder, "cache");
        using (var first = Load(model, cache))
        {
            Assert.That(first.DecoderLayout, Does.StartWith("filled-cache graph rebuilt at load").And.Not.Contain("kept in"), "the first load rebuilds and probes");
        }

        Assert.That(Directory.GetFiles(cache, DecoderGraphs), Has.Length.EqualTo(1), "the rebuilt graph is kept");
        var record = Directory.GetFiles(cache, DecoderRecords).Single();
        using (var json = JsonDocument.Parse(File.ReadAllBytes(record)))
        {
            Assert.That(json.RootElement.GetProperty("rebuilt").GetBoolean(), Is.True, "the record says the probe passed");
            Assert.That(json.RootElement.GetProperty("decoder").GetString(), Is.EqualTo(Path.Combine(model, "random-decoder.onnx")));
        }

        using var second = Load(model, cache);
        Assert.That(second.DecoderLayout, Does.StartWith("filled-cache graph").And.Contain("kept in " + Path.GetFullPath(cache)), "the second load opens the kept graph and the log says so");
        AssertDecodesLikeOpenAi(second);
        Assert.That(Directory.EnumerateFiles(model).Select(Path.GetFileName), Is.EquivalentTo(new[] { "random-decoder.onnx", "random-encoder.onnx", "random-tokens.txt" }), "nothing is written into the model folder");
    }

    [Test]
    public void Load_SecondTimeWithCache_OpensTheKeptRewrittenEncoderAndDecodesExactly()
    {
        var model = CopyModel();
        var cache = Path.Combine(_folder, "cache");
        using (var first = Load(model, cache))
        {
            Assert.That(first.EncoderLayout, Does.Contain("slices").And.Contain("per layer").And.Not.Contain("kept in"), "the first load rewrites the encoder");
        }

        var graph = Directory.GetFiles(cache, "random-encoder-*.onnx").Single();
        Assert.That(Path.GetFileName(graph), Does.EndWith("-split.onnx"), "kept under the layout the rebuilt decoder takes");
        var record = Directory.GetFiles(cache, "random-encoder-*.json").Single();
        using (var json = JsonDocument.Parse(File.ReadAllBytes(record)))
        {
            Assert.That(json.RootElement.GetProperty("encoder").GetString(), Is.EqualTo(Path.Combine(model, "random-encoder.onnx")));
            Assert.That(json.RootElement.GetProperty("rebuilt").GetBoolean(), Is.True);
        }

        using var second = Load(model, cache);
        Assert.That(second.EncoderLayout, Does.Contain("kept in " + Path.GetFullPath(cache)), "the second load opens the kept encoder and the log says so");
        AssertDecodesLikeOpenAi(second);
    }

    [Test]
    public void Load_Int8DecoderWithCache_KeepsTheTokenEmbeddingAsMappedTablesAndDecodesAsWithout()
    {
        var cache = Path.Combine(_folder, "cache");
        using var inMemory = WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = WhisperPrecision.Int8 });
        WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = WhisperPrecision.Int8, DecoderCacheFolder = cache }).Dispose();

        using var mapped = WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = WhisperPrecision.Int8, DecoderCacheFolder = cache });

        Assert.That(mapped.DecoderLayout, Does.Contain("kept in"));
        var tables = Directory.GetFiles(cache, "decoder-int8-*.tables").Single();
        var vocabulary = mapped.Info.VocabularySize;
        Assert.That(new FileInfo(tables).Length, Is.GreaterThanOrEqualTo((long)vocabulary * mapped.Info.TextState * sizeof(float)),
            "the int8 decoder's float token embedding, which only a Gather reads, is kept beside the graph for ONNX Runtime to map");
        foreach (var utterance in TestData.DemoManifest())
        {
            var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, utterance.Wav));
            Assert.That(new WhisperTranscriber(mapped).TranscribeWindow(samples, utterance.Language).TokenIds,
                Is.EqualTo(new WhisperTranscriber(inMemory).TranscribeWindow(samples, utterance.Language).TokenIds), $"{utterance.Wav}: the same tokens from the mapped tables");
        }
    }

    [Test]
    public void Load_DecoderChangedSinceTheCacheWasWritten_RebuildsAndReplacesTheEntry()
    {
        var model = CopyModel();
        var cache = Path.Combine(_folder, "cache");
        Load(model, cache).Dispose();
        var before = Directory.GetFiles(cache, DecoderRecords).Single();

        // Another export of the same name: here the same bytes written again later (a copy keeps nothing stale).
        File.SetLastWriteTimeUtc(Path.Combine(model, "random-decoder.onnx"), DateTime.UtcNow.AddMinutes(5));
        using var again = Load(model, cache);

        Assert.That(again.DecoderLayout, Does.StartWith("filled-cache graph rebuilt at load").And.Not.Contain("kept in"), "a changed decoder is rebuilt and probed again");
        var after = Directory.GetFiles(cache, DecoderRecords).Single();
        Assert.That(after, Is.Not.EqualTo(before), "the entry of the old file is replaced, not kept beside");
        Assert.That(Directory.GetFiles(cache, DecoderGraphs), Has.Length.EqualTo(1));
    }

    [Test]
    public void Load_KeptGraphDamaged_RebuildsInsteadOfUsingIt()
    {
        var model = CopyModel();
        var cache = Path.Combine(_folder, "cache");
        Load(model, cache).Dispose();
        var graph = Directory.GetFiles(cache, DecoderGraphs).Single();
        File.WriteAllBytes(graph, File.ReadAllBytes(graph).AsSpan(0, 1000).ToArray());

        using var again = Load(model, cache);

        Assert.That(again.DecoderLayout, Does.StartWith("filled-cache graph rebuilt at load"), "a cut-short graph is not opened");
        AssertDecodesLikeOpenAi(again);
        Assert.That(new FileInfo(graph).Length, Is.GreaterThan(1000), "the entry is written whole again");
    }

    [Test]
    public void Load_DecoderThatCannotBeRebuilt_RecordsWhySoTheNextLoadSkipsTheAttempt()
    {
        var model = CopyModel();
        var encoder = Path.Combine(model, "random-encoder.onnx");
        var bytes = File.ReadAllBytes(encoder);
        "n_text_hexd"u8.CopyTo(bytes.AsSpan(bytes.AsSpan().IndexOf("n_text_head"u8)));
        File.WriteAllBytes(encoder, bytes);
        var cache = Path.Combine(_folder, "cache");
        Load(model, cache).Dispose();

        using var again = Load(model, cache);

        Assert.That(again.DecoderLayout, Does.StartWith("original").And.Contain("n_text_head").And.Contain("recorded in"), "the verdict comes from the record");
        Assert.That(Directory.GetFiles(cache, DecoderGraphs), Is.Empty, "no graph is kept for a decoder that runs as it is");
    }

    private static WhisperModel Load(string folder, string cache) =>
        WhisperModel.Load(folder, new WhisperModelOptions { Precision = WhisperPrecision.Float32, DecoderCacheFolder = cache });

    private string CopyModel()
    {
        var folder = Path.Combine(_folder, "model");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(TestData.SherpaModel))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    private static void AssertDecodesLikeOpenAi(WhisperModel model)
    {
        using var parity = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestData.SherpaVectors, "parity.json")));
        var record = parity.RootElement.GetProperty("inputs").GetProperty("speech12s");
        var expected = record.GetProperty("timestamps");
        var result = new WhisperTranscriber(model).DecodeWindow(
            TestData.ReadFloats(Path.Combine(TestData.SherpaVectors, record.GetProperty("mel_file").GetString()!)),
            expected.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            new WindowDecodingOptions { MaxNewTokens = expected.GetProperty("decoding_options").GetProperty("sample_len").GetInt32(), Timestamps = true, RepetitionGuard = false });
        Assert.That(result.TokenIds, Is.EqualTo(expected.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray()), "the kept graph decodes exactly as openai-whisper");
    }
}
