using QualityScan.Models;
using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

/// <summary>
/// What the transcriber does with a decoded window, as openai-whisper's transcribe.py judges one: silence and noise
/// give no text, known hallucinations are dropped and counted, unsure text is kept but marked, and the repetition
/// guard leaves conversational repetition alone.
/// </summary>
[TestFixture]
public sealed class DecodingPolicyTests
{
    private static readonly TranscriptionOptions Defaults = new();

    [TestCase(0.95, -1.5, true, TestName = "IsSilence_SilentWindowFigures_NoText")]
    [TestCase(0.731039, -2.060196, true, TestName = "IsSilence_Tone3sNoiseFixtureFigures_NoText")]
    [TestCase(0.047420, -2.856464, false, TestName = "IsSilence_Speech12sFixtureFigures_Kept")]
    [TestCase(0.9, -0.3, false, TestName = "IsSilence_ConfidentWordsDespiteNoSpeechProbability_Kept")]
    public void IsSilence_OpenAiRule(double noSpeech, double averageLogProbability, bool silent)
    {
        Assert.That(WhisperTranscriber.IsSilence(noSpeech, averageLogProbability, Defaults), Is.EqualTo(silent),
            "no_speech_prob > 0.6 and avg_logprob < -1.0 means nobody spoke");
    }

    [TestCase(-0.2, 1.1, DecodingStop.EndOfText, false)]
    [TestCase(-1.2, 1.1, DecodingStop.EndOfText, true)]
    [TestCase(-0.2, 2.6, DecodingStop.EndOfText, true)]
    [TestCase(-0.2, 1.1, DecodingStop.RepetitionLoop, true)]
    [TestCase(-0.2, 1.1, DecodingStop.MaxTokens, true)]
    public void IsLowConfidence_OpenAiFailureChecks(double averageLogProbability, double ratio, DecodingStop stop, bool low)
    {
        Assert.That(WhisperTranscriber.IsLowConfidence(averageLogProbability, ratio, stop, Defaults), Is.EqualTo(low));
    }

    [TestCase(new[] { 9118, 11, 991, 11, 991, 11, 991, 13 }, TestName = "RepetitionGuard_TakTakTakTak_IsSpeech")]
    [TestCase(new[] { 12016, 11, 2838, 11, 2838, 11, 2838, 13 }, TestName = "RepetitionGuard_NieNieNieNie_IsSpeech")]
    [TestCase(new[] { 29795, 11, 46268, 11, 46268, 13 }, TestName = "RepetitionGuard_HaloHaloHalo_IsSpeech")]
    [TestCase(new[] { 9118, 11, 991, 11, 991, 11, 991, 11, 991, 11, 991, 11, 991, 13 }, TestName = "RepetitionGuard_SevenTimesTak_IsSpeech")]
    public void RepetitionGuard_ConversationalRepetition_NotCut(int[] tokens)
    {
        var options = WindowDecodingOptions.Default;

        var loop = RepetitionGuard.LoopStart(tokens, options.MaxTokenRepeats, options.MaxSequenceRepeats, options.MaxSequenceLength, options.MinLoopTokens);

        Assert.That(loop, Is.EqualTo(-1), "the real tokens of ' tak', ',' and friends, as the multilingual tokenizer writes them");
    }

    [Test]
    public void RepetitionGuard_SentenceLoopingAsWhisperDoes_Cut()
    {
        int[] sentence = [12016, 2838, 11, 991, 11, 2838, 13];
        int[] tokens = [.. Enumerable.Range(0, 8).SelectMany(_ => sentence)];
        var options = WindowDecodingOptions.Default;

        var loop = RepetitionGuard.LoopStart(tokens, options.MaxTokenRepeats, options.MaxSequenceRepeats, options.MaxSequenceLength, options.MinLoopTokens);

        Assert.That(loop, Is.EqualTo(sentence.Length), "a 7-token sentence eight times over is a loop: keep it once");
    }

    [TestCase(1.0, 32)]
    [TestCase(4.0, 76)]
    [TestCase(30.0, 224)]
    public void TokenBudget_FollowsSpeechLength(double seconds, int budget)
    {
        Assert.That(Defaults.TokenBudget(seconds), Is.EqualTo(budget), "32 at least, 16 + 15 per second, at most 224");
    }

