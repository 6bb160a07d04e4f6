using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Batch;
using QualityScan.Speech.Transcription;
using YamlDotNet.RepresentationModel;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Deploy;

/// <summary>
/// The nightly CronJob and the sizing the deploy files and the README state, against the program's own figures
/// (<see cref="ModelCatalog"/>, <see cref="ModelMemory"/>): one sizing truth.
/// </summary>
[TestFixture]
[Category("deploy")]
public sealed partial class NightlyDeployTests
{
    private static string Root => Path.GetDirectoryName(RepositoryPaths.SampleAudio)!;

    private static string Deploy => Path.Combine(Root, "deploy");

    [Test]
    public void CronJob_StartsLastNightsScanIntoItsOwnFolder_SizedFromTheModelsFigures()
    {
        var cron = Parse(Path.Combine(Deploy, "kubernetes", "qualityscan-nightly-cronjob.yaml"));
        var spec = Map(cron, "spec");
        Assert.That(Text(cron, "apiVersion"), Is.EqualTo("batch/v1"));
        Assert.That(Text(cron, "kind"), Is.EqualTo("CronJob"));
        Assert.That(Text(spec, "schedule").Split(' '), Has.Length.EqualTo(5), "a five-field cron schedule");
        Assert.That(Text(spec, "timeZone"), Is.EqualTo("Europe/Warsaw"), "the night starts at local midnight, whatever the cluster's zone");
        Assert.That(Text(spec, "concurrencyPolicy"), Is.EqualTo("Forbid"), "never two nights at once into one history");
        var podSpec = Map(Map(Map(Map(spec, "jobTemplate"), "spec"), "template"), "spec");
        Assert.That(Text(podSpec, "restartPolicy"), Is.EqualTo("Never"));
        var container = (YamlMappingNode)((YamlSequenceNode)podSpec.Children[new YamlScalarNode("containers")]).Children.Single();
        var command = ((YamlSequenceNode)container.Children[new YamlScalarNode("command")]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        Assert.That(command[1], Is.EqualTo("scan"));
        var parsed = CommandArguments.Parse(command.Skip(2).ToList(), new ScanCommand().Spec);
        Assert.That(parsed.Value("date"), Is.EqualTo("yesterday"));
        Assert.That(NightFolder.IsPattern(parsed.Value("out")!), Is.True, "each night in its own folder, latest beside them");

        var mounts = ((YamlSequenceNode)container.Children[new YamlScalarNode("volumeMounts")]).Children.Cast<YamlMappingNode>().Select(m => Text(m, "mountPath")).ToList();
        Assert.That(mounts, Does.Contain(NightFolder.Root(parsed.Value("out")!)).And.Contain(parsed.Positionals[0]));
        var resources = Map(container, "resources");
        var workers = parsed.Int("workers", 0, 1, 64);
        Assert.That(workers * 2, Is.EqualTo(int.Parse(Text(Map(resources, "requests"), "cpu"), CultureInfo.InvariantCulture)), "one worker per 2 requested CPUs");
        var model = ModelCatalog.Models.Single(m => parsed.Value("model")!.EndsWith(m.FolderName, StringComparison.Ordinal));
        Assert.That(Bytes(Text(Map(resources, "requests"), "memory")), Is.GreaterThanOrEqualTo(model.MemoryFor(workers)), $"{model.Name}: weights + {workers} worker(s) + room");
    }

    [Test]
    public void Slurm_ShardsScript_OneWorkerPer2CpusAndMemoryForThem()
    {
        var script = File.ReadAllLines(Path.Combine(Deploy, "slurm", "qualityscan-shards.sbatch"));
        var cpus = int.Parse(script.Single(l => l.StartsWith("#SBATCH --cpus-per-task=", StringComparison.Ordinal)).Split('=')[1], CultureInfo.InvariantCulture);
        var mem = script.Single(l => l.StartsWith("#SBATCH --mem=", StringComparison.Ordinal)).Split('=')[1];
        Assert.That(script, Has.Some.Contains("workers=$(( ${SLURM_CPUS_PER_TASK:-2} / 2 ))"), "the measured default: one worker per 2 cores");
        Assert.That(script, Has.Some.Contains("--workers \"$workers\""));
        var small = ModelCatalog.Find("small")!;
        Assert.That(Bytes(mem), Is.GreaterThanOrEqualTo(small.MemoryFor(Math.Max(1, cpus / 2))), "--mem covers small's weights and its workers");
        var comment = string.Join('\n', script.Where(l => l.StartsWith('#')));
        Assert.That(comment, Does.Contain(ModelMemory.Gb(small.PerWorkerBytes) + " per worker").And.Contain(ModelMemory.Gb(small.Int8WeightBytes)), "the comment quotes the program's figures");
    }

    [Test]
    public void Readme_ModelTable_MemoryPerWorkerIsTheProgramsFigure()
    {
        var rows = File.ReadAllLines(Path.Combine(Root, "docs", "models.md")).Select(l => ModelRow().Match(l)).Where(m => m.Success).ToList();

        Assert.That(rows.Select(r => r.Groups[1].Value), Is.EqualTo(ModelCatalog.Models.Select(m => m.Name)), "one row per catalog model in the models guide");
        foreach (var row in rows)
        {
            Assert.That(row.Groups[2].Value, Is.EqualTo(ModelMemory.Gb(ModelCatalog.Find(row.Groups[1].Value)!.PerWorkerBytes)), $"{row.Groups[1].Value}: what `models list` prints");
        }
    }

    [Test]
    public void ScanHelp_Workers_SaysOnePer2CoresAtRealSizes()
    {
        var workers = new ScanCommand().Spec.Options.Single(o => o.Name == "workers");
        Assert.That(workers.Default, Does.Contain("one per 2 cores"));
        var plan = new ModelMemory(ModelCatalog.Find("small")!.Int8WeightBytes, ModelCatalog.Find("small")!.PerWorkerBytes).DefaultWorkers(cores: 8, availableBytes: 64L << 30, threadsPerWorker: 2);
        Assert.That(plan.Workers, Is.EqualTo(4), "8 cores, small: the scan plans 4 workers, as the help says");
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \| \d+ M \| ([0-9.]+ GB) \|")]
    private static partial Regex ModelRow();

    private static YamlMappingNode Parse(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map ? map : throw new AssertionException($"no mapping '{key}'");

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode { Value: { } value } ? value : throw new AssertionException($"no scalar '{key}'");

    /// <summary>A Kubernetes or Slurm quantity (<c>3584Mi</c>, <c>3G</c>) in bytes; Slurm's G is GiB.</summary>
    private static double Bytes(string quantity)
    {
        var units = new Dictionary<string, double> { ["Ki"] = 1024, ["Mi"] = 1024 * 1024, ["Gi"] = 1024d * 1024 * 1024, ["K"] = 1024, ["M"] = 1024 * 1024, ["G"] = 1024d * 1024 * 1024, [""] = 1 };
        var unit = units.Keys.OrderByDescending(u => u.Length).First(u => quantity.EndsWith(u, StringComparison.Ordinal));
        return double.Parse(quantity[..^unit.Length], CultureInfo.InvariantCulture) * units[unit];
    }
}
