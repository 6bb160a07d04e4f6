using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace QualityScan.Pipeline.Audio;

/// <summary>
/// Reads RIFF/WAVE files into <see cref="AudioData"/> without external programs: PCM (8-bit
/// unsigned, 16, 24 and 32-bit), IEEE float (32 and 64-bit), G.711 A-law and mu-law, plain or
/// wrapped in WAVE_FORMAT_EXTENSIBLE, with any number of channels from 1 to <see cref="MaxChannels"/>.
/// </summary>
/// <remarks>
/// <para>Chunks may come in any order; unknown chunks (LIST, fact, cue, ...) are skipped, honouring
/// the pad byte after odd-sized chunks. Bytes after the data chunk are ignored, as is a trailing
/// partial frame.</para>
/// <para>A data chunk that claims more bytes than the file holds is an error ("truncated data
/// chunk"), because a copy cut short in transfer must not be scored as if the call ended early.
/// The one exception is the size left behind by a recorder that streamed the file and never went
/// back to patch the header: 0xFFFFFFFF, or 0 when the RIFF size was not patched either (it is 0,
/// 0xFFFFFFFF or ends before the data). Then every whole frame up to the end of the file is read.</para>
/// <para>Samples are scaled to [-1, 1]; float samples outside that range are clipped and NaN
/// becomes 0, so later stages can rely on the range.</para>
/// <para>Every failure is an <see cref="UnsupportedAudioException"/> naming the file and the reason.</para>
/// </remarks>
public static class WavReader
{
    /// <summary>Most channels a file may declare.</summary>
    public const int MaxChannels = 32;

    /// <summary>Highest sample rate a file may declare, in Hz.</summary>
    public const int MaxSampleRate = 384_000;

    /// <summary>Lowest sample rate a file may declare, in Hz: below it no speech is left, and a header claiming 1 Hz makes a small file hours long.</summary>
    public const int MinSampleRate = 2_000;

    /// <summary>Longest recording accepted, in seconds (24 hours): anything longer is a damaged header, not a call.</summary>
    public const double MaxDurationSeconds = 24 * 3600;

    private const uint UnknownSize = 0xFFFFFFFF;
    private const int MaxFmtChunkSize = 4096;
    private const int ReadBufferBytes = 1 << 16;

    private const ushort FormatPcm = 0x0001;
    private const ushort FormatFloat = 0x0003;
    private const ushort FormatALaw = 0x0006;
    private const ushort FormatMuLaw = 0x0007;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID that wraps a classic format tag.</summary>
    private static ReadOnlySpan<byte> SubformatTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private enum SampleEncoding
    {
        Unsupported,
        PcmUnsigned8,
        Pcm16,
        Pcm24,
        Pcm32,
        Float32,
        Float64,
        ALaw,
        MuLaw,
    }

    /// <summary>Reads the WAV file at <paramref name="path"/>.</summary>
    /// <exception cref="UnsupportedAudioException">The file is missing, unreadable, malformed or uses a codec this reader does not decode.</exception>
    public static AudioData Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = AudioFiles.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a WAV file from <paramref name="stream"/>, from its current position to its end.</summary>
    /// <param name="stream">The WAV bytes; need not be seekable.</param>
    /// <param name="nameForErrors">The file name to put in error messages.</param>
    /// <exception cref="UnsupportedAudioException">The bytes are malformed or use a codec this reader does not decode.</exception>
    public static AudioData Read(Stream stream, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(nameForErrors);
        return TryRead(stream, nameForErrors, out var codec)
            ?? throw new UnsupportedAudioException(
                nameForErrors,
                $"unsupported WAV codec {codec}; the built-in reader decodes PCM, IEEE float, A-law and mu-law (AudioDecoder passes other codecs to ffmpeg)");
    }

