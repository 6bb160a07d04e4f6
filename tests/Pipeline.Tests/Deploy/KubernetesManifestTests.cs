using System.Globalization;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Batch;
using QualityScan.Speech.Transcription;
using YamlDotNet.RepresentationModel;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Deploy;

/// <summary>
/// <c>deploy/kubernetes/</c> against the Job schema fields the project relies on, and its environment contract run through
/// <see cref="ShardEnvironment"/>, the code path the Slurm script (<c>scripts/slurm-test.sh</c>) exercises on a real Slurm.
/// </summary>
[TestFixture]
[Category("deploy")]
public sealed class KubernetesManifestTests
{
    private static string Deploy => Path.Combine(Path.GetDirectoryName(RepositoryPaths.SampleAudio)!, "deploy");

    [Test]
    public void ShardsJob_IndexedJobOfTheBatchApi()
    {
        var job = Load("qualityscan-shards.yaml");
        var spec = Map(job, "spec");

        Assert.That(Text(job, "apiVersion"), Is.EqualTo("batch/v1"));
        Assert.That(Text(job, "kind"), Is.EqualTo("Job"));
        Assert.That(Text(spec, "completionMode"), Is.EqualTo("Indexed"), "JOB_COMPLETION_INDEX is only set in Indexed mode");
        Assert.That(Int(spec, "completions"), Is.GreaterThan(1));
        Assert.That(Int(spec, "parallelism"), Is.InRange(1, Int(spec, "completions")));
        Assert.That(Text(Map(Map(spec, "template"), "spec"), "restartPolicy"), Is.EqualTo("Never"), "a Job's pods restart Never or OnFailure; Never keeps a failed shard's log");
    }

    [Test]
    public void ShardsJob_EnvironmentContract_EveryIndexIsOneShardOfOneRun()
    {
        var job = Load("qualityscan-shards.yaml");
        var completions = Int(Map(job, "spec"), "completions");
        var container = Container(job);
        var env = Env(container);
        var jobName = Text(Map(job, "metadata"), "name");

        Assert.That(env, Does.ContainKey(ShardEnvironment.ShardCountVariable));
        Assert.That(int.Parse(Text(env[ShardEnvironment.ShardCountVariable], "value"), CultureInfo.InvariantCulture), Is.EqualTo(completions), "shard count = completions");
        Assert.That(Text(Map(Map(env[ShardEnvironment.RunIdVariable], "valueFrom"), "fieldRef"), "fieldPath"),
            Is.EqualTo("metadata.labels['batch.kubernetes.io/job-name']"), "the run id is the Job's name, the same in every pod");

        // What Kubernetes gives each pod, through the same mapping the scan uses.
        var shards = Enumerable.Range(0, completions).Select(index => ShardEnvironment.Resolve(null, null, new Dictionary<string, string>
        {
            [ShardEnvironment.KubernetesIndexVariable] = index.ToString(CultureInfo.InvariantCulture),
            [ShardEnvironment.ShardCountVariable] = Text(env[ShardEnvironment.ShardCountVariable], "value"),
            [ShardEnvironment.RunIdVariable] = jobName,
        })!).ToList();
        Assert.That(shards.Select(s => s.Shard.Number), Is.EqualTo(Enumerable.Range(1, completions)), "index i is shard i+1");
        Assert.That(shards.Select(s => s.Shard.Count).Distinct(), Is.EqualTo(new[] { completions }));
        Assert.That(shards.Select(s => s.RunId).Distinct(), Is.EqualTo(new[] { jobName }));

        // The Slurm array of deploy/slurm maps onto the same shards.
        var array = File.ReadAllLines(Path.Combine(Deploy, "slurm", "qualityscan-shards.sbatch")).Single(l => l.StartsWith("#SBATCH --array=", StringComparison.Ordinal));
        var range = array["#SBATCH --array=".Length..].Split('-').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var slurm = Enumerable.Range(range[0], range[1] - range[0] + 1).Select(task => ShardEnvironment.Resolve(null, null, new Dictionary<string, string>
        {
            [ShardEnvironment.SlurmTaskIdVariable] = task.ToString(CultureInfo.InvariantCulture),
            [ShardEnvironment.SlurmTaskMinVariable] = range[0].ToString(CultureInfo.InvariantCulture),
            [ShardEnvironment.SlurmTaskCountVariable] = (range[1] - range[0] + 1).ToString(CultureInfo.InvariantCulture),
            [ShardEnvironment.SlurmArrayJobIdVariable] = "4711",
        })!).ToList();
        Assert.That(slurm.Select(s => s.Shard), Is.EqualTo(shards.Select(s => s.Shard)), "the Slurm array and the Indexed Job split a night alike");
        Assert.That(slurm.Select(s => s.RunId).Distinct(), Is.EqualTo(new[] { "slurm-4711" }));
    }

