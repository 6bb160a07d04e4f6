using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Batch;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>
/// A check written only in a copy of the rule pack (the example of <c>docs/custom-checks.md</c>, read from that file),
/// with no code, run through <c>qualityscan analyze</c>: it must appear in every report.
/// </summary>
[NonParallelizable]
public sealed class PackDefinedCheckTests
{
    private string _work = "";

    private static string ExamplePath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "transcript.example.json");

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-defined-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Analyze_PackCopyWithTheDocumentedChecks_ShowsThemInEveryReport()
    {
        var pack = Path.Combine(_work, "my-pl.yaml");
        File.WriteAllText(pack, File.ReadAllText(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml")) + "\n" + DocumentedExample());
        var output = Path.Combine(_work, "out");

        var code = await Program.Main(["analyze", ExamplePath, "--rules", pack, "--out", output]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        var header = File.ReadLines(Path.Combine(output, "calls.csv")).First();
        Assert.That(header, Does.Contain(",hold,monologue,empathy,data_protection,forbidden_phrases,"), "a column per check, in the pack's order");
        var call = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Single();
        Assert.That(call.Outcomes["data_protection"], Is.EqualTo("fail"), "the example call gives no data-protection notice");
        Assert.That(call.Outcomes["forbidden_phrases"], Is.EqualTo("fail"), "the agent says 'Musi Pan'");
        Assert.That(call.Score, Is.EqualTo(44), "greeting 25 + closing 20 + monologue 10 of 125 weight points: the two new checks count with their weights");

        var agent = ReportWriter.Read<AgentRow, AgentRowMap>(Path.Combine(output, "agents.csv")).Single();
        Assert.That(agent.PassRates["data_protection"], Is.EqualTo(0), "agents.csv has the check's pass rate");

        var findings = ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(output, "findings.csv"));
        var forbidden = findings.Single(f => f.Check == "forbidden_phrases");
        Assert.That((forbidden.StartSeconds, forbidden.Evidence), Is.EqualTo((10.2, "Musi Pan")), "the phrase is quoted where it was said");
        Assert.That(findings.Single(f => f.Check == "data_protection").Message, Is.EqualTo("no data-protection notice in the first 60 s (0:00.4-0:24.0)"));

        using (var book = SpreadsheetDocument.Open(Path.Combine(output, WorkbookWriter.FileName), isEditable: false))
        {
            var texts = book.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList();
            Assert.That(texts, Does.Contain("Klauzula RODO").And.Contain("Zakazane zwroty"), "the workbook names the checks as the pack does, in the report's language");
            Assert.That(texts.Any(t => t.Contains("Klauzula RODO, Zakazane zwroty", StringComparison.Ordinal)), Is.True, "and lists them among the call's failed checks");
        }

        var page = File.ReadAllText(Path.Combine(output, "coach", ReportWriter.SafeFileName("akowalska") + ".html"));
        Assert.That(page, Does.Contain("Klauzula RODO").And.Contain("zakazany zwrot „Musi Pan” (0:10.2)"),
            "the coach page shows the check and its moment worded in Polish from the pack");
    }

    [Test]
    public async Task Analyze_PackCopyWithABrokenDefinition_StopsNamingFileLineAndKey()
    {
        var pack = Path.Combine(_work, "my-pl.yaml");
        var shipped = File.ReadAllText(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"));
        File.WriteAllText(pack, shipped + "\n" + DocumentedExample().Replace("- never: forbidden", "- never: forbiden", StringComparison.Ordinal));
        var line = File.ReadAllLines(pack).ToList().FindIndex(l => l.Contains("never: forbiden", StringComparison.Ordinal)) + 1;
        var output = Path.Combine(_work, "out");
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await Program.Main(["analyze", ExamplePath, "--rules", pack, "--out", output]);
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.That(code, Is.Not.EqualTo(ExitCodes.Success), "a broken pack stops the run");
        Assert.That(error.ToString(), Does.Contain($"my-pl.yaml:{line}: defined_checks.forbidden_phrases.require[0].never: unknown phrase class 'forbiden'"),
            "the message names the file, line and key");
        Assert.That(File.Exists(Path.Combine(output, "calls.csv")), Is.False, "nothing is judged with a broken pack");
    }

    /// <summary>The YAML block between the example markers of <c>docs/custom-checks.md</c>.</summary>
    private static string DocumentedExample()
    {
        var docs = Path.Combine(Path.GetDirectoryName(RepositoryPaths.SampleAudio)!, "docs", "custom-checks.md");
        var match = Regex.Match(File.ReadAllText(docs), "<!-- example:begin -->\\s*```yaml\\n(?<yaml>.*?)```\\s*<!-- example:end -->", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, "docs/custom-checks.md has the example block");
        return match.Groups["yaml"].Value;
    }
}
