using QualityScan.Models.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Batch.Sharding;

/// <summary>A call a shard finished: its metadata and which stored transcript it was judged from.</summary>
/// <param name="Job">The call as discovery found it (the report re-applies this metadata, as a scan does for a reused transcript).</param>
/// <param name="AudioSha256">Hash of the recording the transcript was made from.</param>
/// <param name="Settings">The transcription settings key the transcript was stored under.</param>
public sealed record ShardCall(CallJob Job, string AudioSha256, string Settings);

/// <summary>A call of the night's plan: id, recording and the shard that owns it.</summary>
public sealed record PlannedCall(string CallId, string File, int Shard);

/// <summary>
/// One shard's partial result, <c>&lt;out&gt;/shards/&lt;run id&gt;/shard-K-of-N.json</c>: written when the shard starts
/// (status <c>running</c>) and again when it ends, each time atomically (temporary file and rename in the same folder),
/// so a reader sees a whole file or none, on NFS and SMB too. Only its own shard ever writes it.
/// </summary>
public sealed class ShardResult
{
    /// <summary>Folder of the output folder holding the shard results, one subfolder per run id.</summary>
    public const string Folder = "shards";

    /// <summary>The format identifier written into every file.</summary>
    public const string CurrentFormat = "qualityscan-shard/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Format of the file.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The night's run id.</summary>
    public required string RunId { get; init; }

    /// <summary>1-based shard number.</summary>
    public required int Shard { get; init; }

    /// <summary>Number of shards in the run.</summary>
    public required int ShardCount { get; init; }

    /// <summary>How far the shard got.</summary>
    public RunStatus Status { get; set; } = RunStatus.Running;

    /// <summary>Machine that ran the shard.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>When the shard started.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.Now;

    /// <summary>When the shard ended; null while running.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The scan's arguments without the shard options, paths made absolute and <c>--date</c> resolved: <c>report</c> builds the reports with them.</summary>
    public required IReadOnlyList<string> ScanArguments { get; init; }

    /// <summary>Identity of the speech model (the transcripts are looked up under it).</summary>
    public required string Model { get; init; }

    /// <summary>Fingerprint of the night's plan; every shard of one run must have the same.</summary>
    public required string PlanFingerprint { get; init; }

    /// <summary>The whole night's plan, so the report can name the calls of a shard that never finished.</summary>
    public required IReadOnlyList<PlannedCall> Plan { get; init; }

    /// <summary>Errors of discovery (manifest rows, unreadable files), the same in every shard.</summary>
    public IReadOnlyList<ErrorRow> DiscoveryErrors { get; init; } = [];

    /// <summary>Calls of this shard that were transcribed (or reused) and stored.</summary>
    public IReadOnlyList<ShardCall> Calls { get; set; } = [];

    /// <summary>Calls of this shard that could not be processed.</summary>
    public IReadOnlyList<ErrorRow> Errors { get; set; } = [];

    /// <summary>Counts: transcribed, reused, transcriptsNotStored, skippedFiles.</summary>
    public SortedDictionary<string, int> Counts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The folder of run <paramref name="runId"/>'s shard results.</summary>
    public static string RunFolder(string outputFolder, string runId) => Path.Combine(outputFolder, Folder, runId);

    /// <summary>The result file of <paramref name="shard"/> in run <paramref name="runId"/>.</summary>
    public static string PathFor(string outputFolder, string runId, ShardSpec shard) => Path.Combine(RunFolder(outputFolder, runId), shard.Stem + ".json");

    /// <summary>Writes the result atomically into its run's folder.</summary>
    public void Write(string outputFolder)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        AtomicFile.Write(PathFor(outputFolder, RunId, new ShardSpec(Shard, ShardCount)), stream => stream.Write(bytes));
    }

    /// <summary>Reads a result file.</summary>
    /// <exception cref="InvalidDataException">Not a shard result (or not a regular file: opening a FIFO would block), naming the file.</exception>
    public static ShardResult Read(string path)
    {
        if (FileKinds.Of(path) is not (FileKind.Regular or FileKind.Missing))
        {
            throw new InvalidDataException($"{path}: not a regular file (a FIFO, device or folder), so not a shard result");
        }

        try
        {
            var result = JsonSerializer.Deserialize<ShardResult>(File.ReadAllBytes(path), Json);
            return result is { Format: CurrentFormat } ? result : throw new InvalidDataException($"{path}: not a shard result of this version (format {result?.Format ?? "missing"})");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a readable shard result ({ex.Message})", ex);
        }
    }
}
