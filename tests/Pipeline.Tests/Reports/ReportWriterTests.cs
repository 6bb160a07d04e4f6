using QualityScan.Models;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Reports;

public sealed class ReportWriterTests
{
    private string _out = "";

    [SetUp]
    public void SetUp() => _out = Path.Combine(Path.GetTempPath(), $"qs-reports-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Test]
    public void WriteAll_TwoAgents_CallsCsvParsesBackFieldByField()
    {
        ReportWriter.WriteAll(_out, Reports(), []);

        var rows = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(_out, "calls.csv"));

        Assert.That(rows, Has.Count.EqualTo(3));
        var bad = rows.Single(r => r.CallId == "c2");
        Assert.That(bad.AgentId, Is.EqualTo("akowalska"));
        Assert.That(bad.Language, Is.EqualTo("pl"));
        Assert.That(bad.DurationSeconds, Is.EqualTo(41.5));
        Assert.That(bad.Score, Is.EqualTo(40));
        Assert.That(bad.Outcomes["greeting"], Is.EqualTo("pass"));
        Assert.That(bad.Outcomes["interruption"], Is.EqualTo("fail"));
        Assert.That(bad.Outcomes["politeness"], Is.EqualTo("fail"));
        Assert.That(bad.Outcomes["dont_know"], Is.EqualTo("n/a"));
        Assert.That(bad.Interruptions, Is.EqualTo(1));
        Assert.That(bad.OverlapSeconds, Is.EqualTo(1.6));
        Assert.That(bad.DirectivePhrases, Is.EqualTo(1));
        Assert.That(bad.FailedChecks, Is.EqualTo("interruption;politeness"));
    }

    [Test]
    public void WriteAll_Header_HasTheDocumentedColumnsInOrder()
    {
        ReportWriter.WriteAll(_out, Reports(), []);

        var header = File.ReadLines(Path.Combine(_out, "calls.csv")).First();

        Assert.That(header, Does.StartWith("call_id,agent_id,agent_name,language,started_at,duration_s,score,not_judged,greeting,interruption,politeness,dont_know,closing,interruptions,overlap_s"));
    }

    [Test]
    public void WriteAll_EvidenceStartingWithFormulaCharacter_IsEscaped()
    {
        ReportWriter.WriteAll(_out, Reports(), []);

        var findings = ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(_out, "findings.csv"));
        var formula = findings.Single(f => f.Evidence.Contains("SUM", StringComparison.Ordinal));

