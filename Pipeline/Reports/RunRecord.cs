using QualityScan.Models.IO;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using QualityScan.Analyzers;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// <c>run.json</c> beside the reports: whether the run that wrote them finished, what it counted, which model and
/// rule packs judged the calls, and when, so partial reports are never mistaken for a whole night.
/// </summary>
/// <remarks>
/// Written atomically at the start (status <c>running</c>) and again at the end (<c>complete</c>, <c>partial</c>,
/// <c>interrupted</c>, <c>empty</c> or <c>failed</c>, with the exit code and the reason). Rule packs are identified by language, file and the SHA-256 of their content (the files carry
/// no version number, and a QA lead edits them in place).
/// </remarks>
public sealed class RunRecord
{
    /// <summary>The file name.</summary>
    public const string FileName = "run.json";

    /// <summary>Which command ran (<c>scan</c>, <c>analyze</c>).</summary>
    public required string Command { get; init; }

    /// <summary>The input folder or file.</summary>
    public required string Input { get; init; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.Now;

    /// <summary>When the run ended; null while running.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>How the run ended.</summary>
    public RunStatus Status { get; set; } = RunStatus.Running;

    /// <summary>Why the run did not end complete (failed, partial, interrupted, empty); null when complete.</summary>
    public string? Problem { get; set; }

    /// <summary>The night scanned (<c>--date</c>), or null for a whole folder.</summary>
    public DateOnly? Night { get; set; }

    /// <summary>The process's exit code (see ExitCodes); null while running.</summary>
    public int? ExitCode { get; set; }

    /// <summary>
    /// What the report files beside this one are: <c>"this run"</c>, <c>"partial: ..."</c> when writing them was stopped
    /// midway (each file is whole, either this run's or the earlier one), or <c>"earlier run"</c> when this run wrote none.
    /// </summary>
    public string? Reports { get; set; }

    /// <summary>Warnings a reader of the reports must know (e.g. the demo model cannot transcribe human voices).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The speech model (folder name and content hash), or null for <c>analyze</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The speech engine that transcribed (<c>onnx</c> or <c>whisper.net</c>), or null for <c>analyze</c>.</summary>
    public string? Engine { get; set; }

    /// <summary>The model folder (ONNX) or file (ggml) the engine loaded, or null for <c>analyze</c>.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Counts: recordings found, calls reported, error rows, transcribed, reused, ...</summary>
    public SortedDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>What retention deleted at the start of the night, per kind; null when retention is off.</summary>
    public IReadOnlyDictionary<string, int>? Deleted { get; set; }

    /// <summary>Rule packs used: language, file and a content hash.</summary>
    public IReadOnlyList<(string Language, string File, string Sha256)> RulePacks { get; init; } = [];

    /// <summary>The rule packs of <paramref name="rules"/>, identified by content.</summary>
    public static IReadOnlyList<(string Language, string File, string Sha256)> Describe(RuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.Languages.Order(StringComparer.Ordinal).Select(language =>
        {
            var file = rules.For(language).Pack.SourcePath;
            string hash;
            try
            {
                hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))[..16];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                hash = "unreadable";
            }

            return (language, file, hash);
        }).ToList();
    }

    /// <summary>Writes the record to <c>run.json</c> in <paramref name="outputFolder"/> (atomically).</summary>
    public void Write(string outputFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        AtomicFile.Write(Path.Combine(outputFolder, FileName), stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            w.WriteStartObject();
            w.WriteString("status", Status.ToString().ToLowerInvariant());
            w.WriteString("command", Command);
            w.WriteString("input", Input);
            w.WriteString("startedAt", StartedAt.ToString("O", CultureInfo.InvariantCulture));
            if (EndedAt is { } ended)
            {
                w.WriteString("endedAt", ended.ToString("O", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("endedAt");
            }

            if (Night is { } night)
            {
                w.WriteString("night", night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("night");
            }

            if (ExitCode is { } code)
            {
                w.WriteNumber("exitCode", code);
            }

            if (Problem is not null)
            {
                w.WriteString("reason", Problem);
            }

            if (Reports is not null)
            {
                w.WriteString("reports", Reports);
            }

            if (Warnings.Count > 0)
            {
                w.WriteStartArray("warnings");
                foreach (var warning in Warnings)
                {
                    w.WriteStringValue(warning);
                }

                w.WriteEndArray();
            }

            w.WriteStartObject("counts");
            foreach (var (key, value) in Counts)
            {
                w.WriteNumber(key, value);
            }

            w.WriteEndObject();
            if (Deleted is not null)
            {
                w.WriteStartObject("deleted");
                foreach (var (key, value) in Deleted)
                {
                    w.WriteNumber(key, value);
                }

                w.WriteEndObject();
            }

            if (Model is not null)
            {
                w.WriteString("model", Model);
            }

            if (Engine is not null)
            {
                w.WriteString("engine", Engine);
                w.WriteString("modelPath", ModelPath);
            }

            w.WriteStartArray("rulePacks");
            foreach (var (language, file, sha) in RulePacks)
            {
                w.WriteStartObject();
                w.WriteString("language", language);
                w.WriteString("file", file);
                w.WriteString("sha256", sha);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("qualityscanVersion", typeof(RunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
            w.WriteEndObject();
        });
    }

    /// <summary>The status and night of the <c>run.json</c> in <paramref name="outputFolder"/>, or nulls when there is none readable.</summary>
    public static (string? Status, DateOnly? Night) Peek(string outputFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        try
        {
            var path = Path.Combine(outputFolder, FileName);
            if (!File.Exists(path) || new FileInfo(path).Length > 1 << 20)
            {
                return (null, null);
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            DateOnly? night = root.TryGetProperty("night", out var n) && n.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(n.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
            return (status, night);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>The line the summary ends with: the status in words.</summary>
    public string StatusLine() => Status switch
    {
        RunStatus.Complete => "status: complete (every call processed)",
        RunStatus.Interrupted => string.Create(CultureInfo.InvariantCulture,
            $"status: INTERRUPTED - the reports cover {Counts.GetValueOrDefault("reported")} of {Counts.GetValueOrDefault("recordings")} recording(s); run again to finish"),
        RunStatus.Failed => $"status: FAILED - {Problem}",
        RunStatus.Partial => $"status: PARTIAL - {Problem}",
        RunStatus.Empty => $"status: EMPTY - {Problem}",
        _ => "status: running",
    };
}
