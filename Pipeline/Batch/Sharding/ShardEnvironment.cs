using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;

namespace QualityScan.Pipeline.Batch.Sharding;

/// <summary>Which shard this process is and which night's run it belongs to, and where that was read.</summary>
/// <param name="Shard">The shard.</param>
/// <param name="RunId">The id all shards of one night share.</param>
/// <param name="Source">Where the shard came from (<c>--shard</c>, <c>JOB_COMPLETION_INDEX</c>, ...), for the log.</param>
public sealed record ShardAssignment(ShardSpec Shard, string RunId, string Source);

/// <summary>
/// The one place the schedulers' environment is mapped onto <c>--shard K/N</c> and <c>--run-id</c>: the command line,
/// a Kubernetes Indexed Job and a Slurm job array all end up here, and the tests of the Kubernetes manifest and of
/// the Slurm script read the variable names from these constants.
/// </summary>
/// <remarks>
/// <para>Shards are numbered from 1. In order of precedence:</para>
/// <list type="number">
/// <item><c>--shard K/N</c>, else <see cref="ShardVariable"/> (<c>K/N</c>).</item>
/// <item>Kubernetes Indexed Job: <see cref="KubernetesIndexVariable"/> (0-based, set by Kubernetes) + 1, of
/// <see cref="ShardCountVariable"/> (the manifest sets it to the Job's <c>completions</c>).</item>
/// <item>Slurm job array: <see cref="SlurmTaskIdVariable"/> − <see cref="SlurmTaskMinVariable"/> (÷ <see cref="SlurmTaskStepVariable"/>)
/// + 1, of <see cref="SlurmTaskCountVariable"/>, so <c>--array=0-3</c> and <c>--array=1-4</c> both give shards 1-4.</item>
/// </list>
/// <para>The run id: <c>--run-id</c>, else <see cref="RunIdVariable"/>, else <c>slurm-</c><see cref="SlurmArrayJobIdVariable"/>
/// (the same for every task of one array). Kubernetes has no such variable: its manifest sets <see cref="RunIdVariable"/>.</para>
/// </remarks>
public static partial class ShardEnvironment
{
    /// <summary>Explicit shard, <c>K/N</c> (1-based), when <c>--shard</c> is not given.</summary>
    public const string ShardVariable = "QUALITYSCAN_SHARD";

    /// <summary>The night's run id, shared by all its shards and the report step.</summary>
    public const string RunIdVariable = "QUALITYSCAN_RUN_ID";

    /// <summary>Number of shards, beside <see cref="KubernetesIndexVariable"/> (Kubernetes does not export the completion count).</summary>
    public const string ShardCountVariable = "QUALITYSCAN_SHARD_COUNT";

    /// <summary>Kubernetes Indexed Job: the pod's 0-based completion index.</summary>
    public const string KubernetesIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>Slurm job array: this task's index.</summary>
    public const string SlurmTaskIdVariable = "SLURM_ARRAY_TASK_ID";

    /// <summary>Slurm job array: number of tasks.</summary>
    public const string SlurmTaskCountVariable = "SLURM_ARRAY_TASK_COUNT";

    /// <summary>Slurm job array: the lowest index (an array may start at 0 or 1 or anywhere).</summary>
    public const string SlurmTaskMinVariable = "SLURM_ARRAY_TASK_MIN";

    /// <summary>Slurm job array: the index step (<c>--array=0-6:2</c>); 1 when absent.</summary>
    public const string SlurmTaskStepVariable = "SLURM_ARRAY_TASK_STEP";

    /// <summary>Slurm job array: the array's job id, the same for all its tasks.</summary>
    public const string SlurmArrayJobIdVariable = "SLURM_ARRAY_JOB_ID";

