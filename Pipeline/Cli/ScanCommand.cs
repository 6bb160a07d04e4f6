using System.Diagnostics;
using System.Globalization;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan scan &lt;input folder&gt; --out &lt;folder&gt;</c>: the nightly batch, recordings to reports.</summary>
public sealed class ScanCommand : ICommand
{
    /// <summary>Subfolder of the output folder holding the transcripts.</summary>
    public const string TranscriptsFolder = "transcripts";

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

        var commandLine = parsed;
        ShardAssignment? shard;
        try
        {
            shard = ShardEnvironment.Resolve(parsed.Value("shard"), parsed.Value("run-id"), ShardEnvironment.Current());
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        NightlyRun nightly;
        try
        {
            nightly = NightlyRun.Prepare(ref parsed, input, outputArgument);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"qualityscan scan: {ex.Message}");
            return ExitCodes.Failure;
        }

        NightPrivacy.BeforeOutput(nightly.Config);
        int? keepDays = parsed.Value("keep-days") is null ? null : parsed.Int("keep-days", 0, 1, 3650);
        var output = nightly.Output;
        var settings = ModelLoading.Settings(parsed, TranscriptionOptions.AutoLanguage);
        if (File.Exists(input))
        {
            Console.Error.WriteLine($"qualityscan scan: {input} is a file; scan takes the folder of recordings (qualityscan transcribe <file> handles one recording)");
            return ExitCodes.Usage;
        }

        if (!Directory.Exists(input))
        {
            Console.Error.WriteLine($"qualityscan scan: input folder {input} does not exist (is the recordings share mounted?); nothing was scanned or written");
            return ExitCodes.Failure;
        }


        if (OutputFolder.Prepare(output, TranscriptsFolder, ReportWriter.AgentsFolder) is { } outputProblem)
        {
            Console.Error.WriteLine($"qualityscan scan: {outputProblem}");
            return ExitCodes.Failure;
        }

        if (!Directory.EnumerateFileSystemEntries(input).Any())
        {
            // A share that failed to mount leaves an empty mount point: that is not a quiet night.
            Console.Error.WriteLine($"qualityscan scan: input folder {input} is empty, not even a subfolder or calls.csv (is the recordings share mounted?); nothing was scanned");
            return ExitCodes.Failure;
        }

        Analyzers.RuleBook rules;
        var reviewProblems = new List<string>();
        DiscoveryResult discovered;
        ReportLanguages languages;
        try
        {
            rules = RuleLoading.LoadWithLearning(parsed.Value("rules"), RuleLoading.ModelCacheBeside(nightly.HistoryPath), parsed.Value("reviews"), reviewProblems);
            languages = ReportOptions.LoadLanguages(parsed);
            discovered = CallDiscovery.Discover(input, nightly.Naming);
        }
        catch (Exception ex) when (ex is RulePackException or ManifestException or IOException)
        {
            Console.Error.WriteLine($"qualityscan scan: {ex.Message}");
            return ExitCodes.Failure;
        }