    [Test]
    public void HallucinationFilter_ShippedList_DropsCreditsAlwaysAndThanksOnlyWhenUnsure()
    {
        var filter = HallucinationFilter.Load(Path.Combine(AppContext.BaseDirectory, "speech-models", HallucinationFilter.FileName));

        Assert.That(filter.IsHallucination("Napisy stworzone przez społeczność Amara.org", "pl", confident: true), Is.True);
        Assert.That(filter.IsHallucination("  titulky vytvořil JohnyX ", "cs", confident: true), Is.True);
        Assert.That(filter.IsHallucination("Dziękuję.", "pl", confident: false), Is.True, "an unsure lone 'Dziękuję.' is the classic hallucination");
        Assert.That(filter.IsHallucination("Dziękuję.", "pl", confident: true), Is.False, "a confidently heard 'Dziękuję.' was said");
        Assert.That(filter.IsHallucination("Dziękuję za rozmowę.", "pl", confident: false), Is.False, "only a segment that is nothing but the phrase");
    }
}

/// <summary>The policy end to end on the sherpa-onnx random model, whose figures openai's own code computed.</summary>
[TestFixture]
[Category("model")]
public sealed class DecodingPolicyModelTests
{
    private WhisperModel? _model;
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-policy-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [OneTimeTearDown]
    public void Dispose() => _model?.Dispose();

    private WhisperModel Model => _model ??= WhisperModel.Load(TestData.SherpaModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32 });

    [Test]
    public async Task TranscribeAsync_NoiseOnlyWindow_NoUtteranceAndCountedAsSilent()
    {
        var transcriber = new WhisperTranscriber(Model);
        var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.SherpaVectors, "tone3s.wav"));

        var segments = await Collect(transcriber, samples, new TranscriptionOptions { Language = "pl" });

        Assert.That(segments, Is.Empty, "a tone in noise (no_speech_prob 0.73, avg_logprob -2.06) is not speech");
        Assert.That(transcriber.Stats.SilentWindows, Is.EqualTo(1));
    }

    [Test]
    public async Task TranscribeAsync_UnsureWords_KeptWithLowConfidenceFigures()
    {
        var transcriber = new WhisperTranscriber(Model);
        var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.SherpaVectors, "speech12s.wav"));

        var segments = await Collect(transcriber, samples, new TranscriptionOptions { Language = "pl" });

        Assert.That(segments, Has.Count.EqualTo(1));
        var confidence = segments[0].Confidence!;
        Assert.That(confidence.IsLow, Is.True, "avg_logprob -2.86 fails openai's -1.0 check");
        Assert.That(confidence.NoSpeechProbability, Is.EqualTo(0.0474).Within(1e-3));
        Assert.That(confidence.AverageLogProbability, Is.EqualTo(-2.856464).Within(1e-3));
        Assert.That(confidence.StopReason, Is.EqualTo("end_of_text"));
        Assert.That(segments[0].TokenIds, Is.EqualTo(new[] { 42262, 42262, 42237 }), "the reference's no-timestamp tokens");
        Assert.That(transcriber.Stats.LowConfidenceSegments, Is.EqualTo(1));
    }

    [TestCase("always")]
    [TestCase("unless_confident")]
    public async Task TranscribeAsync_SegmentThatIsOnlyAKnownHallucination_DroppedAndCounted(string list)
    {
        var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.SherpaVectors, "speech12s.wav"));
        var plain = await Collect(new WhisperTranscriber(Model), samples, new TranscriptionOptions { Language = "pl" });
        var text = plain.Single().Text;
        var file = Path.Combine(_work, HallucinationFilter.FileName);
        File.WriteAllText(file, $"pl:\n  {list}:\n    - \"{text}\"\n");
        var transcriber = new WhisperTranscriber(Model);

        var segments = await Collect(transcriber, samples, new TranscriptionOptions { Language = "pl", Hallucinations = HallucinationFilter.Load(file) });

        Assert.That(segments, Is.Empty, $"'{text}' is listed as a hallucination");
        Assert.That(transcriber.Stats.HallucinationsDropped, Is.EqualTo(1));
        Assert.That(transcriber.Stats.DecisionSummary(), Does.Contain("hallucinations dropped 1"));
    }

    private static async Task<List<TranscribedSegment>> Collect(WhisperTranscriber transcriber, float[] samples, TranscriptionOptions options)
    {
        var list = new List<TranscribedSegment>();
        await foreach (var segment in transcriber.TranscribeAsync(samples, [new TimeInterval(0, samples.Length / 16000.0)], options))
        {
            list.Add(segment);
        }

        return list;
    }
}
