using System.Globalization;
using QualityScan.Pipeline.Naming;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QualityScan.Pipeline.Config;

/// <summary>
/// What a team sets once, in <c>qualityscan.yaml</c>: found in the input folder or given with <c>--config</c>; every
/// value can be overridden on the command line.
/// </summary>
/// <remarks>
/// <para>Keys (all optional): <c>model</c>, <c>precision</c> (int8|fp32), <c>language</c> (pl|cs|auto), <c>rules</c>,
/// <c>agent_channel</c> (left|right), <c>workers</c> (1-64), <c>time_zone</c> (IANA, default Europe/Warsaw),
/// <c>report_language</c> (pl|cs|en), <c>history</c> (file), and <c>file_names</c> with <c>pattern</c>,
/// <c>phone_numbers</c> (mask|hash|keep, default mask) and <c>phone_digits_kept</c> (0-9, default 3); privacy
/// (docs/privacy.md): <c>output_mode</c> (folders, default 0750; files the same without x), <c>output_group</c>,
/// <c>retention_days</c> (1-3650, off by default) and <c>redact_transcripts</c> (true|false, default false).</para>
/// <para>Relative paths are relative to the file's folder. Unknown keys, wrong values, paths that do not exist and
/// invalid patterns stop the run at start with the file, line and key.</para>
/// </remarks>
public sealed record QualityScanConfig
{
    /// <summary>The file name looked for in the input folder.</summary>
    public const string FileName = "qualityscan.yaml";

    private static readonly string[] TopKeys = ["model", "precision", "language", "rules", "agent_channel", "workers", "time_zone", "report_language", "history", "file_names",
        "output_group", "output_mode", "retention_days", "redact_transcripts", "reviews"];
    private static readonly string[] FileNameKeys = ["pattern", "phone_numbers", "phone_digits_kept"];

    /// <summary>The file read, or null for the built-in defaults.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Command-line option values the file sets (option name without dashes → value); the command line wins.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The zone wall-clock times are read in.</summary>
    public string TimeZone { get; init; } = LocalTime.DefaultZoneId;

    /// <summary>The report language (pl, cs or en); default pl.</summary>
    public string ReportLanguage { get; init; } = "pl";

    /// <summary>The recording-name pattern, or null.</summary>
    public string? FileNamePattern { get; init; }

    /// <summary>How phone numbers in recording names are hidden.</summary>
    public PhoneNumberMasking PhoneNumbers { get; init; } = PhoneNumberMasking.Default;

    /// <summary>Modes and group of everything written in the output folder (<c>output_mode</c>, <c>output_group</c>).</summary>
    public OutputPermissions Permissions { get; init; } = OutputPermissions.Default;

    /// <summary>Days a night's words (transcripts, clips, coach pages, dated report folders) are kept; null keeps them for ever.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>True stores transcripts with personal data masked too (<c>redact_transcripts</c>); default false.</summary>
    public bool RedactTranscripts { get; init; }

    /// <summary>The built-in defaults.</summary>
    public static QualityScanConfig Defaults { get; } = new();

