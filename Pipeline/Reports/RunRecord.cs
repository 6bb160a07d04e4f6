using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using QualityScan.Analyzers;

namespace QualityScan.Pipeline.Reports;

/// <summary>How a run ended, as <c>run.json</c> says it.</summary>
public enum RunStatus
{
    /// <summary>The run has started and not finished (a run killed outright leaves this).</summary>
    Running,

    /// <summary>Every call was processed; the reports cover the whole input.</summary>
    Complete,

    /// <summary>Stopped early (Ctrl-C, a stop request): the reports cover only the calls finished.</summary>
    Interrupted,

    /// <summary>The reports could not be written; the files beside this one are from an earlier run, if any.</summary>
    Failed,
}

/// <summary>
/// <c>run.json</c> beside the reports: whether the run that wrote them finished, what it counted, which model and
/// rule packs judged the calls, and when, so partial reports are never mistaken for a whole night.
/// </summary>
/// <remarks>
/// Written atomically at the start (status <c>running</c>) and again at the end (<c>complete</c>, <c>interrupted</c>
/// or <c>failed</c>). Rule packs are identified by language, file and the SHA-256 of their content (the files carry
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

    /// <summary>Why it failed, when <see cref="Status"/> is <see cref="RunStatus.Failed"/>.</summary>
    public string? Problem { get; set; }

    /// <summary>The speech model (folder name and content hash), or null for <c>analyze</c>.</summary>
    public string? Model { get; init; }

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

            if (Problem is not null)
            {
                w.WriteString("problem", Problem);
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

    /// <summary>The line the summary ends with: the status in words.</summary>
    public string StatusLine() => Status switch
    {
        RunStatus.Complete => "status: complete (every call processed)",
        RunStatus.Interrupted => string.Create(CultureInfo.InvariantCulture,
            $"status: INTERRUPTED - the reports cover {Counts.GetValueOrDefault("reported")} of {Counts.GetValueOrDefault("recordings")} recording(s); run again to finish"),
        RunStatus.Failed => $"status: FAILED - {Problem}",
        _ => "status: running",
    };
}
