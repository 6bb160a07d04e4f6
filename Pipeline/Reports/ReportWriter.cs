using QualityScan.Models.IO;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using QualityScan.Models;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Reports;

/// <summary>Writes the CSV quality reports of a batch into an output folder.</summary>
/// <remarks>
/// Files: <c>calls.csv</c>, <c>findings.csv</c>, <c>agents.csv</c>, <c>agents/&lt;agent_id&gt;.csv</c> and <c>errors.csv</c>.
/// Every file is written atomically (temporary file, then rename), with the invariant culture, and with
/// CSV-injection escaping on: transcripts quote customers, and a cell that starts with <c>=</c>, <c>+</c>,
/// <c>-</c> or <c>@</c> is prefixed with an apostrophe so a spreadsheet shows it as text.
/// </remarks>
public static class ReportWriter
{
    /// <summary>Name of the per-call report.</summary>
    public const string CallsFile = "calls.csv";

    /// <summary>Name of the per-finding report.</summary>
    public const string FindingsFile = "findings.csv";

    /// <summary>Name of the per-agent summary.</summary>
    public const string AgentsFile = "agents.csv";

    /// <summary>Name of the folder of per-agent coaching files.</summary>
    public const string AgentsFolder = "agents";

    /// <summary>Name of the file listing calls that could not be processed.</summary>
    public const string ErrorsFile = "errors.csv";

    /// <summary>The CSV settings every report uses.</summary>
    public static CsvConfiguration Configuration { get; } = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        NewLine = "\n",
    };

    /// <summary>Writes the CSV reports for <paramref name="reports"/> and <paramref name="errors"/> into <paramref name="outputFolder"/>.</summary>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> WriteAll(string outputFolder, IReadOnlyList<CallReport> reports, IReadOnlyList<ErrorRow> errors) =>
        WriteAll(outputFolder, reports, errors, null);

    /// <summary>
    /// Writes the CSV reports and, when <paramref name="people"/> is given, the reports people open: <c>report.xlsx</c>
    /// and the coach pack (<c>coach/</c>) in its language.
    /// </summary>
    /// <returns>The paths written (the coach pack as its <c>index.html</c>).</returns>
    public static IReadOnlyList<string> WriteAll(string outputFolder, IReadOnlyList<CallReport> reports, IReadOnlyList<ErrorRow> errors, PeopleReports? people)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(errors);
        Directory.CreateDirectory(outputFolder);
        var masker = people is null ? PersonalDataMasker.English : people.Masker ?? PersonalDataMasker.For(new Analyzers.RuleBook([]), people.Text);
        var shown = MaskedReports.Of(reports, people?.Sources ?? CoachSources.None, masker);
        reports = shown.Reports;
        people = people is null ? null : people with { Sources = shown.Sources, Text = people.Text.WithCheckNamesOf(reports) };
        var team = people is null ? null : TeamSummary.Of(reports);
        if (people is { CoachPack: true })
        {
            // First, so that a review sheet that cannot be read is a row of errors.csv and of the workbook's errors sheet.
            var problems = CoachPackWriter.WriteReviewSheets(outputFolder, team!, people.Text);
            people.AddedErrors.AddRange(problems.Select(p => p.ToErrorRow()));
            errors = [.. errors, .. people.AddedErrors];
            people.Warnings.AddRange(problems.Select(p => p.Reason));
        }

        var ordered = reports.OrderBy(r => r.Metadata.AgentId, StringComparer.Ordinal).ThenBy(r => r.Metadata.CallId, StringComparer.Ordinal).ToList();
        var checks = CheckIds.Of(ordered);
        var written = new List<string>
        {
            Write(Path.Combine(outputFolder, CallsFile), ordered.Select(ReportRows.ToCallRow), new CallRowMap(checks)),
            Write(Path.Combine(outputFolder, FindingsFile), ordered.SelectMany(ReportRows.ToFindingRows), new FindingRowMap()),
            Write(Path.Combine(outputFolder, AgentsFile), ReportRows.ToAgentRows(ordered), new AgentRowMap(checks)),
            Write(Path.Combine(outputFolder, ErrorsFile), errors, new ErrorRowMap()),
        };

        var agentsFolder = Path.Combine(outputFolder, AgentsFolder);
        foreach (var group in ordered.GroupBy(r => r.Metadata.AgentId, StringComparer.Ordinal))
        {
            var path = Path.Combine(agentsFolder, SafeFileName(group.Key) + ".csv");
            written.Add(Write(path, ReportRows.ToCoachingRows(group), new CoachingRowMap()));
        }

        if (people is not null && team is not null)
        {
            var workbook = Path.Combine(outputFolder, WorkbookWriter.FileName);
            WorkbookWriter.Write(workbook, team, errors, people);
            written.Add(workbook);
            if (people.CoachPack)
            {
                people.Warnings.AddRange(CoachPackWriter.Write(outputFolder, team, people));
                written.Add(Path.Combine(outputFolder, CoachPackWriter.Folder, "index.html"));
            }
        }

        return written;
    }

    /// <summary>Reads rows back with the same settings and map (used by <c>evaluate</c> and tests).</summary>
    public static IReadOnlyList<T> Read<T, TMap>(string path)
        where TMap : ClassMap<T>
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, Configuration);
        csv.Context.RegisterClassMap<TMap>();
        return csv.GetRecords<T>().ToList();
    }

    /// <summary>The file name (without extension) for an agent or call id: one-to-one and bounded, see <see cref="IdFileName"/>.</summary>
    public static string SafeFileName(string id) => IdFileName.For(id);

    /// <summary>Writes <paramref name="rows"/> as a CSV file with the report settings, atomically.</summary>
    /// <remarks>UTF-8 with a byte-order mark, so that a spreadsheet opening the file by double-click reads Polish and Czech letters right.</remarks>
    public static string WriteCsv<T>(string path, IEnumerable<T> rows, ClassMap<T> map) => Write(path, rows, map);

    private static string Write<T>(string path, IEnumerable<T> rows, ClassMap<T> map)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
            using var csv = new CsvWriter(writer, Configuration);
            csv.Context.RegisterClassMap(map);
            csv.WriteRecords(rows);
        });
        return path;
    }
}
