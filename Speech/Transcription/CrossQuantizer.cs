namespace QualityScan.Speech.Transcription;

/// <summary>
/// The compact int8 layout of a window's cross-attention keys and values (<see cref="FilledCacheDecoderGraph"/> with
/// compact inputs), computed on the host: the same codes and scales the rewritten encoder computes in its graph
/// (<see cref="EncoderGraph"/>), for an encoder that gives its keys and values stacked and for the load-time probe.
/// </summary>
/// <remarks>
/// Keys: per head and audio position a scale (the largest magnitude of its head-width values / 127) and the codes
/// (value / scale, rounded half to even), stored transposed ([heads, head width, positions]) so the decoder's query
/// meets them as a matrix-vector product, plus 128 times the codes' sum (the decoder offsets its query codes by 128).
/// Values: the same per head and position (a scale and the codes), [heads, positions, head width].
/// Every operation is the float32 operation the graph does, in the same order, so both give the same bytes.
/// </remarks>
internal static class CrossQuantizer
{
    /// <summary>The smallest scale: a row of zeros gets codes of zero, not a division by zero.</summary>
    public const float Tiny = 1e-30f;

    /// <summary>The largest int8 code.</summary>
    public const float CodeRange = 127f;

    /// <summary>What the decoder adds to its signed query codes to make them unsigned.</summary>
    public const float QueryOffset = 128f;

    /// <summary>Quantizes one layer's keys of one window.</summary>
    /// <param name="keys">[positions, heads x head width], not yet multiplied by <paramref name="scale"/>.</param>
    /// <param name="scale">The attention scale the keys are multiplied by first (<see cref="FilledCacheDecoderGraph.AttentionScale"/>).</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="codes">[heads, head width, positions].</param>
    /// <param name="scales">[heads, positions].</param>
    /// <param name="sums">[heads, positions]: 128 times the sum of the key's codes.</param>
    public static void Keys(ReadOnlySpan<float> keys, float scale, int heads, Span<sbyte> codes, Span<float> scales, Span<float> sums)
    {
        var positions = scales.Length / heads;
        var headWidth = keys.Length / positions / heads;
        Span<float> row = stackalloc float[headWidth];
        Span<sbyte> rowCodes = stackalloc sbyte[headWidth];
        for (var head = 0; head < heads; head++)
        {
            for (var p = 0; p < positions; p++)
            {
                for (var i = 0; i < headWidth; i++)
                {
                    row[i] = keys[(((p * heads) + head) * headWidth) + i] * scale;
                }

                scales[(head * positions) + p] = QuantizeRow(row, rowCodes);
                var sum = 0f;
                for (var i = 0; i < headWidth; i++)
                {
                    sum += rowCodes[i];
                    codes[(((head * headWidth) + i) * positions) + p] = rowCodes[i];
                }

                sums[(head * positions) + p] = sum * QueryOffset;
            }
        }
    }

    /// <summary>Quantizes one layer's values of one window.</summary>
    /// <param name="values">[positions, heads x head width].</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="codes">[heads, positions, head width].</param>
    /// <param name="scales">[heads, positions].</param>
    public static void Values(ReadOnlySpan<float> values, int heads, Span<sbyte> codes, Span<float> scales)
    {
        var positions = scales.Length / heads;
        var headWidth = values.Length / positions / heads;
        for (var head = 0; head < heads; head++)
        {
            for (var p = 0; p < positions; p++)
            {
                var row = values.Slice(((p * heads) + head) * headWidth, headWidth);
                scales[(head * positions) + p] = QuantizeRow(row, codes.Slice(((head * positions) + p) * headWidth, headWidth));
            }
        }
    }

    /// <summary>One row's codes (value / scale, rounded half to even) and its scale (largest magnitude / 127), as QuantizeLinear computes them.</summary>
    private static float QuantizeRow(ReadOnlySpan<float> row, Span<sbyte> codes)
    {
        var largest = 0f;
        foreach (var value in row)
        {
            largest = MathF.Max(largest, MathF.Abs(value));
        }

        var step = MathF.Max(largest, Tiny) / CodeRange;
        for (var i = 0; i < row.Length; i++)
        {
            codes[i] = (sbyte)MathF.Round(row[i] / step);
        }

        return step;
    }
}
