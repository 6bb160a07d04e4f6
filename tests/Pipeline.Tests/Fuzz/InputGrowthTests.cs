using System.Diagnostics;
using System.Text;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Tests.Fuzz;

/// <summary>
/// Memory and output that grow with the input, not faster: each path is run on an input and on one four times larger,
/// and the bytes allocated (and written) may grow at most about four times. All pairs of 4x the utterances would be 16x.
/// </summary>
/// <remarks>
/// The inputs are the crowded transcripts a fuzz harness made: every utterance overlaps every other (each lasts to the
/// end of the call), the agent says "Nie wiem." in each turn, and the voice activity alternates so that each agent turn
/// starts inside a customer turn. Bytes allocated are counted, not wall-clock time, so a busy machine cannot fail them.
/// </remarks>
[TestFixture]
[Category("fuzz")]
[NonParallelizable]
public sealed class InputGrowthTests
{
    /// <summary>Largest growth accepted for a 4x input: linear is 4, with slack for fixed costs; quadratic would be 16.</summary>
    private const double MaxGrowth = 6.0;

    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-growth-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown()
    {
        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", _work]) { UseShellExecute = false })!;
        rm.WaitForExit();
    }

    [Test]
    public void Analyze_CrowdedTranscript4xLarger_AllocatesAtMostAbout4xMore()
    {
        var analyzer = new CallAnalyzer(RulePackLoader.LoadForLanguage("pl"));
        analyzer.Analyze(Crowded(100));

        var (small, smallReport) = Allocated(() => analyzer.Analyze(Crowded(500)));
        var (large, largeReport) = Allocated(() => analyzer.Analyze(Crowded(2_000)));

        Assert.That(Failures(largeReport, CheckIds.Interruption), Is.EqualTo(1_000), "every agent turn starts inside a customer turn");
        Assert.That(Failures(largeReport, CheckIds.DontKnow), Is.EqualTo(1_000), "every agent turn is an unresolved 'nie wiem'");
        Assert.That((double)large / small, Is.LessThan(MaxGrowth),
            $"analysis allocated {small:N0} bytes for 500 utterances and {large:N0} for 2,000");
        Assert.That((double)EvidenceChars(largeReport) / EvidenceChars(smallReport), Is.LessThan(MaxGrowth),
            "the evidence quoted grows with the findings, not with findings x overlapping utterances");
    }

    [Test]
    public async Task AnalyzeCommand_CrowdedTranscript4xLarger_CoachPageAndFindingsGrowAtMostAbout4x()
    {
        await AnalyzeAsync(100, "warm");
        var (small, smallOut) = await AnalyzeAsync(400, "small");
        var (large, largeOut) = await AnalyzeAsync(1_600, "large");

        foreach (var file in new[] { "coach/akowalska.html", "findings.csv" })
        {
            var smallBytes = new FileInfo(Path.Combine(smallOut, file)).Length;
            var largeBytes = new FileInfo(Path.Combine(largeOut, file)).Length;
            Assert.That((double)largeBytes / smallBytes, Is.LessThan(MaxGrowth), $"{file}: {smallBytes:N0} bytes for 400 utterances, {largeBytes:N0} for 1,600");
        }

        Assert.That((double)large / small, Is.LessThan(MaxGrowth), $"analyze allocated {small:N0} bytes for 400 utterances and {large:N0} for 1,600");
        var page = await File.ReadAllTextAsync(Path.Combine(largeOut, "coach", "akowalska.html"));
        Assert.That(page, Does.Contain("class=\"more\""), "a moment with more turns than fit says how many were left out");
    }

