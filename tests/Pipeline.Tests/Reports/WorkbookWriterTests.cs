using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Spreadsheet;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>report.xlsx read back with the Open XML SDK, as a spreadsheet program reads it.</summary>
public sealed class WorkbookWriterTests
{
    private string _out = "";

    [SetUp]
    public void SetUp() => _out = Path.Combine(Path.GetTempPath(), $"qs-xlsx-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Test]
    public void Write_Polish_SheetsAndHeadersInPolish()
    {
        using var book = Write("pl");

        Assert.That(book.SheetNames, Is.EqualTo(new[] { "Konsultanci", "Rozmowy", "Uchybienia", "Błędy" }));
        Assert.That(book.Text("Konsultanci", "A1"), Is.EqualTo("Noc 22.11.2026 (niedziela)"), "the first sheet names the night it covers (the calls' day)");
        Assert.That(book.Text("Konsultanci", "E2"), Is.EqualTo("Średnia ocena"));
        Assert.That(book.Text("Rozmowy", "C1"), Is.EqualTo("Początek rozmowy"));
    }

    [Test]
    public void Write_Agents_WorstFirstWithTeamRowOutsideTheFilter()
    {
        using var book = Write("pl");

        Assert.That(new[] { book.Text("Konsultanci", "A3"), book.Text("Konsultanci", "A4"), book.Text("Konsultanci", "A5") },
            Is.EqualTo(new[] { "polszewski", "kkowalska", "jvesely" }), "lowest mean first; an agent with no judged call last");
        Assert.That(book.Text("Konsultanci", "B3"), Is.EqualTo("Przemysław Olszewski"), "Polish letters survive");
        Assert.That(book.Text("Konsultanci", "B5"), Is.EqualTo("Jan Veselý"), "Czech letters survive");
        Assert.That(book.Number("Konsultanci", "E3"), Is.EqualTo(50), "mean of 0 and 100");
        Assert.That(book.Number("Konsultanci", "E4"), Is.EqualTo(83), "mean of 91 and 75");
        Assert.That(book.Cell("Konsultanci", "E5"), Is.Null, "no mean for an agent whose only call was not judged");

        Assert.That(book.Text("Konsultanci", "A7"), Is.EqualTo("Zespół"), "team row after one empty row");
        Assert.That(book.Number("Konsultanci", "E7"), Is.EqualTo(66.5), "team mean over the four judged calls (0, 100, 91, 75)");
        Assert.That(book.Number("Konsultanci", "C7"), Is.EqualTo(5), "all five calls counted");
        Assert.That(book.Number("Konsultanci", "I7"), Is.EqualTo(0.75), "greeting passed in 3 of the 4 judged calls");
        Assert.That(book.FormatCode("Konsultanci", "I7"), Is.EqualTo("0%"), "pass rates are percentages");
        Assert.That(book.Filter("Konsultanci"), Is.EqualTo("A2:S5"), "the filter covers the header and agents, not the night's line or the team row");
        Assert.That(book.FrozenRows("Konsultanci"), Is.EqualTo(2), "the night's line and the header row frozen");
    }

    [Test]
    public void Write_Calls_NumbersAreNumbersAndDatesAreDates()
    {
        using var book = Write("pl");

        Assert.That(book.Text("Rozmowy", "A2"), Is.EqualTo("p1"), "the worst call first");
        Assert.That(book.Number("Rozmowy", "C2"), Is.EqualTo(new DateTime(2026, 11, 22, 9, 15, 0).ToOADate()).Within(1e-6),
            "the start is a date-time value, at the call's own clock time");
        Assert.That(book.FormatCode("Rozmowy", "C2"), Is.EqualTo("dd.mm.yyyy hh:mm"), "shown as Polish Excel writes a date and time");
        Assert.That(book.Text("Rozmowy", "O2"), Is.EqualTo("czas środkowoeuropejski"), "its time zone in words");
        Assert.That(book.Text("Rozmowy", "N2"), Is.EqualTo("polski"), "its language in words");
        Assert.That(book.Number("Rozmowy", "D2"), Is.EqualTo(41.5 / 86400).Within(1e-9), "the duration is a time value");
        Assert.That(book.Number("Rozmowy", "E2"), Is.EqualTo(0), "a zero score is a number, not text");
        Assert.That(book.Text("Rozmowy", "G2"), Is.EqualTo("niezaliczone"));
        Assert.That(book.IsMarked("Rozmowy", "G2"), Is.True, "a failed check is marked");
        Assert.That(book.IsMarked("Rozmowy", "H2"), Is.False, "a passed one is not");

        var last = "A6";
        Assert.That(book.Text("Rozmowy", last), Is.EqualTo("v1"), "the call that was not judged comes last");
        Assert.That(book.Cell("Rozmowy", "E6"), Is.Null, "no score for a call that was not judged");
        Assert.That(book.Text("Rozmowy", "F6"), Is.EqualTo("no agent speech"), "the reason instead");
    }

    [Test]
    public void Write_FailedFindings_ReasonInTheReportLanguageWithTimes()
    {
        using var book = Write("pl");

        Assert.That(book.Text("Uchybienia", "C2"), Is.EqualTo("p1"));
        Assert.That(book.Text("Uchybienia", "E2"), Is.EqualTo("„Nie wiem”"));
        Assert.That(book.Number("Uchybienia", "F2") * 86400, Is.EqualTo(16.5).Within(1e-6), "the moment's start is a time value");
        Assert.That(book.Text("Uchybienia", "I2"), Is.EqualTo("Nie wiem."));
        Assert.That(book.Text("Uchybienia", "J2"), Is.EqualTo(Polish.Text("findings.dont_know_unresolved")), "the Polish reason from messages.pl.yaml");
        Assert.That(book.Text("Uchybienia", "K2"), Is.EqualTo("p1:dont_know:16.50"), "the moment id");
        Assert.That(book.Text("Błędy", "E2"), Is.EqualTo("x.wav: not a RIFF/WAVE file"));
    }

    [Test]
    public void Write_Workbook_IsValidOfficeOpenXml()
    {
        using var book = Write("pl");

        var problems = book.Validate().Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();

        Assert.That(problems, Is.Empty, "Excel refuses or 'repairs' a workbook that breaks the schema");
    }

    [Test]
    public void Write_English_SameValuesEnglishWords()
    {
        using var book = Write("en");

        Assert.That(book.SheetNames[0], Is.EqualTo("Agents"));
        Assert.That(book.Text("Failed findings", "J2"), Is.EqualTo("\"don't know\" without a next step (check back, transfer, call back)"));
        Assert.That(book.Number("Agents", "E7"), Is.EqualTo(66.5));
    }

    private static MessageCatalog Polish => MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema);

