using System.Text.Json;
using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

/// <summary>
/// Token-for-token parity with openai-whisper's own decoding (DecodingTask and transcribe.py's segment cut) on a
/// random-weight model exported by sherpa-onnx's own script, loaded from its folder as published (sherpa's
/// <c>random-encoder.onnx</c>, <c>random-decoder.onnx</c>, <c>random-tokens.txt</c>). The weights were edited so
/// that every decoding rule (first-step suppression, non-speech and special tokens, every timestamp rule) changes the
/// greedy result somewhere: a rule left out fails one of these tests.
/// </summary>
[TestFixture]
[Category("model")]
public sealed class SherpaParityTests
{
    private readonly Dictionary<string, WhisperModel> _models = [];

    [OneTimeTearDown]
    public void TearDown()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
    }

    /// <summary>
    /// The fixture with the decoder graph rebuilt at load (the default), rebuilt with the compact int8 cross-attention
    /// layout (what int8 models run; forced here on the float fixture so that its reference vectors hold it to
    /// openai's tokens), or the original sherpa-onnx graph.
    /// </summary>
    private WhisperTranscriber Transcriber(string decoder)
    {
        if (!_models.TryGetValue(decoder, out var model))
        {
            model = WhisperModel.Load(TestData.SherpaModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32, RebuildDecoder = decoder != "original", CompactCrossAttention = decoder == "compact" });
            _models[decoder] = model;
        }

        Assert.That(model.DecoderLayout, decoder == "original" ? Does.StartWith("original") : Does.StartWith("filled-cache"), "the decoder this case is about runs");
        Assert.That(model.CompactCrossAttention, Is.EqualTo(decoder == "compact"), "the cross-attention layout this case is about");
        return new WhisperTranscriber(model);
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var input in new[] { "tone3s", "speech12s" })
        {
            foreach (var mode in new[] { "timestamps", "no_timestamps" })
            {
                foreach (var source in new[] { "mel", "wav" })
                {
                    foreach (var decoder in new[] { "rebuilt", "compact", "original" })
                    {
                        yield return new TestCaseData(input, mode, source, decoder).SetName($"DecodeWindow_{input}_{mode}_from{source}_{decoder}Decoder_MatchesOpenAiWhisper");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void DecodeWindow_SherpaRandomModel_MatchesOpenAiWhisper(string input, string mode, string source, string decoder)
    {
        using var parity = Parity();
        var record = parity.RootElement.GetProperty("inputs").GetProperty(input);
        var expected = record.GetProperty(mode);
        var transcriber = Transcriber(decoder);
        var mel = source == "mel"
            ? TestData.ReadFloats(Path.Combine(TestData.SherpaVectors, record.GetProperty("mel_file").GetString()!))
            : transcriber.ComputeFeatures(TestData.ReadPcm16Mono(Path.Combine(TestData.SherpaVectors, record.GetProperty("wav").GetString()!)));
        var prompt = Ints(expected.GetProperty("prompt"));
        var timestamps = mode == "timestamps";
        Assert.That(prompt, Is.EqualTo(transcriber.Model.Info.TranscriptionPrompt(transcriber.Model.Info.GetLanguageToken("pl"), timestamps)),
            "our prompt for Polish is the reference's (the metadata's sot_sequence says English and must not be used as is)");

        var result = transcriber.DecodeWindow(mel, prompt, new WindowDecodingOptions
        {
            MaxNewTokens = expected.GetProperty("decoding_options").GetProperty("sample_len").GetInt32(),
            Timestamps = timestamps,
            RepetitionGuard = false,
        });

        Assert.That(result.TokenIds, Is.EqualTo(Ints(expected.GetProperty("tokens"))), "sampled tokens, exactly");
        Assert.That(result.Stop, Is.EqualTo(expected.GetProperty("ended_with_eot").GetBoolean() ? DecodingStop.EndOfText : DecodingStop.MaxTokens));
        // The compact layout rounds the window's keys and values to int8 codes: the same tokens, and log-probabilities
        // a little off (measured: a window's sum within 0.015, a step within 0.007, the average within 0.0013).
        var compact = decoder == "compact";
        Assert.That(result.NoSpeechProbability, Is.EqualTo(expected.GetProperty("no_speech_prob").GetDouble()).Within(1e-3), "no_speech_prob");
        Assert.That(result.SumLogProbability, Is.EqualTo(expected.GetProperty("sum_logprob").GetDouble()).Within(compact ? 0.05 : 1e-3), "sum_logprob");
        Assert.That(result.AverageLogProbability, Is.EqualTo(expected.GetProperty("avg_logprob").GetDouble()).Within(compact ? 5e-3 : 1e-3), "avg_logprob");
        var stepLogProbabilities = expected.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("logprob").GetDouble()).ToArray();
        TestContext.Out.WriteLine($"sum_logprob off by {Math.Abs(result.SumLogProbability - expected.GetProperty("sum_logprob").GetDouble()):G3}, a step by at most {result.StepLogProbabilities.Zip(stepLogProbabilities).Max(p => Math.Abs(p.First - p.Second)):G3}");
        Assert.That(result.StepLogProbabilities, Is.EqualTo(stepLogProbabilities).Within(compact ? 0.01 : 1e-3), "log-probability of every step");
        Assert.That(result.CompressionRatio, Is.EqualTo(expected.GetProperty("compression_ratio").GetDouble()).Within(0.05), "compression ratio (zlib implementations may differ by a byte)");

        if (!timestamps)
        {
            return;
        }

        var (segments, consumed) = TimestampSegments.Cut(result.TokenIds, transcriber.Model.Info.TimestampBegin, record.GetProperty("content_frames").GetInt32());
        var expectedSegments = expected.GetProperty("segments").EnumerateArray().ToArray();
        Assert.That(segments, Has.Count.EqualTo(expectedSegments.Length), "segments cut as transcribe.py cuts them");
        for (var i = 0; i < segments.Count; i++)
        {
            Assert.That(segments[i].Start, Is.EqualTo(expectedSegments[i].GetProperty("start").GetDouble()).Within(1e-6), $"segment {i + 1} start");
            Assert.That(segments[i].End, Is.EqualTo(expectedSegments[i].GetProperty("end").GetDouble()).Within(1e-6), $"segment {i + 1} end");
            Assert.That(segments[i].Tokens, Is.EqualTo(Ints(expectedSegments[i].GetProperty("tokens"))), $"segment {i + 1} tokens");
        }

        Assert.That(consumed, Is.EqualTo(expected.GetProperty("next_seek_frames").GetInt32()), "where the next window starts (openai's seek)");
    }

    [Test]
    public void Load_SherpaFolderAsPublished_ReadsPrefixMetadataAndSuppressList()
    {
        using var parity = Parity();
        var model = Transcriber("rebuilt").Model;

        Assert.That(model.Files.Prefix, Is.EqualTo("random"));
        Assert.That(Path.GetFileName(model.Files.Tokens), Is.EqualTo("random-tokens.txt"));
        Assert.That(model.Info.IsMultilingual, Is.True);
        var rules = new TokenRules(model.Info, WindowDecodingOptions.Default);
        Assert.That(rules.SuppressedAtEveryStep, Is.EqualTo(Ints(parity.RootElement.GetProperty("rules").GetProperty("suppress_tokens_used"))),
            "non-speech tokens plus transcribe, translate, sot, sot_prev, sot_lm and no_speech, as openai's suppress_tokens=\"-1\"");
    }

    [Test]
    public void Load_DecoderThatCannotBeRebuilt_RunsTheOriginalGraphAndSaysWhy()
    {
        // The same export with the metadata key n_text_head renamed (same length): the rebuild needs the head count.
        var folder = Path.Combine(Path.GetTempPath(), $"qs-no-heads-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var file in Directory.GetFiles(TestData.SherpaModel))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            var encoder = Path.Combine(folder, "random-encoder.onnx");
            var bytes = File.ReadAllBytes(encoder);
            var at = bytes.AsSpan().IndexOf("n_text_head"u8);
            Assert.That(at, Is.GreaterThan(0), "the sherpa export carries n_text_head");
            "n_text_hexd"u8.CopyTo(bytes.AsSpan(at));
            File.WriteAllBytes(encoder, bytes);

            using var model = WhisperModel.Load(folder, new WhisperModelOptions { Precision = WhisperPrecision.Float32 });
            using var parity = Parity();
            var record = parity.RootElement.GetProperty("inputs").GetProperty("speech12s");
            var expected = record.GetProperty("timestamps");
            var transcriber = new WhisperTranscriber(model);
            var result = transcriber.DecodeWindow(
                TestData.ReadFloats(Path.Combine(TestData.SherpaVectors, record.GetProperty("mel_file").GetString()!)),
                Ints(expected.GetProperty("prompt")),
                new WindowDecodingOptions { MaxNewTokens = expected.GetProperty("decoding_options").GetProperty("sample_len").GetInt32(), Timestamps = true, RepetitionGuard = false });

            Assert.That(model.DecoderLayout, Does.StartWith("original").And.Contain("n_text_head"), "the log says which graph runs and why");
            Assert.That(result.TokenIds, Is.EqualTo(Ints(expected.GetProperty("tokens"))), "the original graph still decodes exactly");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonDocument Parity() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestData.SherpaVectors, "parity.json")));

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
