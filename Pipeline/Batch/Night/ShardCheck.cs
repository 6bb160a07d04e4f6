using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Pipeline.Batch.Sharding;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>The shard files of one run, read and checked against each other.</summary>
internal sealed partial record ShardCheck(int Count, IReadOnlyList<ShardResult> Results, IReadOnlyList<string> Problems, IReadOnlyList<string> MissingCalls)
{
    public static ShardCheck Of(string output, string runId)
    {
        var folder = ShardResult.RunFolder(output, runId);
        var results = new List<ShardResult>();
        var problems = new List<string>();
        var files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "shard-*-of-*.json").Order(StringComparer.Ordinal).ToList() : [];
        foreach (var file in files)
        {
            try
            {
                var result = ShardResult.Read(file);
                var name = StemPattern().Match(Path.GetFileName(file));
                if (result.RunId != runId || !name.Success || name.Groups[1].Value != result.Shard.ToString(CultureInfo.InvariantCulture) || name.Groups[2].Value != result.ShardCount.ToString(CultureInfo.InvariantCulture))
                {
                    problems.Add($"{file} is not shard {name.Groups[1].Value}/{name.Groups[2].Value} of run {runId} (it says shard {result.Shard}/{result.ShardCount} of run {result.RunId}); left out");
                    continue;
                }

                results.Add(result);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add(ex.Message);
            }
        }

        var counts = results.Select(r => r.ShardCount).Distinct().ToList();
        if (counts.Count > 1)
        {
            problems.Add($"the shard results of run {runId} disagree on the number of shards ({string.Join(", ", counts)}): the run was started with different --shard counts");
            return new ShardCheck(0, results, problems, []);
        }

        if (results.Count == 0)
        {
            return new ShardCheck(0, results, problems, []);
        }

        var count = counts[0];
        var reference = results.OrderBy(r => r.Shard).First();
        foreach (var other in results.Where(r => r != reference))
        {
            if (other.PlanFingerprint != reference.PlanFingerprint || other.Model != reference.Model || !other.ScanArguments.SequenceEqual(reference.ScanArguments))
            {
                problems.Add($"shard {other.Shard}/{count} saw another night than shard {reference.Shard}/{count} (plan {other.PlanFingerprint} vs {reference.PlanFingerprint}, model {other.Model} vs {reference.Model}, arguments '{string.Join(' ', other.ScanArguments)}' vs '{string.Join(' ', reference.ScanArguments)}'): the input, the model or the options changed between shards; run shard {other.Shard} again");
            }
        }

        var missing = new List<string>();
        for (var number = 1; number <= count; number++)
        {
            var result = results.FirstOrDefault(r => r.Shard == number);
            var planned = reference.Plan.Where(p => p.Shard == number).ToList();
            if (result is null || result.Status != RunStatus.Complete)
            {
                problems.Add(result is null
                    ? $"shard {number}/{count} has no result (never started, or its folder is not this one)"
                    : $"shard {number}/{count} is {result.Status.ToString().ToLowerInvariant()} (started {result.StartedAt:yyyy-MM-dd HH:mm:ss zzz} on {result.Host}{(result.Status == RunStatus.Running ? "; killed, or still running" : "")})");
                missing.AddRange(planned.Select(p => $"{p.CallId} (shard {number}/{count})"));
                continue;
            }

            var done = result.Calls.Select(c => c.Job.CallId).Concat(result.Errors.Select(e => e.CallId ?? "")).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(planned.Where(p => !done.Contains(p.CallId)).Select(p => $"{p.CallId} (shard {number}/{count}: not done)"));
        }

        return new ShardCheck(count, results.OrderBy(r => r.Shard).ToList(), problems, missing);
    }

    [GeneratedRegex(@"^shard-([0-9]+)-of-([0-9]+)\.json$")]
    private static partial Regex StemPattern();
}
