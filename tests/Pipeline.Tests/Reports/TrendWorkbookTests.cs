using System.Diagnostics;
using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Naming;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Tests.Audio;
using Serilog;
using QualityScan.Pipeline.Batch.Night;
using C = DocumentFormat.OpenXml.Drawing.Charts;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>
/// report.xlsx after four nights: three stored in a real SQLite history, tonight's written with it. Read back with the
/// Open XML SDK (the chart parts, their series and cached values, date cells, print setup) and converted by LibreOffice.
/// </summary>
/// <remarks>The expected means are worked out by hand from the scores below, not by the code under test.</remarks>
public sealed class TrendWorkbookTests
{
    private static readonly DateOnly Tonight = new(2026, 11, 22);
    private static readonly TimeZoneInfo Warsaw = LocalTime.Zone("Europe/Warsaw");

    // Night: (call id, agent, score, greeting passed).
    private static readonly (DateOnly Night, (string Id, string Agent, double Score, bool Greeting)[] Calls)[] Nights =
    [
        (new(2026, 11, 19), [("a1", "polszewski", 40, false), ("a2", "polszewski", 60, false), ("a3", "kkowalska", 90, true)]),
        (new(2026, 11, 20), [("b1", "polszewski", 70, true), ("b2", "kkowalska", 80, true), ("b3", "kkowalska", 100, true)]),
        (new(2026, 11, 21), [("c1", "polszewski", 80, true)]),
        (Tonight, [("d1", "polszewski", 90, true), ("d2", "polszewski", 100, true), ("d3", "kkowalska", 60, false)]),
    ];

    private string _out = "";

    [SetUp]
    public void SetUp() => _out = Path.Combine(Path.GetTempPath(), $"qs-trend-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Test]
    public void Write_FourNights_TrendSheetHasALineChartOfTheTeamAndEachAgent()
    {
        using var document = SpreadsheetDocument.Open(WriteFourNights(), isEditable: false);

        var charts = Charts(document, "Trend");
        Assert.That(charts, Has.Count.EqualTo(2), "a score chart and a pass-rate chart");
        var scores = Series(charts[0]);
        Assert.That(scores.Select(s => s.Name), Is.EqualTo(new[] { "Zespół", "Katarzyna Kowalska", "Przemysław Olszewski" }),
            "the team first, then tonight's agents worst first");
        Assert.That(scores[0].Values, Is.EqualTo(new double?[] { 63.3, 83.3, 80, 83.3 }), "team mean per night: (40+60+90)/3, (70+80+100)/3, 80, (90+100+60)/3");
        Assert.That(scores[1].Values, Is.EqualTo(new double?[] { 90, 90, null, 60 }), "an agent absent one night has no point that night");
        Assert.That(scores[2].Values, Is.EqualTo(new double?[] { 50, 70, 80, 95 }), "tonight's 90 and 100 replace the call stored earlier for the same day");
        Assert.That(scores[0].Categories, Is.EqualTo(Nights.Select(n => (double)(n.Night.DayNumber - new DateOnly(1899, 12, 30).DayNumber))),
            "one category per night, as date values");

        var greeting = Series(charts[1])[0];
        Assert.That(greeting.Name, Is.EqualTo("Powitanie: % zaliczonych"));
        Assert.That(greeting.Values, Is.EqualTo(new double?[] { 0.333, 1, 1, 0.667 }), "the team's greeting pass rate per night");
        Assert.That(Series(charts[1]), Has.Count.EqualTo(CheckIds.All.Count), "one line per check");
    }

    [Test]
    public void Write_FourNights_ChartSeriesPointAtTableCellsHoldingTheSameValues()
    {
        using var document = SpreadsheetDocument.Open(WriteFourNights(), isEditable: false);

        foreach (var series in Charts(document, "Trend").SelectMany(Series))
        {
            var fromCells = ValuesAt(document, series.Formula);
            Assert.That(fromCells, Is.EqualTo(series.Values), $"{series.Formula}: a spreadsheet that redraws the chart from the cells draws the same line");
        }

        Assert.That(Text(document, "Trend", "A1"), Is.EqualTo("Trend z ostatnich 8 tygodni historii: 28.09.2026–22.11.2026"));
        Assert.That(FormatOf(document, "Trend", "A21"), Is.EqualTo("dd.mm.yyyy"), "nights are dates shown the Polish way");
    }

    [Test]
    public void Write_FourNights_FirstSheetNamesTheNightAndPrintsOnA4Landscape()
    {
        using var document = SpreadsheetDocument.Open(WriteFourNights(), isEditable: false);

        Assert.That(Text(document, "Konsultanci", "A1"), Is.EqualTo("Noc 22.11.2026 (niedziela)"));
        var sheet = Worksheet(document, "Konsultanci");
        var setup = sheet.GetFirstChild<PageSetup>()!;
        Assert.That(setup.Orientation?.Value, Is.EqualTo(OrientationValues.Landscape));
        Assert.That(setup.PaperSize?.Value, Is.EqualTo(9u), "A4");
        Assert.That((setup.FitToWidth?.Value, setup.FitToHeight?.Value), Is.EqualTo((1u, 0u)), "one page wide, as many pages down as needed");
        Assert.That(sheet.GetFirstChild<SheetProperties>()?.PageSetupProperties?.FitToPage?.Value, Is.True);
        Assert.That(sheet.GetFirstChild<HeaderFooter>()?.OddHeader?.Text, Does.Contain("Noc 22.11.2026"), "every printed page names the night");
        var names = document.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Where(d => d.LocalSheetId?.Value == 0).ToDictionary(d => d.Name!.Value!, d => d.Text);
        Assert.That(names["_xlnm.Print_Titles"], Is.EqualTo("'Konsultanci'!$1:$2"), "the night's line and the header repeat on every page");
        var lastPassRate = ColumnName(8 + CheckIds.All.Count);
        Assert.That(names["_xlnm.Print_Area"], Is.EqualTo($"'Konsultanci'!$A$1:${lastPassRate}$6"),
            "on paper: id, name, calls, scores, worst call and every pass rate, down to the team row; the counters stay on screen");
        Assert.That(new OpenXmlValidator().Validate(document).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}"), Is.Empty,
            "Excel refuses or 'repairs' a workbook that breaks the schema");
    }