    /// <summary>Longest run id.</summary>
    public const int MaxRunIdLength = 100;

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);

    /// <summary>
    /// The shard and run this process is, from the options (null when not given) and <paramref name="environment"/>;
    /// null when nothing asks for sharding (an ordinary single-machine scan).
    /// </summary>
    /// <exception cref="FormatException">A malformed or inconsistent value, or a shard without a run id; the message names the variable.</exception>
    public static ShardAssignment? Resolve(string? shardOption, string? runIdOption, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Env(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        (ShardSpec Shard, string Source)? found = null;
        if (shardOption is not null)
        {
            found = (ShardSpec.Parse(shardOption, "--shard"), "--shard");
        }
        else if (Env(ShardVariable) is { } explicitShard)
        {
            found = (ShardSpec.Parse(explicitShard, ShardVariable), ShardVariable);
        }
        else if (Env(KubernetesIndexVariable) is { } index)
        {
            var count = Env(ShardCountVariable) ?? throw new FormatException($"{KubernetesIndexVariable} is set (a Kubernetes Indexed Job) but {ShardCountVariable} is not: set it to the Job's completions in the manifest");
            found = (ShardSpec.Create(Integer(index, KubernetesIndexVariable) + 1, Integer(count, ShardCountVariable), KubernetesIndexVariable), $"{KubernetesIndexVariable}={index} of {ShardCountVariable}={count}");
        }
        else if (Env(SlurmTaskIdVariable) is { } task)
        {
            var id = Integer(task, SlurmTaskIdVariable);
            // An array may start anywhere (--array=0-3, --array=1-4): Slurm always sets the minimum beside the task id.
            var min = Integer(Env(SlurmTaskMinVariable) ?? throw new FormatException($"{SlurmTaskIdVariable} is set but {SlurmTaskMinVariable} is not (Slurm sets both for an array task)"), SlurmTaskMinVariable);
            var step = Env(SlurmTaskStepVariable) is { } s ? Math.Max(1, Integer(s, SlurmTaskStepVariable)) : 1;
            var count = Integer(Env(SlurmTaskCountVariable) ?? throw new FormatException($"{SlurmTaskIdVariable} is set but {SlurmTaskCountVariable} is not"), SlurmTaskCountVariable);
            if ((id - min) % step != 0)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{SlurmTaskIdVariable}={id} is not on the array's step {step} from {min}"));
            }

            found = (ShardSpec.Create(((id - min) / step) + 1, count, SlurmTaskIdVariable), $"{SlurmTaskIdVariable}={id} (min {min}) of {SlurmTaskCountVariable}={count}");
        }

        var runId = ResolveRunId(runIdOption, environment);
        if (found is not { } shard)
        {
            if (runIdOption is not null)
            {
                throw new FormatException("--run-id is for shards: give --shard K/N too (or run under a Kubernetes Indexed Job or a Slurm array)");
            }

            return null;
        }

        return new ShardAssignment(shard.Shard, runId ?? throw new FormatException($"shard {shard.Shard} needs a run id shared by every shard of the night: --run-id, or {RunIdVariable} (Slurm arrays give {SlurmArrayJobIdVariable})"), shard.Source);
    }

    /// <summary>The run id from <c>--run-id</c>, <see cref="RunIdVariable"/> or the Slurm array's job id; null when none is set.</summary>
    /// <exception cref="FormatException">A run id with characters other than letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.</exception>
    public static string? ResolveRunId(string? runIdOption, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Env(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var (runId, source) = runIdOption is not null ? (runIdOption, "--run-id")
            : Env(RunIdVariable) is { } fromEnv ? (fromEnv, RunIdVariable)
            : Env(SlurmArrayJobIdVariable) is { } slurmJob ? ("slurm-" + slurmJob, SlurmArrayJobIdVariable)
            : (null, "");
        if (runId is not null && !RunIdPattern().IsMatch(runId))
        {
            throw new FormatException($"{source}: a run id is 1-{MaxRunIdLength} letters, digits, '.', '_' or '-', not starting with '.' (got '{runId}')");
        }

        return runId;
    }

    private static int Integer(string text, string name) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"{name} must be a whole number (got '{text}')");

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex RunIdPattern();
}
