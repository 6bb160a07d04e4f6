using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Tests.Privacy;

/// <summary><c>redact_transcripts: true</c>: the stored transcript is masked, the one the checks judge is not.</summary>
public sealed class RedactedTranscriptTests
{
    [Test]
    public void Store_WithRedact_FileMaskedReturnedTranscriptAsHeard()
    {
        var folder = Directory.CreateTempSubdirectory("qs-redact-").FullName;
        try
        {
            var example = TranscriptJson.Read(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "transcript.example.json")).Transcript;
            var said = example with { Utterances = [.. example.Utterances.Select((u, i) => i == 1 ? u with { Text = "Mój PESEL to 44051401359, telefon 600 700 800." } : u)] };
            var masker = PersonalDataMasker.For(RuleBook.Load(), new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema)));
            var cache = new TranscriptCache(folder, "model-x") { Redact = t => MaskedReports.Mask(t, masker) };

            var returned = cache.Store(said, "hash", "settings", "a.wav");

            var path = cache.PathFor(said.Metadata.CallId);
            Assert.That(TranscriptJson.Read(path).Transcript.Utterances[1].Text, Is.EqualTo("Mój PESEL to [PESEL], telefon [telefon]."));
            Assert.That(File.ReadAllText(path), Does.Not.Contain("44051401359").And.Not.Contain("600 700 800"));
            Assert.That(returned.Transcript.Utterances[1].Text, Does.Contain("44051401359"), "the checks of this night still judge the words as heard");
            Assert.That(cache.TryGet(said.Metadata.CallId, "hash", "settings"), Is.Not.Null, "a redacted transcript is reused like any other");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