    private Workbook Write(string language)
    {
        var text = new ReportText(MessageCatalogLoader.LoadForLanguage(language, MessageKeys.Schema));
        ReportWriter.WriteAll(_out, Reports(), [new ErrorRow { File = "x.wav", Stage = "decode", Reason = "x.wav: not a RIFF/WAVE file" }],
            new PeopleReports(text, CoachSources.None) { CoachPack = false });
        return new Workbook(SpreadsheetDocument.Open(Path.Combine(_out, WorkbookWriter.FileName), isEditable: false));
    }

    private static List<CallReport> Reports()
    {
        var started = new DateTimeOffset(2026, 11, 22, 9, 15, 0, TimeSpan.FromHours(1));
        var dontKnow = new Finding(CheckIds.DontKnow, Outcome.Fail, Speaker.Agent, 16.5, 17.4, "Nie wiem.", "english text")
        {
            Reason = MessageRef.Of("findings.dont_know_unresolved"),
        };
        return
        [
            Call("p1", "polszewski", "Przemysław Olszewski", 0, started, greeting: Outcome.Fail, dontKnow: Outcome.Fail, dontKnow),
            Call("p2", "polszewski", "Przemysław Olszewski", 100, started.AddHours(1)),
            Call("k1", "kkowalska", "Katarzyna Kowalska", 91, started.AddHours(2)),
            Call("k2", "kkowalska", "Katarzyna Kowalska", 75, started.AddHours(3)),
            Call("v1", "jvesely", "Jan Veselý", 100, started.AddHours(4)) with { NotJudgedReason = "no agent speech" },
        ];
    }