    /// <summary>
    /// Reads a WAV file, or returns null (with the codec's name) when it is a well-formed RIFF/WAVE
    /// file whose codec only ffmpeg can decode (GSM 6.10, ADPCM, MP3 in WAV, RF64 ...).
    /// </summary>
    internal static AudioData? TryRead(Stream stream, string name, out string? unsupportedCodec) =>
        TryRead(stream, name, long.MaxValue, out unsupportedCodec);

    /// <summary>
    /// As <see cref="TryRead(Stream, string, out string?)"/>, refusing more than <paramref name="maxDecodedBytes"/> of
    /// decoded samples (4 bytes each); with <paramref name="targetRate"/>, a seekable file is decoded and resampled to that
    /// rate block by block, so the recording is never held whole at its own rate as well.
    /// </summary>
    internal static AudioData? TryRead(Stream stream, string name, long maxDecodedBytes, out string? unsupportedCodec, int? targetRate = null) =>
        TryRead(new ByteSource(stream) { MaxDecodedBytes = maxDecodedBytes, TargetRate = targetRate }, name, out unsupportedCodec)?.ToAudioData();

    /// <summary>
    /// As <see cref="TryRead(Stream, string, long, out string?, int?)"/>, keeping each channel as a <see cref="SampleTrack"/>: with
    /// <paramref name="pcm16"/>, a seekable file is decoded (and resampled to <paramref name="targetRate"/>) block by block
    /// straight into 16-bit tracks, so a long call is never held as floats. The rate of the result may still differ
    /// from <paramref name="targetRate"/> (a pipe of unknown length is decoded whole at its own rate, as floats).
    /// </summary>
    internal static AudioTracks? TryReadTracks(Stream stream, string name, long maxDecodedBytes, out string? unsupportedCodec, int? targetRate, bool pcm16) =>
        TryRead(new ByteSource(stream) { MaxDecodedBytes = maxDecodedBytes, TargetRate = targetRate, Pcm16 = pcm16 }, name, out unsupportedCodec);

    private static AudioTracks? TryRead(ByteSource source, string name, out string? unsupportedCodec)
    {
        try
        {
            return ReadCore(source, name, out unsupportedCodec);
        }
        catch (IOException ex)
        {
            throw new UnsupportedAudioException(name, $"cannot read file: {ex.Message}", ex) { Problem = AudioProblem.Unreadable };
        }
    }

    /// <summary>True when <paramref name="header"/> (the first 12 bytes of a file) starts a RIFF/WAVE or RF64/WAVE file.</summary>
    internal static bool HasWaveHeader(ReadOnlySpan<byte> header) =>
        header.Length >= 12
        && (header[..4].SequenceEqual("RIFF"u8) || header[..4].SequenceEqual("RF64"u8))
        && header[8..12].SequenceEqual("WAVE"u8);

