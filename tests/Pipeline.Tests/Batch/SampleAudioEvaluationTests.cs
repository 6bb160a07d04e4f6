using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Evaluation;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>
/// The project's own accuracy figure: scan sample-audio/ with the shipped model and compare with expected.csv; and the
/// findings of the calls made for the pause and monologue checks, against the placement of their lines in the timelines
/// the generator wrote (not against what the scan heard).
/// </summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed partial class SampleAudioEvaluationTests
{
    /// <summary>Agreement every check must reach on the sample calls.</summary>
    private const double MinimumAgreement = 0.9;

    /// <summary>How far a time voice activity finds may lie from where the generator placed the line.</summary>
    private const double ToleranceSeconds = 0.3;

    private string _samples = "";
    private string _output = "";

    [OneTimeSetUp]
    public async Task ScanSampleCalls()
    {
        _samples = RepositoryPaths.SampleAudio;
        _output = Path.Combine(Path.GetTempPath(), $"qs-samples-{Guid.NewGuid():N}");
        var code = await new ScanCommand().RunAsync([_samples, "--out", _output], CancellationToken.None);
        Assert.That(code, Is.EqualTo(ExitCodes.Success));
    }

    [OneTimeTearDown]
    public void RemoveOutput()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Test]
    public void Evaluate_SampleCalls_EveryCheckAgreesWithExpectedOutcomes()
    {
        var result = Evaluator.Evaluate(_output, Path.Combine(_samples, "expected.csv"));
        var table = EvaluateCommand.Format(result);
        TestContext.Out.WriteLine(table);

        Assert.That(result.MissingCalls, Is.Empty, "every sample call is processed:\n" + table);
        Assert.Multiple(() =>
        {
            foreach (var check in result.Checks)
            {
                var shortfalls = result.Disagreements.Where(d => d.CheckId == check.CheckId).Select(d => $"{d.CallId} (expected {d.Expected}, reported {d.Reported}: {d.Evidence})");
                Assert.That(check.Agreement, Is.GreaterThanOrEqualTo(MinimumAgreement),
                    $"{check.CheckId}: agreement {check.Agreement:F2}; calls that fall short: {string.Join("; ", shortfalls)}");
            }
        });
    }

    [Test]
    public void Hold_SilentPauseCall_FailsNamingTheScriptedSilence()
    {
        // pl11: "Dziękuję za informację." (line 20), 12 s of silence, "Przepraszam za utrudnienia." (line 21).
        var timeline = Timeline("pl11-hold-silent");
        var (silenceFrom, silenceTo) = (timeline[20].End, timeline[21].Start);

        var failed = Findings("pl11-hold-silent", "hold").Where(f => f.Outcome == "fail").ToList();

        Assert.That(failed, Has.Count.EqualTo(1), "one finding for the one long pause");
        var match = SilenceTimes().Match(failed[0].Message);
        Assert.That(match.Success, Is.True, $"the finding names the pause: {failed[0].Message}");
        Assert.Multiple(() =>
        {
            Assert.That(Seconds(match.Groups["from"].Value), Is.EqualTo(silenceFrom).Within(ToleranceSeconds), failed[0].Message);
            Assert.That(Seconds(match.Groups["to"].Value), Is.EqualTo(silenceTo).Within(ToleranceSeconds), failed[0].Message);
            Assert.That(failed[0].Message, Does.Contain("not announced").And.Contain("no thanks for waiting"), "both omissions named");
            Assert.That(failed[0].Evidence, Does.Contain("Dziękuję za informację").And.Contain("Przepraszam za utrudnienia"), "quotes the turns around it");
        });
    }

    [Test]
    public void Hold_CzechCallAnnouncedAndThanked_PassesNamingTheScriptedSilence()
    {
        // cs04: "Dobře, počkám." (line 21), 12 s of silence, "Děkuji za trpělivost." (line 22).
        var timeline = Timeline("cs04-hold-thanked");

        var hold = Findings("cs04-hold-thanked", "hold");

        Assert.That(hold.Select(f => f.Outcome), Is.EqualTo(new[] { "pass" }), "one pause, announced and thanked");
        var match = SilenceTimes().Match(hold[0].Message);
        Assert.That(match.Success, Is.True, $"the finding names the pause: {hold[0].Message}");
        Assert.Multiple(() =>
        {
            Assert.That(Seconds(match.Groups["from"].Value), Is.EqualTo(timeline[21].End).Within(ToleranceSeconds), hold[0].Message);
            Assert.That(Seconds(match.Groups["to"].Value), Is.EqualTo(timeline[22].Start).Within(ToleranceSeconds), hold[0].Message);
            Assert.That(hold[0].Evidence, Does.Contain("počkejte chvilku").And.Contain("Děkuji za trpělivost"), "quotes the announcement and the thanks");
        });
    }

    [Test]
    public void Monologue_LongStretchCall_FailsWithTheScriptedStretch()
    {
        // pl12: the agent talks from line 19 to line 33 with only "Tak." and "Aha." from the customer.
        var timeline = Timeline("pl12-monologue");

        var failed = Findings("pl12-monologue", "monologue").Where(f => f.Outcome == "fail").ToList();

        Assert.That(failed, Has.Count.EqualTo(1), "one stretch");
        Assert.Multiple(() =>
        {
            Assert.That(failed[0].StartSeconds, Is.EqualTo(timeline[19].Start).Within(ToleranceSeconds), "starts with the agent's answer");
            Assert.That(failed[0].EndSeconds, Is.EqualTo(timeline[33].End).Within(ToleranceSeconds), "ends with the agent's last sentence before the customer's thanks");
            Assert.That(failed[0].Message, Does.Contain("Dziękuję za informację"), "quotes the first words");
        });
    }

    [Test]
    public void Empathy_UpsetCustomers_AcknowledgedInPl10AndIgnoredInPl11()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Findings("pl10-hold-empathy", "empathy").Select(f => f.Outcome), Is.EqualTo(new[] { "pass" }), "acknowledged");
            var ignored = Findings("pl11-hold-silent", "empathy").Single();
            Assert.That(ignored.Outcome, Is.EqualTo("fail"));
            Assert.That(ignored.Evidence, Does.Contain("to jest skandal").And.Contain("Dziękuję za informację"), "quotes both turns");
        });
    }

    private List<FindingRow> Findings(string callId, string check) =>
        ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(_output, "findings.csv"))
            .Where(f => f.CallId == callId && f.Check == check).ToList();

    /// <summary>The generator's placement of each script line: line number to start and end in seconds.</summary>
    private Dictionary<int, (double Start, double End)> Timeline(string callId) =>
        File.ReadLines(Path.Combine(_samples, "timelines", callId + ".csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(
                f => int.Parse(f[0], CultureInfo.InvariantCulture),
                f => (double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture)));

    /// <summary>"0:13.3" or "1:02.5" as seconds.</summary>
    private static double Seconds(string minutesSeconds)
    {
        var parts = minutesSeconds.Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture) * 60) + double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?<from>\d+:\d+(\.\d+)?)\s*[-–]\s*(?<to>\d+:\d+(\.\d+)?)")]
    private static partial Regex SilenceTimes();
}
