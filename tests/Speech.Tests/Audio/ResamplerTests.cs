using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class ResamplerTests
{
    private static readonly int[] CallRates = [8000, 11025, 16000, 22050, 44100, 48000];

    private static IEnumerable<TestCaseData> ToneCases()
    {
        foreach (int input in CallRates)
        {
            foreach (double frequency in new[] { 440.0, 1000.0 })
            {
                yield return new TestCaseData(input, 16000, frequency);
            }
        }

        yield return new TestCaseData(16000, 8000, 1000.0);
        yield return new TestCaseData(8000, 44100, 440.0);
        yield return new TestCaseData(8000, 48000, 1000.0).SetName("{m}(whole-factor upsampling by 6)");
        yield return new TestCaseData(44100, 48000, 1000.0);
        yield return new TestCaseData(44101, 16000, 1000.0).SetName("{m}(odd rate: rounded phases)");
    }

    /// <summary>The middle of a signal, away from the edges where the filter sees zeros.</summary>
    private static float[] Middle(float[] samples) => samples[(samples.Length / 4)..(samples.Length * 3 / 4)];

    [Test]
    public void Process_SameRate_ReturnsTheSameArray()
    {
        float[] samples = Signals.Sine(440, 16000, 0.1);

        Assert.That(Resampler.Resample(samples, 16000, 16000), Is.SameAs(samples));
    }

    [TestCase(8000, 16000)]
    [TestCase(44100, 16000)]
    [TestCase(22050, 16000)]
    [TestCase(11025, 16000)]
    [TestCase(48000, 16000)]
    [TestCase(16000, 8000)]
    [TestCase(8000, 48000)]
    [TestCase(44101, 16000)]
    public void Process_OutputLength_IsInputLengthTimesRatio(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);
        foreach (int length in new[] { 0, 1, 7, 1000, 8000, 44101 })
        {
            double expected = Math.Round((double)length * outputRate / inputRate);

            Assert.That(resampler.Process(new float[length]).Length, Is.EqualTo(expected).Within(1), $"{length} samples");
        }
    }

    [TestCaseSource(nameof(ToneCases))]
    public void Process_Tone_KeepsLevelAndFrequency(int inputRate, int outputRate, double frequency)
    {
        float[] input = Signals.Sine(frequency, inputRate, 1.0, amplitude: 0.5);

        float[] output = Middle(Resampler.Resample(input, inputRate, outputRate));

        double levelChange = Signals.Db(Signals.Rms(output) / Signals.Rms(Middle(input)));
        Assert.That(levelChange, Is.EqualTo(0).Within(0.5), "level in dB");
        Assert.That(Signals.ZeroCrossingFrequency(output, outputRate), Is.EqualTo(frequency).Within(0.5), "frequency in Hz");
        Assert.That(output, Has.All.Matches<float>(float.IsFinite));
    }

    [TestCase(44100, 7000)]
    [TestCase(48000, 7000)]
    [TestCase(22050, 6500)]
    public void Process_ToneJustBelowNewNyquist_PassesFlat(int inputRate, double frequency)
    {
        float[] input = Signals.Sine(frequency, inputRate, 1.0);

        float[] output = Middle(Resampler.Resample(input, inputRate, 16000));

        Assert.That(Signals.Db(Signals.Rms(output) / Signals.Rms(Middle(input))), Is.EqualTo(0).Within(0.5), "the passband reaches 0.9 of the new Nyquist");
    }

    [TestCase(48000, 8200)]
    [TestCase(48000, 10000)]
    [TestCase(48000, 12000)]
    [TestCase(48000, 20000)]
    [TestCase(44100, 9000)]
    [TestCase(44100, 15000)]
    [TestCase(22050, 10000)]
    public void Process_ToneAboveNewNyquist_IsAttenuatedAtLeast40Db(int inputRate, double frequency)
    {
        float[] input = Signals.Sine(frequency, inputRate, 1.0);

        float[] output = Middle(Resampler.Resample(input, inputRate, 16000));

        double attenuation = Signals.Db(Signals.Rms(output) / Signals.Rms(Middle(input)));
        Assert.That(attenuation, Is.LessThan(-40), "it would otherwise alias into the speech band");
    }

    [Test]
    public void Process_Upsampling_LeavesNoImageAboveOldNyquist()
    {
        float[] input = Signals.Sine(3000, 8000, 1.0);

        float[] output = Middle(Resampler.Resample(input, 8000, 16000));

        double tone = Signals.ToneAmplitude(output, 3000, 16000);
        double image = Signals.ToneAmplitude(output, 5000, 16000);
        Assert.That(Signals.Db(image / tone), Is.LessThan(-60), "the 5 kHz mirror of a 3 kHz tone");
    }

    [TestCase(8000, 16000, 1013)]
    [TestCase(8000, 48000, 77)]
    public void Process_WholeFactorUpsampling_ImpulseAtEitherEndRespondsAsInTheMiddle(int inputRate, int outputRate, int length)
    {
        // With zero padding the filter is time-invariant, so edges and partial blocks must not change the response.
        int factor = outputRate / inputRate;
        float[] Response(int at)
        {
            var impulse = new float[length];
            impulse[at] = 1;
            return Resampler.Resample(impulse, inputRate, outputRate);
        }

        float[] middle = Response(length / 2);
        float[] first = Response(0);
        float[] last = Response(length - 1);

        int centre = length / 2 * factor;
        for (int d = -Math.Min(centre, 40 * factor); d < factor; d++)
        {
            Assert.That(last[((length - 1) * factor) + d], Is.EqualTo(middle[centre + d]).Within(1e-6f), $"offset {d} from the last sample");
        }

        for (int d = 0; d < Math.Min(centre, 40 * factor); d++)
        {
            Assert.That(first[d], Is.EqualTo(middle[centre + d]).Within(1e-6f), $"offset {d} from the first sample");
        }
    }

    [Test]
    public void Process_Constant_KeepsItsLevel()
    {
        float[] ones = Enumerable.Repeat(0.5f, 44100).ToArray();

        float[] output = Middle(Resampler.Resample(ones, 44100, 16000));

        Assert.That(output, Has.All.EqualTo(0.5f).Within(1e-4f));
    }

    [Test]
    public void Process_FullScaleNoiseAndSquareWave_StayFiniteAndBounded()
    {
        var random = new Random(7);
        float[] noise = Enumerable.Range(0, 22050).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] square = Enumerable.Range(0, 22050).Select(i => i / 50 % 2 == 0 ? 1f : -1f).ToArray();

        foreach (float[] input in new[] { noise, square })
        {
            float[] output = Resampler.Resample(input, 22050, 16000);

            Assert.That(output, Has.All.Matches<float>(x => float.IsFinite(x) && Math.Abs(x) < 1.5f));
        }
    }

    [Test]
    public void Resample_AudioData_ConvertsEveryChannel()
    {
        var audio = new AudioData(8000, [Signals.Sine(440, 8000, 0.5), Signals.Sine(1000, 8000, 0.5)]);

        var resampled = Resampler.Resample(audio, 16000);

        Assert.That(resampled.SampleRate, Is.EqualTo(16000));
        Assert.That(resampled.Channels.Select(c => c.Length), Is.EqualTo(new[] { 8000, 8000 }));
        Assert.That(Signals.ZeroCrossingFrequency(Middle(resampled.Channels[1]), 16000), Is.EqualTo(1000).Within(1));
        Assert.That(Resampler.Resample(resampled, 16000), Is.SameAs(resampled), "already at the rate: nothing to do");
    }

    [Test]
    public void For_SameRates_SharesOneDesign()
    {
        var first = Resampler.For(44100, 16000);

        Assert.That(Resampler.For(44100, 16000), Is.SameAs(first));
        Assert.That(Resampler.For(8000, 16000).TapsPerPhase % 2, Is.Zero);
    }

    [Test]
    public void Constructor_NonPositiveRates_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Resampler(0, 16000));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Resampler(8000, -1));
        Assert.Throws<ArgumentNullException>(() => Resampler.Resample((float[])null!, 8000, 16000));
    }

    [TestCase(8000, 16000)]
    [TestCase(44100, 16000)]
    [TestCase(48000, 16000)]
    [TestCase(22050, 16000)]
    [TestCase(11025, 16000)]
    [TestCase(2000, 16000)]
    [TestCase(16000, 16000)]
    [TestCase(44101, 16000)]
    public void ChannelStream_PiecesOfAnySize_SameSamplesAsTheWholeChannel(int inputRate, int outputRate)
    {
        var random = new Random(inputRate);
        var input = new float[(inputRate * 3) + random.Next(1000)];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var resampler = new Resampler(inputRate, outputRate);
        var whole = resampler.Process(input);
        var stream = new Resampler.ChannelStream(resampler, input.Length);
        for (int at = 0; at < input.Length;)
        {
            int piece = Math.Min(input.Length - at, random.Next(1, 20_000));
            stream.Append(input.AsSpan(at, piece));
            at += piece;
        }

        Assert.That(stream.Complete(), Is.EqualTo(whole), "decoding a long call block by block changes no sample");
    }

    [TestCase(8000, 16000)]
    [TestCase(44100, 16000)]
    [TestCase(16000, 16000)]
    public void ChannelStream_Pcm16_IsTheFloatOutputRoundedSampleBySample(int inputRate, int outputRate)
    {
        var random = new Random(inputRate + 1);
        var input = new float[(inputRate * 3) + random.Next(1000)];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 1.8) - 0.9);
        }

        var resampler = new Resampler(inputRate, outputRate);
        var expected = resampler.Process(input).Select(SampleTrack.ToPcm16).Select(s => s / 32768f).ToArray();
        var stream = new Resampler.ChannelStream(resampler, input.Length, pcm16: true);
        for (int at = 0; at < input.Length;)
        {
            int piece = Math.Min(input.Length - at, random.Next(1, 20_000));
            stream.Append(input.AsSpan(at, piece));
            at += piece;
        }

        var track = stream.CompleteTrack();
        Assert.That(track.IsPcm16, Is.True);
        Assert.That(track.ToArray(), Is.EqualTo(expected), "the compact track is the float resampling rounded to 16 bits, nothing else");
        Assert.Throws<InvalidOperationException>(() => stream.Complete(), "a 16-bit stream has no float output");
    }
}
