using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Cli;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>
/// "auto" on real sample calls with the demo model: the language comes from the windows that are transcribed anyway,
/// so a detected language costs no encoder pass more than a fixed one, and it is the call's language.
/// </summary>
[TestFixture]
[Category("model")]
public sealed class CallLanguageDetectionTests
{
    private WhisperModel? _model;

    private WhisperModel Model => _model ??= WhisperModel.Load(WhisperModel.DefaultModelFolder);

    [OneTimeTearDown]
    public void TearDown() => _model?.Dispose();

    [TestCase("kkowalska/pl01-all-pass.wav", "pl")]
    [TestCase("polszewski/pl08-curt.wav", "pl")]
    [TestCase("jvesely/cs01-all-pass.wav", "cs")]
    [TestCase("jvesely/cs02-nevim-musite.wav", "cs")]
    public async Task TranscribeAsync_AutoOnSampleCall_DetectsItsLanguageWithTheEncoderPassesOfAFixedLanguage(string file, string expected)
    {
        var (fixedCall, fixedStats) = await Transcribe(file, expected);
        var (autoCall, autoStats) = await Transcribe(file, TranscriptionOptions.AutoLanguage);
        var other = expected == "pl" ? "cs" : "pl";
        var (_, wrongStats) = await Transcribe(file, other);

        TestContext.Out.WriteLine($"{file}: fixed {fixedStats}\nauto {autoStats}");
        Assert.That(autoCall.Metadata.Language, Is.EqualTo(expected), "the language detected from the first windows");
        Assert.That(autoStats.EncoderCalls, Is.EqualTo(fixedStats.EncoderCalls), "detection reads encoder output that decoding needs anyway");
        Assert.That(autoStats.Windows, Is.EqualTo(fixedStats.Windows));
        Assert.That(autoStats.EncoderCalls, Is.GreaterThan(2), "a real call has several windows, so the check means something");
        Assert.That(wrongStats.EncoderCalls, Is.EqualTo(fixedStats.EncoderCalls), "the pass count does not depend on the language either");
        Assert.That(autoCall.Utterances.Select(u => u.Text), Is.EqualTo(fixedCall.Utterances.Select(u => u.Text)),
            "the call is transcribed exactly as with its language given");
    }

    [Test]
    public async Task TranscribeTracksAsync_BatchOfThree_AllThreeVoteAmongTheCandidatesOnly()
    {
        var processor = Processor(TranscriptionOptions.AutoLanguage);
        var call = processor.Prepare(Job("jvesely/cs01-all-pass.wav"), CancellationToken.None);
        var vote = new CallLanguage(["pl", "cs"]);
        var tracks = call.Channels.Tracks.Select(t => new TrackAudio(t.Samples, call.Activity.For(t.Speaker))).ToList();
        var options = Settings(TranscriptionOptions.AutoLanguage).Transcription with { Language = TranscriptionOptions.AutoLanguage, BatchSize = 3 };

        var languages = new HashSet<string>();
        await foreach (var segment in processor.Transcriber.TranscribeTracksAsync(tracks, options, vote, CancellationToken.None))
        {
            languages.Add(segment.Language);
        }

        Assert.That(vote.VotingWindows, Is.EqualTo(3), "the first batch votes");
        Assert.That(vote.Votes.Keys, Is.EquivalentTo(new[] { "pl", "cs" }), "only the candidates are scored");
        Assert.That(vote.Votes["cs"], Is.GreaterThan(vote.Votes["pl"]));
        Assert.That(vote.Code, Is.EqualTo("cs"));
        Assert.That(languages, Is.EquivalentTo(new[] { "cs" }), "one language for every window of the call");
        Assert.That(processor.Stats.EncoderCalls, Is.EqualTo(processor.Stats.Windows), "one encoder pass per window, none for detection");
    }

    private async Task<(Models.CallTranscript Call, TranscriptionStats Stats)> Transcribe(string file, string language)
    {
        var processor = Processor(language);
        var call = await processor.TranscribeAsync(processor.Prepare(Job(file), CancellationToken.None), CancellationToken.None);
        return (call, processor.Stats);
    }

    private CallProcessor Processor(string language) => new(new AudioDecoder(), new WhisperTranscriber(Model), Settings(language), ["pl", "cs"]);

    private ScanSettings Settings(string language) => ModelLoading.ForModel(new ScanSettings { Language = language }, Model);

    private static CallJob Job(string file) => CallJob.ForFile(Path.Combine(RepositoryPaths.SampleAudio, file), file, "agent");
}