    [Test]
    public void RulePackParse_4xMorePhrases_AllocatesAtMostAbout4xMore()
    {
        var shipped = File.ReadAllText(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"));
        RulePackLoader.Parse(WithPhrases(shipped, 500), "warm.yaml");

        var (small, _) = Allocated(() => RulePackLoader.Parse(WithPhrases(shipped, 5_000), "small.yaml"));
        var (large, pack) = Allocated(() => RulePackLoader.Parse(WithPhrases(shipped, 20_000), "large.yaml"));

        Assert.That(pack.Politeness.PolitePhrases.Patterns.Count, Is.GreaterThan(20_000), "the phrases were all read");
        Assert.That((double)large / small, Is.LessThan(MaxGrowth), $"parsing allocated {small:N0} bytes for 5,000 phrases and {large:N0} for 20,000");
    }

    [Test]
    public void RulePackLoad_FileOverTheLimit_RefusedNamingTheFileBeforeReadingIt()
    {
        var path = Path.Combine(_work, "pl.yaml");
        var shipped = File.ReadAllText(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"));
        File.WriteAllText(path, WithPhrases(shipped, (int)(RulePackLoader.MaxFileBytes / 20)));
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(RulePackLoader.MaxFileBytes));

        var (allocated, error) = Allocated(() => Assert.Throws<RulePackException>(() => RulePackLoader.Load(path))!);

        Assert.That(error.Message, Does.Contain(path).And.Contain("too large"));
        Assert.That(allocated, Is.LessThan(RulePackLoader.MaxFileBytes / 4), "the file is measured, not read, before it is refused");
    }

    private static (long Bytes, T Result) Allocated<T>(Func<T> action)
    {
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = action();
        return (GC.GetAllocatedBytesForCurrentThread() - before, result);
    }

    private async Task<(long Bytes, string Out)> AnalyzeAsync(int utterances, string name)
    {
        var input = Path.Combine(_work, name + "-in");
        var output = Path.Combine(_work, name + "-out");
        Directory.CreateDirectory(input);
        TranscriptJson.Write(Path.Combine(input, "crowd.json"), new TranscriptDocument(Crowded(utterances)));
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (code, _, error) = await CliRun.RunAsync("analyze", input, "--out", output, "--report-language", "pl");
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(code, Is.EqualTo(0), error);
        return (bytes, output);
    }

    /// <summary>A call of <paramref name="utterances"/> utterances that all overlap one another (see the remarks).</summary>
    internal static CallTranscript Crowded(int utterances)
    {
        var end = utterances + 5.0;
        var list = new List<Utterance>(utterances);
        for (var i = 0; i < utterances; i++)
        {
            var agent = i % 2 == 0;
            list.Add(new Utterance(agent ? Speaker.Agent : Speaker.Customer, i, end,
                agent ? "Nie wiem." : $"Dzwonię w sprawie faktury za październik, numer {i}."));
        }

        var pairs = utterances / 2;
        var activity = new VoiceActivity(
            Enumerable.Range(0, pairs).Select(k => new TimeInterval(4 * k + 0.2, 4 * k + 1.6)).ToArray(),
            Enumerable.Range(0, pairs).Select(k => new TimeInterval(4 * k, 4 * k + 1.6)).ToArray(),
            []);
        var metadata = new CallMetadata($"crowd-{utterances}", "akowalska", "Anna Kowalska", "Telkom", "pl", Math.Max(end, 4 * pairs + 2));
        return new CallTranscript(metadata, list, activity);
    }

    private static int Failures(CallReport report, string check) =>
        report.Results.Single(r => r.CheckId == check).Findings.Count(f => f.Outcome == Outcome.Fail);

    private static long EvidenceChars(CallReport report) => report.Results.SelectMany(r => r.Findings).Sum(f => (long)f.Evidence.Length);

    /// <summary>The shipped pack with <paramref name="count"/> generated polite phrases (two to four words each) added.</summary>
    private static string WithPhrases(string pack, int count)
    {
        const string Anchor = "    polite_phrases:\n";
        var random = new Random(21);
        string[] syllables = ["ka", "zo", "pre", "mi", "da", "wie", "szy", "to", "rze", "cy", "bu", "pol", "go", "nie", "wa"];
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var words = Enumerable.Range(0, random.Next(2, 5)).Select(_ => string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => syllables[random.Next(syllables.Length)])));
            lines.Append("      - ").AppendJoin(' ', words).Append('\n');
        }

        var at = pack.IndexOf(Anchor, StringComparison.Ordinal) + Anchor.Length;
        return pack[..at] + lines + pack[at..];
    }
}
