using QualityScan.Models;
using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

[TestFixture]
public sealed class WhisperTranscriberTests
{
    private const int Rate = 16000;
    private WhisperModel? _float32;
    private WhisperModel? _shipped;

    [OneTimeTearDown]
    public void TearDown()
    {
        _float32?.Dispose();
        _shipped?.Dispose();
    }

    private WhisperModel Float32 => _float32 ??= WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32 });

    private WhisperModel Shipped => _shipped ??= WhisperModel.Load(WhisperModel.DefaultModelFolder);

    [Test]
    public void Plan_ChunkLongerThanAWindow_IsSplitAtItsQuietestPoints()
    {
        var samples = Noise(100 * Rate, 0.3f);
        Quiet(samples, 33.0, 33.4);
        Quiet(samples, 57.0, 57.5);

        var windows = WindowPlanner.Plan(0, samples, [new TimeInterval(10, 80)], Windowing.Chunk, 0.2);

        Assert.That(windows, Has.Count.EqualTo(3));
        Assert.That(windows[0].Start, Is.EqualTo(10));
        Assert.That(windows[0].End, Is.InRange(33.0, 33.4), "the first cut falls in the first pause, not at 10 + 70/3 s");
        Assert.That(windows[1].Start, Is.EqualTo(windows[0].End), "nothing is lost at the cut");
        Assert.That(windows[1].End, Is.InRange(57.0, 57.5), "the second cut falls in the second pause");
        Assert.That(windows[2].End, Is.EqualTo(80));
        Assert.That(windows.Select(w => w.ContentSamples), Is.All.LessThanOrEqualTo(LogMelSpectrogram.WindowSamples));
    }

    [Test]
    public void Plan_ExactlyThirtySeconds_IsOneWindow()
    {
        var windows = WindowPlanner.Plan(0, new float[60 * Rate], [new TimeInterval(0, 30)], Windowing.Chunk, 0.2);

        Assert.That(windows, Has.Count.EqualTo(1));
        Assert.That(windows[0].ContentSamples, Is.EqualTo(LogMelSpectrogram.WindowSamples));
    }

    [Test]
    public void Plan_UnorderedShortAndOverhangingChunks_AreSortedFilteredAndClipped()
    {
        var windows = WindowPlanner.Plan(0, new float[10 * Rate], [new TimeInterval(8, 12), new TimeInterval(1, 1.1), new TimeInterval(2, 4), new TimeInterval(11, 13)], Windowing.Chunk, 0.2);

        Assert.That(windows.Select(w => (w.Start, w.End)), Is.EqualTo(new[] { (2.0, 4.0), (8.0, 10.0) }));
        Assert.That(windows[1].Pieces[^1].RecordingEnd, Is.EqualTo(10 * Rate), "clipped at the end of the audio");
    }

    [Test]
    public void Plan_MergeGap_JoinsCloseChunksWhileTheyFitInAWindow()
    {
        TimeInterval[] chunks = [new(1, 3), new(3.5, 6), new(10, 12), new(12.8, 35), new(36, 41)];

        var windows = WindowPlanner.Plan(0, new float[60 * Rate], chunks, Windowing.Chunk, 0.2, mergeGapSeconds: 1);

        Assert.That(windows.Select(w => (w.Start, w.End)), Is.EqualTo(new[] { (1.0, 6.0), (10.0, 35.0), (36.0, 41.0) }), "the last chunk would make the window longer than 30 s");
    }

    [Test]
    public void Plan_NoMergeGap_KeepsEveryChunkButJoinsOverlaps()
    {
        TimeInterval[] chunks = [new(1, 3), new(3.2, 6), new(5, 7)];

        var windows = WindowPlanner.Plan(0, new float[60 * Rate], chunks, Windowing.Chunk, 0.2);

        Assert.That(windows.Select(w => (w.Start, w.End)), Is.EqualTo(new[] { (1.0, 3.0), (3.2, 7.0) }), "overlapping chunks must not be transcribed twice");
    }

    [Test]
    public void Plan_Packed_FillsWindowsCutsLongSilencesAndMapsTimesBack()
    {
        // 13 chunks of 2.5 s speech over 95 s: short pauses (0.4 s) kept whole, long ones (5 s) cut to 0.2 s edges.
        var chunks = new List<TimeInterval>();
        var t = 1.0;
        for (var i = 0; i < 13; i++)
        {
            chunks.Add(new TimeInterval(t, t + 2.5));
            t += 2.5 + (i % 2 == 0 ? 0.4 : 5.0);
        }

        var windows = WindowPlanner.Plan(1, new float[100 * Rate], chunks, Windowing.Packed, 0.2);

        Assert.That(windows, Has.Count.EqualTo(2), "13 chunks of speech in 2 windows instead of 13");
        Assert.That(windows.All(w => w.Track == 1), Is.True);
        Assert.That(windows.Select(w => w.ContentSamples), Is.All.LessThanOrEqualTo(LogMelSpectrogram.WindowSamples));
        Assert.That(windows.Sum(w => w.SpeechSeconds), Is.EqualTo(13 * 2.5).Within(1e-6));
        var first = windows[0];
        Assert.That(first.ToRecordingTime(0), Is.EqualTo(1.0).Within(1e-6), "window start is the first chunk's start");
        Assert.That(first.ToRecordingTime(2.5 + 0.4 + 1.0), Is.EqualTo(chunks[1].Start + 1.0).Within(1e-6), "after a kept short pause");
        var thirdChunkInWindow = 2.5 + 0.4 + 2.5 + 0.4 + 0.1;
        Assert.That(first.ToRecordingTime(thirdChunkInWindow), Is.EqualTo(chunks[2].Start + 0.1).Within(1e-6), "after a long pause cut to its edges");
    }

    [Test]
    public void Tail_FromTheMiddle_StartsWhereTheNextWindowShould()
    {
        var windows = WindowPlanner.Plan(0, new float[60 * Rate], [new TimeInterval(2, 6), new TimeInterval(12, 20)], Windowing.Packed, 0.2);
        var window = windows.Single();

        var tail = window.Tail((int)(5.0 * Rate));

        Assert.That(tail.ToRecordingTime(0), Is.EqualTo(window.ToRecordingTime(5.0)).Within(1e-6));
        Assert.That(tail.End, Is.EqualTo(20).Within(1e-6));
        Assert.That(tail.ContentSamples, Is.EqualTo(window.ContentSamples - (5 * Rate)));
    }

    [Test]
    [Category("model")]
    public void TranscribeAsync_UnknownLanguage_ThrowsBeforeAnyWork()
    {
        var transcriber = new WhisperTranscriber(Shipped);

        Assert.That(
            () => transcriber.TranscribeAsync(new float[Rate], [new TimeInterval(0, 1)], new TranscriptionOptions { Language = "xx" }),
            Throws.TypeOf<UnknownLanguageException>().With.Message.Contains("pl, cs"));
    }

    [Test]
    [Category("model")]
    public async Task TranscribeAsync_TwoChunksOfAConversation_GivesOneSegmentPerChunkWithItsTimes()
    {
        var (samples, chunks, utterances) = Conversation(0, 2);
        var transcriber = new WhisperTranscriber(Float32);

        var segments = await Collect(transcriber.TranscribeAsync(samples, chunks, new TranscriptionOptions { Language = TranscriptionOptions.AutoLanguage }));

        Assert.That(segments, Has.Count.EqualTo(2));
        for (var i = 0; i < 2; i++)
        {
            Assert.That(segments[i].Start, Is.EqualTo(chunks[i].Start), $"start of segment {i}");
            Assert.That(segments[i].End, Is.EqualTo(chunks[i].End), $"end of segment {i}");
            Assert.That(segments[i].Text, Is.EqualTo(utterances[i].ExpectedText.Trim()), "each chunk decodes exactly like its own window");
            Assert.That(segments[i].TokenIds, Is.EqualTo(utterances[i].ExpectedTokenIds));
            Assert.That(segments[i].Language, Is.EqualTo(utterances[i].Language), "auto detects the language per chunk");
        }

        TestContext.Out.WriteLine(transcriber.Stats.ToString());
        Assert.That(transcriber.Stats.Windows, Is.EqualTo(2));
        Assert.That(transcriber.Stats.TokensDecoded, Is.EqualTo(utterances.Sum(u => u.ExpectedTokenIds.Count + 1)), "every picked token, end-of-text included");
    }

    [TestCase(true, TestName = "TranscribeAsync_BatchOfThree_MatchesOneByOne(rebuilt decoder)")]
    [TestCase(false, TestName = "TranscribeAsync_BatchOfThree_MatchesOneByOne(original decoder)")]
    [Category("model")]
    public async Task TranscribeAsync_BatchOfThree_MatchesOneByOne(bool rebuild)
    {
        var (samples, chunks, _) = Conversation(0, 1, 3, 4);
        using var model = rebuild ? null : WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32, RebuildDecoder = false });
        var transcriber = new WhisperTranscriber(model ?? Float32);
        Assert.That(transcriber.Model.DecoderLayout, rebuild ? Does.StartWith("filled-cache") : Does.StartWith("original"), "the backend this case is about runs");

        // Four windows in batches of three: a full batch, then a batch of one in buffers made for three.
        var single = await Collect(transcriber.TranscribeAsync(samples, chunks, new TranscriptionOptions { BatchSize = 1 }));
        var batched = await Collect(transcriber.TranscribeAsync(samples, chunks, new TranscriptionOptions { BatchSize = 3 }));

        Assert.That(batched.Select(s => s.Text), Is.EqualTo(single.Select(s => s.Text)));
        Assert.That(batched.Select(s => s.TokenIds), Is.EqualTo(single.Select(s => s.TokenIds)), "each window of a batch decodes exactly as alone");
        Assert.That(batched.Select(s => (s.Start, s.End)), Is.EqualTo(single.Select(s => (s.Start, s.End))));
    }

    [Test]
    [Category("model")]
    public async Task TranscribeAsync_ConcurrentCallersOnOneModel_GetTheSameResults()
    {
        var (samples, chunks, utterances) = Conversation(1, 4);
        var transcriber = new WhisperTranscriber(Float32);
        var options = new TranscriptionOptions { Language = "pl" };

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Collect(transcriber.TranscribeAsync(samples, chunks, options)))));

        foreach (var run in runs)
        {
            Assert.That(run.Select(s => s.Text), Is.EqualTo(utterances.Select(u => u.ExpectedText.Trim())));
        }
    }

    [Test]
    [Category("model")]
    public async Task TranscribeAsync_WholeFileAsOneChunk_TranscribesWithoutVad()
    {
        var utterance = TestData.DemoManifest()[4];
        var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, utterance.Wav));
        var transcriber = new WhisperTranscriber(Float32);

        var segments = await Collect(transcriber.TranscribeAsync(samples, [new TimeInterval(0, samples.Length / (double)Rate)], new TranscriptionOptions { Language = "pl" }));

        Assert.That(segments.Single().Text, Is.EqualTo(utterance.ExpectedText.Trim()));
    }

    [Test]
    [Category("model")]
    public void TranscribeAsync_Cancelled_StopsWithOperationCanceled()
    {
        var transcriber = new WhisperTranscriber(Shipped);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.That(
            async () => await Collect(transcriber.TranscribeAsync(new float[5 * Rate], [new TimeInterval(0, 5)], new TranscriptionOptions(), cancellation.Token)),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [Category("model")]
    public void ShippedInt8Model_DemoVectors_CharacterErrorRateIsSane()
    {
        var transcriber = new WhisperTranscriber(Shipped);
        var rates = new List<double>();
        foreach (var utterance in TestData.DemoManifest())
        {
            var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, utterance.Wav));
            var text = transcriber.TranscribeWindow(samples, utterance.Language).Text;
            var rate = CharacterErrorRate.Compute(utterance.ReferenceText, text);
            rates.Add(rate);
            TestContext.Out.WriteLine($"{utterance.Wav} CER {rate:F3}: {text.Trim()}");
        }

        TestContext.Out.WriteLine($"int8 mean CER {rates.Average():F3} over {rates.Count} utterances; {transcriber.Stats}");
        Assert.That(rates.Average(), Is.LessThan(0.35), "the shipped int8 model must still transcribe the synthetic vectors");
    }

    [Test]
    public void CharacterErrorRate_IgnoresCaseAndPunctuation()
    {
        Assert.That(CharacterErrorRate.Compute("Dzień dobry, Pani!", "dzień  dobry pani"), Is.Zero);
        Assert.That(CharacterErrorRate.Compute("abcd", "abxd"), Is.EqualTo(0.25));
        Assert.That(CharacterErrorRate.Compute("abcd", string.Empty), Is.EqualTo(1.0));
    }

    /// <summary>Demo utterances joined with 1 s of silence between them, and the exact chunk of each.</summary>
    private static (float[] Samples, TimeInterval[] Chunks, DemoUtterance[] Utterances) Conversation(params int[] indices)
    {
        var manifest = TestData.DemoManifest();
        var utterances = indices.Select(i => manifest[i]).ToArray();
        var samples = new List<float>(new float[Rate]);
        var chunks = new List<TimeInterval>();
        foreach (var utterance in utterances)
        {
            var audio = TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, utterance.Wav));
            chunks.Add(new TimeInterval(samples.Count / (double)Rate, (samples.Count + audio.Length) / (double)Rate));
            samples.AddRange(audio);
            samples.AddRange(new float[Rate]);
        }

        return (samples.ToArray(), chunks.ToArray(), utterances);
    }

    private static async Task<List<TranscribedSegment>> Collect(IAsyncEnumerable<TranscribedSegment> segments)
    {
        var list = new List<TranscribedSegment>();
        await foreach (var segment in segments)
        {
            list.Add(segment);
        }

        return list;
    }

    private static float[] Noise(int count, float amplitude)
    {
        var random = new Random(11);
        var samples = new float[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (float)((random.NextDouble() * 2) - 1) * amplitude;
        }

        return samples;
    }

    private static void Quiet(float[] samples, double from, double to) => samples.AsSpan((int)(from * Rate), (int)((to - from) * Rate)).Clear();
}
