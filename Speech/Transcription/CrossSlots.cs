namespace QualityScan.Speech.Transcription;

/// <summary>
/// Puts a batch's cross-attention keys or values from the order the encoder writes them in (window after window:
/// slot item x layers + layer) into the order the decoder reads them in (layer after layer: slot layer x batch + item),
/// inside the one buffer, so that no window is held twice.
/// </summary>
internal static class CrossSlots
{
    /// <summary>
    /// How many windows of the batch are stored once window <paramref name="item"/> is, after <paramref name="stored"/>
    /// before it: a batch's windows are stored in order, 0 first (window 0 starts a new batch).
    /// </summary>
    /// <exception cref="InvalidOperationException">The window is out of order.</exception>
    public static int StoredAfter(int stored, int item)
    {
        stored = item == 0 ? 0 : stored;
        if (item != stored)
        {
            throw new InvalidOperationException($"Window {item} was stored after {stored} window(s): the windows of a batch are stored in order.");
        }

        return item + 1;
    }

    /// <summary>Writes one slot's content, transformed as the backend needs, into another slot.</summary>
    public delegate void Move(ReadOnlySpan<float> source, Span<float> target);

    /// <summary>
    /// Reorders the first <paramref name="batch"/> x <paramref name="layers"/> slots of <paramref name="buffer"/>,
    /// each <paramref name="slotLength"/> values, passing every slot through <paramref name="move"/> exactly once:
    /// each cycle of the permutation is followed backwards with its first slot kept in <paramref name="scratch"/>
    /// (one slot long), so every slot is read before it is overwritten.
    /// </summary>
    public static void ToLayerOrder(float[] buffer, int batch, int layers, int slotLength, float[] scratch, Move move)
    {
        var count = batch * layers;
        var placed = new bool[count];
        for (var start = 0; start < count; start++)
        {
            if (placed[start])
            {
                continue;
            }

            Slot(buffer, start, slotLength).CopyTo(scratch);
            var at = start;
            while (true)
            {
                // Slot 'at' (layer at / batch, item at % batch) receives what the encoder wrote at item x layers + layer.
                var from = ((at % batch) * layers) + (at / batch);
                placed[at] = true;
                if (from == start)
                {
                    move(scratch.AsSpan(0, slotLength), Slot(buffer, at, slotLength));
                    break;
                }

                move(Slot(buffer, from, slotLength), Slot(buffer, at, slotLength));
                at = from;
            }
        }
    }

    private static Span<float> Slot(float[] buffer, int slot, int slotLength) => buffer.AsSpan(slot * slotLength, slotLength);
}
