namespace QualityScan.Speech.Audio;

/// <summary>
/// The pipeline's way into a recording: decodes a file of any supported format to <see cref="AudioData"/>.
/// </summary>
/// <remarks>
/// <para>The content decides first: a file that starts with a RIFF/WAVE header is read by
/// <see cref="WavReader"/> whatever its extension, and handed to ffmpeg only when its codec needs
/// it (GSM 6.10, ADPCM, MP3 in WAV, RF64). Other files are handed to <see cref="FfmpegDecoder"/> when
/// their extension is one of <see cref="SupportedExtensions"/>; anything else is rejected
/// as an unknown format rather than guessed at.</para>
/// <para>Every failure, including a missing or unreadable file, is an
/// <see cref="UnsupportedAudioException"/> naming the file, so one bad recording can become one
/// error row in a batch. Safe to share across threads.</para>
/// </remarks>
public sealed class AudioDecoder
{
    private static readonly string[] WaveExtensions = [".wav", ".wave"];

    private static readonly string[] FfmpegExtensions =
    [
        ".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".mp4", ".aac", ".wma", ".amr", ".aif", ".aiff", ".au", ".webm",
    ];

    private readonly FfmpegDecoder _ffmpeg;

    /// <summary>Uses ffmpeg from the PATH for compressed formats.</summary>
    public AudioDecoder()
        : this(new FfmpegDecoder())
    {
    }

    /// <summary>Uses <paramref name="ffmpeg"/> for compressed formats.</summary>
    public AudioDecoder(FfmpegDecoder ffmpeg)
    {
        ArgumentNullException.ThrowIfNull(ffmpeg);
        _ffmpeg = ffmpeg;
    }

    /// <summary>File extensions (lower case, with the dot) this decoder accepts; all but .wav/.wave need ffmpeg.</summary>
    public static IReadOnlyCollection<string> SupportedExtensions { get; } = [.. WaveExtensions, .. FfmpegExtensions];

    /// <summary>Decodes the recording at <paramref name="path"/> with its own channels and sample rate.</summary>
    /// <exception cref="UnsupportedAudioException">The file is missing, empty, malformed, of an unknown format, or needs ffmpeg which is missing or fails.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public AudioData Decode(string path, CancellationToken cancellationToken = default) => Decode(path, null, cancellationToken);

    /// <summary>
    /// Decodes the recording at <paramref name="path"/> resampled to <paramref name="sampleRate"/> (its own rate when
    /// null). A WAV file is decoded and resampled block by block, so a long call is never held at both rates at once.
    /// </summary>
    /// <exception cref="UnsupportedAudioException">The file is missing, empty, malformed, implausible, of an unknown format, or needs ffmpeg which is missing or fails.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public AudioData Decode(string path, int? sampleRate, CancellationToken cancellationToken = default)
    {
        var tracks = DecodeCore(path, sampleRate, pcm16: false, cancellationToken);
        var audio = tracks.ToAudioData();
        return sampleRate is { } rate ? Resampler.Resample(audio, rate) : audio;
    }

    /// <summary>
    /// Decodes the recording at <paramref name="path"/> into 16-bit tracks read at <paramref name="sampleRate"/>, the
    /// compact form a scan holds a call in (see <see cref="SampleTrack"/>): a recording at a lower rate keeps its own
    /// samples and is resampled when read (a quarter of the memory of 16 kHz floats for 8 kHz), others are resampled
    /// now (half). A WAV file is decoded block by block straight into them, so no float copy of the whole call is made.
    /// </summary>
    /// <exception cref="UnsupportedAudioException">The file is missing, empty, malformed, implausible, of an unknown format, or needs ffmpeg which is missing or fails.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public AudioTracks DecodeTracks(string path, int sampleRate, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return DecodeTracksCore(path, sampleRate, cancellationToken);
    }

    /// <summary>Decodes the recording at <paramref name="path"/> at its own rate into 16-bit tracks (for cutting clips of a long call).</summary>
    /// <exception cref="UnsupportedAudioException">The file is missing, empty, malformed, implausible, of an unknown format, or needs ffmpeg which is missing or fails.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public AudioTracks DecodeTracks(string path, CancellationToken cancellationToken = default) => DecodeTracksCore(path, null, cancellationToken);

    private AudioTracks DecodeTracksCore(string path, int? sampleRate, CancellationToken cancellationToken)
    {
        // A WAV file comes back as asked; a pipe from ffmpeg at its own rate.
        var tracks = DecodeCore(path, sampleRate, pcm16: true, cancellationToken);
        int rate = sampleRate ?? tracks.SampleRate;
        if (tracks.SampleRate == rate && tracks.Channels.All(c => c.IsPcm16))
        {
            return tracks;
        }

        return tracks.SampleRate < rate && tracks.Channels.All(c => c.Pcm16 is not null) ? tracks.ReadAt(rate) : AudioTracks.Compact(tracks, rate);
    }

    private AudioTracks DecodeCore(string path, int? sampleRate, bool pcm16, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();

        string extension = Path.GetExtension(path).ToLowerInvariant();
        string? ffmpegReason;
        using (var stream = AudioFiles.OpenRead(path))
        {
            if (stream.Length == 0)
            {
                throw new UnsupportedAudioException(path, "empty file") { Problem = AudioProblem.EmptyFile };
            }

            Span<byte> header = stackalloc byte[12];
            int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            stream.Position = 0;

            if (WavReader.HasWaveHeader(header[..got]) || WaveExtensions.Contains(extension))
            {
                var audio = WavReader.TryReadTracks(stream, path, long.MaxValue, out string? codec, sampleRate, pcm16);
                if (audio is not null)
                {
                    return audio;
                }

                ffmpegReason = $"WAV files using {codec}";
            }
            else if (FfmpegExtensions.Contains(extension))
            {
                ffmpegReason = null;
            }
            else
            {
                throw new UnsupportedAudioException(
                    path,
                    extension.Length > 0
                        ? $"unknown audio format '{extension}' (supported: {string.Join(' ', SupportedExtensions)})"
                        : "unknown audio format: the file name has no extension and the content is not RIFF/WAVE");
            }
        }

        return _ffmpeg.DecodeTracksCore(path, null, ffmpegReason, pcm16, cancellationToken);
    }
}
