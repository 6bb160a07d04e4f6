using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Pipeline.Tests.Reports;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>
/// The errors sheet of report.xlsx and the coach index in the report language: recordings that cannot be judged (made
/// by sox and by hand, not by this project's audio code) and an unreadable review sheet, scanned by the real program,
/// the workbook read back by LibreOffice Calc.
/// </summary>
[TestFixture]
[Category("model")]
[Category("sox")]
[Category("libreoffice")]
[NonParallelizable]
public sealed class ErrorDetailsScanTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-error-details-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Scan_CommonErrors_ErrorsSheetAndBannerInPolishFilesRelativeToTheInput()
    {
        var input = Path.Combine(_work, "in");
        var agent = Directory.CreateDirectory(Path.Combine(input, "kkowalska")).FullName;
        File.Copy(Path.Combine(RepositoryPaths.SampleAudio, "kkowalska", "pl01-all-pass.wav"), Path.Combine(agent, "pl01.wav"));
        ExternalTools.Run(ExternalTools.Require("sox", "sox"), "-n", "-r", "16000", "-c", "1", "-b", "16", Path.Combine(agent, "short.wav"), "synth", "0.4", "sine", "440");
        File.WriteAllBytes(Path.Combine(agent, "empty.wav"), []);
        File.WriteAllBytes(Path.Combine(agent, "broken.wav"), Encoding.ASCII.GetBytes("RIFF\u0010\u0000\u0000\u0000WAVEjunk this is no recording at all"));
        var output = Path.Combine(_work, "out");

        var (code, _, error) = await CliRun.RunAsync("scan", input, "--out", output, "--workers", "1", "--report-language", "pl");
        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), error);

        // A review sheet another export saved over, for the next night.
        File.WriteAllText(Path.Combine(output, "coach", "kkowalska-review.csv"), "Imię;Nazwisko\r\nAnna;Nowak\r\n");
        (code, _, error) = await CliRun.RunAsync("scan", input, "--out", output, "--workers", "1", "--report-language", "pl");
        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), error);

        var sheets = LibreOffice.Sheets(Path.Combine(output, "report.xlsx"), _work);
        var errors = sheets["Błędy"];
        Assert.That(errors[0], Does.Contain("Szczegóły (komunikat programu)"), "guard: the errors sheet's header");
        var details = errors.Skip(1).ToDictionary(r => r[0], r => r[4]);
        Assert.That(details["kkowalska/short.wav"], Is.EqualTo("kkowalska/short.wav: nagranie za krótkie do oceny: 0.40 s dźwięku (rozmowa musi mieć co najmniej 1 s)"));
        Assert.That(details["kkowalska/empty.wav"], Is.EqualTo("kkowalska/empty.wav: plik jest pusty (0 bajtów)"));
        Assert.That(details["kkowalska/broken.wav"], Is.EqualTo("kkowalska/broken.wav: nieobsługiwany format nagrania albo uszkodzony plik"));
        Assert.That(details["coach/kkowalska-review.csv"], Does.StartWith("coach/kkowalska-review.csv: nie da się odczytać arkusza oceny").And.EndWith("dzisiejsze momenty są w kkowalska-review.xlsx"));
        Assert.That(string.Join("\n", details.Values), Does.Not.Contain(_work), "no server path in the sheet");
        Assert.That(string.Join("\n", details.Values), Does.Not.Contain("too short").And.Not.Contain("empty file").And.Not.Contain("cannot be read"), "no English left");

        var errorsCsv = File.ReadAllText(Path.Combine(output, "errors.csv"));
        Assert.That(errorsCsv, Does.Contain("too short to judge").And.Contain("empty file"), "errors.csv, for programs, keeps the program's English");

        var first = sheets["Konsultanci"];
        Assert.That(first.SelectMany(r => r), Has.Some.StartsWith("MODEL DEMONSTRACYJNY:"), "the workbook's first sheet warns about the demo model in Polish");
        Assert.That(File.ReadAllText(Path.Combine(output, "coach", "index.html")), Does.Contain("MODEL DEMONSTRACYJNY: speech-models/whisper-demo-pl-cs nauczono na mowie syntetycznej"),
            "and so does the coach index");
        Assert.That(File.ReadAllText(Path.Combine(output, "qualityscan.log")), Does.Contain("DEMO MODEL: "), "the log line stays English, for the operator");
    }
}
