using QualityScan.Models.IO;
using System.Text;
using System.Text.Json;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Pipeline.Tests.IO;
using QualityScan.Pipeline.Tests.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>A night whose coach left a review sheet it cannot read: the calls are reported, the night is partial (exit 3), and the sheet is left as it is.</summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class ReviewSheetScanTests
{
    private string _work = "";

    [SetUp]
    // Letters only: a run of digits in a random folder name is masked in the log as a phone or identity number, which made the log assertions fail now and then.
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), "qs-review-scan-" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('g' + (c % 16))).ToArray())));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    [Category("libreoffice")]
    public async Task Scan_UnreadableReviewSheets_PartialNightWithErrorRowsCountedAndSheetsUntouched()
    {
        var input = CopySmallestSampleCalls(2);
        var output = Path.Combine(_work, "out");
        var (first, _, firstError) = await Scan(input, output);
        Assert.That(first, Is.EqualTo(ExitCodes.Success), "guard: the first night\n" + firstError);
        var coach = Path.Combine(output, "coach");
        var csv = Directory.GetFiles(coach, "*-review.csv").Order(StringComparer.Ordinal).First();
        var agent = Path.GetFileName(csv)[..^"-review.csv".Length];
        var xlsx = Path.Combine(coach, agent + "-review.xlsx");
        Assert.That(File.Exists(xlsx), Is.True, "guard: both forms are written");

        // The workbook as a coach's LibreOffice saved it, then damaged (cut short: a copy that broke off on the share);
        // the CSV saved over by another export (Excel's ; CSV in Windows-1250).
        LibreOffice.Resave(xlsx, xlsx, _work);
        var saved = File.ReadAllBytes(xlsx);
        var xlsxBytes = saved[..(saved.Length / 2)];
        File.WriteAllBytes(xlsx, xlsxBytes);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csvBytes = Encoding.GetEncoding(1250).GetBytes("Imię;Nazwisko;Uwagi\r\nKatarzyna;Kowalska;źle zapisany plik\r\n");
        File.WriteAllBytes(csv, csvBytes);

        var (code, summary, error) = await Scan(input, output);

        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), "done, but not everything: the calls were fine, two sheets were not\n" + error);
        var run = RunJson(output);
        Assert.That((run.Status, run.ExitCode, run.Errors), Is.EqualTo(("partial", ExitCodes.PartialFailure, 2)), "run.json counts the sheets as errors and does not say complete");
        Assert.That(run.Reason, Does.Contain("2 review sheet(s) could not be read"));
        Assert.That(summary, Does.Contain("status: PARTIAL").And.Contain("2 review sheet(s) could not be read").And.Not.Contain("status: complete"),
            "the summary agrees with the exit code:\n" + summary);

        Assert.That(File.ReadAllBytes(csv), Is.EqualTo(csvBytes), "what is in the unreadable CSV is never overwritten");
        Assert.That(File.ReadAllBytes(xlsx), Is.EqualTo(xlsxBytes), "nor the damaged workbook");
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")).Where(e => e.Stage == "review").ToList();
        Assert.That(errors.Select(e => e.File), Is.EquivalentTo(new[] { $"coach/{agent}-review.xlsx", $"coach/{agent}-review.csv" }), "one error row per unreadable file");
        Assert.That(errors.Single(e => e.File.EndsWith(".csv", StringComparison.Ordinal)).Reason, Does.Contain("no column call_id, check, verdict").And.Contain("left untouched"));
        var log = File.ReadAllText(Path.Combine(output, "qualityscan.log"));
        Assert.That(log, Does.Contain($"coach/{agent}-review.csv").And.Contain($"coach/{agent}-review.xlsx"), "the log names the files");
    }

    [Test]
    public async Task Scan_FifoAndFolderNamedLikeReviewSheets_NotOpenedTheNightEndsWithErrorRows()
    {
        var input = CopySmallestSampleCalls(2);
        var output = Path.Combine(_work, "out");
        var (first, _, firstError) = await Scan(input, output);
        Assert.That(first, Is.EqualTo(ExitCodes.Success), "guard: the first night\n" + firstError);
        var coach = Path.Combine(output, "coach");
        var csv = Directory.GetFiles(coach, "*-review.csv").Order(StringComparer.Ordinal).First();
        var agent = Path.GetFileName(csv)[..^"-review.csv".Length];
        var xlsx = Path.Combine(coach, agent + "-review.xlsx");

        // In coach/: a FIFO where the CSV form was, a folder where the .xlsx was. In the reviews: folder: a FIFO too.
        var mkfifo = ExternalTools.Require("mkfifo", "coreutils");
        File.Delete(csv);
        ExternalTools.Run(mkfifo, csv);
        File.Delete(xlsx);
        Directory.CreateDirectory(xlsx);
        var reviews = Directory.CreateDirectory(Path.Combine(_work, "reviews")).FullName;
        var reviewFifo = Path.Combine(reviews, agent + "-review.csv");
        ExternalTools.Run(mkfifo, reviewFifo);

        var (code, summary, error) = await NotBlocking.Within(() => Scan(input, output, "--reviews", reviews), csv, reviewFifo);

        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), error);
        Assert.That(summary, Does.Contain("status: PARTIAL"));
        Assert.That(RunJson(output).Errors, Is.EqualTo(2));
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")).Where(e => e.Stage == "review").ToList();
        Assert.That(errors.Select(e => (e.File, e.Reason.Contains("not a regular file", StringComparison.Ordinal) || e.Reason.Contains("is a folder", StringComparison.Ordinal))),
            Is.EquivalentTo(new[] { ($"coach/{agent}-review.csv", true), ($"coach/{agent}-review.xlsx", true) }));
        Assert.That((FileKinds.Of(csv), FileKinds.Of(xlsx)), Is.EqualTo((FileKind.Special, FileKind.Directory)), "both are left as they are");
        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain($"{reviewFifo}: not used for learning").And.Contain("not a regular file"),
            "the FIFO in the reviews folder is a warning, not a hang");
    }

    private static Task<(int Code, string Out, string Error)> Scan(string input, string output, params string[] more) =>
        CliRun.RunAsync(["scan", input, "--out", output, "--workers", "1", .. more]);

    private static (string? Status, int ExitCode, int Errors, string Reason) RunJson(string output)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json")));
        var root = run.RootElement;
        return (root.GetProperty("status").GetString(), root.GetProperty("exitCode").GetInt32(), root.GetProperty("counts").GetProperty("errors").GetInt32(),
            root.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "");
    }

    private string CopySmallestSampleCalls(int count)
    {
        var samples = RepositoryPaths.SampleAudio;
        var lines = File.ReadAllLines(Path.Combine(samples, "calls.csv"));
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => (Line: l, File: l.Split(',')[0]))
            .OrderBy(r => new FileInfo(Path.Combine(samples, r.File)).Length)
            .Take(count)
            .ToList();
        var input = Path.Combine(_work, "in");
        foreach (var row in rows)
        {
            var target = Path.Combine(input, row.File);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(samples, row.File), target);
        }

        File.WriteAllLines(Path.Combine(input, "calls.csv"), rows.Select(r => r.Line).Prepend(lines[0]));
        return input;
    }
}
