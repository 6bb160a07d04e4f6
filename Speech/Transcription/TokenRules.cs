using System.Numerics.Tensors;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// The logit filters of openai-whisper's <c>DecodingTask</c>, applied in its order: <c>SuppressBlank</c> (first
/// sampled step), <c>SuppressTokens</c>, then <c>ApplyTimestampRules</c> in timestamp mode. Built once per model and
/// options; <see cref="Apply"/> works in place on one window's logits and keeps no state.
/// </summary>
internal sealed class TokenRules
{
    private readonly WhisperModelInfo _info;
    private readonly WindowDecodingOptions _options;
    private readonly int[] _suppressed;
    private readonly int _maxInitialTimestamp;

    public TokenRules(WhisperModelInfo info, WindowDecodingOptions options)
    {
        _info = info;
        _options = options;
        var suppressed = new SortedSet<int>();
        if (options.SuppressNonSpeechTokens)
        {
            suppressed.UnionWith(info.NonSpeechTokens);
            suppressed.UnionWith([info.Transcribe, info.Translate, info.StartOfTranscript, info.StartOfPrevious, info.StartOfLm, info.NoSpeech]);
        }

        _suppressed = suppressed.Where(t => t >= 0 && t < info.VocabularySize).ToArray();
        _maxInitialTimestamp = (int)Math.Round(options.MaxInitialTimestamp / TimestampSegments.SecondsPerTimestamp);
    }

    /// <summary>
    /// Ids below this may be picked. Without timestamps only text and end-of-text: openai leaves timestamp and language
    /// tokens unmasked there (so they count in the log-probabilities, as here) but a model never picks them after
    /// <c>&lt;|notimestamps|&gt;</c>; limiting the choice makes that certain.
    /// </summary>
    public int ChoiceLimit => _options.Timestamps ? _info.VocabularySize : _info.EndOfText + 1;

    /// <summary>The ids suppressed at every step, sorted.</summary>
    public IReadOnlyList<int> SuppressedAtEveryStep => _suppressed;

    /// <summary>Masks (sets to -inf) every id the rules forbid after <paramref name="sampled"/>.</summary>
    /// <param name="logits">One position's n_vocab logits, changed in place.</param>
    /// <param name="sampled">The tokens sampled after the prompt so far (timestamps included).</param>
    public void Apply(Span<float> logits, IReadOnlyList<int> sampled)
    {
        var eot = _info.EndOfText;
        if (_options.SuppressBlank && sampled.Count == 0)
        {
            logits[_info.BlankId] = float.NegativeInfinity;
            logits[eot] = float.NegativeInfinity;
        }

        foreach (var id in _suppressed)
        {
            logits[id] = float.NegativeInfinity;
        }

        if (_options.NeverEndOfText)
        {
            logits[eot] = float.NegativeInfinity;
        }

        if (_options.Timestamps)
        {
            ApplyTimestampRules(logits, sampled);
        }
    }

    private void ApplyTimestampRules(Span<float> logits, IReadOnlyList<int> sampled)
    {
        var begin = _info.TimestampBegin;
        var eot = _info.EndOfText;
        logits[_info.NoTimestamps] = float.NegativeInfinity;

        var count = sampled.Count;
        var lastWasTimestamp = count >= 1 && sampled[count - 1] >= begin;
        var penultimateWasTimestamp = count < 2 || sampled[count - 2] >= begin;
        if (lastWasTimestamp)
        {
            if (penultimateWasTimestamp)
            {
                logits[begin..].Fill(float.NegativeInfinity);
            }
            else
            {
                logits[..eot].Fill(float.NegativeInfinity);
            }
        }

        var lastTimestamp = -1;
        for (var i = count - 1; i >= 0; i--)
        {
            if (sampled[i] >= begin)
            {
                lastTimestamp = sampled[i];
                break;
            }
        }

        if (lastTimestamp >= 0)
        {
            // Timestamps never decrease; a segment that was just closed may be followed by the same time, any other
            // position needs a later one, so every segment has a length.
            var firstAllowed = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
            logits[begin..Math.Min(firstAllowed, logits.Length)].Fill(float.NegativeInfinity);
        }

        if (count == 0)
        {
            logits[..begin].Fill(float.NegativeInfinity);
            var lastAllowed = begin + _maxInitialTimestamp;
            if (lastAllowed + 1 < logits.Length)
            {
                logits[(lastAllowed + 1)..].Fill(float.NegativeInfinity);
            }
        }

        // When the probability mass of all timestamps beats every single text token, a timestamp must come.
        var timestampMass = LogSumExp(logits[begin..]);
        var bestText = TensorPrimitives.Max<float>(logits[..begin]);

        if (timestampMass > bestText)
        {
            logits[..begin].Fill(float.NegativeInfinity);
        }
    }

    /// <summary>
    /// log(sum(exp(x))), the sum kept in double precision; -inf when every value is -inf. The exponentials are taken
    /// in float, vectorized (a whole vocabulary at every decoding step, so this is on the decoder's path), in chunks
    /// whose sums add up in double.
    /// </summary>
    public static double LogSumExp(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        var max = TensorPrimitives.Max(values);
        if (float.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        const int Chunk = 2048;
        Span<float> scratch = stackalloc float[Chunk];
        var sum = 0.0;
        for (var start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            var shifted = scratch[..part.Length];
            TensorPrimitives.Subtract(part, max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            sum += TensorPrimitives.Sum<float>(shifted);
        }

        return max + Math.Log(sum);
    }
}
