using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Cli;

[NonParallelizable]
public sealed class AnalyzeCommandTests
{
    private string _work = "";

    private static string ExamplePath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "transcript.example.json");

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-analyze-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Analyze_ContractExample_ReportsTheDocumentedVerdicts()
    {
        var output = Path.Combine(_work, "out");

        var code = await Program.Main(["analyze", ExamplePath, "--out", output]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        var call = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).Single();
        Assert.That(call.Outcomes["greeting"], Is.EqualTo("pass"), "full greeting: Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc");
        Assert.That(call.Outcomes["interruption"], Is.EqualTo("fail"));
        Assert.That(call.Interruptions, Is.EqualTo(1));
        Assert.That(call.OverlapSeconds, Is.EqualTo(1.6).Within(0.05), "agent 10.2 s over customer until 11.8 s");
        Assert.That(call.Outcomes["politeness"], Is.EqualTo("fail"));
        Assert.That(call.Outcomes["dont_know"], Is.EqualTo("fail"));
        Assert.That(call.Outcomes["closing"], Is.EqualTo("pass"));

        var findings = ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(output, "findings.csv"));
        Assert.That(findings.Where(f => f.Outcome == "fail").Select(f => (f.Check, f.StartSeconds)), Is.EquivalentTo(new[]
        {
            ("interruption", 10.2), ("politeness", 10.2), ("dont_know", 16.5),
        }));
        Assert.That(findings.Single(f => f.Check == "politeness" && f.Outcome == "fail").Evidence, Does.Contain("Musi Pan"));
        Assert.That(File.Exists(Path.Combine(output, "agents", "akowalska.csv")), Is.True, "the coach's file for the agent");
        Assert.That(File.Exists(Path.Combine(output, "qualityscan.log")), Is.True);
    }

    [Test]
    public async Task Analyze_FolderWithOneBrokenTranscript_ReportsItAndAnalysesTheRest()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(Path.Combine(input, "day"));
        File.Copy(ExamplePath, Path.Combine(input, "good.json"));
        File.WriteAllText(Path.Combine(input, "day", "broken.json"), "{\"callId\": \"x\", \"agentId\": ");
        var output = Path.Combine(_work, "out");

        var code = await Program.Main(["analyze", input, "--out", output]);

        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), "reports were written although one file was unreadable, and the exit code says one was");
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")), Has.Count.EqualTo(1));
        var error = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv")).Single();
        Assert.That(error.File, Does.EndWith("broken.json"));
        Assert.That(error.Reason, Does.Contain("broken.json").And.Contain("invalid JSON"));
    }

    [Test]
    public async Task Analyze_NothingReadable_ExitsWithFailure()
    {
        File.WriteAllText(Path.Combine(_work, "a.json"), "not json");

        var code = await Program.Main(["analyze", _work, "--out", Path.Combine(_work, "out")]);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
    }

    [Test]
    public async Task Analyze_InvalidRuleFile_FailsNamingFileAndLine()
    {
        var rules = Path.Combine(_work, "pl.yaml");
        var shipped = File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Rules", "pl.yaml"));
        var line = Array.FindIndex(shipped, l => l.Trim() == "max_gap_words: 1");
        Assert.That(line, Is.GreaterThan(0), "the shipped pack sets max_gap_words");
        shipped[line] = "  max_gap_words: lots";
        File.WriteAllLines(rules, shipped);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await Program.Main(["analyze", ExamplePath, "--out", Path.Combine(_work, "out"), "--rules", rules]);
            Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.That(error.ToString(), Does.Contain($"pl.yaml:{line + 1}").And.Contain("max_gap_words"));
    }

    [TestCase(new[] { "analyze" }, "missing a transcript file or folder")]
    [TestCase(new[] { "analyze", "x.json" }, "--out <folder> is required")]
    [TestCase(new[] { "analyze", "x.json", "--out", "o", "--colour", "red" }, "unknown option --colour")]
    [TestCase(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    public async Task Main_BadArguments_ExitCode2WithMessage(string[] args, string message)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.That(await Program.Main(args), Is.EqualTo(ExitCodes.Usage));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.That(error.ToString(), Does.Contain(message));
    }

    [Test]
    public async Task Analyze_TwelveGoodAndOneInvalidUtf8_GoodOnesReportedAndTheBadOneAnErrorRow()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        var example = File.ReadAllText(ExamplePath);
        for (var i = 0; i < 12; i++)
        {
            File.WriteAllText(Path.Combine(input, $"call{i:00}.json"), example.Replace("2026-11-22-0007", $"call-{i:00}", StringComparison.Ordinal));
        }

        var bad = Encoding.UTF8.GetBytes(example.Replace("2026-11-22-0007", "call-bad", StringComparison.Ordinal).Replace("Telkom", "Tel\\ud800kom", StringComparison.Ordinal));
        var invalid = Encoding.UTF8.GetBytes(example.Replace("2026-11-22-0007", "call-invalid", StringComparison.Ordinal));
        invalid[Array.IndexOf(invalid, (byte)'M')] = 0xFF;
        File.WriteAllBytes(Path.Combine(input, "lone-surrogate.json"), bad);
        File.WriteAllBytes(Path.Combine(input, "invalid-utf8.json"), invalid);
        var output = Path.Combine(_work, "out");

        var code = await Program.Main(["analyze", input, "--out", output]);

        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure), "done, but two transcripts could not be read");
        Assert.That(ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")), Has.Count.EqualTo(12));
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv"));
        Assert.That(errors.Select(e => Path.GetFileName(e.File)), Is.EquivalentTo(new[] { "lone-surrogate.json", "invalid-utf8.json" }));
        Assert.That(errors.Single(e => e.File.EndsWith("lone-surrogate.json", StringComparison.Ordinal)).Reason, Does.Contain("lone-surrogate.json: company:"));
        Assert.That(errors.Single(e => e.File.EndsWith("invalid-utf8.json", StringComparison.Ordinal)).Reason, Does.Contain("invalid-utf8.json").And.Contain("UTF-8"));
    }
}
