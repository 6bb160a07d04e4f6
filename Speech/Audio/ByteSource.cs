namespace QualityScan.Speech.Audio;

/// <summary>A forward reader over a stream that counts bytes and skips cheaply when the stream can seek.</summary>
internal sealed class ByteSource(Stream stream)
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
