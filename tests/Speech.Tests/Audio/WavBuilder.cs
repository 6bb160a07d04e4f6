using System.Buffers.Binary;
using System.Text;

namespace QualityScan.Speech.Tests.Audio;

/// <summary>Builds WAV files byte by byte, including malformed ones.</summary>
internal sealed class WavBuilder
{
    public const ushort Pcm = 1;
    public const ushort Float = 3;
    public const ushort ALaw = 6;
    public const ushort MuLaw = 7;
    public const ushort Extensible = 0xFFFE;

    private readonly MemoryStream _body = new();

    /// <summary>The RIFF size field; by default the true size.</summary>
    public uint? RiffSize { get; set; }

    /// <summary>Appends a chunk; <paramref name="declaredSize"/> overrides its size field; a pad byte follows odd bodies.</summary>
    public WavBuilder Chunk(string id, byte[] body, uint? declaredSize = null, bool pad = true)
    {
        _body.Write(Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize ?? (uint)body.Length);
        _body.Write(size);
        _body.Write(body);
        if (pad && body.Length % 2 == 1)
        {
            _body.WriteByte(0);
        }

        return this;
    }

    public WavBuilder Fmt(ushort tag, int channels, int sampleRate, int bits, int? blockAlign = null)
    {
        var body = new byte[16];
        WriteFmtCommon(body, tag, channels, sampleRate, bits, blockAlign);
        return Chunk("fmt ", body);
    }

    public WavBuilder ExtensibleFmt(ushort subformatTag, int channels, int sampleRate, int bits, int? validBits = null, Guid? subformat = null)
    {
        var body = new byte[40];
        WriteFmtCommon(body, Extensible, channels, sampleRate, bits, null);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), (ushort)(validBits ?? bits));
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), channels == 2 ? 3u : 0u);
        var guid = subformat ?? new Guid($"{subformatTag:x8}-0000-0010-8000-00aa00389b71");
        guid.TryWriteBytes(body.AsSpan(24));
        return Chunk("fmt ", body);
    }

    public WavBuilder Data(byte[] bytes, uint? declaredSize = null) => Chunk("data", bytes, declaredSize);

    public byte[] ToArray()
    {
        var result = new MemoryStream();
        result.Write("RIFF"u8);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, RiffSize ?? (uint)(4 + _body.Length));
        result.Write(size);
        result.Write("WAVE"u8);
        _body.WriteTo(result);
        return result.ToArray();
    }

    /// <summary>A plain PCM WAV file of 16-bit samples.</summary>
    public static byte[] Pcm16(int sampleRate, params float[][] channels) =>
        new WavBuilder().Fmt(Pcm, channels.Length, sampleRate, 16).Data(Samples.Interleave16(channels)).ToArray();

    private static void WriteFmtCommon(Span<byte> body, ushort tag, int channels, int sampleRate, int bits, int? blockAlign)
    {
        int align = blockAlign ?? (channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(body, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(body[8..], (uint)(sampleRate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(body[12..], (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(body[14..], (ushort)bits);
    }
}

/// <summary>Interleaved sample encodings for <see cref="WavBuilder"/>.</summary>
internal static class Samples
{
    public static byte[] Interleave16(float[][] channels) =>
        Interleave(channels, 2, (x, span) => BinaryPrimitives.WriteInt16LittleEndian(span, ToInt16(x)));

    public static byte[] Interleave24(float[][] channels) => Interleave(channels, 3, (x, span) =>
    {
        int v = (int)Math.Clamp(Math.Round(x * 8_388_608.0), -8_388_608, 8_388_607);
        span[0] = (byte)v;
        span[1] = (byte)(v >> 8);
        span[2] = (byte)(v >> 16);
    });

    public static byte[] Interleave32(float[][] channels) => Interleave(channels, 4, (x, span) =>
        BinaryPrimitives.WriteInt32LittleEndian(span, (int)Math.Clamp(Math.Round(x * 2_147_483_648.0), int.MinValue, int.MaxValue)));

    public static byte[] InterleaveUnsigned8(float[][] channels) =>
        Interleave(channels, 1, (x, span) => span[0] = (byte)Math.Clamp(Math.Round((x * 128) + 128), 0, 255));

    public static byte[] InterleaveFloat32(float[][] channels) =>
        Interleave(channels, 4, (x, span) => BinaryPrimitives.WriteSingleLittleEndian(span, x));

    public static byte[] InterleaveFloat64(float[][] channels) =>
        Interleave(channels, 8, (x, span) => BinaryPrimitives.WriteDoubleLittleEndian(span, x));

    public static byte[] InterleaveMuLaw(float[][] channels) =>
        Interleave(channels, 1, (x, span) => span[0] = G711Encoder.LinearToMuLaw(ToInt16(x)));

    public static byte[] InterleaveALaw(float[][] channels) =>
        Interleave(channels, 1, (x, span) => span[0] = G711Encoder.LinearToALaw(ToInt16(x)));

    public static short ToInt16(float x) => (short)Math.Clamp(Math.Round(x * 32768.0), short.MinValue, short.MaxValue);

    private delegate void Writer(float sample, Span<byte> destination);

    private static byte[] Interleave(float[][] channels, int bytesPerSample, Writer write)
    {
        int frames = channels[0].Length;
        var bytes = new byte[frames * channels.Length * bytesPerSample];
        int at = 0;
        for (int i = 0; i < frames; i++)
        {
            foreach (float[] channel in channels)
            {
                write(channel[i], bytes.AsSpan(at, bytesPerSample));
                at += bytesPerSample;
            }
        }

        return bytes;
    }
}

/// <summary>An independent G.711 compressor (the classic segment-search formulation), used to check the reader's expansion.</summary>
internal static class G711Encoder
{
    private static readonly int[] MuLawSegmentEnds = [0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF];
    private static readonly int[] ALawSegmentEnds = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF];

    public static byte LinearToMuLaw(short sample)
    {
        int value = sample >> 2;
        int mask;
        if (value < 0)
        {
            value = -value;
            mask = 0x7F;
        }
        else
        {
            mask = 0xFF;
        }

        value = Math.Min(value, 8159) + (0x84 >> 2);
        int segment = Segment(value, MuLawSegmentEnds);
        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        return (byte)(((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask);
    }

    public static byte LinearToALaw(short sample)
    {
        int value = sample >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        int segment = Segment(value, ALawSegmentEnds);
        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        int code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }

    private static int Segment(int value, int[] ends)
    {
        for (int i = 0; i < ends.Length; i++)
        {
            if (value <= ends[i])
            {
                return i;
            }
        }

        return ends.Length;
    }
}
