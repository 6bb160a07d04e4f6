using QualityScan.Models;
using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

/// <summary>Voice activity on real synthetic speech (espeak-ng), placed in a stereo telephone call.</summary>
[Category("espeak")]
public sealed class VoiceActivityDetectorSpeechTests
{
    private const int Rate = 8000;
    private const double Tolerance = 0.2;

    /// <summary>Polish speech from espeak-ng at 8 kHz, scaled so its loud frames sit near -20 dBFS.</summary>
    private static float[] Speak(TempDirectory directory, string text, string voice = "pl")
    {
        string espeak = ExternalTools.Require("espeak-ng", "espeak-ng");
        string path = directory.File($"{Guid.NewGuid():N}.wav");
        ExternalTools.Run(espeak, "-v", voice, "-w", path, text);
        var audio = WavReader.Read(path);
        float[] speech = Resampler.Resample(audio.Channels[0], audio.SampleRate, Rate);
        double peak = speech.Max(Math.Abs);
        return speech.Select(x => (float)(x / peak * 0.3)).ToArray();
    }

    /// <summary>Where the clean utterance is audible: first and last 10 ms frame within 40 dB of its loudest frame.</summary>
    private static (double Start, double End) Audible(float[] speech, double at)
    {
        const int Frame = Rate / 100;
        var levels = Enumerable.Range(0, speech.Length / Frame).Select(f => Signals.Rms(speech.AsSpan(f * Frame, Frame))).ToArray();
        double threshold = levels.Max() * Signals.Gain(-40);
        int first = Array.FindIndex(levels, l => l > threshold);
        int last = Array.FindLastIndex(levels, l => l > threshold);
        return (at + (first * 0.01), at + ((last + 1) * 0.01));
    }

    private static void AssertFound(IReadOnlyList<TimeInterval> detected, string party, params (double Start, double End)[] utterances)
    {
        string actual = string.Join(", ", detected.Select(i => $"{i.Start:F2}-{i.End:F2}"));
        string expected = string.Join(", ", utterances.Select(u => $"{u.Start:F2}-{u.End:F2}"));
        foreach (var interval in detected)
        {
            Assert.That(utterances.Any(u => interval.OverlapWith(new TimeInterval(u.Start, u.End)) > 0), Is.True, $"{party}: {interval.Start:F2}-{interval.End:F2} is not speech of this party (expected {expected}; detected {actual})");
        }

        foreach (var (start, end) in utterances)
        {
            var hits = detected.Where(i => i.OverlapWith(new TimeInterval(start, end)) > 0).ToList();
            Assert.That(hits, Is.Not.Empty, $"{party}: {start:F2}-{end:F2} not found (detected {actual})");
            Assert.That(hits.Min(i => i.Start), Is.EqualTo(start).Within(Tolerance), $"{party}: start of {start:F2}-{end:F2} (detected {actual})");
            Assert.That(hits.Max(i => i.End), Is.EqualTo(end).Within(Tolerance), $"{party}: end of {start:F2}-{end:F2} (detected {actual})");
        }
    }

    [Test]
    public void DetectStereo_PolishCallWithNoiseAndCrosstalk_FindsEachUtteranceOfEachParty()
    {
        using var directory = new TempDirectory();
        float[] greeting = Speak(directory, "Dzień dobry, nazywam się Anna Kowalska, w czym mogę pomóc?");
        float[] complaint = Speak(directory, "Chciałbym złożyć reklamację zamówienia.");
        float[] request = Speak(directory, "Rozumiem. Proszę podać numer zamówienia.");
        float[] backchannel = Speak(directory, "Aha, rozumiem.");

        double complaintAt = 1.0 + (greeting.Length / (double)Rate) + 0.6;
        double requestAt = complaintAt + (complaint.Length / (double)Rate) + 0.4;
        double backchannelAt = requestAt + 0.8;
        double seconds = requestAt + (request.Length / (double)Rate) + 1.5;
        float[] agent = Signals.Noise((int)(seconds * Rate), -55, seed: 11);
        float[] customer = Signals.Noise((int)(seconds * Rate), -50, seed: 12);
        Signals.MixInto(agent, greeting, Rate, 1.0);
        Signals.MixInto(agent, request, Rate, requestAt);
        Signals.MixInto(customer, complaint, Rate, complaintAt);
        Signals.MixInto(customer, backchannel, Rate, backchannelAt, gain: 0.5);

        // Each party is heard 20 dB down in the other's channel, as a headset or line echo does.
        float[] agentHeard = agent.Zip(customer, (a, c) => a + (c * (float)Signals.Gain(-20))).ToArray();
        float[] customerHeard = customer.Zip(agent, (c, a) => c + (a * (float)Signals.Gain(-20))).ToArray();

        var activity = new VoiceActivityDetector().DetectStereo(agentHeard, customerHeard, Rate);

        AssertFound(activity.Agent, "agent", Audible(greeting, 1.0), Audible(request, requestAt));
        AssertFound(activity.Customer, "customer", Audible(complaint, complaintAt), Audible(backchannel, backchannelAt));
    }

    [Test]
    public void Detect_PolishSpeechInLoudLineNoise_FindsTheUtterance()
    {
        using var directory = new TempDirectory();
        float[] speech = Speak(directory, "Dziękuję za rozmowę, do widzenia.");
        float[] channel = Signals.Noise(Rate * 6, -38, seed: 5);
        Signals.MixInto(channel, speech, Rate, 1.5);

        var detected = new VoiceActivityDetector().Detect(channel, Rate);

        AssertFound(detected, "mono", Audible(speech, 1.5));
    }
}
