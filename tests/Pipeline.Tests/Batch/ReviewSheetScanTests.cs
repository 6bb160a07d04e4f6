using System.Text;
using System.Text.Json;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>A night whose coach left a review sheet it cannot read: the night completes, and the sheet is left as it is.</summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class ReviewSheetScanTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-review-scan-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Scan_UnreadableReviewSheets_NightCompletesWithAnErrorRowAndLeavesThemUntouched()
    {
        var input = CopySmallestSampleCalls(2);
        var output = Path.Combine(_work, "out");
        Assert.That(await Scan(input, output), Is.EqualTo(ExitCodes.Success), "guard: the first night");
        var coach = Path.Combine(output, "coach");
        var csv = Directory.GetFiles(coach, "*-review.csv").Order(StringComparer.Ordinal).First();
        var agent = Path.GetFileName(csv)[..^"-review.csv".Length];
        var xlsx = Path.Combine(coach, agent + "-review.xlsx");
        Assert.That(File.Exists(xlsx), Is.True, "guard: both forms are written");

        // A sheet saved over by another export (Excel's ; CSV in Windows-1250), and a workbook that is no workbook.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csvBytes = Encoding.GetEncoding(1250).GetBytes("Imię;Nazwisko;Uwagi\r\nKatarzyna;Kowalska;źle zapisany plik\r\n");
        var xlsxBytes = Encoding.ASCII.GetBytes("PK\u0003\u0004 this is not a workbook");
        File.WriteAllBytes(csv, csvBytes);
        File.WriteAllBytes(xlsx, xlsxBytes);

        var code = await Scan(input, output);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), "a review sheet is not a call: the night is complete");
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json"))))
        {
            Assert.That(run.RootElement.GetProperty("status").GetString(), Is.EqualTo("complete"), "run.json does not stay 'running'");
        }

        Assert.That(File.ReadAllBytes(csv), Is.EqualTo(csvBytes), "what is in the unreadable CSV is never overwritten");
        Assert.That(File.ReadAllBytes(xlsx), Is.EqualTo(xlsxBytes), "nor the unreadable workbook");
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")).Where(e => e.Stage == "review").ToList();
        Assert.That(errors.Select(e => e.File), Is.EquivalentTo(new[] { $"coach/{agent}-review.xlsx", $"coach/{agent}-review.csv" }), "one error row per unreadable file");
        Assert.That(errors.Single(e => e.File.EndsWith(".csv", StringComparison.Ordinal)).Reason, Does.Contain("no column call_id, check, verdict").And.Contain("left untouched"));
        var log = File.ReadAllText(Path.Combine(output, "qualityscan.log"));
        Assert.That(log, Does.Contain($"coach/{agent}-review.csv").And.Contain($"coach/{agent}-review.xlsx"), "the log names the files");
    }

    private static Task<int> Scan(string input, string output) => new ScanCommand().RunAsync([input, "--out", output], CancellationToken.None);

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
