using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace QualityScan.Speech.Audio;

/// <summary>Sample decoding: interleaved frames of any supported encoding into float channels in [-1, 1] (NaN becomes 0).</summary>
internal static class WavSamples
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DecodeFrames(ReadOnlySpan<byte> bytes, WavFormat format, float[][] channels, int frameOffset)
    {
        int stride = format.BlockAlign;
        int frames = bytes.Length / stride;
        for (int c = 0; c < channels.Length; c++)
        {
            Span<float> dst = channels[c].AsSpan(frameOffset, frames);
            int at = c * format.BytesPerSample;
            switch (format.Encoding)
            {
                case SampleEncoding.PcmUnsigned8:
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = (bytes[at] - 128) * (1f / 128);
                    }

                    break;
                case SampleEncoding.Pcm16:
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[at..]) * (1f / 32768);
                    }

                    break;
                case SampleEncoding.Pcm24:
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        int value = (bytes[at] << 8) | (bytes[at + 1] << 16) | (bytes[at + 2] << 24);
                        dst[i] = (value >> 8) * (1f / 8_388_608);
                    }

                    break;
                case SampleEncoding.Pcm32:
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = (float)(BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]) * (1.0 / 2_147_483_648));
                    }

                    break;
                case SampleEncoding.Float32:
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = Sanitize(BinaryPrimitives.ReadSingleLittleEndian(bytes[at..]));
                    }

                    break;
                case SampleEncoding.Float64:
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = Sanitize((float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]));
                    }

                    break;
                case SampleEncoding.ALaw:
                    ReadOnlySpan<float> aLaw = G711.ALawTable;
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = aLaw[bytes[at]];
                    }

                    break;
                case SampleEncoding.MuLaw:
                    ReadOnlySpan<float> muLaw = G711.MuLawTable;
                    for (int i = 0; i < dst.Length; i++, at += stride)
                    {
                        dst[i] = muLaw[bytes[at]];
                    }

                    break;
                default:
                    throw new InvalidOperationException($"No decoder for {format.Encoding}.");
            }
        }
    }

    private static float Sanitize(float sample) => float.IsNaN(sample) ? 0f : Math.Clamp(sample, -1f, 1f);
}