        // Shards of one night run at once into one shared folder: they take no lock (see ShardRun).
        OutputLock? outputLock = null;
        try
        {
            outputLock = shard is null ? OutputLock.Acquire(output, $"scan {Path.GetFullPath(input)}") : null;
        }
        catch (OutputLockedException ex)
        {
            Console.Error.WriteLine($"qualityscan scan: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"qualityscan scan: cannot write to the output folder {output} ({ex.Message})");
            return ExitCodes.Failure;
        }

        using var heldLock = outputLock;
        var session = RunSession.Get();
        var logFile = shard is null ? Path.Combine(output, "qualityscan.log") : ShardRun.LogPath(output, shard);
        await using var log = Logging.Create(logFile, parsed.Has("verbose"), nightly.Naming.Masking.MaskDigitRuns);
        session.Log = log;
        var record = new RunRecord
        {
            Command = Name,
            Input = Path.GetFullPath(input),
            RulePacks = RunRecord.Describe(rules),
            Night = nightly.Night,
        };
        var found = discovered.Jobs.Count + discovered.Errors.Count;
        discovered = nightly.Select(discovered, log);
        record.Counts["recordings"] = discovered.Recordings;
        if (shard is null && discovered.Jobs.Count == 0 && discovered.Errors.Count == 0)
        {
            return EmptyNight(input, output, nightly, found, record, heldLock, logFile, log);
        }

        NightPrivacy.AtStart(nightly.Config, output, shard is null ? keepDays : null, nightly.Night ?? LocalTime.DayOf(DateTimeOffset.Now, nightly.Naming.Zone), record, log);

        if (ModelLoading.LoadForBatch(Name, parsed, [settings.Language, .. rules.Languages], ModelLoading.DecoderCacheBeside(nightly.HistoryPath)) is not var (loaded, workers, workerReason))
        {
            return ExitCodes.Failure;
        }

        using var engine = loaded;
        settings = engine.Apply(settings);

        if (settings.Language != TranscriptionOptions.AutoLanguage && !engine.LanguageCodes.Contains(settings.Language))
        {
            throw new UsageException($"--language {settings.Language}: the model does not know it (it knows {string.Join(", ", engine.LanguageCodes.Take(12))}{(engine.LanguageCodes.Count > 12 ? ", ..." : "")}; or use auto)");
        }

        foreach (var note in rules.ModelNotes)
        {
            log.Write(note.StartsWith("learned model used", StringComparison.Ordinal) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning, "{Rules}", note);
        }

        foreach (var problem in reviewProblems)
        {
            log.Warning("Review sheets for learning: {Problem}", problem);
        }

        log.Information("Scanning {Input}: {Calls} recording(s), model {Model} ({Precision}, engine {Engine}), {Workers} worker(s), language {Language}{Config}",
            input, found, engine.ModelPath, engine.Precision, engine.Name, workers, settings.Language, nightly.Config.SourcePath is { } configPath ? ", configuration " + configPath : "");
        log.Information("{EngineKind}: {DecoderLayout}; model loaded in {LoadSeconds:F1} s", engine.Onnx is null ? "Engine" : "Decoder", engine.Description, engine.LoadTime.TotalSeconds);
        log.Debug("Memory: {Memory}", engine.MemorySummary(workers, settings.Transcription.BatchSize));
        log.Information("Workers: {WorkerReason}; windowing {Windowing} ({WindowingChoice}); hallucination phrases from {Hallucinations}",
            workerReason, settings.Transcription.Windowing.ToString().ToLowerInvariant(), settings.WindowingChoice, settings.Transcription.Hallucinations.Source);
        foreach (var warning in discovered.Warnings)
        {
            log.Warning("{Warning}", warning);
        }

        if (discovered.Skipped.Count > 0)
        {
            log.Information("Not recordings, skipped {Count} file(s): {Files}{More}", discovered.Skipped.Count,
                string.Join(", ", discovered.Skipped.Take(20)), discovered.Skipped.Count > 20 ? ", ..." : "");
        }

        foreach (var error in discovered.Errors.Take(WarningFolding.FirstOfEachKind))
        {
            log.Warning("Skipped {File}: {Reason}", error.File, error.Reason);
        }

        if (discovered.Errors.Count > WarningFolding.FirstOfEachKind)
        {
            log.Warning("... and {Count} more recording(s) skipped, each listed in errors.csv", discovered.Errors.Count - WarningFolding.FirstOfEachKind);
        }

        var candidates = rules.Languages.Where(engine.LanguageCodes.Contains).ToList();
        var decoder = new AudioDecoder();
        var processors = Enumerable.Range(0, workers).Select(_ => new CallProcessor(decoder, engine.CreateTranscriber(), settings, candidates)).ToList();
        var modelId = engine.Identity;
        var cache = new TranscriptCache(Path.Combine(output, TranscriptsFolder), modelId)
        {
            Redact = nightly.Config.RedactTranscripts ? t => MaskedReports.Mask(t, PersonalDataMasker.For(rules, languages.For([]))) : null,
        };
        List<string> stale = shard is not null ? []
            : cache.CleanStaleTemporaryFiles().Concat(AtomicFile.CleanStale(output)).Concat(AtomicFile.CleanStale(Path.Combine(output, ReportWriter.AgentsFolder))).ToList();
        if (stale.Count > 0)
        {
            log.Information("Removed {Count} temporary file(s) left by an interrupted run: {Files}", stale.Count, string.Join(", ", stale));
        }

        record.Model = modelId;
        record.Engine = engine.Name;
        record.ModelPath = engine.ModelPath;
        if (engine.IsDemo)
        {
            log.Warning("{Warning}", ModelLoading.DemoWarning);
            record.Warnings.Add(ModelLoading.DemoWarning);
        }

        // Decoder messages quote the recording's real path: no customer phone number may reach errors.csv through them.
        Func<ErrorRow, ErrorRow> mask = e => e with { Reason = nightly.Naming.Masking.MaskDigitRuns(e.Reason) };
        ShardRun? shardRun = null;
        try
        {
            shardRun = shard is null ? null
                : ShardRun.Start(shard, discovered, discovered.Errors.Select(mask).ToList(), ShardRun.ReplayArguments(commandLine, Spec, input, nightly.Night), modelId, output, log);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"qualityscan scan: cannot write the shard result into {output} ({ex.Message})");
            return ExitCodes.Failure;
        }

