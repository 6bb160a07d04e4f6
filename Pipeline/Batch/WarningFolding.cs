using System.Globalization;

namespace QualityScan.Pipeline.Batch;

/// <summary>
/// Folds repeated warnings: the first few of each kind are kept as they are, the rest become one line with their count,
/// so a manifest of 50,000 bad rows gives a readable log instead of an 8 MB one (errors.csv still lists every recording).
/// </summary>
/// <remarks>Two warnings are of one kind when they say the same after their first <c>": "</c> (the file or line they name).</remarks>
public static class WarningFolding
{
    /// <summary>Warnings of one kind kept word for word before the rest are counted: 20.</summary>
    public const int FirstOfEachKind = 20;

    /// <summary><paramref name="warnings"/> in their order, each kind cut after <paramref name="first"/> and followed by one line counting the rest.</summary>
    public static IReadOnlyList<string> Fold(IEnumerable<string> warnings, int first = FirstOfEachKind)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var warning in warnings)
        {
            var kind = KindOf(warning);
            var count = seen[kind] = seen.GetValueOrDefault(kind) + 1;
            if (count <= first)
            {
                kept.Add(warning);
            }
        }

        foreach (var (kind, count) in seen.Where(k => k.Value > first))
        {
            kept.Add(string.Create(CultureInfo.InvariantCulture, $"... and {count - first} more like this: {kind}"));
        }

        return kept;
    }

    /// <summary>The warning without the file or line it names first.</summary>
    public static string KindOf(string warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var colon = warning.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? warning : warning[(colon + 2)..];
    }
}
