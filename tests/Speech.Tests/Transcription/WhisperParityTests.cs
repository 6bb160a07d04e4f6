using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

/// <summary>Token-for-token parity with the reference decodings recorded with ONNX Runtime.</summary>
[TestFixture]
[Category("model")]
public sealed class WhisperParityTests
{
    private WhisperModel? _demo;
    private WhisperModel? _random;

    [OneTimeTearDown]
    public void TearDown()
    {
        _demo?.Dispose();
        _random?.Dispose();
    }

    private WhisperTranscriber Demo => new(_demo ??= WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32 }));

    private WhisperTranscriber Random => new(_random ??= WhisperModel.Load(TestData.RandomModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32 }));

    /// <summary>
    /// These vectors were recorded before the engine followed openai's first-step suppression (" " and end-of-text at
    /// the first sampled step): they are decoded with that policy switched off, as they were made.
    /// </summary>
    private static readonly WindowDecodingOptions WithoutFirstStepSuppression = new() { SuppressBlank = false };

    private static IEnumerable<TestCaseData> Utterances() => TestData.DemoUtteranceCases();

    [TestCaseSource(nameof(Utterances))]
    public void TranscribeWindow_DemoUtteranceFloat32WithoutFirstStepSuppression_ReproducesExpectedTokensAndText(int index)
    {
        var utterance = TestData.DemoManifest()[index];
        var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, utterance.Wav));

        var result = Demo.TranscribeWindow(samples, utterance.Language, WithoutFirstStepSuppression);

        Assert.That(result.TokenIds, Is.EqualTo(utterance.ExpectedTokenIds), $"greedy tokens of {utterance.Wav}");
        Assert.That(result.Text, Is.EqualTo(utterance.ExpectedText), $"decoded text of {utterance.Wav}");
        Assert.That(result.Stop, Is.EqualTo(DecodingStop.EndOfText), "the reference decodings end with end-of-text");
        Assert.That(result.Language, Is.EqualTo(utterance.Language));
    }

    [Test]
    public void DecodeTokens_ReferenceMelOfUtt0WithoutFirstStepSuppression_ReproducesExpectedTokens()
    {
        var utterance = TestData.DemoManifest()[0];
        var mel = TestData.ReadFloats(Path.Combine(TestData.DemoVectors, utterance.MelFile!));

        var tokens = Demo.DecodeTokens(mel, utterance.Language, WithoutFirstStepSuppression);

        Assert.That(tokens, Is.EqualTo(utterance.ExpectedTokenIds));
    }

    [TestCaseSource(nameof(Utterances))]
    public void DetectLanguage_DemoUtterance_ReturnsManifestLanguage(int index)
    {
        var utterance = TestData.DemoManifest()[index];
        var transcriber = Demo;
        var mel = transcriber.ComputeFeatures(TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, utterance.Wav)));

        Assert.That(transcriber.DetectLanguage(mel), Is.EqualTo(utterance.Language), $"language of {utterance.Wav}");
    }

    [Test]
    public void DecodeWindow_RandomLargeV3LayoutWithoutFirstStepSuppression_ReproducesTokensAndLogits()
    {
        var parity = TestData.RandomParityRecord();
        var mel = TestData.ReadFloats(Path.Combine(TestData.RandomVectors, parity.MelFile));
        var transcriber = Random;
        Assert.That(mel, Has.Length.EqualTo(parity.MelShape[0] * parity.MelShape[1]), "mel file size");
        Assert.That(transcriber.Model.Info.MelBins, Is.EqualTo(128));

        float[]? firstLogits = null;
        var result = transcriber.DecodeWindow(
            mel,
            parity.Prompt,
            new WindowDecodingOptions { MaxNewTokens = parity.ExpectedTokenIds.Count, SuppressBlank = false },
            (step, logits) =>
            {
                if (step == 0)
                {
                    firstLogits = logits.ToArray();
                }
            });

        Assert.That(result.TokenIds, Is.EqualTo(parity.ExpectedTokenIds), "20 greedy tokens over ids <= eot");
        Assert.That(result.StepMaxLogits, Is.EqualTo(parity.ExpectedStepMaxLogits).Within(1e-3f), "max logit of each step");
        Assert.That(result.Stop, Is.EqualTo(DecodingStop.MaxTokens));
        Assert.That(firstLogits, Is.Not.Null);
        var top5 = firstLogits!.Select((value, id) => (value, id)).OrderByDescending(x => x.value).ThenBy(x => x.id).Take(5).ToArray();
        Assert.That(top5.Select(x => x.id), Is.EqualTo(parity.FirstStep.Top5Ids), "top-5 ids of the first step");
        Assert.That(top5.Select(x => x.value), Is.EqualTo(parity.FirstStep.Top5Logits).Within(1e-3f), "top-5 logits of the first step");
    }

    [Test]
    public void DecodeWindow_RandomModelWithoutLimits_StopsWhenTheDecoderContextIsFull()
    {
        var parity = TestData.RandomParityRecord();
        var mel = TestData.ReadFloats(Path.Combine(TestData.RandomVectors, parity.MelFile));

        var result = Random.DecodeWindow(mel, parity.Prompt, new WindowDecodingOptions { MaxNewTokens = 10_000, RepetitionGuard = false, SuppressBlank = false });

        Assert.That(result.Stop, Is.EqualTo(DecodingStop.ContextFull), "random weights never predict end-of-text here");
        Assert.That(parity.Prompt.Count + result.TokenIds.Count - 1, Is.EqualTo(448), "every one of the 448 positions is fed; the last token picked is not");
        Assert.That(result.TokenIds.Take(20), Is.EqualTo(parity.ExpectedTokenIds));
    }

    [Test]
    public void TranscribeWindow_RandomLargeV3LayoutFromWavWithoutFirstStepSuppression_ReproducesTokens()
    {
        var parity = TestData.RandomParityRecord();
        var samples = TestData.ReadPcm16Mono(Path.Combine(TestData.RandomVectors, parity.Wav));
        var transcriber = Random;
        Assert.That(transcriber.Model.Info.GetLanguageToken("pl"), Is.EqualTo(parity.Prompt[1]), "the recorded prompt transcribes Polish");

        var result = transcriber.TranscribeWindow(samples, "pl", new WindowDecodingOptions { MaxNewTokens = parity.ExpectedTokenIds.Count, SuppressBlank = false });

        Assert.That(result.TokenIds, Is.EqualTo(parity.ExpectedTokenIds), "our own 128-bin features must decode like the reference ones");
    }
}
