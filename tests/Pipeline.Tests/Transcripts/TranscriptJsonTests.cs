using System.Text;
using QualityScan.Models;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Tests.Transcripts;

public sealed class TranscriptJsonTests
{
    private static string ExamplePath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "transcript.example.json");

    [Test]
    public void Read_ContractExample_LoadsMetadataUtterancesAndActivity()
    {
        var doc = TranscriptJson.Read(ExamplePath);
        var call = doc.Transcript;

        Assert.That(call.Metadata.CallId, Is.EqualTo("2026-11-22-0007"));
        Assert.That(call.Metadata.AgentName, Is.EqualTo("Anna Kowalska"));
        Assert.That(call.Metadata.Company, Is.EqualTo("Telkom"));
        Assert.That(call.Metadata.DurationSeconds, Is.EqualTo(41.5));
        Assert.That(call.Utterances, Has.Count.EqualTo(7));
        Assert.That(call.Utterances[2], Is.EqualTo(new Utterance(Speaker.Agent, 10.2, 13.2, "Musi Pan podać numer klienta.")));
        Assert.That(call.Activity.Agent, Has.Count.EqualTo(4));
        Assert.That(call.Activity.Customer[0], Is.EqualTo(new TimeInterval(6.1, 11.8)));
        Assert.That(call.HasSpeakerSeparation, Is.True);
    }

    [Test]
    public void Parse_NoActivity_UtteranceSpansStandIn()
    {
        var json = """{"callId":"c1","agentId":"a1","language":"pl","utterances":[{"speaker":"customer","start":2,"end":4,"text":"x"},{"speaker":"agent","start":0.5,"end":1.5,"text":"y"}]}""";

        var call = Parse(json).Transcript;

        Assert.That(call.Activity.Agent, Is.EqualTo(new[] { new TimeInterval(0.5, 1.5) }));
        Assert.That(call.Activity.Customer, Is.EqualTo(new[] { new TimeInterval(2, 4) }));
        Assert.That(call.Utterances[0].Speaker, Is.EqualTo(Speaker.Agent), "utterances are sorted by start time");
        Assert.That(call.Metadata.DurationSeconds, Is.EqualTo(4), "duration defaults to the last utterance end");
    }

    [Test]
    public void Parse_UnknownExtraFields_AreIgnored()
    {
        var json = """{"callId":"c1","agentId":"a1","language":"cs","queue":"vip","utterances":[{"speaker":"agent","start":0,"end":1,"text":"Dobrý den","asrScore":0.9}]}""";

        Assert.That(Parse(json).Transcript.Utterances.Single().Text, Is.EqualTo("Dobrý den"));
    }

    [TestCase("{", "", "invalid JSON")]
    [TestCase("""{"agentId":"a","language":"pl","utterances":[]}""", "callId", "required field is missing")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl"}""", "utterances", "required field is missing")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":-1,"end":1,"text":"x"}]}""", "utterances[0].start", "negative")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":3,"end":1,"text":"x"}]}""", "utterances[0]", "reversed")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"robot","start":0,"end":1,"text":"x"}]}""", "utterances[0].speaker", "unknown speaker 'robot'")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":0,"end":1}]}""", "utterances[0].text", "missing")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[],"activity":{"agent":[[2,1]]}}""", "activity.agent[0]", "reversed")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[],"activity":{"boss":[]}}""", "activity.boss", "unknown speaker")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":"0","end":1,"text":"x"}]}""", "utterances[0].start", "must be a number")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":0,"end":1,"text":"x","confidence":0.9}]}""", "utterances[0].confidence", "must be an object")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":0,"end":1,"text":"x","confidence":{"noSpeechProbability":1.5}}]}""", "utterances[0].confidence.noSpeechProbability", "from 0 to 1")]
    [TestCase("""{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":0,"end":1,"text":"x","confidence":{"low":"yes"}}]}""", "utterances[0].confidence.low", "true or false")]
    public void Parse_BrokenContract_ErrorNamesFileAndField(string json, string field, string reasonPart)
    {
        var ex = Assert.Throws<TranscriptFormatException>(() => Parse(json));

        Assert.That(ex!.Path, Is.EqualTo("call.json"));
        Assert.That(ex.Field, Is.EqualTo(field));
        Assert.That(ex.Message, Does.StartWith("call.json: ").And.Contain(reasonPart));
    }

    [Test]
    public void Read_EmptyFile_ErrorSaysEmpty()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qs-empty-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(path, []);
        try
        {
            var ex = Assert.Throws<TranscriptFormatException>(() => TranscriptJson.Read(path));
            Assert.That(ex!.Message, Does.Contain(path).And.Contain("empty"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Write_ThenRead_RoundTripsEverythingIncludingSource()
    {
        var original = TranscriptJson.Read(ExamplePath);
        var withSource = original with { Source = new Dictionary<string, string> { ["audioSha256"] = "abc", ["model"] = "demo" } };
        var path = Path.Combine(Path.GetTempPath(), $"qs-rt-{Guid.NewGuid():N}.json");
        try
        {
            TranscriptJson.Write(path, withSource);
            var back = TranscriptJson.Read(path);

            Assert.That(back.Transcript.Metadata, Is.EqualTo(original.Transcript.Metadata));
            Assert.That(back.Transcript.Utterances, Is.EqualTo(original.Transcript.Utterances));
            Assert.That(back.Transcript.Activity.Customer, Is.EqualTo(original.Transcript.Activity.Customer));
            Assert.That(back.Source!["audioSha256"], Is.EqualTo("abc"));
            Assert.That(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}*.tmp"), Is.Empty, "no temporary file is left behind");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Parse_ConfidenceFigures_ReadWithTheUtterance()
    {
        var json = """{"callId":"c","agentId":"a","language":"pl","utterances":[{"speaker":"agent","start":0,"end":1,"text":"Dziękuję.","confidence":{"noSpeechProbability":0.41,"avgLogprob":-1.37,"compressionRatio":0.8,"stopReason":"end_of_text","low":true}}]}""";

        var utterance = Parse(json).Transcript.Utterances.Single();

        Assert.That(utterance.Confidence, Is.EqualTo(new UtteranceConfidence(0.41, -1.37, 0.8, "end_of_text", true)));
        Assert.That(utterance.IsLowConfidence, Is.True);
    }

    [Test]
    public void Write_ThenRead_KeepsConfidenceAndOldTranscriptsHaveNone()
    {
        var original = TranscriptJson.Read(ExamplePath);
        Assert.That(original.Transcript.Utterances.All(u => u.Confidence is null), Is.True, "a transcript without the figures (the contract example) still loads");
        var marked = original.Transcript with
        {
            Utterances = original.Transcript.Utterances.Select((u, i) => u with { Confidence = new UtteranceConfidence(i / 100.0, -i / 10.0, 1.1, "end_of_text", i == 4) }).ToList(),
        };
        var path = Path.Combine(Path.GetTempPath(), $"qs-conf-{Guid.NewGuid():N}.json");
        try
        {
            TranscriptJson.Write(path, new TranscriptDocument(marked));
            var back = TranscriptJson.Read(path);

            Assert.That(back.Transcript.Utterances, Is.EqualTo(marked.Utterances), "confidence figures survive the cache");
            Assert.That(back.Transcript.Utterances.Count(u => u.IsLowConfidence), Is.EqualTo(1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private const string Good = """{"callId":"c1","agentId":"a1","language":"pl","utterances":[{"speaker":"agent","start":0,"end":1,"text":"TEXT"}]}""";

    [Test]
    public void Parse_InvalidUtf8InText_FormatErrorNamingFileAndField()
    {
        var bytes = Encoding.UTF8.GetBytes(Good);
        var at = Good.IndexOf("TEXT", StringComparison.Ordinal);
        bytes[at + 1] = 0xC3;
        bytes[at + 2] = 0x28;

        var ex = Assert.Throws<TranscriptFormatException>(() => TranscriptJson.Parse(bytes, "bad.json"));

        Assert.That(ex!.Message, Does.StartWith("bad.json: text:").And.Contain("not valid UTF-8"));
    }

    [Test]
    public void Parse_LoneSurrogateEscape_FormatErrorNamingTheField()
    {
        var ex = Assert.Throws<TranscriptFormatException>(() => Parse(Good.Replace("TEXT", "\\ud800 tak", StringComparison.Ordinal)));

        Assert.That(ex!.Field, Is.EqualTo("utterances[0].text"));
        Assert.That(ex.Message, Does.StartWith("call.json: utterances[0].text:").And.Contain("surrogate"));
    }

    [Test]
    public void Parse_LoneSurrogateInAnIgnoredKey_FormatError() =>
        Assert.Throws<TranscriptFormatException>(() => Parse(Good.Replace("{\"callId\"", "{\"\\udc00\":1,\"callId\"", StringComparison.Ordinal)));

    [Test]
    public void Parse_Utf8ByteOrderMark_Accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Good)).ToArray();

        Assert.That(TranscriptJson.Parse(bytes, "notepad.json").Transcript.Metadata.CallId, Is.EqualTo("c1"), "Notepad saves UTF-8 with a BOM");
    }

    [TestCase("\"callId\":\"c1\"", "\"callId\":\"c1\",\"callId\":\"c2\"", "callId")]
    [TestCase("\"start\":0,", "\"start\":0,\"start\":5,", "utterances[0].start")]
    public void Parse_DuplicateKey_FormatErrorNamingTheKey(string from, string to, string field)
    {
        var ex = Assert.Throws<TranscriptFormatException>(() => Parse(Good.Replace(from, to, StringComparison.Ordinal)));

        Assert.That(ex!.Field, Is.EqualTo(field));
        Assert.That(ex.Reason, Does.Contain("twice"));
    }

    [TestCase("\"language\":\"pl\"", "\"language\":\"pl\",\"durationSeconds\":1e308", "durationSeconds")]
    [TestCase("\"end\":1", "\"end\":1e300", "utterances[0].end")]
    [TestCase("\"end\":1", "\"end\":86401", "utterances[0].end")]
    public void Parse_AbsurdTimes_FormatErrorNamingTheField(string from, string to, string field)
    {
        var ex = Assert.Throws<TranscriptFormatException>(() => Parse(Good.Replace(from, to, StringComparison.Ordinal)));

        Assert.That(ex!.Field, Is.EqualTo(field));
    }

    [Test]
    public void Parse_AbsurdlyLongId_FormatError() =>
        Assert.That(Assert.Throws<TranscriptFormatException>(() => Parse(Good.Replace("\"a1\"", $"\"{new string('a', 5000)}\"", StringComparison.Ordinal)))!.Field, Is.EqualTo("agentId"));

    private static TranscriptDocument Parse(string json) => TranscriptJson.Parse(Encoding.UTF8.GetBytes(json), "call.json");
}
