using System.Buffers;

namespace QualityScan.Speech.Audio;

/// <summary>
/// How a data chunk's samples are held once decoded: float arrays at the file's rate, 16-bit tracks, or resampled
/// block by block to the rate asked for (so a long call is never held whole at its own rate as well); a stream of
/// unknown length (a pipe) is read to its end. Every length is checked before memory is taken for it.
/// </summary>
internal static class WavStorage
{
    private const int ReadBufferBytes = 1 << 16;

    /// <summary>Decodes the data chunk found by <see cref="WavContainer.FindData"/>.</summary>
    public static AudioTracks Decode(WavData data, string name)
    {
        var (source, format, size, riffSize) = data;
        long dataOffset = source.Position;
        bool headerNeverPatched = size == WavContainer.UnknownSize
            || (size == 0 && (riffSize == 0 || riffSize == WavContainer.UnknownSize || riffSize + 8L <= dataOffset));

        if (size == 0 && !headerNeverPatched)
        {
            throw WavErrors.Error(name, "no audio samples: the data chunk is empty");
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
                throw WavErrors.Truncated(name, size, source.Remaining);
            }
        }

        long frames = byteCount / format.BlockAlign;
        if (frames == 0)
        {
            throw WavErrors.NoWholeFrame(name, byteCount, format);
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
        ReadBlocks(source, format, frames, size, name, (block, firstFrame) => WavSamples.DecodeFrames(block, format, channels, firstFrame));
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
                    throw WavErrors.Truncated(name, size, (done * format.BlockAlign) + got);
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
            WavSamples.DecodeFrames(block, format, scratch, 0);
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

            WavSamples.DecodeFrames(block, format, channels, (int)before);
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
            WavSamples.DecodeFrames(block, format, scratch, 0);
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

        return frames > 0 ? frames : throw WavErrors.NoWholeFrame(name, totalBytes, format);
    }

    /// <summary>Refuses a recording longer than <see cref="WavReader.MaxDurationSeconds"/> or larger decoded than the bound, before memory is taken for it.</summary>
    private static void CheckLength(string name, long frames, WavFormat format, long maxDecodedBytes)
    {
        double seconds = (double)frames / format.SampleRate;
        if (seconds > WavReader.MaxDurationSeconds)
        {
            throw WavErrors.Error(name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"implausibly long: {seconds / 3600:0.0} hours of audio at {format.SampleRate} Hz (at most {WavReader.MaxDurationSeconds / 3600:0} hours)"));
        }

        if (frames > Array.MaxLength || frames * format.Channels * 4 > maxDecodedBytes)
        {
            throw WavErrors.Error(name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
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

}
