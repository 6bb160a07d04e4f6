using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// The load-time check of a rebuild (<see cref="FilledCacheDecoderGraph"/>): the original sherpa-layout decoder and
/// the rebuilt graph, each through its own <see cref="IDecoderBackend"/>, are fed the same made-up window, prompt and
/// greedy steps, and their logits compared. The two decoders are never held at once: the original's logits are kept
/// in a <see cref="ProbeReference"/> and the original closed before the rebuilt graph is opened.
/// </summary>
internal static class FilledCacheProbe
{
    /// <summary>Greedy steps the probe runs after the prompt.</summary>
    private const int ProbeSteps = 3;

    /// <summary>
    /// Largest logit difference <see cref="Difference"/> accepts, relative to the largest logit: float graphs agree
    /// to rounding (about 1e-7 measured); int8 graphs quantize each activation per call, and a value that rounds to
    /// the other side of a quantization step moves the logits (up to 0.02 measured at whisper-small size with random
    /// weights). A wrong rebuild (an attention scale off by half, measured) moves them by more than 0.1.
    /// </summary>
    public static double Tolerance(bool quantized) => quantized ? 5e-2 : 1e-3;

    /// <summary>
    /// Runs the original sherpa-layout decoder on a made-up window (random cross-attention keys and values from a
    /// fixed seed), the model's start-of-transcript prompt and three greedy steps, and keeps what it fed and the
    /// logits it gave.
    /// </summary>
    public static ProbeReference RunOriginal(InferenceSession original, WhisperModelInfo info)
    {
        List<long> tokens = [.. info.StartOfTranscriptSequence.Select(t => (long)t), info.NoTimestamps];
        var prompt = tokens.Count;
        using var backend = new SherpaDecoder(original, info);
        var logits = Run(backend, info, tokens, prompt);
        return new ProbeReference(tokens.ToArray(), prompt, logits);
    }

    /// <summary>
    /// Feeds the rebuilt graph what <see cref="RunOriginal"/> fed the original (the same window, prompt and steps)
    /// and returns the largest difference of any logit from the original's, relative to the largest logit (at least 1).
    /// </summary>
    public static double Difference(InferenceSession rebuilt, WhisperModelInfo info, ProbeReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var backend = new FilledCacheDecoder(rebuilt, info);
        var actual = Run(backend, info, [.. reference.Tokens], reference.PromptLength);
        var difference = 0.0;
        for (var step = 0; step < actual.Count; step++)
        {
            var expected = reference.Logits[step];
            var scale = Math.Max(1.0, expected.Max(MathF.Abs));
            for (var i = 0; i < expected.Length; i++)
            {
                difference = Math.Max(difference, Math.Abs(expected[i] - actual[step][i]) / scale);
            }
        }

        return difference;
    }

    /// <summary>
    /// Runs the prompt and <see cref="ProbeSteps"/> steps on the made-up window; where <paramref name="tokens"/> ends,
    /// appends the greedy pick of each run.
    /// </summary>
    private static List<float[]> Run(IDecoderBackend backend, WhisperModelInfo info, List<long> tokens, int prompt)
    {
        var vocabulary = info.VocabularySize;
        backend.EnsureCapacity(1);
        // Both backends are made here for the stacked layout the original encoder writes: [keys, values].
        var targets = backend.CrossTarget(0, 1);
        FillCross(targets[0].GetTensorMutableDataAsSpan<float>(), targets[1].GetTensorMutableDataAsSpan<float>());
        backend.StoreCross(0, 1);
        backend.Begin(1, prompt + ProbeSteps);
        var logits = new List<float[]>();
        for (var step = 0; step <= ProbeSteps; step++)
        {
            var offset = step == 0 ? 0 : prompt + step - 1;
            var count = step == 0 ? prompt : 1;
            var fed = tokens.Skip(offset).Take(count).ToArray();
            var output = new float[count * vocabulary];
            using (var tokenValue = OrtValue.CreateTensorValueFromMemory(fed, [1, count]))
            using (var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, count, vocabulary]))
            {
                backend.Run(tokenValue, count, offset, outputValue);
            }

            logits.Add(output);
            if (tokens.Count == offset + count)
            {
                tokens.Add(TensorPrimitives.IndexOfMax<float>(output.AsSpan((count - 1) * vocabulary, vocabulary)));
            }
        }

        return logits;
    }

    /// <summary>The probe's made-up window: cross-attention keys and values in [-1, 1) from a fixed seed.</summary>
    private static void FillCross(Span<float> keys, Span<float> values)
    {
        var random = new Random(20261201);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (float)((random.NextDouble() * 2) - 1);
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }
    }

    /// <summary>What <see cref="RunOriginal"/> fed the original decoder and the logits it gave at each run.</summary>
    /// <param name="Tokens">The prompt and the greedy tokens after it.</param>
    /// <param name="PromptLength">How many of <paramref name="Tokens"/> are the prompt (fed in the first run).</param>
    /// <param name="Logits">Per run, [count, vocabulary] logits.</param>
    internal sealed record ProbeReference(long[] Tokens, int PromptLength, IReadOnlyList<float[]> Logits);
}
