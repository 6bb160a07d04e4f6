using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

/// <summary>The default split of the cores into workers and threads, and the memory cap on it.</summary>
[TestFixture]
public sealed class ModelMemoryTests
{
    private const long Gb = 1_000_000_000;

    [TestCase(2, 1, 2)]
    [TestCase(2, 2, 1)]
    [TestCase(8, 2, 4)]
    [TestCase(1, 2, 1)]
    public void DefaultWorkers_PlentyOfMemory_CoresDividedByThreadsPerWorker(int cores, int threadsPerWorker, int expected)
    {
        var memory = new ModelMemory(WeightBytes: 1 * Gb, PerWorkerBytes: Gb / 2);

        var (workers, reason) = memory.DefaultWorkers(cores, availableBytes: 64 * Gb, threadsPerWorker);

        Assert.That(workers, Is.EqualTo(expected));
        Assert.That(reason, Does.StartWith($"{expected} worker(s)"));
    }

    [Test]
    public void DefaultWorkers_MemoryForTwoOfFour_TwoAndSaysMemoryIsTheLimit()
    {
        // 80% of 5 GB = 4 GB; minus 1 GB of weights leaves room for two workers of 1.5 GB.
        var memory = new ModelMemory(WeightBytes: 1 * Gb, PerWorkerBytes: 3 * Gb / 2);

        var (workers, reason) = memory.DefaultWorkers(cores: 8, availableBytes: 5 * Gb, threadsPerWorker: 2);

        Assert.That(workers, Is.EqualTo(2));
        Assert.That(reason, Does.Contain("memory allows 2").And.Contain("fewer than 4"));
    }

    [Test]
    public void DefaultWorkers_NotEvenOneFits_RefusedWithTheFigures()
    {
        var memory = new ModelMemory(WeightBytes: 3 * Gb, PerWorkerBytes: Gb);

        var refused = Assert.Throws<InsufficientMemoryException>(() => memory.DefaultWorkers(cores: 2, availableBytes: 4 * Gb, threadsPerWorker: 2));

        Assert.That(refused!.Message, Does.Contain("3.00 GB").And.Contain("smaller model"));
    }

    [Test]
    public void ThreadsPerWorker_DemoModelAndRealSizes_OneThreadUpToTinyWidthTwoFromBase()
    {
        using var demo = WhisperModel.Load(TestData.DemoModel);

        Assert.That(ModelMemory.ThreadsPerWorker(demo.Info), Is.EqualTo(1), "the demo model (width 256): one single-threaded worker per core");
        Assert.That(ModelMemory.ThreadsPerWorker(demo.Info with { TextState = 512 }), Is.EqualTo(2), "whisper-base width and up: two threads per worker");
    }

    /// <summary>
    /// Decoded together by default: whisper-small holds 2 windows of float keys and values in the batch budget, but
    /// 5 in the compact int8 layout its int8 export runs (in a smaller budget); base 6 and 12 (the compact cap).
    /// </summary>
    [TestCase(12, 768, 12, 2, 5)]
    [TestCase(6, 512, 8, 6, 12)]
    public void DefaultBatch_CompactLayout_FitsMoreWindowsOfTheRealSizes(int layers, int width, int heads, int floatBatch, int compactBatch)
    {
        var encoder = Path.Combine(TestData.DemoModel, "encoder.int8.onnx");
        var metadata = EncoderGraph.ReadMetadata(encoder);
        metadata["n_text_layer"] = layers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["n_text_state"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["n_text_head"] = heads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["n_audio_ctx"] = "1500";
        metadata["n_text_ctx"] = "448";
        var info = WhisperModelInfo.FromMetadata(metadata, encoder);

        Assert.That(ModelMemory.DefaultBatch(info, compact: false), Is.EqualTo(floatBatch));
        Assert.That(ModelMemory.DefaultBatch(info, compact: true), Is.EqualTo(compactBatch));
    }
}