    [Test]
    public void ShardsJob_CommandIsAScanTheProgramAccepts_WorkersFitTheRequests()
    {
        var job = Load("qualityscan-shards.yaml");
        var container = Container(job);
        var command = Sequence(container, "command");
        Assert.That(command[1], Is.EqualTo("scan"));
        var parsed = CommandArguments.Parse(command.Skip(2).ToList(), new ScanCommand().Spec);
        Assert.That(parsed.Value("shard"), Is.Null, "the shard comes from the environment, not a fixed option");
        Assert.That(parsed.Value("out"), Is.Not.Null);

        var requests = Map(Map(container, "resources"), "requests");
        var workers = parsed.Int("workers", 0, 1, 64);
        Assert.That(workers * 2, Is.EqualTo(int.Parse(Text(requests, "cpu"), CultureInfo.InvariantCulture)), "one worker per 2 requested CPUs, the measured default for real model sizes");

        // The model's own figures (as `qualityscan models info` prints them): int8 weights ~1 byte per parameter, plus per worker.
        var model = ModelCatalog.Models.Single(m => parsed.Value("model")!.EndsWith(m.FolderName, StringComparison.Ordinal));
        var needed = (model.Parameters * 1e6) + (workers * model.PerWorkerBytes);
        Assert.That(Bytes(Text(requests, "memory")), Is.GreaterThanOrEqualTo(needed), $"memory request covers {model.Name}'s weights and {workers} worker(s)");
        Assert.That(Bytes(Text(Map(Map(container, "resources"), "limits"), "memory")), Is.GreaterThanOrEqualTo(Bytes(Text(requests, "memory"))));

        // Recordings and output on shared volumes, at the same paths as the report step.
        var mounts = Mounts(container);
        var outRoot = NightFolder.Root(parsed.Value("out")!);
        Assert.That(NightFolder.IsPattern(parsed.Value("out")!), Is.True, "each night's reports in their own folder (--out /out/{date})");
        Assert.That(mounts, Does.ContainKey(parsed.Positionals[0]).And.ContainKey(outRoot));
        var report = Container(Load("qualityscan-report.yaml"));
        Assert.That(Mounts(report)[outRoot], Is.EqualTo(mounts[outRoot]), "the report reads the shards' output volume");
        Assert.That(Mounts(report)[parsed.Positionals[0]], Is.EqualTo(mounts[parsed.Positionals[0]]), "and the recordings, for the coach clips");
    }

    [Test]
    public void ReportJob_ReportsTheShardsRun()
    {
        var shards = Load("qualityscan-shards.yaml");
        var job = Load("qualityscan-report.yaml");
        var container = Container(job);
        var command = Sequence(container, "command");

        Assert.That(Text(job, "apiVersion"), Is.EqualTo("batch/v1"));
        Assert.That(Text(job, "kind"), Is.EqualTo("Job"));
        Assert.That(command[1], Is.EqualTo("report"));
        Assert.That(CommandArguments.Parse(command.Skip(2).ToList(), new ReportCommand().Spec).Positionals, Has.Count.EqualTo(1));
        Assert.That(command[2], Is.EqualTo(CommandArguments.Parse(Sequence(Container(shards), "command").Skip(2).ToList(), new ScanCommand().Spec).Value("out")));
        var runId = Text(Env(container)[ShardEnvironment.RunIdVariable], "value");
        Assert.That(ShardEnvironment.ResolveRunId(null, new Dictionary<string, string> { [ShardEnvironment.RunIdVariable] = runId }), Is.EqualTo(Text(Map(shards, "metadata"), "name")),
            "the report's run id is the shards Job's name (run-night.sh renames both per night)");
    }

