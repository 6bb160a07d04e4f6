using System.Security.Cryptography;
using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>
/// The review loop end to end: a scan's transcripts and a coach review sheet (or an expected.csv) in, a model file out
/// beside the pack, and the next analyze judging the reviewed paraphrase as the reviewer did.
/// </summary>
[NonParallelizable]
public sealed class LearnCommandTests
{
    private const string Farewell = "No to papatki, buziaczki.";

    private string _work = "";
    private string _pack = "";

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-learn-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(Path.Combine(_work, "rules"));
        _pack = Path.Combine(_work, "rules", "pl.yaml");
        File.Copy(Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"), _pack);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Learn_SamePackTwice_WritesIdenticalModelFiles()
    {
        var a = Path.Combine(_work, "a.model.json");
        var b = Path.Combine(_work, "b.model.json");

        Assert.That(await Program.Main(["learn", "--rules", _pack, "--out", a]), Is.EqualTo(ExitCodes.Success));
        Assert.That(await Program.Main(["learn", "--rules", _pack, "--out", b]), Is.EqualTo(ExitCodes.Success));

        Assert.That(Sha(b), Is.EqualTo(Sha(a)), "same input, same model file hash");
        Assert.That(new FileInfo(a).Length, Is.LessThan(1_000_000), "a small file");
    }

    [Test]
    public async Task Learn_CoachReviewDisagreeingWithAClosingFail_MakesTheNextAnalyzeAcceptThatFarewell()
    {
        var scan = Path.Combine(_work, "out");
        WriteTranscript(scan, ClosingCall("c1", Farewell));
        var before = await AnalyzeAsync(scan);
        Assert.That(before.Outcomes["closing"], Is.EqualTo("fail"), "guard: neither the phrases nor the model trained at start from the examples know this farewell");

        var sheet = Path.Combine(scan, "coach", "akowalska-review.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(sheet)!);
        File.WriteAllText(sheet,
            "moment_id,call_id,check,start_s,end_s,evidence,verdict,correct_outcome,comment\n" +
            $"c1|closing|50.0,c1,closing,50.0,58.0,\"Czy mogę jeszcze w czymś pomóc? / Dziękuję za rozmowę. / {Farewell}\",disagree,pass,to jest pożegnanie\n");

        var code = await Program.Main(["learn", "--rules", _pack, "--reviews", sheet]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        Assert.That(File.Exists(Path.Combine(_work, "rules", "pl.model.json")), Is.True, "the model is stored beside the pack");
        var after = await AnalyzeAsync(scan);
        Assert.That(after.Outcomes["closing"], Is.EqualTo("pass"), "the reviewed farewell now counts");
        var finding = ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(_work, "analyzed", "findings.csv"))
            .Single(f => f.Check == "closing" && f.Message.StartsWith("farewell", StringComparison.Ordinal));
        Assert.That(finding.Message, Does.Contain("nearest example: \"" + Farewell + "\""), "the coach sees which reviewed sentence it resembles");
    }

    [Test]
    public async Task Learn_ExpectedCsvWithTranscripts_LearnsTheNextStepTheListLacks()
    {
        var scan = Path.Combine(_work, "out");
        const string nextStep = "Podpytam technika i odezwę się mailowo.";
        const string paraphrase = "Kierownik zmiany będzie to wiedział, zostawię mu notatkę.";
        WriteTranscript(scan, DontKnowCall("d1", paraphrase));
        WriteTranscript(scan, DontKnowCall("d2", nextStep));
        var expected = Path.Combine(_work, "expected.csv");
        File.WriteAllText(expected, "call_id,greeting,interruption,politeness,dont_know,closing\nd1,,,,pass,\nd2,,,,pass,\n");
        var before = await AnalyzeAsync(scan);
        Assert.That(before.Outcomes["dont_know"], Is.EqualTo("fail"), "guard: d1's next step is unknown to the phrases and the examples");

        var code = await Program.Main(["learn", "--rules", _pack, "--reviews", expected, "--transcripts", Path.Combine(scan, "transcripts")]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        Assert.That((await AnalyzeAsync(scan)).Outcomes["dont_know"], Is.EqualTo("pass"), "d1 agrees with its expected outcome after learning from it");
    }

    [Test]
    public async Task Analyze_ModelTrainedOnOtherExamples_IsNotUsedAndTheLogSaysWhy()
    {
        Assert.That(await Program.Main(["learn", "--rules", _pack]), Is.EqualTo(ExitCodes.Success));
        // One more example at the end of the learning section (the pack's defined checks follow it).
        var pack = File.ReadAllText(_pack);
        var end = pack.IndexOf("\ndefined_checks:", StringComparison.Ordinal);
        File.WriteAllText(_pack, end < 0 ? pack + "      - Trzymaj się cieplutko.\n" : pack.Insert(end + 1, "      - Trzymaj się cieplutko.\n"));
        var scan = Path.Combine(_work, "out");
        WriteTranscript(scan, ClosingCall("c1", "Do widzenia."));

        await AnalyzeAsync(scan);

        var log = File.ReadAllText(Path.Combine(_work, "analyzed", "qualityscan.log"));
        Assert.That(log, Does.Contain("learned model not used").And.Contain("run qualityscan learn"), "a stale model is not used, and the log says so");
    }

    [Test]
    public async Task Analyze_PackWithoutModel_TrainsTheLearnedLayerAtStartCachesItInTheOutputAndSaysSo()
    {
        var scan = Path.Combine(_work, "out");
        WriteTranscript(scan, ClosingCall("c1", "Do widzenia."));

        await AnalyzeAsync(scan);
        var firstLog = File.ReadAllText(Path.Combine(_work, "analyzed", "qualityscan.log"));
        await AnalyzeAsync(scan);
        var secondLog = File.ReadAllText(Path.Combine(_work, "analyzed", "qualityscan.log"));

        Assert.That(firstLog, Does.Contain("learned model used for pl").And.Contain("trained at start"), "a new user gets the learned layer, and the log says so");
        Assert.That(Directory.GetFiles(Path.Combine(_work, "analyzed", "learned-models"), "pl-*.model.json"), Has.Length.EqualTo(1), "cached in the output folder");
        Assert.That(File.Exists(Path.Combine(_work, "rules", "pl.model.json")), Is.False, "nothing written beside the pack");
        Assert.That(secondLog, Does.Contain("read from the cache"), "the next run reuses the model trained on the same data");
    }

    [Test]
    public async Task Learn_MissingReviewFile_FailsNamingIt()
    {
        var code = await Program.Main(["learn", "--rules", _pack, "--reviews", Path.Combine(_work, "nope.csv")]);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(File.Exists(Path.Combine(_work, "rules", "pl.model.json")), Is.False);
    }

    private async Task<CallRow> AnalyzeAsync(string scan)
    {
        var output = Path.Combine(_work, "analyzed");
        var code = await Program.Main(["analyze", Path.Combine(scan, "transcripts"), "--out", output, "--rules", Path.Combine(_work, "rules")]);
        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        return ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv")).OrderBy(r => r.CallId, StringComparer.Ordinal).First();
    }

    private static CallTranscript ClosingCall(string id, string farewell) => Call(id,
        new Utterance(Speaker.Agent, 0.5, 4, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?"),
        new Utterance(Speaker.Customer, 4.5, 40, "Chciałam zapytać o fakturę."),
        new Utterance(Speaker.Agent, 41, 48, "Proszę bardzo, faktura jest już wysłana."),
        new Utterance(Speaker.Agent, 50, 53, "Czy mogę jeszcze w czymś pomóc?"),
        new Utterance(Speaker.Customer, 53.5, 55, "Nie, dziękuję."),
        new Utterance(Speaker.Agent, 55.5, 57, "Dziękuję za rozmowę."),
        new Utterance(Speaker.Agent, 57.2, 58, farewell));

    private static CallTranscript DontKnowCall(string id, string nextStep) => Call(id,
        new Utterance(Speaker.Agent, 0.5, 4, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?"),
        new Utterance(Speaker.Customer, 4.5, 9, "Kiedy przyjdzie technik?"),
        new Utterance(Speaker.Agent, 10, 11, "Nie wiem."),
        new Utterance(Speaker.Agent, 11.5, 15, nextStep));

    private static CallTranscript Call(string id, params Utterance[] utterances) =>
        new(new CallMetadata(id, "akowalska", "Anna Kowalska", "Telkom", "pl", 60), utterances, VoiceActivity.FromUtterances(utterances));

    private static void WriteTranscript(string scan, CallTranscript call)
    {
        Directory.CreateDirectory(Path.Combine(scan, "transcripts"));
        TranscriptJson.Write(Path.Combine(scan, "transcripts", call.Metadata.CallId + ".json"), new TranscriptDocument(call));
    }

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