    private static CallReport Call(string id, string agent, string name, double score, DateTimeOffset started,
        Outcome greeting = Outcome.Pass, Outcome dontKnow = Outcome.Pass, params Finding[] findings) =>
        new(new CallMetadata(id, agent, name, "Telkom", "pl", 41.5) { StartedAt = started, SourceFile = $"{agent}/{id}.wav" },
        [
            new CheckResult(CheckIds.Greeting, greeting, findings.Where(f => f.CheckId == CheckIds.Greeting).ToList(), ""),
            new CheckResult(CheckIds.Interruption, Outcome.Pass, [], ""),
            new CheckResult(CheckIds.Politeness, Outcome.Pass, [], ""),
            new CheckResult(CheckIds.DontKnow, dontKnow, findings.Where(f => f.CheckId == CheckIds.DontKnow).ToList(), ""),
            new CheckResult(CheckIds.Closing, Outcome.Pass, [], ""),
        ], score);

    /// <summary>Reads cells of a workbook the way a spreadsheet does: shared strings, number formats, fills.</summary>
    private sealed class Workbook(SpreadsheetDocument document) : IDisposable
    {
        private WorkbookPart Part => document.WorkbookPart!;

        public string[] SheetNames => Part.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value!).ToArray();

        public DocumentFormat.OpenXml.Spreadsheet.Cell? Cell(string sheet, string reference) =>
            Sheet(sheet).Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().FirstOrDefault(c => c.CellReference == reference);

        public string? Text(string sheet, string reference)
        {
            var cell = Cell(sheet, reference) ?? throw new AssertionException($"{sheet}!{reference} is empty");
            Assert.That(cell.DataType?.Value, Is.EqualTo(CellValues.SharedString), $"{sheet}!{reference} is text");
            return Part.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)).InnerText;
        }

        public double Number(string sheet, string reference)
        {
            var cell = Cell(sheet, reference) ?? throw new AssertionException($"{sheet}!{reference} is empty");
            Assert.That(cell.DataType, Is.Null, $"{sheet}!{reference} is a number, not text");
            return double.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture);
        }

        public string FormatCode(string sheet, string reference)
        {
            var format = Format(sheet, reference);
            var id = format.NumberFormatId!.Value;
            if (id == 9)
            {
                return "0%";
            }

            return Part.WorkbookStylesPart!.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(f => f.NumberFormatId!.Value == id).FormatCode!.Value!;
        }

        public bool IsMarked(string sheet, string reference)
        {
            var fill = Part.WorkbookStylesPart!.Stylesheet.Fills!.Elements<Fill>().ElementAt((int)Format(sheet, reference).FillId!.Value);
            return fill.PatternFill?.ForegroundColor?.Rgb?.Value == "FFFFC7CE";
        }

        public string? Filter(string sheet) => Sheet(sheet).GetFirstChild<AutoFilter>()?.Reference?.Value;

        public double? FrozenRows(string sheet)
        {
            var pane = Sheet(sheet).Descendants<Pane>().SingleOrDefault();
            return pane?.State?.Value == PaneStateValues.Frozen ? pane.VerticalSplit?.Value : null;
        }

        public IEnumerable<ValidationErrorInfo> Validate() => new OpenXmlValidator().Validate(document);

        public void Dispose() => document.Dispose();

        private CellFormat Format(string sheet, string reference)
        {
            var cell = Cell(sheet, reference) ?? throw new AssertionException($"{sheet}!{reference} is empty");
            return Part.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        }

        private Worksheet Sheet(string name)
        {
            var sheet = Part.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == name);
            return ((WorksheetPart)Part.GetPartById(sheet.Id!)).Worksheet;
        }
    }
}
