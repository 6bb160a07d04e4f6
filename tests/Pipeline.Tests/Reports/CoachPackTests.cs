using QualityScan.Analyzers.Rules;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Tests.Reports;

public sealed class CoachPackTests
{
    [Test]
    public void Cut_StereoAudio_WavReaderReadsBackTheSameSamples()
    {
        const int rate = 8000;
        var left = Enumerable.Range(0, rate * 4).Select(i => (float)Math.Sin(i * 0.01) * 0.5f).ToArray();
        var right = Enumerable.Range(0, rate * 4).Select(i => i % 100 < 50 ? 0.25f : -0.25f).ToArray();

        var bytes = WavClip.Cut(new AudioData(rate, [left, right]), 1.0, 2.5);
        var back = WavReader.Read(new MemoryStream(bytes), "clip.wav");

        Assert.That((back.SampleRate, back.Channels.Count, back.FrameCount), Is.EqualTo((rate, 2, rate * 3 / 2)), "1.5 s of both channels at the recording's rate");
        Assert.That(back.Channels[0][0], Is.EqualTo(left[rate]).Within(1.0 / 32767), "the clip starts at 1.0 s");
        Assert.That(back.Channels[1][^1], Is.EqualTo(right[rate * 5 / 2 - 1]).Within(1.0 / 32767), "and ends just before 2.5 s");
    }

    [Test]
    public void Cut_SixteenBitTracksOfARecording_SameBytesAsFromItsFloats()
    {
        const int rate = 8000;
        var left = Enumerable.Range(0, rate * 4).Select(i => MathF.Round(MathF.Sin(i * 0.01f) * 16000) / 32768).ToArray();
        var right = Enumerable.Range(0, rate * 4).Select(i => i % 100 < 50 ? 0.25f : -0.25f).ToArray();
        var tracks = new AudioTracks(rate, [SampleTrack.Quantize(left), SampleTrack.Quantize(right)]);

        Assert.That(WavClip.Cut(tracks, 1.0, 2.5), Is.EqualTo(WavClip.Cut(new AudioData(rate, [left, right]), 1.0, 2.5)),
            "a long call's clips are cut from its compact tracks without a change");
    }

    [Test]
    public void Cut_PastTheEnd_StopsAtTheRecordingsEnd()
    {
        var bytes = WavClip.Cut(new AudioData(16000, [new float[16000]]), 0.5, 9);

        Assert.That(WavReader.Read(new MemoryStream(bytes), "clip.wav").DurationSeconds, Is.EqualTo(0.5));
    }

    [Test]
    public void FailedMoments_TwoDirectivesInOneUtterance_OneMomentWithBothQuotes()
    {
        var call = new CallReport(new CallMetadata("c1", "a", "Anna", "Telkom", "pl", 60),
        [
            new CheckResult(CheckIds.Politeness, Outcome.Fail,
            [
                new Finding(CheckIds.Politeness, Outcome.Fail, Speaker.Agent, 10.2, 13.2, "Musi Pan", "directive"),
                new Finding(CheckIds.Politeness, Outcome.Fail, Speaker.Agent, 10.2, 13.2, "Niech Pan", "directive"),
                new Finding(CheckIds.Politeness, Outcome.Pass, Speaker.Agent, 20, 21, "proszę", "polite"),
            ], ""),
        ], 0);

        var moments = TeamSummary.FailedMoments(call);

        Assert.That(moments.Select(m => TeamSummary.MomentId("c1", m)), Is.EqualTo(new[] { "c1:politeness:10.20" }), "one moment, one id");
        Assert.That(moments[0].Evidence, Is.EqualTo("Musi Pan … Niech Pan"));
    }

    [Test]
    public void Write_RerunAfterReview_KeepsTheCoachsVerdicts()
    {
        var output = Path.Combine(Path.GetTempPath(), $"qs-coach-{Guid.NewGuid():N}");
        try
        {
            var text = new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema));
            var finding = new Finding(CheckIds.DontKnow, Outcome.Fail, Speaker.Agent, 16.5, 17.4, "Nie wiem.", "x") { Reason = MessageRef.Of("findings.dont_know_unresolved") };
            var call = new CallReport(new CallMetadata("c1", "akowalska", "Anna Kowalska", "Telkom", "pl", 60),
                [new CheckResult(CheckIds.DontKnow, Outcome.Fail, [finding], "")], 80);
            var team = TeamSummary.Of([call]);
            CoachPackWriter.WriteReviewSheets(output, team, text);
            var sheet = Path.Combine(output, "coach", "akowalska-review.csv");
            var fresh = ReviewSheet.Read(sheet).Single();
            ReviewSheet.WriteCsv(sheet, [fresh with { Verdict = "nie zgadzam się", CorrectOutcome = "zaliczone", Comment = "sprawdził i oddzwonił – słychać na nagraniu" }], text);

            CoachPackWriter.WriteReviewSheets(output, team, text);
            var again = ReviewSheet.Read(sheet).Single();

            Assert.That(fresh.MomentId, Is.EqualTo("c1:dont_know:16.50"));
            Assert.That(fresh.Reason, Is.EqualTo(text.Catalog.Text("findings.dont_know_unresolved")), "the reason in the report language");
            Assert.That((again.Verdict, again.CorrectOutcome, again.Comment), Is.EqualTo(("nie zgadzam się", "zaliczone", "sprawdził i oddzwonił – słychać na nagraniu")),
                "a re-run never wipes what the coach filled in");
            Assert.That(File.ReadAllBytes(sheet).Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with a BOM for spreadsheets");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Test]
    public void FailedMoments_CallNotJudged_None()
    {
        var call = new CallReport(new CallMetadata("c1", "a", null, null, "pl", 60),
            [new CheckResult(CheckIds.Greeting, Outcome.Fail, [new Finding(CheckIds.Greeting, Outcome.Fail, Speaker.Agent, 0, 1, "", "x")], "")], 0)
        {
            NotJudgedReason = "no agent speech",
        };

        Assert.That(TeamSummary.FailedMoments(call), Is.Empty, "a call that was not heard has no moments to coach");
    }
}