    [Test]
    public void RunNight_NamesBothJobsAfterTheNight_ReportFollowsTheShardsRunId()
    {
        // run-night.sh against a stand-in kubectl that keeps what is applied and answers every wait at once.
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("run-night.sh is a bash script");
        }

        var bin = Directory.CreateTempSubdirectory("qs-kubectl-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(bin, "kubectl"), $"#!/bin/sh\nif [ \"$1\" = apply ]; then n=$(ls {bin}/applied-* 2>/dev/null | wc -l); cat > {bin}/applied-$n.yaml; fi\nexit 0\n");
            using (var chmod = System.Diagnostics.Process.Start("chmod", ["+x", Path.Combine(bin, "kubectl")]))
            {
                chmod.WaitForExit();
            }

            var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(Deploy, "kubernetes", "run-night.sh"), "20261130"]) { RedirectStandardError = true, UseShellExecute = false };
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = System.Diagnostics.Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.EqualTo(0), error);

            var shards = Parse(Path.Combine(bin, "applied-0.yaml"));
            var report = Parse(Path.Combine(bin, "applied-1.yaml"));
            Assert.That(Text(Map(shards, "metadata"), "name"), Is.EqualTo("qualityscan-shards-20261130"));
            Assert.That(Text(Map(report, "metadata"), "name"), Is.EqualTo("qualityscan-report-20261130"));
            Assert.That(Text(Env(Container(report))[ShardEnvironment.RunIdVariable], "value"), Is.EqualTo("qualityscan-shards-20261130"), "the report reads tonight's shards");
            var scan = CommandArguments.Parse(Sequence(Container(shards), "command").Skip(2).ToList(), new ScanCommand().Spec);
            Assert.That(scan.Value("date"), Is.EqualTo("2026-11-30"), "the shards scan the night run-night.sh was given, not yesterday");
            var reportArgs = CommandArguments.Parse(Sequence(Container(report), "command").Skip(2).ToList(), new ReportCommand().Spec);
            Assert.That(reportArgs.Value("date"), Is.EqualTo("2026-11-30"), "and the report reports that night's folder");
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static YamlMappingNode Load(string file) => Parse(Path.Combine(Deploy, "kubernetes", file));

    private static YamlMappingNode Parse(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        Assert.That(stream.Documents, Has.Count.EqualTo(1), $"{file}: one document");
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Container(YamlMappingNode job)
    {
        var containers = (YamlSequenceNode)Map(Map(Map(job, "spec"), "template"), "spec").Children[new YamlScalarNode("containers")];
        Assert.That(containers.Children, Has.Count.EqualTo(1));
        return (YamlMappingNode)containers.Children[0];
    }

    private static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container.Children[new YamlScalarNode("env")]).Children.Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"), e => e);

    private static Dictionary<string, string> Mounts(YamlMappingNode container) =>
        ((YamlSequenceNode)container.Children[new YamlScalarNode("volumeMounts")]).Children.Cast<YamlMappingNode>().ToDictionary(m => Text(m, "mountPath"), m => Text(m, "name"));

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map ? map : throw new AssertionException($"no mapping '{key}'");

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode { Value: { } value } ? value : throw new AssertionException($"no scalar '{key}'");

    private static int Int(YamlMappingNode node, string key) => int.Parse(Text(node, key), CultureInfo.InvariantCulture);

    /// <summary>A Kubernetes quantity (<c>2304Mi</c>, <c>3Gi</c>, <c>2G</c>) in bytes.</summary>
    private static double Bytes(string quantity)
    {
        var units = new Dictionary<string, double> { ["Ki"] = 1024, ["Mi"] = 1024 * 1024, ["Gi"] = 1024d * 1024 * 1024, ["K"] = 1e3, ["M"] = 1e6, ["G"] = 1e9, [""] = 1 };
        var unit = units.Keys.OrderByDescending(u => u.Length).First(u => quantity.EndsWith(u, StringComparison.Ordinal));
        return double.Parse(quantity[..^unit.Length], CultureInfo.InvariantCulture) * units[unit];
    }
}
