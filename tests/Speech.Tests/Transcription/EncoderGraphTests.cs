using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

/// <summary>
/// The encoder as <see cref="EncoderGraph"/> rewrites it (attention in query slices; keys and values per layer in the
/// rebuilt decoder's layout) computes what the exported encoder computes, on the exports as published: the fixture
/// exported by sherpa-onnx's own script (float32, openai's later code with casts around the softmax) and the shipped
/// int8 demo model. The token-for-token parity tests run through the rewritten encoder too (WhisperModel.Load uses it).
/// </summary>
[TestFixture]
[Category("model")]
public sealed class EncoderGraphTests
{
    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData(Path.Combine(TestData.SherpaModel, "random-encoder.onnx"), Path.Combine(TestData.SherpaVectors, "speech12s.mel.f32")).SetName("Rewrite_SherpaExportFloat32_SameKeysAndValuesInTheDecodersLayout");
        yield return new TestCaseData(Path.Combine(TestData.DemoModel, "encoder.int8.onnx"), Path.Combine(TestData.DemoVectors, "utt0.mel.f32")).SetName("Rewrite_DemoModelInt8_SameKeysAndValuesInTheDecodersLayout");
    }

    [TestCaseSource(nameof(Models))]
    public void Rewrite_SplitOutputs_GivesTheOriginalsKeysAndValuesPerLayerScaled(string encoderPath, string melPath)
    {
        var info = WhisperModelInfo.FromMetadata(EncoderGraph.ReadMetadata(encoderPath), encoderPath);
        var mel = TestData.ReadFloats(melPath);
        var (keys, values) = RunOriginal(encoderPath, mel, info);

        var rewritten = EncoderGraph.TryRewrite(encoderPath, info, decoderLayout: true, out var reason);

        Assert.That(rewritten, Is.Not.Null, reason);
        Assert.That(reason, Does.Match($@"attention of [1-9][0-9]* layers in {EncoderGraph.AttentionChunks} slices").And.Contain("per layer"), "every self-attention is sliced and the outputs split");
        using var session = new InferenceSession(rewritten!.ToByteArray());
        Assert.That(session.OutputMetadata.Keys, Is.EquivalentTo(Enumerable.Range(0, info.TextLayers).SelectMany(l => new[] { FilledCacheDecoderGraph.CrossK(l), FilledCacheDecoderGraph.CrossV(l) })),
            "one output per layer for keys and one for values, nothing else");
        var heads = info.TextHeads;
        var headWidth = info.TextState / heads;
        var frames = info.AudioContext;
        var scale = FilledCacheDecoderGraph.AttentionScale(info);
        using var input = OrtValue.CreateTensorValueFromMemory(mel, [1, info.MelBins, LogMelSpectrogram.FrameCount]);
        using var outputs = session.Run(new RunOptions(), ["mel"], [input], [.. session.OutputMetadata.Keys]);
        var byName = session.OutputMetadata.Keys.Zip(outputs).ToDictionary(p => p.First, p => p.Second.GetTensorDataAsSpan<float>().ToArray());
        var largest = 0.0;
        for (var layer = 0; layer < info.TextLayers; layer++)
        {
            var splitKeys = byName[FilledCacheDecoderGraph.CrossK(layer)];
            var splitValues = byName[FilledCacheDecoderGraph.CrossV(layer)];
            Assert.That(splitKeys, Has.Length.EqualTo(heads * frames * headWidth));
            for (var h = 0; h < heads; h++)
            {
                for (var t = 0; t < frames; t++)
                {
                    for (var d = 0; d < headWidth; d++)
                    {
                        var stacked = (((layer * frames) + t) * info.TextState) + (h * headWidth) + d;
                        var split = (((h * frames) + t) * headWidth) + d;
                        largest = Math.Max(largest, Math.Abs((keys[stacked] * scale) - splitKeys[split]));
                        largest = Math.Max(largest, Math.Abs(values[stacked] - splitValues[split]));
                    }
                }
            }
        }

        var magnitude = keys.Concat(values).Max(MathF.Abs);
        Assert.That(largest / magnitude, Is.LessThan(1e-5), "the same values as the exported encoder, to float rounding");
    }

    private static IEnumerable<TestCaseData> CompactModels()
    {
        yield return new TestCaseData(Path.Combine(TestData.SherpaModel, "random-encoder.onnx"), Path.Combine(TestData.SherpaVectors, "speech12s.mel.f32")).SetName("Rewrite_Compact_SherpaExportFloat32_TheHostQuantizersCodesOfTheOriginalsKeysAndValues");
        yield return new TestCaseData(Path.Combine(TestData.DemoModel, "encoder.int8.onnx"), Path.Combine(TestData.DemoVectors, "utt0.mel.f32")).SetName("Rewrite_Compact_DemoModelInt8_TheHostQuantizersCodesOfTheOriginalsKeysAndValues");
    }

    /// <summary>
    /// The compact layout the encoder writes (QuantizeLinear in the graph) is what <see cref="CrossQuantizer"/> makes
    /// on the host from the exported encoder's own float keys and values (the path of a stacked encoder and of the
    /// load-time probe): the same scales to float rounding, and codes that differ by at most one step where the
    /// rewritten graph's float rounding moved a value across a rounding boundary.
    /// </summary>
    [TestCaseSource(nameof(CompactModels))]
    public void Rewrite_Compact_GivesTheHostQuantizersCodes(string encoderPath, string melPath)
    {
        var info = WhisperModelInfo.FromMetadata(EncoderGraph.ReadMetadata(encoderPath), encoderPath);
        var mel = TestData.ReadFloats(melPath);
        var (keys, values) = RunOriginal(encoderPath, mel, info);

        var rewritten = EncoderGraph.TryRewrite(encoderPath, info, decoderLayout: true, out var reason, compact: true);

        Assert.That(rewritten, Is.Not.Null, reason);
        Assert.That(reason, Does.Contain("compact int8 layout"));
        using var session = new InferenceSession(rewritten!.ToByteArray());
        Assert.That(session.OutputMetadata.Keys, Is.EquivalentTo(Enumerable.Range(0, info.TextLayers).SelectMany(l => FilledCacheDecoderGraph.CrossNames(l, compact: true))));
        using var input = OrtValue.CreateTensorValueFromMemory(mel, [1, info.MelBins, LogMelSpectrogram.FrameCount]);
        using var outputs = session.Run(new RunOptions(), ["mel"], [input], [.. session.OutputMetadata.Keys]);
        var byName = session.OutputMetadata.Keys.Zip(outputs).ToDictionary(p => p.First, p => p.Second);
        var heads = info.TextHeads;
        var window = info.AudioContext * info.TextState;
        long codes = 0, moved = 0;
        var scaleError = 0.0;
        for (var layer = 0; layer < info.TextLayers; layer++)
        {
            var keyCodes = new sbyte[window];
            var keyScales = new float[heads * info.AudioContext];
            var keySums = new float[heads * info.AudioContext];
            var valueCodes = new sbyte[window];
            var valueScales = new float[heads * info.AudioContext];
            CrossQuantizer.Keys(keys.AsSpan(layer * window, window), FilledCacheDecoderGraph.AttentionScale(info), heads, keyCodes, keyScales, keySums);
            CrossQuantizer.Values(values.AsSpan(layer * window, window), heads, valueCodes, valueScales);

            var graphKeyCodes = byName[FilledCacheDecoderGraph.CrossK(layer)].GetTensorDataAsSpan<sbyte>().ToArray();
            var graphValueCodes = byName[FilledCacheDecoderGraph.CrossV(layer)].GetTensorDataAsSpan<sbyte>().ToArray();
            var graphKeySums = byName[FilledCacheDecoderGraph.CrossKSum(layer)].GetTensorDataAsSpan<float>().ToArray();
            foreach (var (expected, actual) in keyCodes.Zip(graphKeyCodes).Concat(valueCodes.Zip(graphValueCodes)))
            {
                Assert.That(Math.Abs(expected - actual), Is.LessThanOrEqualTo(1), $"layer {layer}: a code at most one step off");
                codes++;
                moved += expected == actual ? 0 : 1;
            }

            scaleError = Math.Max(scaleError, MaxRelative(keyScales, byName[FilledCacheDecoderGraph.CrossKScale(layer)].GetTensorDataAsSpan<float>().ToArray()));
            scaleError = Math.Max(scaleError, MaxRelative(valueScales, byName[FilledCacheDecoderGraph.CrossVScale(layer)].GetTensorDataAsSpan<float>().ToArray()));
            for (var h = 0; h < heads; h++)
            {
                for (var p = 0; p < info.AudioContext; p += 97)
                {
                    var sum = 0f;
                    for (var d = 0; d < info.TextState / heads; d++)
                    {
                        sum += graphKeyCodes[(((h * (info.TextState / heads)) + d) * info.AudioContext) + p];
                    }

                    Assert.That(graphKeySums[(h * info.AudioContext) + p], Is.EqualTo(sum * CrossQuantizer.QueryOffset), "the graph's key sum is 128 times the sum of its own codes");
                }
            }
        }

        TestContext.Out.WriteLine($"{moved} of {codes} codes one step off; scales within {scaleError:G2} relative");
        Assert.That(scaleError, Is.LessThan(1e-5), "the same scales, to float rounding");
        Assert.That((double)moved / codes, Is.LessThan(1e-3), $"{moved} of {codes} codes one step off");
    }

    [Test]
    public void Rewrite_WithoutDecoderLayout_KeepsTheStackedOutputsWithTheSameValues()
    {
        var encoderPath = Path.Combine(TestData.SherpaModel, "random-encoder.onnx");
        var info = WhisperModelInfo.FromMetadata(EncoderGraph.ReadMetadata(encoderPath), encoderPath);
        var mel = TestData.ReadFloats(Path.Combine(TestData.SherpaVectors, "tone3s.mel.f32"));
        var (keys, values) = RunOriginal(encoderPath, mel, info);

        var rewritten = EncoderGraph.TryRewrite(encoderPath, info, decoderLayout: false, out var reason);

        Assert.That(rewritten, Is.Not.Null, reason);
        Assert.That(reason, Does.Not.Contain("per layer"));
        using var session = new InferenceSession(rewritten!.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(mel, [1, info.MelBins, LogMelSpectrogram.FrameCount]);
        using var outputs = session.Run(new RunOptions(), ["mel"], [input], [WhisperInference.CrossKOutput, WhisperInference.CrossVOutput]);
        var magnitude = keys.Concat(values).Max(MathF.Abs);
        Assert.That(MaxDifference(keys, outputs[0].GetTensorDataAsSpan<float>().ToArray()) / magnitude, Is.LessThan(1e-5));
        Assert.That(MaxDifference(values, outputs[1].GetTensorDataAsSpan<float>().ToArray()) / magnitude, Is.LessThan(1e-5));
    }

    [Test]
    public void ReadMetadata_GivesWhatOnnxRuntimeReads()
    {
        var encoderPath = Path.Combine(TestData.DemoModel, "encoder.int8.onnx");
        using var session = new InferenceSession(encoderPath);

        var metadata = EncoderGraph.ReadMetadata(encoderPath);

        Assert.That(metadata, Is.EquivalentTo(session.ModelMetadata.CustomMetadataMap));
        Assert.That(metadata, Does.ContainKey("n_text_layer"));
    }

    [Test]
    public void ReadMetadata_NotAnOnnxFile_Throws()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qs-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "RIFF this is a WAV file, not a model\n");
        try
        {
            Assert.That(() => EncoderGraph.ReadMetadata(path), Throws.InstanceOf<InvalidProtocolBufferException>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (float[] Keys, float[] Values) RunOriginal(string encoderPath, float[] mel, WhisperModelInfo info)
    {
        using var session = new InferenceSession(encoderPath);
        using var input = OrtValue.CreateTensorValueFromMemory(mel, [1, info.MelBins, LogMelSpectrogram.FrameCount]);
        using var outputs = session.Run(new RunOptions(), ["mel"], [input], [WhisperInference.CrossKOutput, WhisperInference.CrossVOutput]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static double MaxRelative(float[] expected, float[] actual)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        return expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1e-30, Math.Abs(p.First)));
    }

    private static double MaxDifference(float[] expected, float[] actual)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        return expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
    }
}
