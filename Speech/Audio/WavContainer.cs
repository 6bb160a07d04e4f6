using System.Buffers.Binary;

namespace QualityScan.Speech.Audio;

/// <summary>
/// The RIFF/WAVE container: walks the chunks (in any order, skipping unknown ones and honouring pad bytes), parses
/// the fmt chunk into a <see cref="WavFormat"/> and finds the data chunk, leaving the source positioned at its first
/// byte. It decodes no sample.
/// </summary>
internal static class WavContainer
{
    /// <summary>The size a streaming recorder leaves in a header it never went back to patch.</summary>
    public const uint UnknownSize = 0xFFFFFFFF;

    private const int MaxFmtChunkSize = 4096;

    private const ushort FormatPcm = 0x0001;
    private const ushort FormatFloat = 0x0003;
    private const ushort FormatALaw = 0x0006;
    private const ushort FormatMuLaw = 0x0007;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID that wraps a classic format tag.</summary>
    private static ReadOnlySpan<byte> SubformatTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>True when <paramref name="header"/> (the first 12 bytes of a file) starts a RIFF/WAVE or RF64/WAVE file.</summary>
    public static bool HasWaveHeader(ReadOnlySpan<byte> header) =>
        header.Length >= 12
        && (header[..4].SequenceEqual("RIFF"u8) || header[..4].SequenceEqual("RF64"u8))
        && header[8..12].SequenceEqual("WAVE"u8);

    /// <summary>
    /// The format and the data chunk of the file in <paramref name="source"/>, or null (with the codec's name) when it is a
    /// well-formed file whose codec only ffmpeg decodes.
    /// </summary>
    public static WavData? FindData(ByteSource source, string name, out string? unsupportedCodec)
    {
        unsupportedCodec = null;
        Span<byte> header = stackalloc byte[12];
        int got = source.Read(header);
        if (got == 0)
        {
            throw WavErrors.Error(name, "empty file");
        }

        if (HasWaveHeader(header[..got]) && header[..4].SequenceEqual("RF64"u8))
        {
            unsupportedCodec = "RF64 (64-bit WAV container)";
            return null;
        }

        if (!HasWaveHeader(header[..got]))
        {
            bool riffCutShort = got < 12 && got >= 4 && header[..4].SequenceEqual("RIFF"u8);
            throw WavErrors.Error(name, riffCutShort ? "truncated header: the file ends inside the RIFF header" : "not a RIFF/WAVE file");
        }

        uint riffSize = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        WavFormat? format = null;
        long pendingDataOffset = -1;
        uint pendingDataSize = 0;
        byte[]? bufferedData = null;

        Span<byte> chunkHeader = stackalloc byte[8];
        while (source.Read(chunkHeader) == 8)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            long padded = size + (size & 1L);
            ReadOnlySpan<byte> id = chunkHeader[..4];

            if (id.SequenceEqual("fmt "u8) && format is null)
            {
                format = ReadFormat(source, size, name);
                if (format.Encoding == SampleEncoding.Unsupported)
                {
                    unsupportedCodec = format.CodecName;
                    return null;
                }

                if (padded > size)
                {
                    source.Skip(1);
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not null)
                {
                    return new WavData(source, format, size, riffSize);
                }

                // A data chunk before the fmt chunk is legal but rare; keep its place (or its bytes) for later.
                if (size == UnknownSize)
                {
                    throw WavErrors.Error(name, "the data chunk comes before the fmt chunk and its length is unknown");
                }

                if (source.CanSeek)
                {
                    pendingDataOffset = source.Position;
                    pendingDataSize = size;
                    long available = source.Remaining;
                    if (size > available)
                    {
                        throw WavErrors.Truncated(name, size, available);
                    }

                    source.Skip(padded);
                }
                else
                {
                    if (size > Array.MaxLength)
                    {
                        throw WavErrors.Error(name, $"too long to decode into memory: a {size}-byte data chunk before the fmt chunk");
                    }

                    bufferedData = new byte[size];
                    int read = source.Read(bufferedData);
                    if (read < size)
                    {
                        throw WavErrors.Truncated(name, size, read);
                    }

                    source.Skip(padded - size);
                }
            }
            else if (!source.Skip(padded))
            {
                break;
            }
        }

        if (format is null)
        {
            throw WavErrors.Error(name, "missing fmt chunk");
        }

        if (pendingDataOffset >= 0)
        {
            source.Seek(pendingDataOffset);
            return new WavData(source, format, pendingDataSize, riffSize);
        }

        if (bufferedData is not null)
        {
            var buffered = new ByteSource(new MemoryStream(bufferedData, writable: false))
            {
                MaxDecodedBytes = source.MaxDecodedBytes,
                TargetRate = source.TargetRate,
                Pcm16 = source.Pcm16,
            };
            return new WavData(buffered, format, (uint)bufferedData.Length, riffSize);
        }

