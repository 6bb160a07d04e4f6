using System.Globalization;

namespace QualityScan.Pipeline.Batch.Sharding;

/// <summary>One shard of a night: shard <see cref="Number"/> of <see cref="Count"/>, numbered from 1 (<c>--shard 1/4</c> … <c>4/4</c>).</summary>
/// <param name="Number">1-based shard number.</param>
/// <param name="Count">How many shards the night is split into.</param>
public sealed record ShardSpec(int Number, int Count)
{
    /// <summary>Most shards a night may be split into.</summary>
    public const int MaxCount = 10_000;

    /// <summary>Parses <c>K/N</c> (1 ≤ K ≤ N).</summary>
    /// <exception cref="FormatException">Anything else; the message says what is expected.</exception>
    public static ShardSpec Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return Create(number, count, source);
        }

        throw new FormatException($"{source}: expected K/N with shards numbered from 1, e.g. 1/4 ... 4/4 (got '{text}')");
    }

    /// <summary>Checks the range: 1 ≤ <paramref name="number"/> ≤ <paramref name="count"/> ≤ <see cref="MaxCount"/>.</summary>
    /// <exception cref="FormatException">Out of range, naming <paramref name="source"/>.</exception>
    public static ShardSpec Create(int number, int count, string source) =>
        count is < 1 or > MaxCount ? throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: the shard count must be 1-{MaxCount} (got {count})"))
        : number < 1 || number > count ? throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: shard {number} is outside 1-{count} (shards are numbered from 1)"))
        : new ShardSpec(number, count);

    /// <summary>The shard's file name stem in the run's folder: <c>shard-3-of-4</c>.</summary>
    public string Stem => string.Create(CultureInfo.InvariantCulture, $"shard-{Number}-of-{Count}");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Number}/{Count}");
}
