using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Batch;

/// <summary>What a folder of recordings holds: the calls to process, and the problems found while listing them.</summary>
/// <param name="Jobs">Calls to process, in a stable order.</param>
/// <param name="Errors">Manifest rows in error, files that may not be read, duplicate call ids: reported, not fatal; each recording at most once.</param>
/// <param name="Warnings">Things worth a log line (a recording with no manifest row, a folder link not followed).</param>
public sealed record DiscoveryResult(IReadOnlyList<CallJob> Jobs, IReadOnlyList<ErrorRow> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>Files beside the recordings that are not recordings (Thumbs.db, desktop.ini, .DS_Store, notes), skipped silently.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>
    /// Distinct recordings found: each call to process and each error row's file counted once, so a manifest naming one
    /// file on many rows counts one recording (the run's <c>recordings</c> count).
    /// </summary>
    public int Recordings => Jobs.Select(j => j.RelativePath).Concat(Errors.Select(e => e.File)).Distinct(StringComparer.Ordinal).Count();
}

/// <summary>Finds recordings under an input folder and attaches call metadata from the manifest <c>calls.csv</c> when there is one.</summary>
/// <remarks>
/// Manifest columns: <c>file, call_id, agent_id, agent_name, company</c> (required) and
/// <c>language, agent_channel, started_at</c> (optional); <c>file</c> is relative to the input folder.
/// Without a manifest row, the agent id is the recording's parent folder name and the call id its file name.
/// Known non-audio files (CSV, JSON, text, Markdown, Thumbs.db, desktop.ini, hidden files, pictures, documents) are
/// skipped and listed once in <see cref="DiscoveryResult.Skipped"/>; any other file is treated as a recording, so one
/// the decoder cannot read (a corrupt WAV, an unknown format) ends up in errors.csv with the reason.
/// Nothing outside the input folder is read (see <see cref="InputFolder"/>), and a manifest row in error excludes its
/// recording from the batch.
/// </remarks>
public static class CallDiscovery
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "calls.csv";

    private static readonly string[] NonAudioExtensions =
    [
        ".csv", ".tsv", ".json", ".txt", ".md", ".yaml", ".yml", ".log", ".xml", ".sh", ".pdf", ".html", ".htm", ".ini", ".tmp",
        ".db", ".lnk", ".url", ".desktop", ".xls", ".xlsx", ".ods", ".doc", ".docx", ".odt", ".rtf", ".jpg", ".jpeg", ".png",
        ".gif", ".bmp", ".zip", ".7z", ".gz", ".md5", ".sha1", ".sha256", ".bak", ".part", ".crdownload", ".swp",
    ];

    private static readonly string[] SideFileNames = ["Thumbs.db", "desktop.ini", "ehthumbs.db", "Icon\r", "$RECYCLE.BIN"];

    private static readonly string[] RequiredColumns = ["file", "call_id", "agent_id", "agent_name", "company"];

    /// <summary>Lists the calls under <paramref name="inputFolder"/>; <paramref name="naming"/> reads recordings without a manifest row (default <see cref="FileNameConvention.Default"/>).</summary>
    /// <exception cref="ManifestException">The manifest exists but cannot be read, or lacks a required column.</exception>
    /// <exception cref="DirectoryNotFoundException">The input folder does not exist.</exception>
    public static DiscoveryResult Discover(string inputFolder, FileNameConvention? naming = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputFolder);
        naming ??= FileNameConvention.Default;
        var folder = new InputFolder(inputFolder);
        var root = folder.Root;
        var errors = new List<ErrorRow>();
        var warnings = new List<string>();
        var skipped = new List<string>();
        var recordings = new List<InputFile>();
        foreach (var file in folder.Walk(warnings))
        {
            if (file.Relative == ManifestFileName)
            {
                continue;
            }

            if (IsRecordingCandidate(file.Relative))
            {
                recordings.Add(file);
            }
            else
            {
                skipped.Add(file.Relative);
            }
        }

        var manifestPath = Path.Combine(root, ManifestFileName);
        var hasManifest = File.Exists(manifestPath);
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var byFile = hasManifest ? ReadManifest(folder, manifestPath, errors, excluded, naming.Zone) : new Dictionary<string, CallJob>(StringComparer.Ordinal);

        var jobs = new List<CallJob>();
        foreach (var recording in recordings)
        {
            var relative = recording.Relative;
            if (excluded.Contains(relative))
            {
                // Its manifest row is in error: reported once there, not guessed at under a folder-derived agent.
                continue;
            }

            if (byFile.Remove(relative, out var fromManifest))
            {
                jobs.Add(fromManifest);
                continue;
            }

            if (recording.Problem is not null)
            {
                errors.Add(new ErrorRow { File = relative, Stage = "discover", Reason = recording.Problem });
                continue;
            }

            var job = naming.Describe(root, relative) with { AudioPath = recording.FullPath! };
            if (hasManifest)
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

        // Ids come from people's files: escape control characters before they are compared, stored or shown anywhere.
        for (var i = 0; i < jobs.Count; i++)
        {
            jobs[i] = ControlCharacters.Escape(jobs[i]);
        }

        foreach (var duplicate in jobs.GroupBy(j => j.CallId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var extra in duplicate.Skip(1).ToList())
            {
                jobs.Remove(extra);
                errors.Add(new ErrorRow { File = extra.RelativePath, CallId = extra.CallId, AgentId = extra.AgentId, Stage = "manifest", Reason = $"{extra.RelativePath}: call id '{extra.CallId}' is already used by {duplicate.First().RelativePath}" });
            }
        }

        return new DiscoveryResult(
            jobs.OrderBy(j => j.RelativePath, StringComparer.Ordinal).ToList(),
            errors.Select(ControlCharacters.Escape).ToList(),
            WarningFolding.Fold(warnings.Select(ControlCharacters.Escape)))
        {
            Skipped = skipped.Select(ControlCharacters.Escape).ToList(),
        };
    }

    /// <summary>
    /// True for files that should be treated as recordings: everything except hidden files, the side files that file
    /// shares and telephony exports leave (Thumbs.db, desktop.ini) and known non-audio files (the manifest and other
    /// CSV, JSON, text, documents, pictures, logs). A file of an unknown format is therefore reported in errors.csv by
    /// the decoder, rather than silently skipped.
    /// </summary>
    public static bool IsRecordingCandidate(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.')
            && !SideFileNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            && !NonAudioExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase);
    }

    private static Dictionary<string, CallJob> ReadManifest(InputFolder folder, string manifestPath, List<ErrorRow> errors, HashSet<string> excluded, TimeZoneInfo zone)
    {
        var manifest = folder.Resolve(ManifestFileName);
        if (manifest.Problem is not null)
        {
            throw new ManifestException(manifestPath, $"cannot read the manifest: {manifest.Problem}");
        }

        var result = new Dictionary<string, CallJob>(StringComparer.Ordinal);
        var repeats = new Dictionary<string, RepeatedRows>(StringComparer.Ordinal);
        var badRow = -1;
        var loaded = ManifestReader.Load(manifest.FullPath!);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            BadDataFound = args => badRow = args.Context.Parser?.RawRow ?? -1,
            Delimiter = loaded.Delimiter,
        };
        try
        {
            using var reader = new StringReader(loaded.Text);
            using var csv = new CsvReader(reader, config);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            {
                throw new ManifestException(manifestPath, "the manifest is empty (expected a header row)");
            }

            var header = csv.HeaderRecord.Select(h => h.Trim().ToLowerInvariant()).ToList();
            if (header.Select((name, index) => (Name: name, Index: index)).Where(c => c.Name.Length > 0).GroupBy(c => c.Name, StringComparer.Ordinal)
                    .FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw new ManifestException(manifestPath, string.Create(CultureInfo.InvariantCulture,
                    $"column '{ControlCharacters.Escape(repeated.Key)}' appears {repeated.Count()} times in the header (columns {string.Join(", ", repeated.Select(c => c.Index + 1))}); keep one"));
            }

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
                var input = file is null ? null : folder.Resolve(file);
                var relative = input?.Relative ?? $"{ManifestFileName}:{line}";

                // A row in error is reported once and keeps its recording out of the batch.
                void RowError(string reason)
                {
                    var named = input is null || reason.Contains(input.Relative, StringComparison.Ordinal) ? reason : $"{input.Relative}: {reason}";
                    errors.Add(new ErrorRow { File = relative, CallId = callId, AgentId = agentId, Stage = "manifest", Reason = $"{manifestPath}:{line}: {named}" });
                    if (input is not null && !result.ContainsKey(input.Relative))
                    {
                        excluded.Add(input.Relative);
                    }
                }

                if (badRow == line)
                {
                    RowError("broken quoting (a quote inside an unquoted field, or a field not closed); the row is ignored");
                    continue;
                }

                if (file is null || callId is null || agentId is null)
                {
                    RowError("file, call_id and agent_id must not be empty");
                    continue;
                }

                if (input!.Problem is not null)
                {
                    RowError(input.Problem);
                    continue;
                }

                var channel = Get("agent_channel")?.ToLowerInvariant();
                if (channel is not null and not ("left" or "right"))
                {
                    RowError($"agent_channel must be left or right (got '{channel}')");
                    continue;
                }

                DateTimeOffset? started = null;
                var startedText = Get("started_at");
                if (startedText is not null)
                {
                    if (!ManifestReader.TryParseStartedAt(startedText, zone, out var parsed))
                    {
                        RowError($"started_at is not a time like 2026-11-29T10:15:00+01:00 or 29.11.2026 10:15 ('{startedText}')");
                        continue;
                    }

                    started = parsed;
                }

                if (result.ContainsKey(relative) || excluded.Contains(relative))
                {
                    // One error row per file however often it is repeated: errors.csv and the log count recordings, not rows.
                    var repeat = repeats.TryGetValue(relative, out var known) ? known : repeats[relative] = new RepeatedRows(callId, agentId, result.ContainsKey(relative));
                    repeat.Add(line);
                    continue;
                }

                result[relative] = new CallJob(input.FullPath!, relative, callId, agentId, Get("agent_name"), Get("company"), Get("language")?.ToLowerInvariant(), channel, started);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CsvHelperException)
        {
            throw new ManifestException(manifestPath, $"cannot read the manifest ({ex.Message.Split('\n')[0]})");
        }

        foreach (var (relative, repeat) in repeats)
        {
            errors.Add(new ErrorRow { File = relative, CallId = repeat.CallId, AgentId = repeat.AgentId, Stage = "manifest", Reason = repeat.Reason(manifestPath, relative) });
        }

        return result;
    }

    /// <summary>The rows after the first that name one file: counted, the first few lines kept for the error.</summary>
    private sealed class RepeatedRows(string? callId, string? agentId, bool firstUsed)
    {
        private const int LinesShown = 10;
        private readonly List<int> _lines = [];
        private int _count;

        public string? CallId { get; } = callId;

        public string? AgentId { get; } = agentId;

        public void Add(int line)
        {
            _count++;
            if (_lines.Count < LinesShown)
            {
                _lines.Add(line);
            }
        }

        public string Reason(string manifestPath, string relative)
        {
            var lines = string.Join(", ", _lines) + (_count > _lines.Count ? string.Create(CultureInfo.InvariantCulture, $" and {_count - _lines.Count} more") : "");
            var outcome = firstUsed ? "the first row is used" : "an earlier row is in error; not processed";
            return string.Create(CultureInfo.InvariantCulture, $"{manifestPath}: file '{relative}' is listed again on {_count} more row(s) (line {lines}); {outcome}");
        }
    }
}