    private static AudioTracks? ReadCore(ByteSource source, string name, out string? unsupportedCodec)
    {
        unsupportedCodec = null;
        Span<byte> header = stackalloc byte[12];
        int got = source.Read(header);
        if (got == 0)
        {
            throw Error(name, "empty file");
        }

        if (HasWaveHeader(header[..got]) && header[..4].SequenceEqual("RF64"u8))
        {
            unsupportedCodec = "RF64 (64-bit WAV container)";
            return null;
        }

        if (!HasWaveHeader(header[..got]))
        {
            bool riffCutShort = got < 12 && got >= 4 && header[..4].SequenceEqual("RIFF"u8);
            throw Error(name, riffCutShort ? "truncated header: the file ends inside the RIFF header" : "not a RIFF/WAVE file");
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
                    return DecodeData(source, format, size, riffSize, name);
                }

                // A data chunk before the fmt chunk is legal but rare; keep its place (or its bytes) for later.
                if (size == UnknownSize)
                {
                    throw Error(name, "the data chunk comes before the fmt chunk and its length is unknown");
                }

                if (source.CanSeek)
                {
                    pendingDataOffset = source.Position;
                    pendingDataSize = size;
                    long available = source.Remaining;
                    if (size > available)
                    {
                        throw Truncated(name, size, available);
                    }

                    source.Skip(padded);
                }
                else
                {
                    if (size > Array.MaxLength)
                    {
                        throw Error(name, $"too long to decode into memory: a {size}-byte data chunk before the fmt chunk");
                    }

                    bufferedData = new byte[size];
                    int read = source.Read(bufferedData);
                    if (read < size)
                    {
                        throw Truncated(name, size, read);
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
            throw Error(name, "missing fmt chunk");
        }

        if (pendingDataOffset >= 0)
        {
            source.Seek(pendingDataOffset);
            return DecodeData(source, format, pendingDataSize, riffSize, name);
        }

        if (bufferedData is not null)
        {
            var buffered = new ByteSource(new MemoryStream(bufferedData, writable: false))
            {
                MaxDecodedBytes = source.MaxDecodedBytes,
                TargetRate = source.TargetRate,
                Pcm16 = source.Pcm16,
            };
            return DecodeData(buffered, format, (uint)bufferedData.Length, riffSize, name);
        }

        throw Error(name, "missing data chunk");
    }

    private static WavFormat ReadFormat(ByteSource source, uint size, string name)
    {
        if (size < 16)
        {
            throw Error(name, $"invalid fmt chunk: {size} bytes, at least 16 expected");
        }

        if (size > MaxFmtChunkSize)
        {
            throw Error(name, $"invalid fmt chunk: implausible size of {size} bytes");
        }

        var body = new byte[size];
        if (source.Read(body) < size)
        {
            throw Error(name, "truncated fmt chunk: the file ends inside it");
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
            throw Error(name, "invalid fmt chunk: 0 channels");
        }

        if (channels > MaxChannels)
        {
            throw Error(name, $"invalid fmt chunk: {channels} channels (at most {MaxChannels} are supported)");
        }

        if (sampleRate < MinSampleRate || sampleRate > MaxSampleRate)
        {
            throw Error(name, $"invalid fmt chunk: sample rate {sampleRate} Hz is implausible (expected {MinSampleRate} to {MaxSampleRate})");
        }

        ushort effectiveTag = tag;
        if (tag == FormatExtensible)
        {
            if (body.Length < 40)
            {
                throw Error(name, $"invalid fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, the chunk has {body.Length}");
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
            (FormatPcm, _) => throw Error(name, $"unsupported PCM sample size: {bits} bits (8, 16, 24 or 32 expected)"),
            (FormatFloat, 32) => SampleEncoding.Float32,
            (FormatFloat, 64) => SampleEncoding.Float64,
            (FormatFloat, _) => throw Error(name, $"unsupported IEEE float sample size: {bits} bits (32 or 64 expected)"),
            (FormatALaw, 8) => SampleEncoding.ALaw,
            (FormatMuLaw, 8) => SampleEncoding.MuLaw,
            (FormatALaw or FormatMuLaw, _) => throw Error(name, $"invalid fmt chunk: G.711 uses 8 bits per sample, the header says {bits}"),
            _ => SampleEncoding.Unsupported,
        };

        if (encoding == SampleEncoding.Unsupported)
        {
            return WavFormat.Unsupported(DescribeCodec(effectiveTag));
        }

        int bytesPerSample = bits / 8;
        if (blockAlign != channels * bytesPerSample)
        {
            throw Error(name, $"invalid fmt chunk: block align {blockAlign} is inconsistent with {channels} channels × {bits} bits");
        }

        return new WavFormat(encoding, channels, (int)sampleRate, blockAlign, bytesPerSample, DescribeCodec(effectiveTag));
    }

    private static AudioTracks DecodeData(ByteSource source, WavFormat format, uint size, uint riffSize, string name)
    {
        long dataOffset = source.Position;
        bool headerNeverPatched = size == UnknownSize
            || (size == 0 && (riffSize == 0 || riffSize == UnknownSize || riffSize + 8L <= dataOffset));

        if (size == 0 && !headerNeverPatched)
        {
            throw Error(name, "no audio samples: the data chunk is empty");
        }

        long byteCount;
        if (headerNeverPatched)
        {
            if (!source.CanSeek)
            {
                return source.Pcm16 ? DecodeToEndPcm16(source, format, name) : AudioTracks.FromAudio(DecodeToEnd(source, format, name));
            }

            byteCount = source.Remaining;
        }
        else
        {
            byteCount = size;
            if (source.CanSeek && size > source.Remaining)
            {
                throw Truncated(name, size, source.Remaining);
            }
        }

        long frames = byteCount / format.BlockAlign;
        if (frames == 0)
        {
            throw NoWholeFrame(name, byteCount, format);
        }

        CheckLength(name, frames, format, source.MaxDecodedBytes);

        int targetRate = source.TargetRate ?? format.SampleRate;
        if (source.Pcm16 && targetRate > format.SampleRate)
        {
            // Held at its own lower rate (8 kHz telephony: half the samples) and resampled a stretch at a time when read.
            return DecodeStreamed(source, format, (int)frames, size, format.SampleRate, name).ReadAt(targetRate);
        }

        if (source.Pcm16 || targetRate != format.SampleRate)
        {
            return DecodeStreamed(source, format, (int)frames, size, targetRate, name);
        }

        var channels = AllocateChannels(format.Channels, (int)frames);
        ReadBlocks(source, format, frames, size, name, (block, firstFrame) => DecodeFrames(block, format, channels, firstFrame));
        return AudioTracks.FromAudio(new AudioData(format.SampleRate, channels));
    }

    /// <summary>Receives the bytes of whole frames read from a data chunk, starting at frame <paramref name="firstFrame"/>.</summary>
    private delegate void FrameBlockSink(ReadOnlySpan<byte> block, int firstFrame);

    /// <summary>Reads <paramref name="frames"/> frames block by block into <paramref name="sink"/>; a short read is a truncated file.</summary>
    private static void ReadBlocks(ByteSource source, WavFormat format, long frames, uint size, string name, FrameBlockSink sink)
    {
        int bufferBytes = ReadBufferBytes / format.BlockAlign * format.BlockAlign;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            long done = 0;
            while (done < frames)
            {
                int wanted = (int)Math.Min(bufferBytes, (frames - done) * format.BlockAlign);
                int got = source.Read(buffer.AsSpan(0, wanted));
                if (got < wanted)
                {
                    throw Truncated(name, size, (done * format.BlockAlign) + got);
                }

                sink(buffer.AsSpan(0, got), (int)done);
                done += got / format.BlockAlign;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes <paramref name="frames"/> frames block by block straight into <paramref name="targetRate"/> (as 16-bit tracks when the source says so).</summary>
    private static AudioTracks DecodeStreamed(ByteSource source, WavFormat format, int frames, uint size, int targetRate, string name)
    {
        var resampler = Resampler.For(format.SampleRate, targetRate);
        var streams = new Resampler.ChannelStream[format.Channels];
        for (int c = 0; c < streams.Length; c++)
        {
            streams[c] = new Resampler.ChannelStream(resampler, frames, source.Pcm16);
        }

        var scratch = AllocateChannels(format.Channels, ReadBufferBytes / format.BlockAlign);
        ReadBlocks(source, format, frames, size, name, (block, _) =>
        {
            int count = block.Length / format.BlockAlign;
            DecodeFrames(block, format, scratch, 0);
            for (int c = 0; c < streams.Length; c++)
            {
                streams[c].Append(scratch[c].AsSpan(0, count));
            }
        });

        var channels = new SampleTrack[streams.Length];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c] = streams[c].CompleteTrack();
        }

        return new AudioTracks(targetRate, channels);
    }

    /// <summary>Decodes a data chunk of unknown length from a stream that cannot tell its length (a pipe).</summary>
    private static AudioData DecodeToEnd(ByteSource source, WavFormat format, string name)
    {
        var channels = AllocateChannels(format.Channels, ReadBufferBytes / format.BlockAlign * 4);
        long frames = ReadToEnd(source, format, name, (block, wholeFrames, before) =>
        {
            if (before + wholeFrames > channels[0].Length)
            {
                int capacity = (int)Math.Min(Array.MaxLength, Math.Max(before + wholeFrames, channels[0].Length * 2L));
                for (int c = 0; c < channels.Length; c++)
                {
                    Array.Resize(ref channels[c], capacity);
                }
            }

            DecodeFrames(block, format, channels, (int)before);
        });

        for (int c = 0; c < channels.Length; c++)
        {
            Array.Resize(ref channels[c], (int)frames);
        }

        return new AudioData(format.SampleRate, channels);
    }

    /// <summary>
    /// As <see cref="DecodeToEnd"/>, into 16-bit samples gathered in fixed-size pieces (a long call from ffmpeg is never
    /// held as floats, nor copied into ever larger arrays), joined once at the end.
    /// </summary>
    private static AudioTracks DecodeToEndPcm16(ByteSource source, WavFormat format, string name)
    {
        const int PieceSamples = 1 << 18;
        var scratch = AllocateChannels(format.Channels, ReadBufferBytes / format.BlockAlign);
        var pieces = new List<short[]>[format.Channels];
        for (int c = 0; c < pieces.Length; c++)
        {
            pieces[c] = [];
        }

        long frames = ReadToEnd(source, format, name, (block, wholeFrames, before) =>
        {
            DecodeFrames(block, format, scratch, 0);
            for (int c = 0; c < pieces.Length; c++)
            {
                for (int done = 0; done < wholeFrames;)
                {
                    int at = (int)((before + done) % PieceSamples);
                    if (at == 0)
                    {
                        pieces[c].Add(new short[PieceSamples]);
                    }

                    int count = Math.Min(wholeFrames - done, PieceSamples - at);
                    SampleTrack.ToPcm16(scratch[c].AsSpan(done, count), pieces[c][^1].AsSpan(at, count));
                    done += count;
                }
            }
        });

        var channels = new SampleTrack[pieces.Length];
        for (int c = 0; c < channels.Length; c++)
        {
            var samples = new short[frames];
            for (int p = 0; p < pieces[c].Count; p++)
            {
                int at = p * PieceSamples;
                pieces[c][p].AsSpan(0, (int)Math.Min(PieceSamples, frames - at)).CopyTo(samples.AsSpan(at));
                pieces[c][p] = [];
            }

            channels[c] = SampleTrack.FromPcm16(samples);
        }

        return new AudioTracks(format.SampleRate, channels);
    }

    /// <summary>A block of whole frames read from a pipe, and how many frames came before it.</summary>
    private delegate void FrameBlock(ReadOnlySpan<byte> block, int wholeFrames, long framesBefore);

    /// <summary>
    /// Reads a source of unknown length to its end in blocks of whole frames, checking the length so far before each
    /// block is handed on; returns the number of frames.
    /// </summary>
    private static long ReadToEnd(ByteSource source, WavFormat format, string name, FrameBlock onBlock)
    {
        int bufferBytes = ReadBufferBytes / format.BlockAlign * format.BlockAlign;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        long frames = 0;
        long totalBytes = 0;
        try
        {
            while (true)
            {
                int got = source.Read(buffer.AsSpan(0, bufferBytes));
                totalBytes += got;
                int wholeFrames = got / format.BlockAlign;
                CheckLength(name, frames + wholeFrames, format, source.MaxDecodedBytes);
                onBlock(buffer.AsSpan(0, wholeFrames * format.BlockAlign), wholeFrames, frames);
                frames += wholeFrames;
                if (got < bufferBytes)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return frames > 0 ? frames : throw NoWholeFrame(name, totalBytes, format);
    }

    /// <summary>Refuses a recording longer than <see cref="MaxDurationSeconds"/> or larger decoded than the bound, before memory is taken for it.</summary>
    private static void CheckLength(string name, long frames, WavFormat format, long maxDecodedBytes)
    {
        double seconds = (double)frames / format.SampleRate;
        if (seconds > MaxDurationSeconds)
        {
            throw Error(name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"implausibly long: {seconds / 3600:0.0} hours of audio at {format.SampleRate} Hz (at most {MaxDurationSeconds / 3600:0} hours)"));
        }

        if (frames > Array.MaxLength || frames * format.Channels * 4 > maxDecodedBytes)
        {
            throw Error(name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"implausibly large when decoded: {frames} frames x {format.Channels} channel(s) from a much smaller file"));
        }
    }

    private static float[][] AllocateChannels(int count, int frames)
    {
        var channels = new float[count][];
        for (int c = 0; c < count; c++)
        {
            channels[c] = new float[frames];
        }

        return channels;
    }

    /// <summary>Deinterleaves whole frames from <paramref name="bytes"/> into the channel arrays from <paramref name="frameOffset"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeFrames(ReadOnlySpan<byte> bytes, WavFormat format, float[][] channels, int frameOffset)
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

    private static UnsupportedAudioException Error(string name, string reason) => new(name, reason);

    private static UnsupportedAudioException Truncated(string name, long declared, long available) =>
        new(name, $"truncated data chunk: header says {declared} bytes, file has {available}");

    private static UnsupportedAudioException NoWholeFrame(string name, long bytes, WavFormat format) =>
        new(name, bytes == 0
            ? "no audio samples: the data chunk is empty"
            : $"no audio samples: the data chunk holds {bytes} bytes, less than one {format.BlockAlign}-byte frame");

    private sealed record WavFormat(SampleEncoding Encoding, int Channels, int SampleRate, int BlockAlign, int BytesPerSample, string CodecName)
    {
        public static WavFormat Unsupported(string codecName) => new(SampleEncoding.Unsupported, 0, 0, 0, 0, codecName);
    }

    /// <summary>A forward reader over a stream that counts bytes and skips cheaply when the stream can seek.</summary>
    private sealed class ByteSource(Stream stream)
    {
        private readonly long _origin = stream.CanSeek ? stream.Position : 0;
        private long _position;

        public bool CanSeek => stream.CanSeek;

        /// <summary>Rate to resample to while decoding, or null to keep the file's own.</summary>
        public int? TargetRate { get; init; }

        /// <summary>True to decode into 16-bit tracks instead of float arrays.</summary>
        public bool Pcm16 { get; init; }

        /// <summary>Most bytes of decoded float samples this source may produce (a bound relative to the file it came from).</summary>
        public long MaxDecodedBytes { get; init; } = long.MaxValue;

        /// <summary>Bytes consumed since the start of the WAV data.</summary>
        public long Position => CanSeek ? stream.Position - _origin : _position;

        /// <summary>Bytes left in a seekable stream.</summary>
        public long Remaining => Math.Max(0, stream.Length - stream.Position);

        public int Read(Span<byte> buffer)
        {
            int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _position += read;
            return read;
        }

        /// <summary>Skips <paramref name="count"/> bytes; false when the stream ends first.</summary>
        public bool Skip(long count)
        {
            if (CanSeek)
            {
                if (count > Remaining)
                {
                    stream.Seek(0, SeekOrigin.End);
                    return false;
                }

                stream.Seek(count, SeekOrigin.Current);
                return true;
            }

            Span<byte> scratch = stackalloc byte[4096];
            while (count > 0)
            {
                int read = Read(scratch[..(int)Math.Min(count, scratch.Length)]);
                if (read == 0)
                {
                    return false;
                }

                count -= read;
            }

            return true;
        }

        public void Seek(long position) => stream.Seek(_origin + position, SeekOrigin.Begin);
    }
}