        throw WavErrors.Error(name, "missing data chunk");
    }

    private static WavFormat ReadFormat(ByteSource source, uint size, string name)
    {
        if (size < 16)
        {
            throw WavErrors.Error(name, $"invalid fmt chunk: {size} bytes, at least 16 expected");
        }

        if (size > MaxFmtChunkSize)
        {
            throw WavErrors.Error(name, $"invalid fmt chunk: implausible size of {size} bytes");
        }

        var body = new byte[size];
        if (source.Read(body) < size)
        {
            throw WavErrors.Error(name, "truncated fmt chunk: the file ends inside it");
        }

        return ParseFormat(body, name);
    }

    private static WavFormat ParseFormat(ReadOnlySpan<byte> body, string name)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);

        if (channels == 0)
        {
            throw WavErrors.Error(name, "invalid fmt chunk: 0 channels");
        }

        if (channels > WavReader.MaxChannels)
        {
            throw WavErrors.Error(name, $"invalid fmt chunk: {channels} channels (at most {WavReader.MaxChannels} are supported)");
        }

        if (sampleRate < WavReader.MinSampleRate || sampleRate > WavReader.MaxSampleRate)
        {
            throw WavErrors.Error(name, $"invalid fmt chunk: sample rate {sampleRate} Hz is implausible (expected {WavReader.MinSampleRate} to {WavReader.MaxSampleRate})");
        }

        ushort effectiveTag = tag;
        if (tag == FormatExtensible)
        {
            if (body.Length < 40)
            {
                throw WavErrors.Error(name, $"invalid fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, the chunk has {body.Length}");
            }

            ReadOnlySpan<byte> subformat = body.Slice(24, 16);
            if (!subformat[2..].SequenceEqual(SubformatTail))
            {
                return WavFormat.Unsupported($"WAVE_FORMAT_EXTENSIBLE with subformat {new Guid(subformat)}");
            }

            effectiveTag = BinaryPrimitives.ReadUInt16LittleEndian(subformat);
        }

        SampleEncoding encoding = (effectiveTag, bits) switch
        {
            (FormatPcm, 8) => SampleEncoding.PcmUnsigned8,
            (FormatPcm, 16) => SampleEncoding.Pcm16,
            (FormatPcm, 24) => SampleEncoding.Pcm24,
            (FormatPcm, 32) => SampleEncoding.Pcm32,
            (FormatPcm, _) => throw WavErrors.Error(name, $"unsupported PCM sample size: {bits} bits (8, 16, 24 or 32 expected)"),
            (FormatFloat, 32) => SampleEncoding.Float32,
            (FormatFloat, 64) => SampleEncoding.Float64,
            (FormatFloat, _) => throw WavErrors.Error(name, $"unsupported IEEE float sample size: {bits} bits (32 or 64 expected)"),
            (FormatALaw, 8) => SampleEncoding.ALaw,
            (FormatMuLaw, 8) => SampleEncoding.MuLaw,
            (FormatALaw or FormatMuLaw, _) => throw WavErrors.Error(name, $"invalid fmt chunk: G.711 uses 8 bits per sample, the header says {bits}"),
            _ => SampleEncoding.Unsupported,
        };

        if (encoding == SampleEncoding.Unsupported)
        {
            return WavFormat.Unsupported(DescribeCodec(effectiveTag));
        }

        int bytesPerSample = bits / 8;
        if (blockAlign != channels * bytesPerSample)
        {
            throw WavErrors.Error(name, $"invalid fmt chunk: block align {blockAlign} is inconsistent with {channels} channels × {bits} bits");
        }

        return new WavFormat(encoding, channels, (int)sampleRate, blockAlign, bytesPerSample, DescribeCodec(effectiveTag));
    }

    private static string DescribeCodec(ushort tag)
    {
        string? known = tag switch
        {
            FormatPcm => "PCM",
            0x0002 => "Microsoft ADPCM",
            FormatFloat => "IEEE float",
            FormatALaw => "G.711 A-law",
            FormatMuLaw => "G.711 mu-law",
            0x0011 => "IMA ADPCM",
            0x0022 => "TrueSpeech",
            0x0031 => "GSM 6.10",
            0x0040 => "G.721 ADPCM",
            0x0045 => "G.726 ADPCM",
            0x0050 => "MPEG audio",
            0x0055 => "MPEG Layer 3",
            _ => null,
        };
        return known is null ? $"format 0x{tag:X4}" : $"{known} (format 0x{tag:X4})";
    }
}

/// <summary>A data chunk found by <see cref="WavContainer"/>: the source positioned at its first byte, its declared size and the RIFF size.</summary>
internal sealed record WavData(ByteSource Source, WavFormat Format, uint Size, uint RiffSize);
