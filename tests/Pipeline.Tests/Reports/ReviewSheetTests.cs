using QualityScan.Models.IO;
using System.Text;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Tests.IO;

namespace QualityScan.Pipeline.Tests.Reports;

public sealed class ReviewSheetTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-sheet-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public void Read_PolishHeadersWindows1250SemicolonsAndDecimalCommas_ReadsEveryColumnInAnyOrder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = Path.Combine(_work, "a-review.csv");
        File.WriteAllBytes(path, Encoding.GetEncoding(1250).GetBytes(
            "Komentarz;Poprawna ocena;Czy zgadzasz się z oceną?;Id rozmowy;Punkt standardu;Od [s];Cytat\r\n" +
            "\"słychać \"\"do usłyszenia\"\"; wyraźnie\";zaliczone;nie zgadzam się;c1;closing;16,5;Do usłyszenia.\r\n"));

        var row = ReviewSheet.Read(path).Single();

        Assert.That((row.CallId, row.Check, row.StartSeconds, row.Quote), Is.EqualTo(("c1", "closing", (double?)16.5, "Do usłyszenia.")));
        Assert.That((ReviewWords.ParseVerdict(row.Verdict), ReviewWords.ParseOutcome(row.CorrectOutcome)), Is.EqualTo(((bool?)false, (Outcome?)Outcome.Pass)));
        Assert.That(row.Comment, Is.EqualTo("słychać \"do usłyszenia\"; wyraźnie"));
        Assert.That(row.Key, Is.EqualTo("c1:closing:16.50"), "no moment id column: the key is made of call, check and start");
    }

    [Test]
    public void Read_EnglishIdsCommasLfNoBom_Reads()
    {
        var path = Path.Combine(_work, "a-review.csv");
        File.WriteAllText(path, "moment_id,call_id,check,start_s,end_s,quote,verdict,correct_outcome,comment\nc1:greeting:0.50,c1,greeting,0.5,2,Halo?,agree,fail,\n",
            new UTF8Encoding(false));

        var row = ReviewSheet.Read(path).Single();

        Assert.That((row.MomentId, row.Verdict, row.CorrectOutcome, row.Line), Is.EqualTo(("c1:greeting:0.50", "agree", "fail", 2)));
    }

    [TestCase("zgadzam się", true)]
    [TestCase(" Zgadzam sie ", true)]
    [TestCase("NIE ZGADZAM SIĘ.", false)]
    [TestCase("nesouhlasím", false)]
    [TestCase("Agree", true)]
    [TestCase("może", null)]
    public void ParseVerdict_WordsOfEveryLanguage(string typed, bool? expected) =>
        Assert.That(ReviewWords.ParseVerdict(typed), Is.EqualTo(expected));

    [TestCase("zaliczone", Outcome.Pass)]
    [TestCase("Niezaliczone", Outcome.Fail)]
    [TestCase("nie dotyczy", Outcome.NotApplicable)]
    [TestCase("netýká se", Outcome.NotApplicable)]
    [TestCase("n/a", Outcome.NotApplicable)]
    [TestCase("FAIL", Outcome.Fail)]
    public void ParseOutcome_WordsOfEveryLanguage(string typed, Outcome expected) =>
        Assert.That(ReviewWords.ParseOutcome(typed), Is.EqualTo(expected));

    [TestCase("pl", ";")]
    [TestCase("en", ",")]
    public void WriteCsvThenRead_QuotesWithFormulasSeparatorsAndNewLines_SameRows(string language, string delimiter)
    {
        var text = new ReportText(MessageCatalogLoader.LoadForLanguage(language, MessageKeys.Schema));
        var row = new ReviewRow
        {
            MomentId = "c1:politeness:10.25", CallId = "c1", AgentId = "a", Check = "politeness", StartSeconds = 10.25, EndSeconds = 13.2,
            Quote = "=HYPERLINK(\"x\"); Musi Pan,\nteraz", Reason = "forma nakazowa", ToolOutcome = text.OutcomeWord(Outcome.Fail),
            Verdict = ReviewWords.Verdict(text, agrees: false), CorrectOutcome = text.OutcomeWord(Outcome.Pass), Comment = "-1 za to?",
        };
        var csv = Path.Combine(_work, "a-review.csv");
        var xlsx = Path.Combine(_work, "a-review.xlsx");

        ReviewSheet.WriteCsv(csv, [row], text);
        ReviewSheet.WriteXlsx(xlsx, [row], text);

        var header = Encoding.UTF8.GetString(File.ReadAllBytes(csv)).Split("\r\n")[0];
        Assert.That(header.Split(delimiter), Has.Length.EqualTo(ReviewSheet.Columns.Count), $"{language}: {delimiter}-separated");
        Assert.That(File.ReadAllText(csv), Does.Contain("'=HYPERLINK"), "a quote that starts a formula is escaped");
        foreach (var path in new[] { csv, xlsx })
        {
            Assert.That(ReviewSheet.Read(path).Single() with { Line = 0 }, Is.EqualTo(row), $"{Path.GetFileName(path)} reads back what was written");
        }
    }

    [Test]
    public void Merge_TypedRowsByKey_KeptAsTypedAndOrphansAtTheEnd()
    {
        ReviewRow Moment(string id, double start) => new() { MomentId = id, CallId = id.Split(':')[0], Check = id.Split(':')[1], StartSeconds = start };
        var fresh = new[] { Moment("c1:closing:50.00", 50), Moment("c2:greeting:0.50", 0.5) };
        var typed = new[]
        {
            Moment("c2:greeting:0.50", 0.5) with { Verdict = "zgadzam sie", Comment = "ok" },
            Moment("c9:closing:12.00", 12) with { CorrectOutcome = "pass" },
            Moment("c1:closing:50.00", 50),
        };

        var merged = ReviewSheet.Merge(fresh, typed);

        Assert.That(merged.Select(r => (r.Key, r.Verdict, r.CorrectOutcome, r.Comment)), Is.EqualTo(new[]
        {
            ("c1:closing:50.00", "", "", ""), ("c2:greeting:0.50", "zgadzam sie", "", "ok"), ("c9:closing:12.00", "", "pass", ""),
        }), "typed words carried exactly as typed; a filled row whose moment is gone is kept");
    }

    [Test]
    public void Update_VerdictTypedInTheXlsxCommentInTheCsvSameMeaningInTwoLanguages_BothFormsGetEverything()
    {
        var text = new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema));
        var fresh = new ReviewRow { MomentId = "c1:closing:50.00", CallId = "c1", AgentId = "a", Check = "closing", StartSeconds = 50, ToolOutcome = "niezaliczone" };
        ReviewSheet.WriteXlsx(Path.Combine(_work, "a-review.xlsx"), [fresh with { Verdict = "nie zgadzam się", CorrectOutcome = "zaliczone" }], text);
        ReviewSheet.WriteCsv(Path.Combine(_work, "a-review.csv"), [fresh with { CorrectOutcome = "pass", Comment = "pożegnanie było\r\nna końcu" }], text);

        var problems = ReviewSheet.Update(_work, "coach", "a", [fresh], text);

        Assert.That(problems, Is.Empty, "'zaliczone' and 'pass' mean the same; each other cell was typed in one form only");
        foreach (var form in new[] { "a-review.xlsx", "a-review.csv" })
        {
            var row = ReviewSheet.Read(Path.Combine(_work, form)).Single();
            Assert.That((row.Verdict, ReviewWords.ParseOutcome(row.CorrectOutcome), row.Comment.ReplaceLineEndings("\n")),
                Is.EqualTo(("nie zgadzam się", (Outcome?)Outcome.Pass, "pożegnanie było\nna końcu")), form);
        }
    }

    [Test]
    public void Read_NotASheet_ErrorNamesTheFileAndTheMissingColumns()
    {
        var path = Path.Combine(_work, "a-review.csv");
        File.WriteAllText(path, "Imię;Nazwisko\nAnna;Nowak\n");

        var error = Assert.Throws<ReviewSheetException>(() => ReviewSheet.Read(path));

        Assert.That(error!.Message, Does.StartWith(path).And.Contain("no column call_id, check, verdict"));
    }

    [Test]
    public async Task Read_FifoOrFolderNamedLikeASheet_RefusedWithoutOpeningIt()
    {
        var fifo = Path.Combine(_work, "a-review.csv");
        ExternalTools.Run(ExternalTools.Require("mkfifo", "coreutils"), fifo);
        var folder = Directory.CreateDirectory(Path.Combine(_work, "b-review.xlsx")).FullName;

        var error = await NotBlocking.Within(() =>
        {
            try
            {
                return ReviewSheet.Read(fifo).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (ReviewSheetException ex)
            {
                return ex.Message;
            }
        }, fifo);

        Assert.That(error, Does.StartWith(fifo).And.Contain("not a regular file"), "a FIFO is refused, not opened (opening it waits for a writer for ever)");
        Assert.That(Assert.Throws<ReviewSheetException>(() => ReviewSheet.Read(folder))!.Message, Does.StartWith(folder).And.Contain("is a folder"));
    }

    [Test]
    public async Task Update_FifoInPlaceOfTheCsvForm_AProblemAndTheXlsxFormStillWritten()
    {
        var text = new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema));
        var fifo = Path.Combine(_work, "a-review.csv");
        ExternalTools.Run(ExternalTools.Require("mkfifo", "coreutils"), fifo);
        var fresh = new ReviewRow { MomentId = "c1:closing:50.00", CallId = "c1", AgentId = "a", Check = "closing", StartSeconds = 50, ToolOutcome = "niezaliczone" };

        var problems = await NotBlocking.Within(() => ReviewSheet.Update(_work, "coach", "a", [fresh], text), fifo);

        Assert.That(problems.Select(p => (p.File, p.AgentId)), Is.EqualTo(new[] { ("coach/a-review.csv", "a") }));
        Assert.That(problems[0].Reason, Does.Contain("not a regular file").And.Contain("left untouched"));
        Assert.That(ReviewSheet.Read(Path.Combine(_work, "a-review.xlsx")).Single().Key, Is.EqualTo(fresh.Key), "tonight's moments are in the other form");
        Assert.That(FileKinds.Of(fifo), Is.EqualTo(FileKind.Special), "the FIFO is left as it is");
    }
}
