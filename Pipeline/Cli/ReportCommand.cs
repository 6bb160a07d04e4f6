using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.Reports;
using Serilog;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// <c>qualityscan report &lt;output folder&gt;</c>: once every shard of a night (<c>scan --shard K/N</c>) has finished, builds
/// the night's reports, history and <c>run.json</c> from the stored transcripts and the shards' results, exactly as one
/// whole <c>scan</c> would have.
/// </summary>
public sealed partial class ReportCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "report";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("report", """
        Builds the reports of a night scanned as shards (scan --shard K/N on several machines or scheduler tasks): reads
        shards/<run id>/ in the output folder, checks that every shard finished and every call is stored, and writes
        calls.csv, findings.csv, agents.csv, agents/, errors.csv, report.xlsx, coach/, the history rows and run.json as one
        scan of the whole night would, with the scan's own options. Names the missing shards and calls, and writes no
        reports, when any are missing (exit 1): run those shards again, then report again.
        """)
    {
        Arguments = [new ArgumentSpec("output folder", "The --out folder the shards wrote into; with {date} (e.g. /srv/qa/{date}) give --date, and the 'latest' link beside the nights' folders is kept.")],
        Options =
        [
            new("date", "The night, for an output folder with {date}: the shards' --date.") { ValueName = "yesterday|today|YYYY-MM-DD" },
            new("run-id", "The night's run id (a folder under shards/).") { ValueName = "id", Default = $"{ShardEnvironment.RunIdVariable}, else the only run in shards/" },
            OptionSpec.Flag("verbose", "Log engineering figures too."),
        ],
    };

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        var outputArgument = parsed.RequiredPositional(0, "the output folder the shards wrote into");
        if (parsed.Positionals.Count > 1)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[1]}'");
        }

        var output = outputArgument;
        if (NightFolder.IsPattern(outputArgument))
        {
            if (parsed.Value("date") is not { } date)
            {
                throw new UsageException($"{outputArgument}: {NightFolder.Placeholder} names the night's folder, so --date is required");
            }

            try
            {
                // The time zone of "yesterday" is the shards' (checked against their --date below); the default zone here.
                output = NightFolder.Resolve(outputArgument, NightSelection.ParseDate(date, DateTimeOffset.UtcNow, Naming.LocalTime.Zone(Naming.LocalTime.DefaultZoneId)));
            }
            catch (FormatException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

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

        var cache = new TranscriptCache(Path.Combine(output, ScanCommand.TranscriptsFolder), first.Model);
        var record = new RunRecord { Command = Name, Input = Path.GetFullPath(input), Model = first.Model, RulePacks = RunRecord.Describe(rules), StartedAt = nightly.StartedAt };
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

        var night = new NightReports(Name, input, output, nightly, recordings, cache.PathFor, !scanArgs.Has("no-clips"), languages, first.Model, rules)
        {
            DemoModel = demo,
        };
        return Task.FromResult(night.Write(new ScanResult(reports, allErrors, Interrupted: false), allErrors, record, log, () =>
            log.Information("Done: run {RunId}, {Reported} call(s) reported from {Shards} shard(s), {Failed} could not be processed{SeeErrors}; reports in {Output}",
                runId, reports.Count, check.Count, allErrors.Count, allErrors.Count > 0 ? " (see errors.csv)" : "", Path.GetFullPath(output))));
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

    /// <summary>The shard files of one run, read and checked against each other.</summary>
    private sealed partial record ShardCheck(int Count, IReadOnlyList<ShardResult> Results, IReadOnlyList<string> Problems, IReadOnlyList<string> MissingCalls)
    {
        public static ShardCheck Of(string output, string runId)
        {
            var folder = ShardResult.RunFolder(output, runId);
            var results = new List<ShardResult>();
            var problems = new List<string>();
            var files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "shard-*-of-*.json").Order(StringComparer.Ordinal).ToList() : [];
            foreach (var file in files)
            {
                try
                {
                    var result = ShardResult.Read(file);
                    var name = StemPattern().Match(Path.GetFileName(file));
                    if (result.RunId != runId || !name.Success || name.Groups[1].Value != result.Shard.ToString(CultureInfo.InvariantCulture) || name.Groups[2].Value != result.ShardCount.ToString(CultureInfo.InvariantCulture))
                    {
                        problems.Add($"{file} is not shard {name.Groups[1].Value}/{name.Groups[2].Value} of run {runId} (it says shard {result.Shard}/{result.ShardCount} of run {result.RunId}); left out");
                        continue;
                    }

                    results.Add(result);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    problems.Add(ex.Message);
                }
            }

            var counts = results.Select(r => r.ShardCount).Distinct().ToList();
            if (counts.Count > 1)
            {
                problems.Add($"the shard results of run {runId} disagree on the number of shards ({string.Join(", ", counts)}): the run was started with different --shard counts");
                return new ShardCheck(0, results, problems, []);
            }

            if (results.Count == 0)
            {
                return new ShardCheck(0, results, problems, []);
            }

            var count = counts[0];
            var reference = results.OrderBy(r => r.Shard).First();
            foreach (var other in results.Where(r => r != reference))
            {
                if (other.PlanFingerprint != reference.PlanFingerprint || other.Model != reference.Model || !other.ScanArguments.SequenceEqual(reference.ScanArguments))
                {
                    problems.Add($"shard {other.Shard}/{count} saw another night than shard {reference.Shard}/{count} (plan {other.PlanFingerprint} vs {reference.PlanFingerprint}, model {other.Model} vs {reference.Model}, arguments '{string.Join(' ', other.ScanArguments)}' vs '{string.Join(' ', reference.ScanArguments)}'): the input, the model or the options changed between shards; run shard {other.Shard} again");
                }
            }

            var missing = new List<string>();
            for (var number = 1; number <= count; number++)
            {
                var result = results.FirstOrDefault(r => r.Shard == number);
                var planned = reference.Plan.Where(p => p.Shard == number).ToList();
                if (result is null || result.Status != RunStatus.Complete)
                {
                    problems.Add(result is null
                        ? $"shard {number}/{count} has no result (never started, or its folder is not this one)"
                        : $"shard {number}/{count} is {result.Status.ToString().ToLowerInvariant()} (started {result.StartedAt:yyyy-MM-dd HH:mm:ss zzz} on {result.Host}{(result.Status == RunStatus.Running ? "; killed, or still running" : "")})");
                    missing.AddRange(planned.Select(p => $"{p.CallId} (shard {number}/{count})"));
                    continue;
                }

                var done = result.Calls.Select(c => c.Job.CallId).Concat(result.Errors.Select(e => e.CallId ?? "")).ToHashSet(StringComparer.Ordinal);
                missing.AddRange(planned.Where(p => !done.Contains(p.CallId)).Select(p => $"{p.CallId} (shard {number}/{count}: not done)"));
            }

            return new ShardCheck(count, results.OrderBy(r => r.Shard).ToList(), problems, missing);
        }

        [GeneratedRegex(@"^shard-([0-9]+)-of-([0-9]+)\.json$")]
        private static partial Regex StemPattern();
    }
}