    [Test]
    public void Write_Tonight_StartTimesAreDatesErrorsTranslatedAndOnlyFailuresRed()
    {
        using var document = SpreadsheetDocument.Open(WriteFourNights(), isEditable: false);

        var start = Cell(document, "Rozmowy", "C2");
        Assert.That(start.DataType, Is.Null, "a number, not text");
        Assert.That(double.Parse(start.CellValue!.Text, CultureInfo.InvariantCulture), Is.EqualTo(new DateTime(2026, 11, 22, 9, 0, 0).ToOADate()).Within(1e-6));
        Assert.That(FormatOf(document, "Rozmowy", "C2"), Is.EqualTo("dd.mm.yyyy hh:mm"));
        Assert.That(Text(document, "Błędy", "A2"), Is.EqualTo("jan/x.wav"), "the file relative to the input folder");
        Assert.That(Text(document, "Błędy", "D2"), Is.EqualTo("Nagranie uszkodzone, puste, za krótkie albo w nieobsługiwanym formacie"), "what went wrong in Polish");
        Assert.That(Text(document, "Błędy", "E2"), Is.EqualTo("jan/x.wav: not a RIFF/WAVE file"), "the program's message without the server path");
        Assert.That(IsRed(document, "Uchybienia", "E2"), Is.False, "the check column of failed findings is not all red");
        Assert.That(IsWrapped(document, "Uchybienia", "I2") && IsWrapped(document, "Uchybienia", "J2"), Is.True, "quote and reason wrap");
    }

