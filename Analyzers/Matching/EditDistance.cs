namespace QualityScan.Analyzers.Matching;

/// <summary>Optimal-string-alignment (restricted Damerau-Levenshtein) distance with an upper bound.</summary>
/// <remarks>Insertions, deletions, substitutions and swaps of two neighbouring letters each cost one edit.</remarks>
public static class EditDistance
{
    /// <summary>True when <paramref name="a"/> can be turned into <paramref name="b"/> with at most <paramref name="maxEdits"/> edits.</summary>
    public static bool IsWithin(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int maxEdits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEdits);
        if (Math.Abs(a.Length - b.Length) > maxEdits)
        {
            return false;
        }

        if (maxEdits == 0 || a.SequenceEqual(b))
        {
            return a.SequenceEqual(b);
        }

        return Distance(a, b, maxEdits) <= maxEdits;
    }

    /// <summary>The distance between <paramref name="a"/> and <paramref name="b"/>, or any value above <paramref name="cutoff"/> once it is certain to exceed it.</summary>
    public static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int cutoff = int.MaxValue)
    {
        var width = b.Length + 1;
        Span<int> rows = a.Length < 60 && b.Length < 60 ? stackalloc int[3 * width] : new int[3 * width];
        var previous2 = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(2 * width, width);

        for (var j = 0; j < width; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = current[0];
            for (var j = 1; j < width; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > cutoff)
            {
                return rowMinimum;
            }

            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }

        return previous[b.Length];
    }
}
