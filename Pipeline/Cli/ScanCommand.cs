using QualityScan.Pipeline.Batch.Night;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Privacy;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan scan &lt;input folder&gt; --out &lt;folder&gt;</c>: the nightly batch, recordings to reports.</summary>
public sealed class ScanCommand : ICommand
{
    /// <summary>Subfolder of the output folder holding the transcripts.</summary>
    public const string TranscriptsFolder = NightService.TranscriptsFolder;

    /// <inheritdoc />
    public string Name => "scan";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("scan", """
        The nightly job: finds recordings recursively (wav; mp3/ogg/flac/m4a with ffmpeg), takes call metadata from calls.csv
        in the input folder when present (else from the file-name pattern, or agent id = folder name, call id = file name),
        transcribes and checks each call, and writes transcripts/<call_id>.json, calls.csv, findings.csv, agents.csv,
        agents/<agent_id>.csv and errors.csv for programs, and report.xlsx and coach/ (pages and clips per agent) for people,
        into --out, removing agent files of earlier runs. Transcripts of unchanged audio
        are reused. Every call is also recorded in the history. A second scan into the same --out is refused while one runs.
        """)
    {
        Arguments = [new ArgumentSpec("input folder", "Folder of recordings; its calls.csv (manifest) and qualityscan.yaml are read when present.")],
        Options =
        [
            new("out", "Output folder for reports, transcripts and qualityscan.log (required). {date} in it (e.g. /srv/qa/{date}, with --date) keeps one folder per night and a 'latest' link beside them to the newest night with reports, and puts the history beside them.") { ValueName = "folder", Alias = "-o" },
            new("date", "Scan only this day's calls: by start time in the time zone, else by a date folder in the path.") { ValueName = "yesterday|today|YYYY-MM-DD|DD.MM.YYYY", Default = "every call in the folder" },
            new("config", "Configuration file (model, rules, channel, file-name pattern, time zone, history, workers); the command line overrides it.") { ValueName = "file", Default = "qualityscan.yaml in the input folder, if any" },
            new("history", "SQLite history every call is recorded in; share one across nights and output folders.") { ValueName = "file", Default = "<out>/history.db" },
            new("time-zone", "IANA time zone of times without an offset (file names, manifest) and of --date.") { ValueName = "zone", Default = "Europe/Warsaw" },
            .. ModelLoading.Options(TranscriptionOptions.AutoLanguage),
            new("rules", "Rule pack file (replaces the shipped pack of its language) or folder of packs.") { ValueName = "file|folder", Default = "the shipped packs, Rules/*.yaml" },
            new("reviews", "Folder of coach review sheets (<agent>-review.xlsx or .csv, searched below it too) whose reviewed moments the learned layer is trained on at start, with the pack's examples.") { ValueName = "folder", Default = "none: the pack's examples only" },
            new("workers", "Transcription workers (1-64).") { ValueName = "N", Default = "one per 2 cores for models from whisper-base's size up (one per core for smaller ones), as far as the model's memory allows (qualityscan models list, models info)" },
            ReportOptions.LanguageOption,
            ReportOptions.NoClipsOption,
            NightPrivacy.KeepDaysOption,
            OptionSpec.Flag("force", "Transcribe every call again, even when a stored transcript matches its audio, model and settings."),
            OptionSpec.Flag("verbose", "Log engineering figures too: per-call times, stage times, ms/token, memory."),
            new("shard", "Transcribe only shard K of N of the night (numbered from 1) into the shared --out and write only this shard's result; 'qualityscan report' writes the reports.") { ValueName = "K/N", Default = $"{ShardEnvironment.ShardVariable}, else a Kubernetes Indexed Job's or a Slurm array's index, else the whole night" },
            new("run-id", "The night's id, the same for all its shards.") { ValueName = "id", Default = $"{ShardEnvironment.RunIdVariable}, else slurm-{ShardEnvironment.SlurmArrayJobIdVariable}" },
        ],
    };

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        var input = parsed.RequiredPositional(0, "the input folder of recordings");
        var outputArgument = parsed.Value("out") ?? throw new UsageException("--out <folder> is required");
        if (parsed.Positionals.Count > 1)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[1]}'");
        }

        ShardAssignment? shard;
        try
        {
            shard = ShardEnvironment.Resolve(parsed.Value("shard"), parsed.Value("run-id"), ShardEnvironment.Current());
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        return await NightService.ScanAsync(new NightScan(Spec, parsed, input, outputArgument, shard), cancellationToken).ConfigureAwait(false);
    }
}
