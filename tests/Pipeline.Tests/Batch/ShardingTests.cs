using System.Globalization;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Speech.Tests.Audio;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>The shard plan and the mapping of scheduler environments onto <c>--shard K/N</c>.</summary>
[TestFixture]
public sealed class ShardingTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("qs-plan-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Plan_ShuffledInput_SamePlanEveryCallOnce()
    {
        var jobs = Recordings(Enumerable.Range(1, 23).Select(i => (i % 7) + 1.5).ToArray());

        var plan = ShardPlanner.Plan(jobs, 4);
        var shuffled = ShardPlanner.Plan(jobs.OrderBy(j => ShardPlanner.StableHash("x" + j.CallId)).ToList(), 4);

        Assert.That(shuffled.Fingerprint, Is.EqualTo(plan.Fingerprint));
        Assert.That(shuffled.Placements.Select(p => (p.Job.CallId, p.Shard)), Is.EqualTo(plan.Placements.Select(p => (p.Job.CallId, p.Shard))));
        Assert.That(Enumerable.Range(1, 4).SelectMany(plan.JobsOf).Select(j => j.CallId).Order(), Is.EqualTo(jobs.Select(j => j.CallId).Order()), "every call in exactly one shard");
    }

    [Test]
    public void Plan_UnevenDurations_BalancedByAudioNotByCount()
    {
        // One 60-s call and twelve 5-s calls over 2 shards: by count 7 + 6 calls; by duration the long call stands alone.
        var jobs = Recordings([60, .. Enumerable.Repeat(5.0, 12)]);

        var plan = ShardPlanner.Plan(jobs, 2);
        var seconds = plan.SecondsPerShard();

        Assert.That(seconds.Order(), Is.EqualTo(new[] { 60.0, 60.0 }).Within(0.01), "durations read from the WAV headers, split evenly");
        Assert.That(plan.Placements.Single(p => p.Job.CallId == "call00").Seconds, Is.EqualTo(60).Within(0.01));
    }

    [Test]
    public void Plan_DifferentInput_DifferentFingerprint()
    {
        var jobs = Recordings([3, 4, 5]);

        Assert.That(ShardPlanner.Plan(jobs.Take(2).ToList(), 2).Fingerprint, Is.Not.EqualTo(ShardPlanner.Plan(jobs, 2).Fingerprint));
        Assert.That(ShardPlanner.Plan(jobs, 3).Fingerprint, Is.Not.EqualTo(ShardPlanner.Plan(jobs, 2).Fingerprint));
    }

    [TestCase("1", "4", "1", "1/4")]
    [TestCase("0", "4", "0", "1/4")]
    [TestCase("4", "4", "1", "4/4")]
    [TestCase("3", "4", "0", "4/4")]
    [TestCase("7", "3", "5", "3/3")]
    public void Resolve_SlurmArray_IndexFromTheArraysMinimum(string task, string count, string min, string expected)
    {
        var env = new Dictionary<string, string>
        {
            [ShardEnvironment.SlurmTaskIdVariable] = task,
            [ShardEnvironment.SlurmTaskCountVariable] = count,
            [ShardEnvironment.SlurmTaskMinVariable] = min,
            [ShardEnvironment.SlurmArrayJobIdVariable] = "812",
        };

        var shard = ShardEnvironment.Resolve(null, null, env)!;

        Assert.That(shard.Shard.ToString(), Is.EqualTo(expected));
        Assert.That(shard.RunId, Is.EqualTo("slurm-812"));
    }

    [Test]
    public void Resolve_SlurmArrayWithStep_EveryTaskItsOwnShard()
    {
        var shards = new[] { 0, 2, 4, 6 }.Select(task => ShardEnvironment.Resolve(null, null, new Dictionary<string, string>
        {
            [ShardEnvironment.SlurmTaskIdVariable] = task.ToString(CultureInfo.InvariantCulture),
            [ShardEnvironment.SlurmTaskMinVariable] = "0",
            [ShardEnvironment.SlurmTaskStepVariable] = "2",
            [ShardEnvironment.SlurmTaskCountVariable] = "4",
            [ShardEnvironment.SlurmArrayJobIdVariable] = "9",
        })!.Shard.ToString());

        Assert.That(shards, Is.EqualTo(new[] { "1/4", "2/4", "3/4", "4/4" }));
    }

    [Test]
    public void Resolve_KubernetesIndex_ZeroBasedIndexIsShardOne()
    {
        var shard = ShardEnvironment.Resolve(null, null, new Dictionary<string, string>
        {
            [ShardEnvironment.KubernetesIndexVariable] = "0",
            [ShardEnvironment.ShardCountVariable] = "8",
            [ShardEnvironment.RunIdVariable] = "qualityscan-shards-20261130",
        })!;

        Assert.That(shard.Shard, Is.EqualTo(new ShardSpec(1, 8)));
        Assert.That(shard.RunId, Is.EqualTo("qualityscan-shards-20261130"));
    }

    [Test]
    public void Resolve_OptionOverSchedulerEnvironment_ReRunOfOneShard()
    {
        // Re-running shard 3 of 8 as a one-task array (--array=0): the option wins, the run id is the night's.
        var shard = ShardEnvironment.Resolve("3/8", null, new Dictionary<string, string>
        {
            [ShardEnvironment.SlurmTaskIdVariable] = "0",
            [ShardEnvironment.SlurmTaskCountVariable] = "1",
            [ShardEnvironment.SlurmArrayJobIdVariable] = "990",
            [ShardEnvironment.RunIdVariable] = "slurm-812",
        })!;

        Assert.That(shard.Shard, Is.EqualTo(new ShardSpec(3, 8)));
        Assert.That(shard.RunId, Is.EqualTo("slurm-812"), "QUALITYSCAN_RUN_ID wins over the new array's job id");
    }

    [Test]
    public void Resolve_NothingSet_NoShard() =>
        Assert.That(ShardEnvironment.Resolve(null, null, new Dictionary<string, string>()), Is.Null);

    [TestCase("0/4", null, "outside 1-4")]
    [TestCase("5/4", null, "outside 1-4")]
    [TestCase("1-4", null, "expected K/N")]
    [TestCase("1/4", null, "needs a run id")]
    [TestCase("1/4", "../x", "run id")]
    public void Resolve_BadValues_SayWhatIsWrong(string shard, string? runId, string message) =>
        Assert.That(() => ShardEnvironment.Resolve(shard, runId, new Dictionary<string, string>()), Throws.TypeOf<FormatException>().With.Message.Contains(message));

    [Test]
    public void Resolve_SlurmTaskWithoutMinimum_NamesTheVariable() =>
        Assert.That(() => ShardEnvironment.Resolve(null, null, new Dictionary<string, string> { [ShardEnvironment.SlurmTaskIdVariable] = "2", [ShardEnvironment.SlurmTaskCountVariable] = "4", [ShardEnvironment.SlurmArrayJobIdVariable] = "1" }),
            Throws.TypeOf<FormatException>().With.Message.Contains(ShardEnvironment.SlurmTaskMinVariable));

    [Test]
    public void Resolve_KubernetesIndexWithoutCount_NamesTheVariable() =>
        Assert.That(() => ShardEnvironment.Resolve(null, null, new Dictionary<string, string> { [ShardEnvironment.KubernetesIndexVariable] = "2", [ShardEnvironment.RunIdVariable] = "r" }),
            Throws.TypeOf<FormatException>().With.Message.Contains(ShardEnvironment.ShardCountVariable));

    private List<CallJob> Recordings(IReadOnlyList<double> seconds)
    {
        var jobs = new List<CallJob>();
        for (var i = 0; i < seconds.Count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"call{i:00}");
            var path = Path.Combine(_folder, id + ".wav");
            File.WriteAllBytes(path, WavBuilder.Pcm16(8000, new float[(int)(seconds[i] * 8000)], new float[(int)(seconds[i] * 8000)]));
            jobs.Add(CallJob.ForFile(path, id + ".wav", "agent"));
        }

        return jobs;
    }
}