        if (shardRun is null && !NightReports.TryWriteRecord(record, output, log))
        {
            Console.Error.WriteLine($"qualityscan scan: cannot write to the output folder {output}");
            return ExitCodes.Failure;
        }

        if (shardRun is null)
        {
            session.Begin(record, output, heldLock, logFile);
        }

        var runner = new ScanRunner(processors, rules, cache, settings, parsed.Has("force"), log);
        session.Working(() => runner.InFlight is { Count: > 0 } files ? "processing " + string.Join(", ", files) : $"scanning {input}");
        var progress = new ScanProgress((shardRun?.Jobs ?? discovered.Jobs).Count, log, interactive: !Console.IsErrorRedirected);

        var wall = Stopwatch.StartNew();
        var result = await runner.RunAsync(shardRun?.Jobs ?? discovered.Jobs, progress, cancellationToken).ConfigureAwait(false);
        wall.Stop();
        progress.Finish();
        if (shardRun is not null)
        {
            return shardRun.Finish(result, runner.Statistics, result.Errors.Select(mask).ToList(), cache, output, log);
        }

        var errors = discovered.Errors.Concat(result.Errors).Select(mask).ToList();
        record.Counts["reported"] = result.Reports.Count;
        record.Counts["errors"] = errors.Count;
        record.Counts["transcribed"] = runner.Statistics.Transcribed;
        record.Counts["reused"] = runner.Statistics.Reused;
        record.Counts["transcriptsNotStored"] = runner.Statistics.CacheWriteFailed;
        record.Counts["skippedFiles"] = discovered.Skipped.Count;
        var recordings = discovered.Jobs.GroupBy(j => j.CallId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().AudioPath, StringComparer.Ordinal);
        var reports = new NightReports(Name, input, output, nightly, recordings, cache.PathFor, !parsed.Has("no-clips"), languages, modelId, rules)
        {
            Banner = engine.IsDemo ? ModelLoading.DemoWarning : null,
        };
        return reports.Write(result, errors, record, log, () =>
        {
            var modelStats = new TranscriptionStats();
            foreach (var p in processors)
            {
                modelStats.Add(p.Stats);
            }

            // The operator's log says what was done and what failed; engineering figures are for --verbose (and bench).
            var stats = runner.Statistics;
            log.Information("Done: {Reported} call(s) reported ({Transcribed} transcribed, {Reused} reused), {Failed} could not be processed{SeeErrors}; reports in {Output}",
                result.Reports.Count, stats.Transcribed, stats.Reused, errors.Count, errors.Count > 0 ? " (see errors.csv)" : "", Path.GetFullPath(output));
            log.Information("Decoding: {Decisions}", modelStats.DecisionSummary());
            log.Debug("{Summary}", stats.Describe(wall.Elapsed, modelStats).TrimEnd());
            log.Debug("Peak working set {PeakMb} MB, managed heap after the run {LiveMb} MB",
                Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024), GC.GetTotalMemory(forceFullCollection: true) / (1024 * 1024));
        });
    }

    /// <summary>
    /// No recording for the night: one line saying so, <c>run.json</c> "empty" (naming the night the reports beside it
    /// are of), and the reports of the last night with calls left as they were.
    /// </summary>
    private int EmptyNight(string input, string output, NightlyRun nightly, int found, RunRecord record, OutputLock? heldLock, string logFile, Serilog.ILogger log)
    {
        var what = nightly.Night is { } night
            ? string.Create(CultureInfo.InvariantCulture, $"no recording for the night {night:yyyy-MM-dd} in {input} ({found} recording(s) of other days)")
            : $"no recording found in {input}";
        var before = RunRecord.Peek(output);
        var reason = what + (before.Night is { } earlier && before.Status is "complete" or "partial"
            ? string.Create(CultureInfo.InvariantCulture, $"; the reports in this folder are of {earlier:yyyy-MM-dd}, left as they were")
            : "; no reports were written");
        log.Warning("Empty night: {Reason}", reason);
        var session = RunSession.Get();
        session.Begin(record, output, heldLock, logFile);
        var code = session.End(RunStatus.Empty, ExitCodes.EmptyNight, reason, "earlier run") ? ExitCodes.EmptyNight : ExitCodes.ReportsNotWritten;
        Console.Out.WriteLine(record.StatusLine());
        return code;
    }
}
