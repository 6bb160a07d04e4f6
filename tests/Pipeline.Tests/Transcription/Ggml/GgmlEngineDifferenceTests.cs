using QualityScan.Speech.Tests.Transcription.Ggml;
using QualityScan.Speech.Tests.Transcription;
using QualityScan.Speech.Audio;
using QualityScan.Speech.Transcription;
using QualityScan.Speech.Transcription.Ggml;

namespace QualityScan.Pipeline.Tests.Transcription.Ggml;

/// <summary>
/// Both engines on the same weights (sherpa-random-v2: ONNX float32, and its ggml conversion rounded to f16) and the
/// same clips, greedy, Polish, timestamps on: where their tokens first part and why (docs/models-and-engines.md,
/// "Where the decoding rules of the two engines differ").
/// </summary>
[TestFixture]
[Category("model")]
[Category("ggml")]
public sealed class GgmlEngineDifferenceTests
{
    private WhisperModel? _onnx;
    private GgmlModel? _ggml;
    private string? _f16;

    [OneTimeSetUp]
    public void Load()
    {
        var source = Path.Combine(TestData.SharedModels, "sherpa-random-v2-ggml", "ggml-random-f32.bin");
        _f16 = Path.Combine(Path.GetTempPath(), $"qs-ggml-f16-{Guid.NewGuid():N}.bin");
        GgmlF16Conversion.Convert(source, _f16, GgmlModelFile.Read(source).TensorsOffset);
        _ggml = GgmlModel.Load(_f16, threads: 2);
        _onnx = WhisperModel.Load(TestData.SherpaModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32 });
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _onnx?.Dispose();
        _ggml?.Dispose();
        if (_f16 is not null)
        {
            File.Delete(_f16);
        }
    }

    [TestCase("tone3s")]
    [TestCase("speech12s")]
    public async Task Decode_SameWeights_PartAtTheFirstTokenOnlyBecauseOpenAiForcesAnInitialTimestamp(string clip)
    {
        var samples = new AudioDecoder().Decode(Path.Combine(TestData.SherpaVectors, $"{clip}.wav"), LogMelSpectrogram.SampleRate).Channels[0];
        var onnx = new WhisperTranscriber(_onnx!);
        var info = onnx.Model.Info;
        var openAi = onnx.DecodeWindow(onnx.ComputeFeatures(samples), info.TranscriptionPrompt(info.GetLanguageToken("pl"), timestamps: true),
            new WindowDecodingOptions { MaxNewTokens = 60, Timestamps = true, RepetitionGuard = false }).TokenIds;
        // Non-speech tokens suppressed on both sides (openai's suppress_tokens="-1"; whisper-cli's -sns), so that only the timestamp rules differ.
        using var ggml = _ggml!.CreateTranscriber(suppressNonSpeech: true);
        var whisperCpp = (await ggml.DecodeTokensAsync(samples, "pl")).Select(t => t.Id).ToList();
        var timestampBegin = _ggml.File.TimestampBegin;

        Assert.That(openAi[0], Is.InRange(timestampBegin, timestampBegin + 50), "openai masks every text token at the first step: a timestamp of at most 1 s comes first");
        Assert.That(whisperCpp[0], Is.LessThan(_ggml.File.EndOfText), "whisper.cpp 1.8.5 applies only the 1 s limit at the first step, so a text token can come first");
        Assert.That(whisperCpp.Take(2), Is.EqualTo(openAi.Skip(1).Take(2)),
            "the same weights give the same text after that timestamp: whisper.cpp's first two tokens are openai's second and third");
        Assert.That(openAi[3], Is.GreaterThanOrEqualTo(timestampBegin), "openai then closes the segment with a timestamp");
        Assert.That(whisperCpp[2], Is.LessThan(timestampBegin), "whisper.cpp, with no timestamp in its history, goes on with text (or ends)");
    }
}
