using QualityScan.Models.IO;
using System.Diagnostics;
using System.Globalization;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Transcription;
using Serilog;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>
/// The night as one service: what <c>scan</c> and <c>report</c> each do once their arguments are parsed. Scanning a
/// night (or one shard of it) runs configuration, discovery, the output lock, the model, transcription, the reports,
/// the history and <c>run.json</c> in that order; reporting a night from its shards' results checks the shards and
/// writes the same reports as one whole scan would have.
/// </summary>
public static class NightService
{
    /// <summary>Subfolder of the output folder holding the transcripts.</summary>
    public const string TranscriptsFolder = "transcripts";

    /// <summary>Scans the night <paramref name="scan"/> asks for (or its shard) and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> ScanAsync(NightScan scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        const string command = "scan";
        var (spec, parsed, input, outputArgument, shard) = (scan.Spec, scan.Arguments, scan.Input, scan.OutputArgument, scan.Shard);
        var commandLine = parsed;
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
            Command = command,
            Input = Path.GetFullPath(input),
            RulePacks = RunRecord.Describe(rules),
            Night = nightly.Night,
        };
        var found = discovered.Jobs.Count + discovered.Errors.Count;
        discovered = nightly.Select(discovered, log);
        record.Counts["recordings"] = discovered.Recordings;
        if (shard is null && discovered.Jobs.Count == 0 && discovered.Errors.Count == 0)
        {
            return EmptyNight(command, input, output, nightly, found, record, heldLock, logFile, log);
        }

        NightPrivacy.AtStart(nightly.Config, output, shard is null ? keepDays : null, nightly.Night ?? LocalTime.DayOf(DateTimeOffset.Now, nightly.Naming.Zone), record, log);

        if (ModelLoading.LoadForBatch(command, parsed, [settings.Language, .. rules.Languages], ModelLoading.DecoderCacheBeside(nightly.HistoryPath)) is not var (loaded, workers, workerReason))
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
        log.Debug("Memory: {Memory}; native heap on {Pages}", engine.MemorySummary(workers, settings.Transcription.BatchSize), HugePageHeap.Describe());
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
                : ShardRun.Start(shard, discovered, discovered.Errors.Select(mask).ToList(), ShardRun.ReplayArguments(commandLine, spec, input, nightly.Night), modelId, output, log);
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
        var reports = new NightReports(command, input, output, nightly, recordings, cache.PathFor, !parsed.Has("no-clips"), languages, modelId, rules)
        {
            DemoModel = engine.IsDemo,
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

    /// <summary>Writes the reports of a night scanned as shards into <paramref name="report"/>'s output folder and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> ReportAsync(NightReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string command = "report";
        var (parsed, output, outputArgument) = (report.Arguments, report.Output, report.OutputArgument);
        var shardsFolder = Path.Combine(output, ShardResult.Folder);
        if (!Directory.Exists(shardsFolder))
        {
            Console.Error.WriteLine($"qualityscan report: {shardsFolder} does not exist: no shard has written into {output} (run scan --shard K/N first)");
            return Task.FromResult(ExitCodes.Failure);
        }

        string runId;
        try
        {
            runId = ShardEnvironment.ResolveRunId(parsed.Value("run-id"), ShardEnvironment.Current()) ?? OnlyRun(shardsFolder);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        var check = ShardCheck.Of(output, runId);
        if (check.Results.Count == 0 && check.Problems.Count == 0)
        {
            Console.Error.WriteLine($"qualityscan report: no shard results of run {runId} in {ShardResult.RunFolder(output, runId)}");
            return Task.FromResult(ExitCodes.Failure);
        }

        var first = check.Results.Count > 0 ? check.Results[0] : null;
        if (first is null)
        {
            foreach (var problem in check.Problems)
            {
                Console.Error.WriteLine($"qualityscan report: {problem}");
            }

            return Task.FromResult(ExitCodes.Failure);
        }

        // The reports are built with the scan's own options, as the shards recorded them.
        var scanSpec = new ScanCommand().Spec;
        var scanArgs = CommandArguments.Parse(first.ScanArguments, scanSpec);
        var input = scanArgs.RequiredPositional(0, "the input folder");
        NightlyRun nightly;
        RuleBook rules;
        var reviewProblems = new List<string>();
        ReportLanguages languages;
        try
        {
            nightly = NightlyRun.Prepare(ref scanArgs, input, outputArgument);
            if (nightly.Output != output)
            {
                throw new UsageException($"the shards scanned the night {nightly.Night:yyyy-MM-dd}, not the one --date gives ({output})");
            }

            rules = RuleLoading.LoadWithLearning(scanArgs.Value("rules"), RuleLoading.ModelCacheBeside(nightly.HistoryPath), scanArgs.Value("reviews"), reviewProblems);
            languages = ReportOptions.LoadLanguages(scanArgs);
        }
        catch (Exception ex) when (ex is ConfigException or RulePackException or IOException or UsageException)
        {
            Console.Error.WriteLine($"qualityscan report: the shards' scan options ({string.Join(' ', first.ScanArguments)}): {ex.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        nightly.RunId = runId;
        nightly.StartedAt = check.Results.Min(r => r.StartedAt);
        if (OutputFolder.Prepare(output, ReportWriter.AgentsFolder) is { } outputProblem)
        {
            Console.Error.WriteLine($"qualityscan report: {outputProblem}");
            return Task.FromResult(ExitCodes.Failure);
        }

        // One report step per folder at a time (the lock is an exclusive create, which NFS honours); shards never take it.
        OutputLock outputLock;
        try
        {
            outputLock = OutputLock.Acquire(output, $"report of run {runId}");
        }
        catch (OutputLockedException ex)
        {
            Console.Error.WriteLine($"qualityscan report: {ex.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        using var heldLock = outputLock;
        using var log = Logging.Create(Path.Combine(output, "qualityscan.log"), parsed.Has("verbose"), nightly.Naming.Masking.MaskDigitRuns);
        foreach (var note in rules.ModelNotes)
        {
            log.Write(note.StartsWith("learned model used", StringComparison.Ordinal) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning, "{Rules}", note);
        }

        foreach (var problem in reviewProblems)
        {
            log.Warning("Review sheets for learning: {Problem}", problem);
        }

        var cache = new TranscriptCache(Path.Combine(output, TranscriptsFolder), first.Model);
        var record = new RunRecord { Command = command, Input = Path.GetFullPath(input), Model = first.Model, RulePacks = RunRecord.Describe(rules), StartedAt = nightly.StartedAt };
        record.Counts["recordings"] = first.Plan.Count + first.DiscoveryErrors.Count;
        record.Counts["shards"] = check.Count;
        var stale = AtomicFile.CleanStale(output).Concat(AtomicFile.CleanStale(Path.Combine(output, ReportWriter.AgentsFolder))).ToList();
        if (stale.Count > 0)
        {
            log.Information("Removed {Count} temporary file(s) left by an interrupted run: {Files}", stale.Count, string.Join(", ", stale));
        }

        log.Information("Report of run {RunId}: {Shards} shard(s), {Calls} call(s), input {Input}", runId, check.Count, first.Plan.Count, input);
        var reports = new List<CallReport>();
        var errors = new List<ErrorRow>();
        var missingCalls = new List<string>(check.MissingCalls);
        foreach (var result in check.Results.Where(r => r.Status == RunStatus.Complete))
        {
            errors.AddRange(result.Errors);
            foreach (var call in result.Calls)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stored = cache.TryGet(call.Job.CallId, call.AudioSha256, call.Settings, out var unreadable);
                if (stored is null)
                {
                    missingCalls.Add($"{call.Job.CallId} (shard {result.Shard}/{result.ShardCount}: {unreadable ?? "its transcript is missing from transcripts/ or was made since from other audio, model or settings"})");
                    continue;
                }

                // As a scan does with a stored transcript: the metadata of the night's discovery, the stored words.
                var metadata = call.Job.ToMetadata(stored.Transcript.Metadata.Language, stored.Transcript.Metadata.DurationSeconds);
                try
                {
                    reports.Add(rules.Analyze(stored.Transcript with { Metadata = metadata }));
                }
                catch (UnsupportedLanguageException ex)
                {
                    errors.Add(new ErrorRow { File = call.Job.RelativePath, CallId = call.Job.CallId, AgentId = call.Job.AgentId, Stage = "analyze", Reason = $"{call.Job.RelativePath}: {ex.Message}", Detail = ErrorDetails.Of("analyze", ex) });
                }
            }

            foreach (var (key, value) in result.Counts)
            {
                record.Counts[key] = key == "skippedFiles" ? value : record.Counts.GetValueOrDefault(key) + value;
            }
        }

        if (check.Problems.Count > 0 || missingCalls.Count > 0)
        {
            foreach (var problem in check.Problems)
            {
                log.Error("Run {RunId}: {Problem}", runId, problem);
            }

            if (missingCalls.Count > 0)
            {
                log.Error("Run {RunId}: {Count} call(s) not stored: {Calls}", runId, missingCalls.Count, string.Join("; ", missingCalls));
            }

            record.Status = RunStatus.Failed;
            record.EndedAt = DateTimeOffset.Now;
            record.ExitCode = ExitCodes.Failure;
            record.Night = nightly.Night;
            record.Reports = "earlier run";
            record.Problem = string.Create(CultureInfo.InvariantCulture,
                $"run {runId} is incomplete: {string.Join("; ", check.Problems)}{(check.Problems.Count > 0 && missingCalls.Count > 0 ? "; " : "")}{(missingCalls.Count > 0 ? $"{missingCalls.Count} call(s) missing: {string.Join(", ", missingCalls.Take(20))}{(missingCalls.Count > 20 ? ", ..." : "")}" : "")}; no reports were written, run the missing shards again and then report");
            NightReports.TryWriteRecord(record, output, log);
            Console.Error.WriteLine($"qualityscan report: {record.Problem}");
            return Task.FromResult(ExitCodes.Failure);
        }

        // The same order as a scan: discovery errors first, then the calls' errors by file.
        var allErrors = first.DiscoveryErrors.Concat(errors.OrderBy(e => e.File, StringComparer.Ordinal)).ToList();
        record.EndedAt = DateTimeOffset.Now;
        record.Status = RunStatus.Complete;
        record.Counts["reported"] = reports.Count;
        record.Counts["errors"] = allErrors.Count;
        var recordings = check.Results.SelectMany(r => r.Calls).ToDictionary(c => c.Job.CallId, c => c.Job.AudioPath, StringComparer.Ordinal);
        var demo = first.Model.StartsWith(ModelLoading.DemoModelType + "@", StringComparison.Ordinal);
        if (demo)
        {
            log.Warning("{Warning}", ModelLoading.DemoWarning);
            record.Warnings.Add(ModelLoading.DemoWarning);
        }

        var night = new NightReports(command, input, output, nightly, recordings, cache.PathFor, !scanArgs.Has("no-clips"), languages, first.Model, rules)
        {
            DemoModel = demo,
        };
        return Task.FromResult(night.Write(new ScanResult(reports, allErrors, Interrupted: false), allErrors, record, log, () =>
            log.Information("Done: run {RunId}, {Reported} call(s) reported from {Shards} shard(s), {Failed} could not be processed{SeeErrors}; reports in {Output}",
                runId, reports.Count, check.Count, allErrors.Count, allErrors.Count > 0 ? " (see errors.csv)" : "", Path.GetFullPath(output))));
    }


    /// <summary>
    /// No recording for the night: one line saying so, <c>run.json</c> "empty" (naming the night the reports beside it
    /// are of), and the reports of the last night with calls left as they were.
    /// </summary>
    private static int EmptyNight(string command, string input, string output, NightlyRun nightly, int found, RunRecord record, OutputLock? heldLock, string logFile, Serilog.ILogger log)
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


    /// <summary>The only run id under <c>shards/</c>; a usage error listing them when there are several.</summary>
    private static string OnlyRun(string shardsFolder)
    {
        var runs = Directory.EnumerateDirectories(shardsFolder).Select(d => new DirectoryInfo(d)).OrderByDescending(d => d.LastWriteTimeUtc).ToList();
        return runs.Count switch
        {
            1 => runs[0].Name,
            0 => throw new FormatException($"no run in {shardsFolder}"),
            _ => throw new FormatException($"{shardsFolder} holds {runs.Count} runs; say which with --run-id or {ShardEnvironment.RunIdVariable}: {string.Join(", ", runs.Select(r => r.Name))} (newest first)"),
        };
    }

}

/// <summary>What <c>scan</c> asks of <see cref="NightService.ScanAsync"/>: its parsed command line, the input folder, <c>--out</c> as given, and the shard (null for the whole night).</summary>
/// <param name="Spec">The scan command's options (a shard records its command line with them, for <c>report</c>).</param>
/// <param name="Arguments">The parsed command line.</param>
/// <param name="Input">The input folder of recordings.</param>
/// <param name="OutputArgument"><c>--out</c> as given (may hold <c>{date}</c>).</param>
/// <param name="Shard">The shard of the night this run scans, or null for the whole night.</param>
public sealed record NightScan(CommandSpec Spec, CommandArguments Arguments, string Input, string OutputArgument, ShardAssignment? Shard);

/// <summary>What <c>report</c> asks of <see cref="NightService.ReportAsync"/>: its parsed command line and the night's output folder.</summary>
/// <param name="Arguments">The parsed command line (<c>--run-id</c>, <c>--verbose</c>).</param>
/// <param name="Output">The night's output folder (<c>{date}</c> resolved).</param>
/// <param name="OutputArgument">The output folder as given.</param>
public sealed record NightReport(CommandArguments Arguments, string Output, string OutputArgument);