    [Test]
    [Category("libreoffice")]
    public void LibreOffice_PolishLocale_PrintsTheNightTheChartTitleAndPolishDates()
    {
        var soffice = ExternalTools.Require("soffice", "libreoffice-calc");
        var pdftotext = ExternalTools.Require("pdftotext", "poppler-utils");
        var workbook = WriteFourNights();
        var pdfFolder = Path.Combine(_out, "pdf");
        Run(soffice, new Dictionary<string, string> { ["LC_ALL"] = "pl_PL.UTF-8", ["HOME"] = _out },
            "--headless", $"-env:UserInstallation=file://{_out}/lo-profile", "--convert-to", "pdf", "--outdir", pdfFolder, workbook);
        var pdf = Path.Combine(pdfFolder, "report.pdf");
        Assert.That(File.Exists(pdf), Is.True, "LibreOffice converted the workbook");
        Run(pdftotext, new Dictionary<string, string>(), "-layout", pdf, Path.Combine(pdfFolder, "report.txt"));
        var text = File.ReadAllText(Path.Combine(pdfFolder, "report.txt"));

        Assert.That(text, Does.Contain("Noc 22.11.2026 (niedziela)"), "the night on the first page");
        Assert.That(text, Does.Contain("Średnia ocena na noc: zespół i konsultanci"), "LibreOffice drew the score chart (its title)");
        Assert.That(text, Does.Contain("22.11.2026 09:00"), "a start time shown dd.MM.yyyy HH:mm");
        Assert.That(text, Does.Contain("Strona 1 z"), "page numbers in the footer");
    }

