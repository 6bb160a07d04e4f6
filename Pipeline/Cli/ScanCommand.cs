using System.Diagnostics;
using System.Globalization;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan scan &lt;input folder&gt; --out &lt;folder&gt;</c>: the nightly batch, recordings to reports.</summary>
public sealed class ScanCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "scan";

    /// <inheritdoc />
    public string Usage => """
        scan <input folder> --out <folder> [--model <folder>] [--precision int8|fp32] [--language pl|cs|auto]
             [--rules <file | folder>] [--workers N] [--agent-channel left|right] [--merge-gap S] [--no-vad] [--force]
             [--verbose] [--report-language pl|cs|en] [--no-clips]
            Finds recordings recursively (wav; mp3/ogg/flac/m4a with ffmpeg), takes call metadata from calls.csv in
            the input folder when present (else agent id = folder name, call id = file name), transcribes and checks
            each call, and writes transcripts/<call_id>.json, calls.csv, findings.csv, agents.csv,
            agents/<agent_id>.csv and errors.csv for programs, and report.xlsx and coach/ (pages and clips per agent)
            for people, in --report-language (default: the language of most calls). Transcripts of unchanged audio
            are reused (--force redoes them). --no-clips leaves the audio clips out of the coach pack.
        """;

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, [.. ModelLoading.ValueOptions, .. ReportOptions.ValueOptions, "out", "rules", "workers"], ["force", "verbose", "no-vad", .. ReportOptions.Flags]);
        var input = parsed.RequiredPositional(0, "the input folder of recordings");
        var output = parsed.Value("out") ?? throw new UsageException("--out <folder> is required");
        if (parsed.Positionals.Count > 1)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[1]}'");
        }

        var workers = parsed.Int("workers", Math.Max(1, Environment.ProcessorCount), 1, 64);
        var settings = ModelLoading.Settings(parsed, TranscriptionOptions.AutoLanguage);
        if (!Directory.Exists(input))
        {
            Console.Error.WriteLine($"qualityscan scan: input folder {input} does not exist");
            return ExitCodes.Failure;
        }

        Analyzers.RuleBook rules;
        DiscoveryResult discovered;
        ReportLanguages languages;
        try
        {
            rules = RuleLoading.Load(parsed.Value("rules"));
            languages = ReportOptions.LoadLanguages(parsed);
            discovered = CallDiscovery.Discover(input);
        }
        catch (Exception ex) when (ex is RulePackException or ManifestException or IOException)
        {
            Console.Error.WriteLine($"qualityscan scan: {ex.Message}");
            return ExitCodes.Failure;
        }

        using var model = ModelLoading.TryLoad(Name, parsed, workers);
        if (model is null)
        {
            return ExitCodes.Failure;
        }

        if (settings.Language != TranscriptionOptions.AutoLanguage && !model.Info.LanguageCodes.Contains(settings.Language))
        {
            throw new UsageException($"--language {settings.Language}: the model does not know it (it knows {string.Join(", ", model.Info.LanguageCodes.Take(12))}{(model.Info.LanguageCodes.Count > 12 ? ", ..." : "")}; or use auto)");
        }

        Directory.CreateDirectory(output);
        await using var log = Logging.Create(Path.Combine(output, "qualityscan.log"), parsed.Has("verbose"));
        log.Information("Scanning {Input}: {Calls} recording(s), model {Model} ({Precision}), {Workers} worker(s), language {Language}",
            input, discovered.Jobs.Count, model.Folder, model.Precision, workers, settings.Language);
        foreach (var warning in discovered.Warnings)
        {
            log.Warning("{Warning}", warning);
        }

        foreach (var error in discovered.Errors)
        {
            log.Warning("Skipped {File}: {Reason}", error.File, error.Reason);
        }

        var candidates = rules.Languages.Where(model.Info.LanguageCodes.Contains).ToList();
        var decoder = new AudioDecoder();
        var processors = Enumerable.Range(0, workers).Select(_ => new CallProcessor(decoder, new WhisperTranscriber(model), settings, candidates)).ToList();
        var modelId = TranscriptCache.ModelIdentity(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model.Folder))), model.Files);
        var cache = new TranscriptCache(Path.Combine(output, "transcripts"), modelId);
        var runner = new ScanRunner(processors, rules, cache, settings, parsed.Has("force"), log);
        var progress = new ScanProgress(discovered.Jobs.Count, log, interactive: !Console.IsErrorRedirected);

        var wall = Stopwatch.StartNew();
        var result = await runner.RunAsync(discovered.Jobs, progress, cancellationToken).ConfigureAwait(false);
        wall.Stop();
        progress.Finish();

        var errors = discovered.Errors.Concat(result.Errors).ToList();
        var text = languages.For(result.Reports);
        var people = new PeopleReports(text, ReportOptions.ScanSources(input, cache.PathFor, clips: !parsed.Has("no-clips")));
        ReportWriter.WriteAll(output, result.Reports, errors, people);
        foreach (var warning in people.Warnings)
        {
            log.Warning("Coach pack: {Warning}", warning);
        }

        var modelStats = new TranscriptionStats();
        foreach (var p in processors)
        {
            modelStats.Add(p.Stats);
        }

        log.Information("{Summary}", runner.Statistics.Describe(wall.Elapsed, modelStats).TrimEnd());
        log.Information("Peak working set {PeakMb} MB, managed heap after the run {LiveMb} MB; reports in {Output}",
            Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024), GC.GetTotalMemory(forceFullCollection: true) / (1024 * 1024), Path.GetFullPath(output));
        Console.Out.Write(SummaryTable.Format(result.Reports, errors.Count));
        Console.Out.WriteLine(text.T("summary_written", ("workbook", Path.Combine(output, WorkbookWriter.FileName)), ("coach", Path.Combine(output, CoachPackWriter.Folder, "index.html"))));
        if (result.Interrupted)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"qualityscan scan: interrupted; {result.Reports.Count} call(s) reported, run again to continue"));
            return ExitCodes.Interrupted;
        }

        return result.Reports.Count == 0 && errors.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }
}
