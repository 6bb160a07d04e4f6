using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class G711Tests
{
    [Test]
    public void ALaw_EveryCodeSurvivesAnIndependentEncoder()
    {
        for (int code = 0; code < 256; code++)
        {
            short linear = G711.ALawToLinear((byte)code);
            Assert.That(G711Encoder.LinearToALaw(linear), Is.EqualTo((byte)code), $"A-law code 0x{code:X2} expands to {linear}");
        }
    }

    [Test]
    public void MuLaw_EveryCodeSurvivesAnIndependentEncoder()
    {
        for (int code = 0; code < 256; code++)
        {
            short linear = G711.MuLawToLinear((byte)code);

            // 0x7F is "negative zero"; the encoder writes 0 as 0xFF.
            byte expected = code == 0x7F ? (byte)0xFF : (byte)code;
            Assert.That(G711Encoder.LinearToMuLaw(linear), Is.EqualTo(expected), $"mu-law code 0x{code:X2} expands to {linear}");
        }
    }

    [Test]
    public void Tables_AreMonotonicWithinEachSign()
    {
        // mu-law codes 0x00..0x7F run from -32124 up to 0; A-law needs its even-bit inversion undone first.
        for (int code = 1; code < 0x80; code++)
        {
            Assert.That(G711.MuLawToLinear((byte)code), Is.GreaterThan(G711.MuLawToLinear((byte)(code - 1))));
            Assert.That(G711.ALawToLinear((byte)((code ^ 0x55) | 0x80)), Is.GreaterThan(G711.ALawToLinear((byte)(((code - 1) ^ 0x55) | 0x80))));
        }
    }
}
