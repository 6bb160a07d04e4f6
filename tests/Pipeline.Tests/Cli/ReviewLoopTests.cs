using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Reports;
using QualityScan.Pipeline.Transcripts;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>
/// The review loop as a QA team lives it: a night writes the review sheet, a coach picks Polish words from the lists in
/// the .xlsx and the workbook is saved by a real spreadsheet program (LibreOffice) as .xlsx and as the CSV Polish Excel
/// writes (<c>;</c>, Windows-1250, CRLF); <c>learn</c> and <c>evaluate --reviews</c> read both, and the next night keeps
/// every word the coach typed.
/// </summary>
[TestFixture]
[Category("libreoffice")]
[NonParallelizable]
public sealed class ReviewLoopTests
{
    private const string Farewell = "Miłej soboty.";
    private const string Comment = "to jest pożegnanie; „Miłej soboty” słychać wyraźnie";

    private string _work = "";
    private string _rules = "";
    private ReportText _pl = null!;

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-loop-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(_rules = Path.Combine(_work, "rules"));
        File.Copy(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"), Path.Combine(_rules, "pl.yaml"));
        _pl = new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task ReviewLoop_CoachFillsTheXlsxAndExcelSavesBothForms_LearnEvaluateAndTheNextNightUseTheWords()
    {
        var transcripts = Path.Combine(_work, "transcripts");
        WriteTranscript(transcripts, ClosingCall("c1", Farewell));
        WriteTranscript(transcripts, ClosingCall("g1", "Do widzenia.", greeting: "Halo?"));
        var output = Path.Combine(_work, "out");
        Assert.That((await Analyze(transcripts, output)).Code, Is.EqualTo(ExitCodes.Success));
        var xlsx = Path.Combine(output, "coach", "akowalska-review.xlsx");
        var csv = Path.Combine(output, "coach", "akowalska-review.csv");

        var written = File.ReadAllBytes(csv);
        Assert.That(written.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with a BOM, so Excel reads ą and ę");
        var firstLine = Encoding.UTF8.GetString(written, 3, written.Length - 3).Split("\r\n")[0];
        Assert.That(firstLine, Does.StartWith("Id momentu;").And.Contain(";Czy zgadzasz się z oceną?;"), "Polish header, ; as Polish Excel splits by");
        Assert.That(ListsOf(xlsx), Is.EquivalentTo(new[] { "\"zgadzam się,nie zgadzam się\"", "\"zaliczone,niezaliczone,nie dotyczy\"" }),
            "the coach picks the verdict and the correct outcome from lists in the report language");
        var rows = ReviewSheet.Read(xlsx);
        var closing = rows.Single(r => r.CallId == "c1" && r.Check == CheckIds.Closing);
        var greeting = rows.Single(r => r.CallId == "g1" && r.Check == CheckIds.Greeting);
        Assert.That((closing.ToolOutcome, closing.Quote), Is.EqualTo(("niezaliczone", closing.Quote)), "what QualityScan said, in Polish");
        Assert.That(closing.Quote, Does.Contain(Farewell), "the words learn needs are in the sheet");

        CoachTyping.FillXlsx(xlsx, "Id momentu", closing.MomentId,
            ("Czy zgadzasz się z oceną?", "nie zgadzam się"), ("Poprawna ocena", "zaliczone"), ("Komentarz", Comment));
        CoachTyping.FillXlsx(xlsx, "Id momentu", greeting.MomentId, ("Czy zgadzasz się z oceną?", "zgadzam się"));
        LibreOffice.SaveAsPolishExcelCsv(xlsx, csv, _work);
        LibreOffice.Resave(xlsx, xlsx, _work);
        var saved = File.ReadAllBytes(csv);
        Assert.That(saved, Does.Contain((byte)0xEA), "guard: the CSV is Windows-1250 as Polish Excel saves it (ę = 0xEA)");
        Assert.That(Encoding.Latin1.GetString(saved), Does.Contain("\r\n").And.Contain(";"), "guard: CRLF and ;");

        var fromCsv = Path.Combine(_work, "from-csv.model.json");
        var fromXlsx = Path.Combine(_work, "from-xlsx.model.json");
        var learnCsv = await CliRun.RunAsync("learn", "--rules", Path.Combine(_rules, "pl.yaml"), "--reviews", csv, "--out", fromCsv);
        var learnXlsx = await CliRun.RunAsync("learn", "--rules", Path.Combine(_rules, "pl.yaml"), "--reviews", xlsx, "--out", fromXlsx);
        Assert.That(learnCsv.Code, Is.EqualTo(ExitCodes.Success), learnCsv.Error);
        Assert.That(learnXlsx.Code, Is.EqualTo(ExitCodes.Success), learnXlsx.Error);
        Assert.That(learnCsv.Out, Does.Contain("reviews: 2 moment(s); 2 gave"), "both reviewed moments are read from the Excel CSV and teach something");
        Assert.That(File.ReadAllBytes(fromXlsx), Is.EqualTo(File.ReadAllBytes(fromCsv)), "the .xlsx form teaches exactly what the CSV form does");

        var expected = Path.Combine(_work, "expected.csv");
        File.WriteAllText(expected, "call_id,greeting,interruption,politeness,dont_know,closing\nc1,,,,,pass\ng1,fail,,,,\n");
        foreach (var sheet in new[] { csv, xlsx })
        {
            var evaluate = await CliRun.RunAsync("evaluate", output, expected, "--reviews", sheet, "--rules", _rules, "--transcripts", transcripts);
            Assert.That(evaluate.Code, Is.EqualTo(ExitCodes.Success), evaluate.Error);
            Assert.That(evaluate.Out, Does.Contain("2 reviewed moment(s)"), $"evaluate --reviews reads {Path.GetFileName(sheet)}");
        }

        File.Copy(fromCsv, Path.Combine(_rules, "pl.model.json"));
        var next = await Analyze(transcripts, output);

        Assert.That(next.Code, Is.EqualTo(ExitCodes.Success));
        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv"));
        Assert.That(calls.Single(c => c.CallId == "c1").Outcomes["closing"], Is.EqualTo("pass"), "the learned model accepts the farewell the coach pointed out");
        foreach (var sheet in new[] { csv, xlsx })
        {
            var again = ReviewSheet.Read(sheet);
            var keptClosing = again.Single(r => r.Key == closing.Key);
            Assert.That((keptClosing.Verdict, keptClosing.CorrectOutcome, keptClosing.Comment), Is.EqualTo(("nie zgadzam się", "zaliczone", Comment)),
                $"{Path.GetFileName(sheet)}: the coach's words outlive the moment, which is gone tonight");
            Assert.That(again.Single(r => r.Key == greeting.Key).Verdict, Is.EqualTo("zgadzam się"), $"{Path.GetFileName(sheet)}: kept for a moment still there");
        }

        Assert.That(File.ReadAllBytes(csv).Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "rewritten in the sheet's own form");
    }

    [Test]
    public async Task Analyze_ReviewsFolder_TheLayerTrainedAtStartLearnsTheCoachsWordsWithoutLearn()
    {
        var transcripts = Path.Combine(_work, "transcripts");
        WriteTranscript(transcripts, ClosingCall("c1", Farewell));
        var output = Path.Combine(_work, "out");
        Assert.That((await Analyze(transcripts, output)).Code, Is.EqualTo(ExitCodes.Success));
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Single().Outcomes["closing"], Is.EqualTo("fail"),
            "guard: neither the phrases nor the pack's examples know this farewell");
        var xlsx = Path.Combine(output, "coach", "akowalska-review.xlsx");
        var closing = ReviewSheet.Read(xlsx).Single(r => r.CallId == "c1" && r.Check == CheckIds.Closing);
        CoachTyping.FillXlsx(xlsx, "Id momentu", closing.MomentId, ("Czy zgadzasz się z oceną?", "nie zgadzam się"), ("Poprawna ocena", "zaliczone"));
        var reviews = Directory.CreateDirectory(Path.Combine(_work, "reviews", "2026-11-30")).FullName;
        File.Copy(xlsx, Path.Combine(reviews, "akowalska-review.xlsx"));
        File.WriteAllText(Path.Combine(reviews, "jnowak-review.csv"), "not a review sheet\n");

        var next = Path.Combine(_work, "next");
        var run = await CliRun.RunAsync("analyze", transcripts, "--out", next, "--rules", _rules, "--reviews", Path.Combine(_work, "reviews"));

        Assert.That(run.Code, Is.EqualTo(ExitCodes.Success), run.Error);
        var log = File.ReadAllText(Path.Combine(next, "qualityscan.log"));
        Assert.That(log, Does.Contain("learned model used for pl").And.Contain("reviewed sentence(s)"), "the log says the coach's reviews went into the layer trained at start");
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(next, "calls.csv")).Single().Outcomes["closing"], Is.EqualTo("pass"),
            "the farewell the coach pointed out is accepted without running learn");
        Assert.That(log, Does.Contain("jnowak-review.csv"), "a sheet that cannot be read is named and the run goes on");
    }

    [Test]
    public async Task Analyze_TheTwoFormsSayDifferentThings_BothLeftUntouchedAndTheErrorNamesThem()
    {
        var transcripts = Path.Combine(_work, "transcripts");
        WriteTranscript(transcripts, ClosingCall("c1", Farewell));
        var output = Path.Combine(_work, "out");
        await Analyze(transcripts, output);
        var xlsx = Path.Combine(output, "coach", "akowalska-review.xlsx");
        var csv = Path.Combine(output, "coach", "akowalska-review.csv");
        var row = ReviewSheet.Read(csv).Single();
        ReviewSheet.WriteCsv(csv, [row with { Verdict = "zgadzam się" }], _pl);
        ReviewSheet.WriteXlsx(xlsx, [row with { Verdict = "nie zgadzam się" }], _pl);
        var (csvBytes, xlsxBytes) = (File.ReadAllBytes(csv), File.ReadAllBytes(xlsx));

        var (code, _, _) = await Analyze(transcripts, output);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), "the night goes on");
        Assert.That((File.ReadAllBytes(csv), File.ReadAllBytes(xlsx)), Is.EqualTo((csvBytes, xlsxBytes)), "neither coach's words are overwritten");
        var error = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")).Single();
        Assert.That((error.Stage, error.AgentId), Is.EqualTo(("review", "akowalska")));
        Assert.That(error.Reason, Does.Contain("coach/akowalska-review.xlsx").And.Contain("coach/akowalska-review.csv").And.Contain(row.MomentId));
    }

    private async Task<(int Code, string Out, string Error)> Analyze(string transcripts, string output) =>
        await CliRun.RunAsync("analyze", transcripts, "--out", output, "--rules", _rules);

    private static List<string> ListsOf(string xlsx)
    {
        using var document = SpreadsheetDocument.Open(xlsx, isEditable: false);
        var part = document.WorkbookPart!.WorksheetParts.Single();
        return part.Worksheet.Descendants<DataValidation>().Select(v => v.Formula1!.Text).ToList();
    }

    private static CallTranscript ClosingCall(string id, string farewell, string greeting = "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?")
    {
        Utterance[] utterances =
        [
            new(Speaker.Agent, 0.5, 4, greeting),
            new(Speaker.Customer, 4.5, 8, "Chciałam zapytać o fakturę."),
            new(Speaker.Agent, 8.5, 15, "Proszę bardzo, faktura jest już wysłana."),
            new(Speaker.Customer, 15.5, 49, "Dobrze, to zapiszę sobie numer i sprawdzę w skrzynce."),
            new(Speaker.Agent, 50, 53, "Czy mogę jeszcze w czymś pomóc?"),
            new(Speaker.Customer, 53.5, 55, "Nie, dziękuję."),
            new(Speaker.Agent, 55.5, 57, "Dziękuję za rozmowę."),
            new(Speaker.Agent, 57.2, 58, farewell),
        ];
        return new CallTranscript(new CallMetadata(id, "akowalska", "Anna Kowalska", "Telkom", "pl", 60), utterances, VoiceActivity.FromUtterances(utterances));
    }

    private static void WriteTranscript(string folder, CallTranscript call)
    {
        Directory.CreateDirectory(folder);
        TranscriptJson.Write(Path.Combine(folder, call.Metadata.CallId + ".json"), new TranscriptDocument(call));
    }
}
