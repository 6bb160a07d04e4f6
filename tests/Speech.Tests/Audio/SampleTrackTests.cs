using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class SampleTrackTests
{
    [Test]
    public void Quantize_SixteenBitValues_ComeBackExactly()
    {
        // Every value a 16-bit WAV, A-law or mu-law file holds survives the compact form unchanged.
        var values = Enumerable.Range(short.MinValue, 65536).Select(v => v / 32768f).ToArray();

        var track = SampleTrack.Quantize(values);

        Assert.That(track.IsPcm16, Is.True);
        Assert.That(track.MemoryBytes, Is.EqualTo(2 * values.Length));
        Assert.That(track.ToArray(), Is.EqualTo(values));
    }

    [Test]
    public void Quantize_AnyFloat_IsWithinHalfAStepAndClipped()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 10_000).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

        var back = SampleTrack.Quantize(values).ToArray();

        Assert.That(back.Zip(values, (b, v) => Math.Abs(b - v)).Max(), Is.LessThanOrEqualTo(0.5f / 32768));
        Assert.That(SampleTrack.ToPcm16(1f), Is.EqualTo(short.MaxValue), "full scale clips to the largest 16-bit value");
        Assert.That(SampleTrack.ToPcm16(-1f), Is.EqualTo(short.MinValue));
        Assert.That(SampleTrack.ToPcm16(float.NaN), Is.Zero);
        Assert.That(SampleTrack.ToPcm16(3f), Is.EqualTo(short.MaxValue));
    }

    [Test]
    public void CopyTo_AStretch_ReadsThoseSamplesAsFloats()
    {
        float[] values = [0.5f, -0.25f, 0.125f, 1f / 32768, 0f];
        var floats = SampleTrack.FromFloats(values);
        var pcm = SampleTrack.Quantize(values);
        var fromFloats = new float[3];
        var fromPcm = new float[3];

        floats.CopyTo(1, fromFloats);
        pcm.CopyTo(1, fromPcm);

        Assert.That(fromFloats, Is.EqualTo(new[] { -0.25f, 0.125f, 1f / 32768 }));
        Assert.That(fromPcm, Is.EqualTo(fromFloats));
        Assert.That(pcm[3], Is.EqualTo(1f / 32768));
        Assert.That(floats.Floats, Is.SameAs(values), "a float array is held, not copied");
    }

    [Test]
    public void CopyTo_OutsideTheTrack_Throws()
    {
        var track = SampleTrack.Quantize(new float[10]);

        Assert.Throws<ArgumentOutOfRangeException>(() => track.CopyTo(8, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => track.CopyTo(-1, new float[1]));
        Assert.DoesNotThrow(() => track.CopyTo(10, Span<float>.Empty));
    }

    [TestCase(8000, 16000)]
    [TestCase(12000, 16000)]
    [TestCase(11025, 16000)]
    [TestCase(16000, 16000)]
    public void Resampled_AnyStretch_IsExactlyThatStretchOfTheWholeChannelResampled(int inputRate, int outputRate)
    {
        var random = new Random(inputRate);
        var pcm = new short[(inputRate * 2) + random.Next(1000)];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        var resampler = new Resampler(inputRate, outputRate);
        var whole = resampler.Process(pcm.Select(s => s / 32768f).ToArray());
        var track = SampleTrack.Resampled(pcm, resampler);

        Assert.That(track.Length, Is.EqualTo(whole.Length));
        Assert.That(track.MemoryBytes, Is.EqualTo(2 * pcm.Length));
        Assert.That(track.ToArray(), Is.EqualTo(whole), "the whole track");
        for (int trial = 0; trial < 200; trial++)
        {
            int length = random.Next(0, 3000);
            int start = trial switch { 0 => 0, 1 => whole.Length - length, _ => random.Next(0, whole.Length - length + 1) };
            var stretch = new float[length];
            track.CopyTo(start, stretch);
            Assert.That(stretch, Is.EqualTo(whole.AsSpan(start, length).ToArray()), $"samples {start} to {start + length}");
        }

        Assert.That(track[whole.Length - 1], Is.EqualTo(whole[^1]));
    }
}
