using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QualityScan.Pipeline.Batch.Sharding;

/// <summary>One call's place in the night's partition.</summary>
/// <param name="Job">The call.</param>
/// <param name="Shard">The 1-based shard that transcribes it.</param>
/// <param name="Seconds">The audio duration the balance used (from the WAV header, else estimated from the file size).</param>
public sealed record ShardPlacement(CallJob Job, int Shard, double Seconds);

/// <summary>The night's calls split over shards; every shard computes the same plan from the same input.</summary>
/// <param name="Count">Number of shards.</param>
/// <param name="Placements">Every call of the night with its shard, in call-id order.</param>
/// <param name="Fingerprint">SHA-256 over the calls and their shards: shards that saw different inputs have different fingerprints.</param>
public sealed record ShardPlan(int Count, IReadOnlyList<ShardPlacement> Placements, string Fingerprint)
{
    /// <summary>The calls of shard <paramref name="number"/>.</summary>
    public IReadOnlyList<CallJob> JobsOf(int number) => Placements.Where(p => p.Shard == number).Select(p => p.Job).ToList();

    /// <summary>Audio seconds per shard (index 0 = shard 1), for the log.</summary>
    public IReadOnlyList<double> SecondsPerShard() =>
        Enumerable.Range(1, Count).Select(n => Placements.Where(p => p.Shard == n).Sum(p => p.Seconds)).ToList();
}

/// <summary>
/// Splits a night's calls into shards: deterministic (a stable SHA-256 of the call id orders equal calls, never
/// <c>string.GetHashCode</c>, which differs per process) and balanced by audio duration (greedy, longest call first, each
/// to the shard with the least audio so far).
/// </summary>
/// <remarks>
/// Durations come from the WAV header (data size ÷ byte rate, reading 64 KB at most); other formats are estimated
/// from the file size at <see cref="EstimatedBytesPerSecond"/>. Every shard reads the same files on the shared
/// storage, so every shard computes the same plan; the <see cref="ShardPlan.Fingerprint"/> lets <c>report</c> check that.
/// </remarks>
public static class ShardPlanner
{
    /// <summary>Bytes per second assumed for compressed recordings (128 kbit/s), whose header is not read.</summary>
    public const double EstimatedBytesPerSecond = 16_000;

    /// <summary>Plans <paramref name="jobs"/> over <paramref name="count"/> shards.</summary>
    public static ShardPlan Plan(IReadOnlyList<CallJob> jobs, int count)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var weighed = jobs.Select(j => (Job: j, Seconds: Seconds(j.AudioPath), Hash: StableHash(j.CallId + "\n" + j.RelativePath))).ToList();
        var load = new double[count];
        var placements = new List<ShardPlacement>(jobs.Count);
        foreach (var (job, seconds, _) in weighed
                     .OrderByDescending(w => w.Seconds)
                     .ThenBy(w => w.Hash)
                     .ThenBy(w => w.Job.CallId, StringComparer.Ordinal)
                     .ThenBy(w => w.Job.RelativePath, StringComparer.Ordinal))
        {
            var least = 0;
            for (var i = 1; i < count; i++)
            {
                least = load[i] < load[least] ? i : least;
            }

            load[least] += seconds;
            placements.Add(new ShardPlacement(job, least + 1, seconds));
        }

        placements.Sort((a, b) => string.CompareOrdinal(a.Job.CallId, b.Job.CallId) is var c && c != 0 ? c : string.CompareOrdinal(a.Job.RelativePath, b.Job.RelativePath));
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{count}\n");
        foreach (var p in placements)
        {
            text.Append(CultureInfo.InvariantCulture, $"{p.Job.CallId}\t{p.Job.RelativePath}\t{p.Shard}\n");
        }

        return new ShardPlan(count, placements, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16]);
    }

    /// <summary>A hash of <paramref name="text"/> that is the same in every process and on every machine.</summary>
    public static ulong StableHash(string text) => BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The recording's duration from its WAV header, else estimated from its size; 0 when it cannot be read (it fails in its shard, as in a scan).</summary>
    public static double Seconds(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            return WavSeconds(stream) ?? stream.Length / EstimatedBytesPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static double? WavSeconds(FileStream stream)
    {
        Span<byte> header = stackalloc byte[12];
        if (stream.Read(header) != 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }

        Span<byte> chunk = stackalloc byte[8];
        Span<byte> format = stackalloc byte[16];
        uint byteRate = 0;
        while (stream.Position < Math.Min(stream.Length, 1 << 16) && stream.Read(chunk) == 8)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("fmt "u8) && size >= 16 && stream.Read(format) == 16)
            {
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format[8..12]);
                stream.Seek(size - 16 + (size & 1), SeekOrigin.Current);
            }
            else if (chunk[..4].SequenceEqual("data"u8))
            {
                var data = Math.Min(size is 0 or uint.MaxValue ? long.MaxValue : size, stream.Length - stream.Position);
                return byteRate > 0 ? data / (double)byteRate : null;
            }
            else
            {
                stream.Seek(size + (size & 1), SeekOrigin.Current);
            }
        }

        return null;
    }
}
