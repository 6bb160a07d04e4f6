using System.Diagnostics;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;
using Serilog;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan analyze &lt;transcript.json or folder&gt; --out &lt;folder&gt; [--rules &lt;file or folder&gt;]</c>.</summary>
public sealed class AnalyzeCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "analyze";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("analyze", """
        Checks transcripts (the JSON form scan writes, e.g. edited by hand) and writes calls.csv, findings.csv, agents.csv,
        agents/<agent_id>.csv and errors.csv, and report.xlsx and coach/ (pages without clips: no audio here).
        """)
    {
        Arguments = [new ArgumentSpec("transcript.json | folder", "A transcript, or a folder searched recursively for *.json.")],
        Options =
        [
            new("out", "Output folder for the reports (required).") { ValueName = "folder", Alias = "-o" },
            new("rules", "Rule pack file (replaces the shipped pack of its language) or folder of packs.") { ValueName = "file|folder", Default = "the shipped packs, Rules/*.yaml" },
            new("reviews", "Folder of coach review sheets (<agent>-review.xlsx or .csv, searched below it too) whose reviewed moments the learned layer is trained on at start, with the pack's examples.") { ValueName = "folder", Default = "none: the pack's examples only" },
            ReportOptions.LanguageOption,
            OptionSpec.Flag("verbose", "Log engineering figures too."),
        ],
    };

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        var input = parsed.RequiredPositional(0, "a transcript file or folder");
        var output = parsed.Value("out") ?? throw new UsageException("--out <folder> is required");
        if (parsed.Positionals.Count > 1)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[1]}'");
        }

        List<string> files;
        if (File.Exists(input))
        {
            files = [input];
        }
        else if (Directory.Exists(input))
        {
            var outFull = Path.GetFullPath(output);
            files = Directory.EnumerateFiles(input, "*.json", SearchOption.AllDirectories)
                .Where(f => !Path.GetFullPath(f).StartsWith(outFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        else
        {
            Console.Error.WriteLine($"qualityscan analyze: {input} does not exist");
            return Task.FromResult(ExitCodes.Failure);
        }

        RuleBook rules;
        var reviewProblems = new List<string>();
        ReportLanguages languages;
        try
        {
            rules = RuleLoading.LoadWithLearning(parsed.Value("rules"), Path.Combine(output, RuleLoading.ModelCacheFolderName), parsed.Value("reviews"), reviewProblems);
            languages = ReportOptions.LoadLanguages(parsed);
        }
        catch (Exception ex) when (ex is RulePackException or IOException)
        {
            Console.Error.WriteLine($"qualityscan analyze: {ex.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        if (OutputFolder.Prepare(output, ReportWriter.AgentsFolder) is { } outputProblem)
        {
            Console.Error.WriteLine($"qualityscan analyze: {outputProblem}");
            return Task.FromResult(ExitCodes.Failure);
        }

        using var log = Logging.Create(Path.Combine(output, "qualityscan.log"), parsed.Has("verbose"));
        foreach (var note in rules.ModelNotes)
        {
            log.Write(note.StartsWith("learned model used", StringComparison.Ordinal) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning, "{Rules}", note);
        }

        foreach (var problem in reviewProblems)
        {
            log.Warning("Review sheets for learning: {Problem}", problem);
        }

        var watch = Stopwatch.StartNew();
        var reports = new List<CallReport>();
        var errors = new List<ErrorRow>();
        var transcripts = new Dictionary<CallReport, CallTranscript>(ReferenceEqualityComparer.Instance);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var call = TranscriptJson.Read(file).Transcript;
                var report = rules.Analyze(call);
                reports.Add(report);
                transcripts[report] = call;
            }
            catch (Exception ex) when (ex is TranscriptFormatException or UnsupportedLanguageException)
            {
                log.Warning("Skipped {File}: {Reason}", file, ex.Message);
                errors.Add(new ErrorRow { File = file, Stage = ex is TranscriptFormatException ? "transcript" : "rules", Reason = ex.Message });
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                // Whatever one transcript does to the checks, it costs that transcript only.
                log.Warning("Skipped {File}: {Reason}", file, ex.Message);
                errors.Add(new ErrorRow { File = file, Stage = "analyze", Reason = $"{file}: {ex.Message}" });
            }
        }

        var record = new RunRecord { Command = Name, Input = Path.GetFullPath(input), RulePacks = RunRecord.Describe(rules), EndedAt = DateTimeOffset.Now, Status = RunStatus.Complete, ExitCode = ExitCodes.Success, Reports = "this run" };
        if (reports.Count == 0)
        {
            (record.Status, record.ExitCode, record.Problem) = (RunStatus.Failed, ExitCodes.Failure, $"no transcript could be read ({errors.Count} error row(s), see errors.csv)");
        }
        else if (errors.Count > 0)
        {
            (record.Status, record.ExitCode, record.Problem) = (RunStatus.Partial, ExitCodes.PartialFailure, $"{errors.Count} transcript(s) could not be read (see errors.csv); {reports.Count} call(s) reported");
        }

        record.Counts["transcripts"] = files.Count;
        record.Counts["reported"] = reports.Count;
        record.Counts["errors"] = errors.Count;
        IReadOnlyList<string> written;
        var text = languages.For(reports);
        var people = new PeopleReports(text, new CoachSources(r => transcripts.GetValueOrDefault(r), _ => null)) { Masker = PersonalDataMasker.For(rules, text) };
        try
        {
            written = ReportWriter.WriteAll(output, reports, errors, people);
            record.Write(output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Error("The reports could not be written to {Output}: {Reason}", output, ex.Message);
            Console.Error.WriteLine($"qualityscan analyze: the reports could not be written to {output}: {ex.Message}");
            return Task.FromResult(ExitCodes.ReportsNotWritten);
        }

        foreach (var warning in people.Warnings)
        {
            log.Warning("Coach pack: {Warning}", warning);
        }

        if (reports.Count == 0)
        {
            log.Error("No transcript could be read from {Input} ({Errors} error(s))", input, errors.Count);
            return Task.FromResult(ExitCodes.Failure);
        }

        var removed = StaleReports.RemoveAgentFiles(output, written);
        if (removed.Count > 0)
        {
            log.Information("Removed {Count} agent file(s) left by an earlier run, of agents with no call in this one: {Files}", removed.Count, string.Join(", ", removed));
        }

        log.Information("Analysed {Calls} call(s), {Failed} could not be read; reports in {Output}", reports.Count, errors.Count, output);
        log.Debug("Analysis took {Elapsed} ms", watch.ElapsedMilliseconds);
        Console.Out.Write(SummaryTable.Format(reports, errors.Count));
        Console.Out.WriteLine(record.StatusLine());
        return Task.FromResult(errors.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success);
    }
}