        Assert.That(formula.Evidence, Does.StartWith("'="), "a spreadsheet must not run a customer's words as a formula");
        Assert.That(findings.Select(f => f.Evidence), Has.Some.EqualTo("Musi Pan podać numer klienta, \"szybko\"."), "commas and quotes survive");
    }

    [Test]
    public void WriteAll_Agents_SummaryAndCoachingFileWorstFirst()
    {
        ReportWriter.WriteAll(_out, Reports(), [new ErrorRow { File = "x.wav", Stage = "decode", Reason = "x.wav: not a RIFF/WAVE file" }]);

        var agents = ReportWriter.Read<AgentRow, AgentRowMap>(Path.Combine(_out, "agents.csv"));
        var anna = agents.Single(a => a.AgentId == "akowalska");
        Assert.That(anna.Calls, Is.EqualTo(2));
        Assert.That(anna.MeanScore, Is.EqualTo(70));
        Assert.That(anna.MinScore, Is.EqualTo(40));
        Assert.That(anna.WorstCall, Is.EqualTo("c2"));
        Assert.That(anna.PassRates["interruption"], Is.EqualTo(0.5));
        Assert.That(anna.PassRates["dont_know"], Is.EqualTo(1.0), "n/a calls are left out of the rate");

        var coaching = ReportWriter.Read<CoachingRow, CoachingRowMap>(Path.Combine(_out, "agents", "akowalska.csv"));
        Assert.That(coaching.Select(c => c.CallId), Is.EqualTo(new[] { "c2", "c1" }), "worst call first");
        Assert.That(coaching[0].Moments, Does.Contain("interruption 0:10.2-0:11.8 agent"));
        Assert.That(coaching[0].Moments, Does.Contain("politeness 0:10.2-0:13.2 agent \"Musi Pan"));

        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(_out, "errors.csv"));
        Assert.That(errors.Single().Reason, Does.Contain("not a RIFF"));
    }

    [TestCase("akowalska", "akowalska")]
    [TestCase("pl04-greeting-no-name", "pl04-greeting-no-name")]
    [TestCase("Jan.Veselý", "Jan.Veselý")]
    [TestCase("../etc/passwd", "%2E.%2Fetc%2Fpasswd")]
    [TestCase("..", "%2E%2E")]
    [TestCase(".hidden", "%2Ehidden")]
    public void SafeFileName_AgentIdWithPathCharacters_StaysInsideTheFolder(string id, string expected) =>
        Assert.That(ReportWriter.SafeFileName(id), Is.EqualTo(expected));

    [Test]
    public void WriteAll_AgentIdsThatUsedToShareAFile_EachAgentGetsItsOwnCoachingFile()
    {
        string[] agents = ["x/y", "x_y", ".", "..", "_", "a b", "a_b", "a\nb", "a\u001b[31mb", new string('a', 300), new string('a', 299) + "b"];
        var reports = agents.Select((a, i) => Report($"c{i}", a, 50, [Result(CheckIds.Greeting, Outcome.Fail)])).ToList();

        ReportWriter.WriteAll(_out, reports, []);

        var files = Directory.GetFiles(Path.Combine(_out, "agents"));
        Assert.That(files, Has.Length.EqualTo(agents.Length), "one coaching file per agent, none overwritten");
        foreach (var file in files)
        {
            var rows = ReportWriter.Read<CoachingRow, CoachingRowMap>(file);
            Assert.That(rows, Has.Count.EqualTo(1), $"{Path.GetFileName(file)} holds one agent's call");
        }
    }

    private static List<CallReport> Reports()
    {
        var good = Report("c1", "akowalska", 100, [
            Result(CheckIds.Greeting, Outcome.Pass), Result(CheckIds.Interruption, Outcome.Pass), Result(CheckIds.Politeness, Outcome.Pass),
            Result(CheckIds.DontKnow, Outcome.Pass), Result(CheckIds.Closing, Outcome.Pass)]);
        var bad = Report("c2", "akowalska", 40, [
            Result(CheckIds.Greeting, Outcome.Pass),
            Result(CheckIds.Interruption, Outcome.Fail, new Finding(CheckIds.Interruption, Outcome.Fail, Speaker.Agent, 10.2, 11.8, "=SUM(A1:A9)", "agent talked over the customer for 1.6 s")) with
            {
                Counts = new Dictionary<string, double> { ["interruptions"] = 1, ["overlap_seconds"] = 1.6 },
            },
            Result(CheckIds.Politeness, Outcome.Fail, new Finding(CheckIds.Politeness, Outcome.Fail, Speaker.Agent, 10.2, 13.2, "Musi Pan podać numer klienta, \"szybko\".", "directive phrasing")) with
            {
                Counts = new Dictionary<string, double> { ["directive_phrases"] = 1 },
            },
            Result(CheckIds.DontKnow, Outcome.NotApplicable),
            Result(CheckIds.Closing, Outcome.Pass)]);
        var other = Report("c3", "mnowak", 80, [Result(CheckIds.Greeting, Outcome.Fail)]);
        return [bad, other, good];
    }

    private static CallReport Report(string callId, string agentId, double score, IReadOnlyList<CheckResult> results) =>
        new(new CallMetadata(callId, agentId, "Anna Kowalska", "Telkom", "pl", 41.5), results, score);

    private static CheckResult Result(string check, Outcome outcome, params Finding[] findings) => new(check, outcome, findings, outcome.ToReportText());
}
