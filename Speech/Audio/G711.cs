namespace QualityScan.Speech.Audio;

/// <summary>ITU-T G.711 A-law and mu-law expansion to linear samples.</summary>
/// <remarks>
/// The 16-bit values follow the reference expansion of G.711 (and its well-known public-domain
/// implementation): mu-law spans ±32124, A-law ±32256. Telephony recorders often store calls as
/// 8-bit G.711 WAV files, so both tables are kept ready as floats in [-1, 1].
/// </remarks>
internal static class G711
{
    private static readonly float[] MuLawFloats = BuildTable(MuLawToLinear);
    private static readonly float[] ALawFloats = BuildTable(ALawToLinear);

    /// <summary>Linear float in [-1, 1] for each mu-law code.</summary>
    public static ReadOnlySpan<float> MuLawTable => MuLawFloats;

    /// <summary>Linear float in [-1, 1] for each A-law code.</summary>
    public static ReadOnlySpan<float> ALawTable => ALawFloats;

    /// <summary>Expands a mu-law code to a 16-bit linear value.</summary>
    public static short MuLawToLinear(byte code)
    {
        const int Bias = 0x84;
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + Bias;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? Bias - t : t - Bias);
    }

    /// <summary>Expands an A-law code to a 16-bit linear value.</summary>
    public static short ALawToLinear(byte code)
    {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }

    private static float[] BuildTable(Func<byte, short> expand)
    {
        var table = new float[256];
        for (int code = 0; code < 256; code++)
        {
            table[code] = expand((byte)code) / 32768f;
        }

        return table;
    }
}
