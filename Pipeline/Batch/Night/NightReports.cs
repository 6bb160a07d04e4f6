using System.Globalization;
using QualityScan.Analyzers;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Reports;
using Serilog;
using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>What a night's judged calls become, written once: by <c>scan</c> on one machine, or by <c>report</c> after the shards.</summary>
/// <param name="Command">The command name, for messages.</param>
/// <param name="Input">The input folder of recordings (clips are cut only from inside it).</param>
/// <param name="Output">The output folder.</param>
/// <param name="Nightly">Configuration, night, history.</param>
/// <param name="Recordings">Each call id's recording, for the coach clips.</param>
/// <param name="TranscriptPathOf">Each call id's stored transcript, for the coach pages.</param>
/// <param name="Clips">False for <c>--no-clips</c>.</param>
/// <param name="Languages">The report texts.</param>
/// <param name="ModelId">The speech model's identity, for the history.</param>
/// <param name="Rules">The rule packs, for the history.</param>
public sealed record NightReports(
    string Command,
    string Input,
    string Output,
    NightlyRun Nightly,
    IReadOnlyDictionary<string, string> Recordings,
    Func<string, string> TranscriptPathOf,
    bool Clips,
    ReportLanguages Languages,
    string ModelId,
    RuleBook Rules)
{
    /// <summary>
    /// True when the calls were transcribed by the demo model: the coach index and the workbook's first sheet then warn,
    /// in the report language, that it cannot transcribe human voices.
    /// </summary>
    public bool DemoModel { get; init; }

    /// <summary>
    /// Writes the CSV files, the workbook, the coach pack, the history and <c>run.json</c> (status, exit code and reason
    /// from how the night ended), prints the summary and returns the exit code: 0 complete, 3 with error rows (calls, or
    /// review sheets that could not be read), 1 when
    /// the history failed or no call could be processed, 4 when the reports or <c>run.json</c> could not be written,
    /// 130 when <paramref name="result"/> was interrupted.
    /// </summary>
    /// <param name="result">The judged calls.</param>
    /// <param name="errors">Every error row (discovery and processing), phone numbers already masked.</param>
    /// <param name="record">The run record to finish.</param>
    /// <param name="log">The operator's log.</param>
    /// <param name="done">Logs the command's closing figures after the reports and before the summary.</param>
    public int Write(ScanResult result, IReadOnlyList<ErrorRow> errors, RunRecord record, ILogger log, Action? done = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(log);
        var session = RunSession.Get();
        session.EnsureBegun(record, Output);
        record.Night = Nightly.Night;
        var text = Languages.For(result.Reports);
        var people = new PeopleReports(text, ReportOptions.ScanSources(Input, TranscriptPathOf, id => Recordings.GetValueOrDefault(id), Clips))
        {
            Night = Nightly.Night,
            Trend = NightTrend.Load(Nightly.HistoryPath, result.Reports, Nightly.Night, Nightly.Naming.Zone, log),
            InputFolder = Input,
            Masker = PersonalDataMasker.For(Rules, text),
            Banner = DemoModel ? text.T("banner_demo_model") : null,
        };
        IReadOnlyList<string> written;
        session.WritingReports(true);
        session.Working(() => $"writing the reports into {Output}");
        try
        {
            written = ReportWriter.WriteAll(Output, result.Reports, errors, people);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var problem = $"the reports could not be written to {Output}: {ex.Message}";
            log.Error("The reports could not be written to {Output}: {Reason}; the transcripts are stored, run again when the folder is writable", Output, ex.Message);
            session.End(RunStatus.Failed, ExitCodes.ReportsNotWritten, problem, RunSession.PartialReports);
            Console.Error.WriteLine($"qualityscan {Command}: {problem}; transcripts made so far are kept, run again to write the reports");
            return ExitCodes.ReportsNotWritten;
        }

        session.WritingReports(false);
        foreach (var warning in people.Warnings)
        {
            log.Warning("Coach pack: {Warning}", warning);
        }

        session.Working(() => $"recording the night in the history {Nightly.HistoryPath}");
        var historyProblem = Nightly.Finish(Input, Output, written, result, errors, ModelId, Rules, log);
        var recordings = record.Counts.GetValueOrDefault("recordings");

        // A review sheet that cannot be read is an error row like a call's: counted, and the night is not "complete".
        var sheets = people.AddedErrors.Count;
        record.Counts["errors"] = errors.Count + sheets;
        var sheetsToo = sheets == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; {sheets} review sheet(s) could not be read");
        var (status, code, reason) = result.Interrupted
            ? (RunStatus.Interrupted, ExitCodes.Interrupted, string.Create(CultureInfo.InvariantCulture, $"interrupted: the reports cover {result.Reports.Count} of {recordings} recording(s); run again to finish"))
            : historyProblem is not null ? (RunStatus.Failed, ExitCodes.Failure, historyProblem)
            : result.Reports.Count == 0 && errors.Count > 0 ? (RunStatus.Failed, ExitCodes.Failure, string.Create(CultureInfo.InvariantCulture, $"no call could be processed ({errors.Count} error row(s), see errors.csv){sheetsToo}"))
            : errors.Count > 0 ? (RunStatus.Partial, ExitCodes.PartialFailure, string.Create(CultureInfo.InvariantCulture, $"{errors.Count} recording(s) could not be processed (see errors.csv){sheetsToo}; {result.Reports.Count} call(s) reported"))
            : sheets > 0 ? (RunStatus.Partial, ExitCodes.PartialFailure, string.Create(CultureInfo.InvariantCulture, $"every call was processed, but {sheets} review sheet(s) could not be read and were left untouched (see errors.csv); {result.Reports.Count} call(s) reported"))
            : (RunStatus.Complete, ExitCodes.Success, (string?)null);
        if (!session.End(status, code, reason, "this run"))
        {
            // The log (written by the session) and the exit code say it: a run.json that cannot be trusted is a report not written.
            code = ExitCodes.ReportsNotWritten;
        }

        if (code is ExitCodes.Success or ExitCodes.PartialFailure && Nightly.OutputPattern is { } pattern && Nightly.Night is { } night)
        {
            try
            {
                log.Information("Latest: {Link}", NightFolder.UpdateLatest(pattern, night));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                log.Warning("The {Link} link beside the nights' folders could not be updated: {Reason}", NightFolder.LatestLink, ex.Message);
            }
        }

        done?.Invoke();
        Console.Out.Write(SummaryTable.Format(result.Reports, errors.Count, sheets));
        Console.Out.WriteLine(record.StatusLine() + (code == ExitCodes.ReportsNotWritten ? $" ({RunRecord.FileName} could not be written)" : ""));
        Console.Out.WriteLine(text.T("summary_written", ("workbook", Path.Combine(Output, WorkbookWriter.FileName)), ("coach", Path.Combine(Output, CoachPackWriter.Folder, "index.html"))));
        if (result.Interrupted)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"qualityscan {Command}: interrupted; {result.Reports.Count} call(s) reported, run again to continue"));
        }

        return code;
    }

    /// <summary>Writes <c>run.json</c>; false (and a log line) when the folder refuses it.</summary>
    public static bool TryWriteRecord(RunRecord record, string output, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            record.Write(output);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Error("Could not write {File} in {Output}: {Reason}", RunRecord.FileName, output, ex.Message);
            return false;
        }
    }
}
