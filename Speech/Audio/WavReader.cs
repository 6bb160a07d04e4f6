namespace QualityScan.Speech.Audio;

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
/// <para>The work is split along its jobs: <see cref="WavContainer"/> walks the RIFF chunks and parses the format,
/// <see cref="WavSamples"/> turns encoded frames into float samples, and <see cref="WavStorage"/> chooses how the
/// decoded samples are held (float arrays, 16-bit tracks, resampled block by block through <see cref="Resampler"/>).</para>
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
            var data = WavContainer.FindData(source, name, out unsupportedCodec);
            return data is null ? null : WavStorage.Decode(data, name);
        }
        catch (IOException ex)
        {
            throw new UnsupportedAudioException(name, $"cannot read file: {ex.Message}", ex) { Problem = AudioProblem.Unreadable };
        }
    }

    /// <summary>True when <paramref name="header"/> (the first 12 bytes of a file) starts a RIFF/WAVE or RF64/WAVE file.</summary>
    internal static bool HasWaveHeader(ReadOnlySpan<byte> header) => WavContainer.HasWaveHeader(header);
}