    /// <summary>Stores three nights in a real history (plus a stale row for a call of tonight), then writes tonight's reports with the trend.</summary>
    private string WriteFourNights()
    {
        Directory.CreateDirectory(_out);
        var historyPath = Path.Combine(_out, "history.db");
        using (var store = SqliteHistoryStore.Open(historyPath))
        {
            foreach (var (night, calls) in Nights.Where(n => n.Night < Tonight))
            {
                Record(store, night, calls.Select(c => Report(night, c)).ToList());
            }

            // A run earlier today judged d1 differently; tonight's run replaces it.
            Record(store, Tonight, [Report(Tonight, ("d1", "polszewski", 0, false))]);
        }

        var tonight = Nights.Single(n => n.Night == Tonight).Calls.Select(c => Report(Tonight, c)).ToList();
        var text = new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema));
        using var log = new LoggerConfiguration().CreateLogger();
        var input = Path.Combine(_out, "input");
        var people = new PeopleReports(text, CoachSources.None)
        {
            CoachPack = false,
            Night = Tonight,
            Trend = NightTrend.Load(historyPath, tonight, Tonight, Warsaw, log),
            InputFolder = input,
        };
        ReportWriter.WriteAll(_out, tonight, [new ErrorRow { File = "jan/x.wav", Stage = "decode", Reason = $"{input}/jan/x.wav: not a RIFF/WAVE file" }], people);
        return Path.Combine(_out, WorkbookWriter.FileName);
    }

    private static void Record(SqliteHistoryStore store, DateOnly night, IReadOnlyList<CallReport> reports)
    {
        var at = new DateTimeOffset(night.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(1));
        var run = new HistoryRun($"run-{night:yyyyMMdd}-{Guid.NewGuid():N}", at, at, night, "/in", "test", "model", "rules", reports.Count, 0, false);
        store.Record(run, reports.Select(r => HistoryCall.From(r, run, Warsaw)).ToList());
    }

    private static CallReport Report(DateOnly night, (string Id, string Agent, double Score, bool Greeting) call)
    {
        var name = call.Agent == "polszewski" ? "Przemysław Olszewski" : "Katarzyna Kowalska";
        var started = new DateTimeOffset(night.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(1));
        var findings = call.Greeting ? new List<Finding>() : [new Finding(CheckIds.Greeting, Outcome.Fail, Speaker.Agent, 0.5, 2.0, "Halo?", "no greeting")];
        return new CallReport(new CallMetadata(call.Id, call.Agent, name, "Telkom", "pl", 60) { StartedAt = started, SourceFile = $"{call.Agent}/{call.Id}.wav" },
            CheckIds.All.Select(id => new CheckResult(id, id == CheckIds.Greeting && !call.Greeting ? Outcome.Fail : Outcome.Pass, id == CheckIds.Greeting ? findings : [], "")).ToList(),
            call.Score);
    }

    private sealed record ChartSeries(string Name, string Formula, double?[] Values, double[] Categories);

    private static List<C.ChartSpace> Charts(SpreadsheetDocument document, string sheet)
    {
        var part = WorksheetPart(document, sheet);
        Assert.That(part.DrawingsPart, Is.Not.Null, $"{sheet} has a drawing");
        return part.DrawingsPart!.ChartParts.Select(c => c.ChartSpace).ToList();
    }

    private static List<ChartSeries> Series(C.ChartSpace chart) =>
        chart.Descendants<C.LineChartSeries>().Select(s =>
        {
            var values = s.GetFirstChild<C.Values>()!.NumberReference!;
            var count = (int)values.NumberingCache!.PointCount!.Val!.Value;
            var points = new double?[count];
            foreach (var point in values.NumberingCache.Elements<C.NumericPoint>())
            {
                points[point.Index!.Value] = Math.Round(double.Parse(point.NumericValue!.Text, CultureInfo.InvariantCulture), 3);
            }

            var categories = s.GetFirstChild<C.CategoryAxisData>()!.NumberReference!.NumberingCache!.Elements<C.NumericPoint>()
                .Select(p => double.Parse(p.NumericValue!.Text, CultureInfo.InvariantCulture)).ToArray();
            var name = s.GetFirstChild<C.SeriesText>()!.StringReference!.StringCache!.GetFirstChild<C.StringPoint>()!.NumericValue!.Text;
            return new ChartSeries(name, values.Formula!.Text, points, categories);
        }).ToList();

    /// <summary>The values of a range like <c>'Trend'!$C$20:$C$23</c>, read from the sheet's cells.</summary>
    private static double?[] ValuesAt(SpreadsheetDocument document, string formula)
    {
        var bang = formula.LastIndexOf('!');
        var sheet = formula[..bang].Trim('\'');
        var range = formula[(bang + 1)..].Replace("$", "", StringComparison.Ordinal).Split(':');
        var column = new string(range[0].TakeWhile(char.IsLetter).ToArray());
        var first = int.Parse(range[0][column.Length..], CultureInfo.InvariantCulture);
        var last = int.Parse(range[1][column.Length..], CultureInfo.InvariantCulture);
        return Enumerable.Range(first, last - first + 1)
            .Select(row => Worksheet(document, sheet).Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().FirstOrDefault(c => c.CellReference == $"{column}{row}")?.CellValue?.Text)
            .Select(v => v is null ? (double?)null : Math.Round(double.Parse(v, CultureInfo.InvariantCulture), 3))
            .ToArray();
    }

    private static string ColumnName(int oneBased)
    {
        var name = "";
        for (var n = oneBased; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static WorksheetPart WorksheetPart(SpreadsheetDocument document, string name)
    {
        var part = document.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().SingleOrDefault(s => s.Name == name) ?? throw new AssertionException($"no sheet {name}");
        return (WorksheetPart)part.GetPartById(sheet.Id!);
    }

    private static Worksheet Worksheet(SpreadsheetDocument document, string name) => WorksheetPart(document, name).Worksheet;

    private static DocumentFormat.OpenXml.Spreadsheet.Cell Cell(SpreadsheetDocument document, string sheet, string reference) =>
        Worksheet(document, sheet).Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().FirstOrDefault(c => c.CellReference == reference)
        ?? throw new AssertionException($"{sheet}!{reference} is empty");

    private static string Text(SpreadsheetDocument document, string sheet, string reference)
    {
        var cell = Cell(document, sheet, reference);
        Assert.That(cell.DataType?.Value, Is.EqualTo(CellValues.SharedString), $"{sheet}!{reference} is text");
        return document.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)).InnerText;
    }

    private static CellFormat Format(SpreadsheetDocument document, string sheet, string reference) =>
        document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(Cell(document, sheet, reference).StyleIndex?.Value ?? 0));

    private static string FormatOf(SpreadsheetDocument document, string sheet, string reference)
    {
        var id = Format(document, sheet, reference).NumberFormatId!.Value;
        return document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(f => f.NumberFormatId!.Value == id).FormatCode!.Value!;
    }

    private static bool IsRed(SpreadsheetDocument document, string sheet, string reference)
    {
        var fill = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.Fills!.Elements<Fill>().ElementAt((int)Format(document, sheet, reference).FillId!.Value);
        return fill.PatternFill?.ForegroundColor?.Rgb?.Value == "FFFFC7CE";
    }

    private static bool IsWrapped(SpreadsheetDocument document, string sheet, string reference) =>
        Format(document, sheet, reference).Alignment?.WrapText?.Value == true;

    private static void Run(string program, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, $"{program} finished");
        Assert.That(process.ExitCode, Is.Zero, $"{Path.GetFileName(program)} failed: {error} {output.Result}");
    }
}
