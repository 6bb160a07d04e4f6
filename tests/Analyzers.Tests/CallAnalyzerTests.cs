using QualityScan.Models;

namespace QualityScan.Analyzers.Tests;

[TestFixture]
public sealed class CallAnalyzerTests
{
    [Test]
    public void Analyze_ContractExample_GivesTheAgreedVerdicts()
    {
        var report = new CallAnalyzer(RulePacks.Polish).Analyze(ContractExample.Build());

        var outcomes = report.Results.Select(r => (r.CheckId, r.Outcome)).ToArray();
        Assert.That(outcomes, Is.EqualTo(new[]
        {
            (CheckIds.Greeting, Outcome.Pass),
            (CheckIds.Interruption, Outcome.Fail),
            (CheckIds.Politeness, Outcome.Fail),
            (CheckIds.DontKnow, Outcome.Fail),
            (CheckIds.Closing, Outcome.Pass),
            ("hold", Outcome.NotApplicable),
            ("monologue", Outcome.Pass),
            ("empathy", Outcome.NotApplicable),
        }), "greeting and closing pass; interruption, 'Musi Pan' and the bare 'Nie wiem' fail; no pause, no monologue, no frustration; in report column order");
        Assert.That(report.Count("interruptions"), Is.EqualTo(1), "one interruption");
        Assert.That(report.Count("overlap_seconds"), Is.EqualTo(1.6).Within(0.01), "of about 1.6 s");
        Assert.That(report.ResultOf(CheckIds.DontKnow)!.Findings.Single().Start, Is.EqualTo(16.5), "the 'Nie wiem.' at 16.5 s");
        Assert.That(report.Score, Is.EqualTo(50.0), "greeting 25 + closing 20 + monologue 10 of 110 weight points (hold and empathy n/a)");
        Assert.That(report.Metadata, Is.EqualTo(ContractExample.Build().Metadata), "the report carries the call's metadata");
    }

    [Test]
    public void Analyze_ParallelCalls_GiveSameReportsAsSequential()
    {
        var analyzer = new CallAnalyzer(RulePacks.Polish);
        var calls = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? ContractExample.Build() : PoliteCall(i)).ToArray();

        var sequential = calls.Select(c => Describe(analyzer.Analyze(c))).ToArray();
        var parallel = calls.AsParallel().AsOrdered().WithDegreeOfParallelism(4).Select(c => Describe(analyzer.Analyze(c))).ToArray();

        Assert.That(parallel, Is.EqualTo(sequential), "one analyzer shared by parallel workers must not mix calls up");
    }

    [Test]
    public void Analyze_EmptyTranscript_IsNotJudgedAndNotAPerfectCall()
    {
        var report = new CallAnalyzer(RulePacks.Polish).Analyze(TranscriptBuilder.Polish().WithDuration(95).Build());

        Assert.That(report.IsJudged, Is.False, "a silent recording is not a perfect call");
        Assert.That(report.NotJudgedReason, Is.EqualTo("no agent speech"));
        Assert.That(report.Results.Select(r => r.Outcome), Is.All.EqualTo(Outcome.NotApplicable), "no check passes on silence");
    }

    [Test]
    public void Analyze_OnlyTheCustomerSpeaks_IsNotJudged()
    {
        var call = TranscriptBuilder.Polish().Customer(0, 5, "Halo? Jest tam ktoś? Halo?").Customer(8, 10, "Halo?").Build();

        var report = new CallAnalyzer(RulePacks.Polish).Analyze(call);

        Assert.That(report.NotJudgedReason, Is.EqualTo("no agent speech"), "the agent channel held nothing");
    }

    [Test]
    public void Analyze_MonoCallWithSpeech_IsJudged()
    {
        var call = TranscriptBuilder.Polish().Unknown(0, 3, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?").Build();

        Assert.That(new CallAnalyzer(RulePacks.Polish).Analyze(call).IsJudged, Is.True, "unknown-speaker speech may be the agent's");
    }

    [Test]
    public void Analyze_ParallelCallsWithLearnedModel_GiveSameReportsAsSequential()
    {
        var analyzer = new CallAnalyzer(Learning.LearnedModels.Polish);
        var calls = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? ContractExample.Build() : ParaphrasedCall(i)).ToArray();

        var sequential = calls.Select(c => Describe(analyzer.Analyze(c))).ToArray();
        var parallel = calls.AsParallel().AsOrdered().WithDegreeOfParallelism(4).Select(c => Describe(analyzer.Analyze(c))).ToArray();

        Assert.That(parallel, Is.EqualTo(sequential), "the learned classifiers are shared by parallel workers");
        Assert.That(sequential[1], Does.Contain("greeting=Pass"), "the paraphrased offer of help is recognised by the model");
    }

    private static CallTranscript ParaphrasedCall(int i) => TranscriptBuilder.Polish()
        .Agent(0.3, 4, "Dzień dobry, Anna Kowalska, Telkom. Z czym Pani dzwoni?")
        .Customer(4.5, 8 + i % 3, "Chciałam zapytać o fakturę.")
        .Agent(9 + i % 3, 14, "Nie wiem. Wrócę do Pani z odpowiedzią jutro rano. Czy coś jeszcze? Dziękuję za rozmowę, do widzenia.")
        .Build();

    private static CallTranscript PoliteCall(int i) => TranscriptBuilder.Polish()
        .Agent(0.3, 4, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?")
        .Customer(4.5, 8 + i % 3, "Chciałam zapytać o fakturę.")
        .Agent(9 + i % 3, 14, "Nie wiem, ale sprawdzę to i oddzwonię. Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę, do widzenia.")
        .Build();

    private static string Describe(CallReport report) =>
        report.Score + ":" + string.Join("|", report.Results.Select(r => $"{r.CheckId}={r.Outcome}/{r.Findings.Count}/{r.Summary}"));
}
