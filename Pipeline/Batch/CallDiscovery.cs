using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Batch;

/// <summary>What a folder of recordings holds: the calls to process, and the problems found while listing them.</summary>
/// <param name="Jobs">Calls to process, in a stable order.</param>
/// <param name="Errors">Manifest rows that point nowhere, duplicate call ids: reported, not fatal.</param>
/// <param name="Warnings">Things worth a log line (a recording with no manifest row, processed with folder-derived metadata).</param>
public sealed record DiscoveryResult(IReadOnlyList<CallJob> Jobs, IReadOnlyList<ErrorRow> Errors, IReadOnlyList<string> Warnings);

/// <summary>Finds recordings under an input folder and attaches call metadata from the manifest <c>calls.csv</c> when there is one.</summary>
/// <remarks>
/// Manifest columns: <c>file, call_id, agent_id, agent_name, company</c> (required) and
/// <c>language, agent_channel, started_at</c> (optional); <c>file</c> is relative to the input folder.
/// Without a manifest row, the agent id is the recording's parent folder name and the call id its file name.
/// Known non-audio files (CSV, JSON, text, Markdown) are ignored; any other file is treated as a recording, so one
/// the decoder cannot read (a corrupt WAV, an unknown format) ends up in errors.csv with the reason.
/// </remarks>
public static class CallDiscovery
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "calls.csv";

    private static readonly string[] NonAudioExtensions = [".csv", ".tsv", ".json", ".txt", ".md", ".yaml", ".yml", ".log", ".xml", ".sh", ".pdf", ".html", ".ini", ".tmp"];

    private static readonly string[] RequiredColumns = ["file", "call_id", "agent_id", "agent_name", "company"];

    /// <summary>Lists the calls under <paramref name="inputFolder"/>; <paramref name="naming"/> reads recordings without a manifest row (default <see cref="FileNameConvention.Default"/>).</summary>
    /// <exception cref="ManifestException">The manifest exists but cannot be read, or lacks a required column.</exception>
    public static DiscoveryResult Discover(string inputFolder, FileNameConvention? naming = null)
    {
        naming ??= FileNameConvention.Default;
        ArgumentException.ThrowIfNullOrEmpty(inputFolder);
        var root = Path.GetFullPath(inputFolder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{inputFolder}: input folder does not exist");
        }

        var errors = new List<ErrorRow>();
        var warnings = new List<string>();
        var recordings = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(IsRecordingCandidate)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

        var manifestPath = Path.Combine(root, ManifestFileName);
        var byFile = File.Exists(manifestPath) ? ReadManifest(root, manifestPath, errors, naming.Zone) : new Dictionary<string, CallJob>(StringComparer.Ordinal);

        var jobs = new List<CallJob>();
        foreach (var relative in recordings)
        {
            if (byFile.Remove(relative, out var fromManifest))
            {
                jobs.Add(fromManifest);
                continue;
            }

            var job = naming.Describe(root, relative);
            if (File.Exists(manifestPath))
            {
                warnings.Add($"{job.RelativePath}: no row in {ManifestFileName}; agent and call id taken from its path");
            }

            jobs.Add(job);
        }

        // Manifest rows whose file exists but was not listed (an extension we do not treat as audio) still get processed.
        foreach (var leftover in byFile.Values)
        {
            jobs.Add(leftover);
        }

        foreach (var duplicate in jobs.GroupBy(j => j.CallId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var extra in duplicate.Skip(1).ToList())
            {
                jobs.Remove(extra);
                errors.Add(new ErrorRow { File = extra.RelativePath, CallId = extra.CallId, AgentId = extra.AgentId, Stage = "manifest", Reason = $"{extra.RelativePath}: call id '{extra.CallId}' is already used by {duplicate.First().RelativePath}" });
            }
        }

        return new DiscoveryResult(jobs.OrderBy(j => j.RelativePath, StringComparer.Ordinal).ToList(), errors, warnings);
    }

    /// <summary>
    /// True for files that should be treated as recordings: everything except hidden files and known non-audio files
    /// (the manifest and other CSV, JSON, text, Markdown, YAML, logs). A file of an unknown format is therefore
    /// reported in errors.csv by the decoder, rather than silently skipped.
    /// </summary>
    public static bool IsRecordingCandidate(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.') && !NonAudioExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase);
    }

    private static Dictionary<string, CallJob> ReadManifest(string root, string manifestPath, List<ErrorRow> errors, TimeZoneInfo zone)
    {
        var result = new Dictionary<string, CallJob>(StringComparer.Ordinal);
        var manifest = ManifestReader.Load(manifestPath);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, MissingFieldFound = null, BadDataFound = null, Delimiter = manifest.Delimiter };
        try
        {
            using var reader = new StringReader(manifest.Text);
            using var csv = new CsvReader(reader, config);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            {
                throw new ManifestException(manifestPath, "the manifest is empty (expected a header row)");
            }

            var header = csv.HeaderRecord.Select(h => h.Trim().ToLowerInvariant()).ToList();
            var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                throw new ManifestException(manifestPath, $"missing column(s) {string.Join(", ", missing)} (required: {string.Join(", ", RequiredColumns)})");
            }

            string? Get(string column)
            {
                var index = header.IndexOf(column);
                if (index < 0 || !csv.TryGetField<string>(index, out var value))
                {
                    return null;
                }

                return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            }

            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                var file = Get("file");
                var callId = Get("call_id");
                var agentId = Get("agent_id");
                if (file is null || callId is null || agentId is null)
                {
                    errors.Add(new ErrorRow { File = file ?? $"{ManifestFileName}:{line}", CallId = callId, AgentId = agentId, Stage = "manifest", Reason = $"{manifestPath}:{line}: file, call_id and agent_id must not be empty" });
                    continue;
                }

                var relative = file.Replace('\\', '/');
                var full = Path.GetFullPath(Path.Combine(root, relative));
                if (!File.Exists(full))
                {
                    errors.Add(new ErrorRow { File = relative, CallId = callId, AgentId = agentId, Stage = "manifest", Reason = $"{manifestPath}:{line}: file '{relative}' does not exist" });
                    continue;
                }

                relative = Path.GetRelativePath(root, full).Replace('\\', '/');
                var channel = Get("agent_channel")?.ToLowerInvariant();
                if (channel is not null and not ("left" or "right"))
                {
                    errors.Add(new ErrorRow { File = relative, CallId = callId, AgentId = agentId, Stage = "manifest", Reason = $"{manifestPath}:{line}: agent_channel must be left or right (got '{channel}')" });
                    continue;
                }

                DateTimeOffset? started = null;
                var startedText = Get("started_at");
                if (startedText is not null)
                {
                    if (!ManifestReader.TryParseStartedAt(startedText, zone, out var parsed))
                    {
                        errors.Add(new ErrorRow { File = relative, CallId = callId, AgentId = agentId, Stage = "manifest", Reason = $"{manifestPath}:{line}: started_at is not a time like 2026-11-29T10:15:00+01:00 or 29.11.2026 10:15 ('{startedText}')" });
                        continue;
                    }

                    started = parsed;
                }

                if (result.ContainsKey(relative))
                {
                    errors.Add(new ErrorRow { File = relative, CallId = callId, AgentId = agentId, Stage = "manifest", Reason = $"{manifestPath}:{line}: file '{relative}' is listed twice" });
                    continue;
                }

                result[relative] = new CallJob(full, relative, callId, agentId, Get("agent_name"), Get("company"), Get("language")?.ToLowerInvariant(), channel, started);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CsvHelperException)
        {
            throw new ManifestException(manifestPath, $"cannot read the manifest ({ex.Message.Split('\n')[0]})");
        }

        return result;
    }
}