    /// <summary>
    /// The configuration for a run: <paramref name="explicitPath"/> when given (it must exist), else
    /// <c>qualityscan.yaml</c> in <paramref name="inputFolder"/> when there is one, else the defaults.
    /// </summary>
    public static QualityScanConfig Find(string? explicitPath, string? inputFolder)
    {
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath) ? Load(explicitPath) : throw new ConfigException(explicitPath, null, null, "configuration file not found");
        }

        var beside = inputFolder is null ? null : Path.Combine(inputFolder, FileName);
        return beside is not null && File.Exists(beside) ? Load(beside) : Defaults;
    }

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">Anything wrong, with file, line and key.</exception>
    public static QualityScanConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, null, null, $"cannot read the configuration: {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    /// <summary>Parses configuration <paramref name="yaml"/>; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    public static QualityScanConfig Parse(string yaml, string path)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigException(path, (int)ex.Start.Line, null, $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return Defaults with { SourcePath = path };
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var reader = new Reader(path, folder);
        var root = reader.Mapping(stream.Documents[0].RootNode, "", TopKeys);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var config = Defaults with { SourcePath = path };

        foreach (var (key, node) in root)
        {
            switch (key)
            {
                case "model":
                    options["model"] = reader.ExistingPath(node, key, directory: true);
                    break;
                case "rules":
                    options["rules"] = reader.ExistingPath(node, key, directory: null);
                    break;
                case "history":
                    options["history"] = reader.PathValue(node, key);
                    break;
                case "reviews":
                    options["reviews"] = reader.ExistingPath(node, key, directory: true);
                    break;
                case "precision":
                    options["precision"] = reader.Choice(node, key, "int8", "fp32");
                    break;
                case "language":
                    options["language"] = reader.Choice(node, key, "pl", "cs", "auto");
                    break;
                case "agent_channel":
                    options["agent-channel"] = reader.Choice(node, key, "left", "right");
                    break;
                case "workers":
                    options["workers"] = reader.Whole(node, key, 1, 64).ToString(CultureInfo.InvariantCulture);
                    break;
                case "report_language":
                    config = config with { ReportLanguage = reader.Choice(node, key, "pl", "cs", "en") };
                    break;
                case "time_zone":
                    var zone = reader.Text(node, key);
                    try
                    {
                        LocalTime.Zone(zone);
                    }
                    catch (ArgumentException ex)
                    {
                        throw reader.Error(node, key, ex.Message.Split(" (Parameter", 2)[0]);
                    }

                    config = config with { TimeZone = zone };
                    options["time-zone"] = zone;
                    break;
                case "file_names":
                    config = reader.FileNames(node, config);
                    break;
                case "output_mode":
                    try
                    {
                        config = config with { Permissions = config.Permissions with { FolderMode = OutputPermissions.ParseMode(reader.Text(node, key)) } };
                    }
                    catch (FormatException ex)
                    {
                        throw reader.Error(node, key, ex.Message);
                    }

                    break;
                case "output_group":
                    config = config with { Permissions = config.Permissions with { Group = reader.Text(node, key) } };
                    break;
                case "retention_days":
                    config = config with { RetentionDays = reader.Whole(node, key, 1, 3650) };
                    options["keep-days"] = config.RetentionDays.Value.ToString(CultureInfo.InvariantCulture);
                    break;
                case "redact_transcripts":
                    config = config with { RedactTranscripts = reader.Choice(node, key, "true", "false") == "true" };
                    break;
            }
        }

        return config with { Options = options };
    }

    /// <summary>The recording-name convention this configuration describes.</summary>
    public FileNameConvention NameConvention(string? timeZoneOverride = null) =>
        new(FileNamePattern, LocalTime.Zone(timeZoneOverride ?? TimeZone), PhoneNumbers);

    private sealed class Reader(string path, string folder)
    {
        public ConfigException Error(YamlNode node, string key, string problem) => new(path, (int)node.Start.Line, key, problem);

        public List<(string Key, YamlNode Value)> Mapping(YamlNode node, string prefix, string[] allowed)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, prefix, "expected a mapping of keys to values");
            }

            var result = new List<(string, YamlNode)>();
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                var full = prefix.Length == 0 ? key : prefix + "." + key;
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    throw Error(keyNode, full, $"unknown key (allowed: {string.Join(", ", allowed)})");
                }

                result.Add((full, value));
            }

            return result;
        }

        public string Text(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { Length: > 0 } value } ? value.Trim() : throw Error(node, key, "expected a value");

        public string Choice(YamlNode node, string key, params string[] allowed)
        {
            var text = Text(node, key).ToLowerInvariant();
            return allowed.Contains(text, StringComparer.Ordinal) ? text : throw Error(node, key, $"must be one of {string.Join(", ", allowed)} (got '{text}')");
        }

        public int Whole(YamlNode node, string key, int min, int max)
        {
            var text = Text(node, key);
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw Error(node, key, $"must be a whole number from {min} to {max} (got '{text}')");
        }

        public string PathValue(YamlNode node, string key) => Path.GetFullPath(Path.Combine(folder, Text(node, key)));

        public string ExistingPath(YamlNode node, string key, bool? directory)
        {
            var full = PathValue(node, key);
            var exists = directory switch
            {
                true => Directory.Exists(full),
                false => File.Exists(full),
                null => Directory.Exists(full) || File.Exists(full),
            };
            return exists ? full : throw Error(node, key, $"{full} does not exist");
        }

        public QualityScanConfig FileNames(YamlNode node, QualityScanConfig config)
        {
            var mode = PhoneNumberMode.Mask;
            var kept = PhoneNumberMasking.Default.DigitsKept;
            foreach (var (key, value) in Mapping(node, "file_names", FileNameKeys))
            {
                switch (key)
                {
                    case "file_names.pattern":
                        var pattern = Text(value, key);
                        try
                        {
                            _ = new FileNameConvention(pattern, System.TimeZoneInfo.Utc, PhoneNumberMasking.Default);
                        }
                        catch (ArgumentException ex)
                        {
                            throw Error(value, key, ex.Message.Split(" (Parameter", 2)[0]);
                        }

                        config = config with { FileNamePattern = pattern };
                        break;
                    case "file_names.phone_numbers":
                        mode = Enum.Parse<PhoneNumberMode>(Choice(value, key, "mask", "hash", "keep"), ignoreCase: true);
                        break;
                    case "file_names.phone_digits_kept":
                        kept = Whole(value, key, 0, 9);
                        break;
                }
            }

            return config with { PhoneNumbers = new PhoneNumberMasking(mode, kept) };
        }
    }
}
