using QualityScan.Models;
using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class VoiceActivityDetectorTests
{
    private const double Tolerance = 0.2;

    private static readonly VoiceActivityDetector Vad = new();

    /// <summary>A channel of <paramref name="seconds"/> with white noise and speech-like bursts at the given spans.</summary>
    private static float[] Channel(int rate, double seconds, double noiseDb, double speechDb, params (double Start, double End)[] bursts)
    {
        float[] samples = Signals.Noise((int)(seconds * rate), noiseDb, seed: bursts.Length + rate);
        foreach (var (start, end) in bursts)
        {
            Signals.MixInto(samples, Signals.SpeechLike(rate, end - start, speechDb), rate, start);
        }

        return samples;
    }

    private static void AssertMatches(IReadOnlyList<TimeInterval> detected, params (double Start, double End)[] expected)
    {
        string actual = string.Join(", ", detected.Select(i => $"{i.Start:F2}-{i.End:F2}"));
        Assert.That(detected, Has.Count.EqualTo(expected.Length), $"detected {actual}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(detected[i].Start, Is.EqualTo(expected[i].Start).Within(Tolerance), $"start of interval {i}; detected {actual}");
            Assert.That(detected[i].End, Is.EqualTo(expected[i].End).Within(Tolerance), $"end of interval {i}; detected {actual}");
        }
    }

    [Test]
    public void Detect_DigitalSilence_FindsNothing()
    {
        Assert.That(Vad.Detect(new float[8000 * 10], 8000), Is.Empty);
    }

    [TestCase(-60)]
    [TestCase(-40)]
    [TestCase(-20)]
    public void Detect_NoiseOnly_FindsNothing(double noiseDb)
    {
        Assert.That(Vad.Detect(Signals.Noise(8000 * 20, noiseDb, seed: 3), 8000), Is.Empty, "a channel of line noise has no speaker, however loud");
    }

    [Test]
    public void Detect_MainsHumAndDcOffset_AreNotSpeech()
    {
        float[] samples = Signals.Noise(8000 * 10, -60, seed: 4);
        float[] hum = Signals.Sine(50, 8000, 10, amplitude: 0.1);
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] += hum[i] * (i > 40000 ? 1f : 0.01f) + 0.05f;
        }

        Assert.That(Vad.Detect(samples, 8000), Is.Empty, "hum switching on is not someone starting to talk");
    }

    [TestCase(8000, -55.0)]
    [TestCase(16000, -55.0)]
    [TestCase(8000, -35.0)]
    [TestCase(44100, -45.0)]
    public void Detect_SpeechBurstsInNoise_FindsEachBurst(int rate, double noiseDb)
    {
        (double, double)[] bursts = [(1.0, 2.5), (4.0, 4.8), (6.0, 9.0)];
        float[] samples = Channel(rate, 10, noiseDb, -20, bursts);

        AssertMatches(Vad.Detect(samples, rate), bursts);
    }

    [Test]
    public void Detect_QuieterRecording_FindsTheSameIntervals()
    {
        (double, double)[] bursts = [(1.0, 2.0), (3.5, 5.0)];
        float[] loud = Channel(8000, 6, -50, -15, bursts);
        float[] quiet = loud.Select(x => x * (float)Signals.Gain(-25)).ToArray();

        Assert.That(Vad.Detect(quiet, 8000), Is.EqualTo(Vad.Detect(loud, 8000)), "thresholds follow the channel's own levels");
    }

    [TestCase(-20.0)]
    [TestCase(-15.0)]
    public void Detect_OtherPartyLeakingInLower_IsNotSpeech(double leakDb)
    {
        float[] agent = Channel(8000, 12, -55, -20, (1.0, 3.0), (8.0, 10.0));
        float[] customer = Channel(8000, 12, -55, -20, (4.0, 7.0));
        float[] channel = agent.Zip(customer, (a, c) => a + (c * (float)Signals.Gain(leakDb))).ToArray();

        AssertMatches(Vad.Detect(channel, 8000), (1.0, 3.0), (8.0, 10.0));
    }

    [Test]
    public void Detect_ClicksShorterThanMinimumSpeech_AreIgnored()
    {
        float[] samples = Channel(8000, 10, -55, -20, (5.0, 7.0));
        foreach (double at in new[] { 1.0, 2.5, 9.0 })
        {
            Signals.MixInto(samples, Signals.Noise(800, -10, seed: (int)at), 8000, at);
        }

        AssertMatches(Vad.Detect(samples, 8000), (5.0, 7.0));
    }

    [Test]
    public void Detect_PauseShorterThanMinimumSilence_DoesNotSplit()
    {
        float[] samples = Channel(8000, 6, -55, -20, (1.0, 2.0), (2.3, 3.5));

        AssertMatches(Vad.Detect(samples, 8000), (1.0, 3.5));
    }

    [Test]
    public void Detect_PauseLongerThanMinimumSilence_Splits()
    {
        float[] samples = Channel(8000, 6, -55, -20, (1.0, 2.0), (2.9, 4.0));

        AssertMatches(Vad.Detect(samples, 8000), (1.0, 2.0), (2.9, 4.0));
    }

    [Test]
    public void Detect_SpeechAtBothEnds_PaddingStaysInsideTheRecording()
    {
        float[] samples = Channel(8000, 5, -55, -20, (0.0, 1.0), (4.0, 5.0));

        var detected = Vad.Detect(samples, 8000);

        Assert.That(detected[0].Start, Is.Zero);
        Assert.That(detected[^1].End, Is.EqualTo(5.0).Within(1e-9));
    }

    [Test]
    public void Detect_Padding_WidensEachIntervalOnBothSides()
    {
        float[] samples = Channel(8000, 6, -55, -20, (2.0, 4.0));
        var unpadded = new VoiceActivityDetector(new VadOptions { PaddingSeconds = 0 }).Detect(samples, 8000).Single();

        var padded = Vad.Detect(samples, 8000).Single();

        Assert.That(unpadded.Start - padded.Start, Is.EqualTo(0.15).Within(1e-9));
        Assert.That(padded.End - unpadded.End, Is.EqualTo(0.15).Within(1e-9));
    }

    [Test]
    public void Detect_MonologueLongerThanMaximum_IsSplitAtQuietMomentsIntoContiguousPieces()
    {
        // 70 s of speech with 0.3 s breaths every 4 s: too short to split an utterance, the best places to cut one.
        var bursts = new List<(double, double)>();
        for (double t = 1; t < 71; t += 4)
        {
            bursts.Add((t, t + 3.7));
        }

        float[] samples = Channel(8000, 73, -55, -20, [.. bursts]);

        var detected = Vad.Detect(samples, 8000);

        Assert.That(detected, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(detected, Has.All.Matches<TimeInterval>(i => i.Duration <= 28 + 1e-9));
        Assert.That(detected[0].Start, Is.EqualTo(1.0).Within(Tolerance));
        Assert.That(detected[^1].End, Is.EqualTo(bursts[^1].Item2).Within(Tolerance));
        for (int i = 1; i < detected.Count; i++)
        {
            double cut = detected[i].Start;
            Assert.That(detected[i - 1].End, Is.EqualTo(cut), "pieces are contiguous; no speech is lost");
            Assert.That(bursts.Any(b => cut > b.Item2 - 0.05 && cut < b.Item2 + 0.35), Is.True, $"cut at {cut:F2} s falls in a breath");
        }
    }

    [Test]
    public void DetectStereo_LeakLouderThanTheAgentsOwnVoice_IsSuppressed()
    {
        // A quiet agent, a loud customer whose voice reaches the agent's channel only 15 dB down: louder than the agent.
        float[] agentOwn = Channel(8000, 12, -60, -35, (1.0, 3.0), (8.5, 10.5));
        float[] customer = Channel(8000, 12, -60, -12, (4.0, 7.5));
        float[] agent = agentOwn.Zip(customer, (a, c) => a + (c * (float)Signals.Gain(-15))).ToArray();

        var activity = Vad.DetectStereo(agent, customer, 8000);

        AssertMatches(activity.Agent, (1.0, 3.0), (8.5, 10.5));
        AssertMatches(activity.Customer, (4.0, 7.5));
        Assert.That(activity.Unknown, Is.Empty);
    }

    [Test]
    public void DetectStereo_BothTalkingAtOnce_KeepsBothVoices()
    {
        float[] agentOwn = Channel(8000, 10, -55, -20, (1.0, 5.0));
        float[] customerOwn = Channel(8000, 10, -55, -22, (3.5, 7.0));
        float[] agent = agentOwn.Zip(customerOwn, (a, c) => a + (c * (float)Signals.Gain(-20))).ToArray();
        float[] customer = customerOwn.Zip(agentOwn, (c, a) => c + (a * (float)Signals.Gain(-20))).ToArray();

        var activity = Vad.DetectStereo(agent, customer, 8000);

        AssertMatches(activity.Agent, (1.0, 5.0));
        AssertMatches(activity.Customer, (3.5, 7.0));
    }

    [Test]
    public void DetectStereo_ChannelsOfDifferentLength_Throw()
    {
        Assert.Throws<ArgumentException>(() => Vad.DetectStereo(new float[100], new float[99], 8000));
    }

    [Test]
    public void DetectMixed_QuieterPartyOnASharedChannel_IsKept()
    {
        // A mono recording: the agent close to the microphone, the customer 18 dB down through the phone line.
        float[] mono = Channel(8000, 8, -60, -15, (1.0, 3.0));
        Signals.MixInto(mono, Signals.SpeechLike(8000, 2.0, -33), 8000, 4.5);

        AssertMatches(Vad.DetectMixed(mono, 8000), (1.0, 3.0), (4.5, 6.5));
        AssertMatches(Vad.Detect(mono, 8000), (1.0, 3.0));
    }

    [Test]
    public void Detect_ChannelRoles_MonoFindsBothPartiesAsUnknown()
    {
        float[] mono = Channel(8000, 8, -60, -15, (1.0, 2.0));
        Signals.MixInto(mono, Signals.SpeechLike(8000, 2.0, -33), 8000, 4.5);

        var activity = Vad.Detect(ChannelRoles.Assign(new AudioData(8000, [mono])));

        Assert.That(activity.Agent, Is.Empty);
        Assert.That(activity.Customer, Is.Empty);
        AssertMatches(activity.Unknown, (1.0, 2.0), (4.5, 6.5));
    }

    [Test]
    public void Detect_ChannelRoles_StereoFollowsTheAgentChannel()
    {
        float[] left = Channel(8000, 8, -55, -20, (1.0, 2.0));
        float[] right = Channel(8000, 8, -55, -20, (4.0, 6.0));

        var activity = Vad.Detect(ChannelRoles.Assign(new AudioData(8000, [left, right]), AgentChannel.Right));

        AssertMatches(activity.Agent, (4.0, 6.0));
        AssertMatches(activity.Customer, (1.0, 2.0));
    }

    [Test]
    public void Detect_EmptyInput_FindsNothing()
    {
        Assert.That(Vad.Detect(Array.Empty<float>(), 8000), Is.Empty);
    }

    [Test]
    public void Constructor_InconsistentOptions_NameTheSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new VoiceActivityDetector(new VadOptions { StopAboveNoiseDb = 20 }))!;

        Assert.That(error.ParamName, Is.EqualTo(nameof(VadOptions.StopAboveNoiseDb)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new VoiceActivityDetector(new VadOptions { FrameSeconds = double.NaN }));
        Assert.DoesNotThrow(() => new VadOptions().Validate());
    }

    [Test]
    public void Detect_GuardsArguments()
    {
        Assert.Throws<ArgumentNullException>(() => Vad.Detect(null!, 8000));
        Assert.Throws<ArgumentNullException>(() => Vad.DetectMixed(null!, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vad.Detect(Array.Empty<float>(), 0));
        Assert.Throws<ArgumentNullException>(() => Vad.Detect((ChannelRoles)null!));
    }
}
