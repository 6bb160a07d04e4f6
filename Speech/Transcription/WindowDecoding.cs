using System.IO.Compression;
using System.Text;

namespace QualityScan.Speech.Transcription;

/// <summary>The greedy decoding of one 30 s window, with the figures openai-whisper judges a window by.</summary>
/// <param name="TokenIds">Sampled tokens after the prompt (timestamp tokens included in timestamp mode), without end-of-text.</param>
/// <param name="Text">The text tokens as text (leading space included, as Whisper writes it).</param>
/// <param name="Language">Code of the language token in the prompt.</param>
/// <param name="StepMaxLogits">For each decoding step, the raw logit of the token picked (end-of-text included when it was picked).</param>
/// <param name="Stop">Why decoding ended.</param>
public sealed record WindowDecoding(
    IReadOnlyList<int> TokenIds,
    string Text,
    string Language,
    IReadOnlyList<float> StepMaxLogits,
    DecodingStop Stop)
{
    /// <summary>Probability of the no-speech token at the start-of-transcript position (openai's <c>no_speech_prob</c>).</summary>
    public double NoSpeechProbability { get; init; }

    /// <summary>Sum of the picked tokens' log-probabilities after the token rules, end-of-text step included.</summary>
    public double SumLogProbability { get; init; }

    /// <summary><see cref="SumLogProbability"/> / (tokens + 1) (openai's <c>avg_logprob</c>).</summary>
    public double AverageLogProbability { get; init; }

    /// <summary>Log-probability of the token picked at each step.</summary>
    public IReadOnlyList<double> StepLogProbabilities { get; init; } = [];

    /// <summary>UTF-8 length of the trimmed text over its zlib-compressed length (openai's <c>compression_ratio</c>).</summary>
    public double CompressionRatio => Compression.Ratio(Text.Trim());
}

/// <summary>openai-whisper's measure of repetitive text.</summary>
public static class Compression
{
    /// <summary>UTF-8 bytes of <paramref name="text"/> over their zlib-compressed size (level 6, as Python's zlib.compress); 0 for empty text.</summary>
    public static double Ratio(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length == 0)
        {
            return 0;
        }

        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(bytes);
        }

        return bytes.Length / (double)output.Length;
    }
}

/// <summary>Sees the raw logits of the last position at each decoding step, before any token is suppressed.</summary>
/// <param name="step">0 for the step right after the prompt.</param>
/// <param name="logits">n_vocab values; valid only during the call.</param>
public delegate void StepLogitsObserver(int step, ReadOnlySpan<float> logits);
