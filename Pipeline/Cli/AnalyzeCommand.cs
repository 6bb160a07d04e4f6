using System.Diagnostics;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;
using Serilog;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan analyze &lt;transcript.json or folder&gt; --out &lt;folder&gt; [--rules &lt;file or folder&gt;]</c>.</summary>
public sealed class AnalyzeCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "analyze";

    /// <inheritdoc />
    public string Usage => """
        analyze <transcript.json | folder> --out <folder> [--rules <file | folder>] [--report-language pl|cs|en] [--verbose]
            Checks transcripts (the JSON form scan writes) and writes calls.csv, findings.csv, agents.csv,
            agents/<agent_id>.csv and errors.csv, and report.xlsx and coach/ (pages without clips: no audio here).
            A folder is searched recursively for *.json.
        """;

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, ["out", "rules", .. ReportOptions.ValueOptions], ["verbose"]);
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
        ReportLanguages languages;
        try
        {
            rules = RuleLoading.Load(parsed.Value("rules"));
            languages = ReportOptions.LoadLanguages(parsed);
        }
        catch (Exception ex) when (ex is RulePackException or IOException)
        {
            Console.Error.WriteLine($"qualityscan analyze: {ex.Message}");
            return Task.FromResult(ExitCodes.Failure);
        }

        Directory.CreateDirectory(output);
        using var log = Logging.Create(Path.Combine(output, "qualityscan.log"), parsed.Has("verbose"));
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
        }

        if (reports.Count == 0)
        {
            log.Error("No transcript could be read from {Input} ({Errors} error(s))", input, errors.Count);
            ReportWriter.WriteAll(output, reports, errors);
            return Task.FromResult(ExitCodes.Failure);
        }

        var people = new PeopleReports(languages.For(reports), new CoachSources(r => transcripts.GetValueOrDefault(r), _ => null));
        ReportWriter.WriteAll(output, reports, errors, people);
        log.Information("Analysed {Calls} call(s) in {Elapsed} ms; reports in {Output}", reports.Count, watch.ElapsedMilliseconds, output);
        Console.Out.Write(SummaryTable.Format(reports, errors.Count));
        return Task.FromResult(ExitCodes.Success);
    }
}
