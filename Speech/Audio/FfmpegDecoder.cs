using System.Diagnostics;

namespace QualityScan.Speech.Audio;

/// <summary>
/// Decodes compressed recordings (mp3, ogg/opus, flac, m4a, ...) and WAV codecs the built-in reader
/// does not handle by running the <c>ffmpeg</c> program and reading 32-bit float samples from its output.
/// </summary>
/// <remarks>
/// <para>ffmpeg writes the samples as a WAV stream (<c>pcm_f32le</c> in a RIFF header) to its
/// standard output. The header tells the channel count and sample rate, and because it comes
/// from the same process that produces the samples it cannot disagree with them, as a separate
/// <c>ffprobe</c> run could (a different stream chosen, a layout change mid-file); no human-readable
/// output is parsed and <c>ffprobe</c> is not needed. The first audio stream is decoded, with its
/// own channels and, unless a rate is asked for, its own sample rate.</para>
/// <para>Standard error is drained concurrently so a chatty ffmpeg cannot block; on failure its last
/// line becomes the reason of the <see cref="UnsupportedAudioException"/>. Cancelling kills the process.</para>
/// <para>Instances hold no state beyond the configured program path and are safe to share across threads.</para>
/// </remarks>
public sealed class FfmpegDecoder
{
    private const string InstallHint = "install it (Debian: apt-get install ffmpeg)";

    private readonly string? _configuredPath;
    private readonly string? _searchPath;

    /// <summary>Uses the <c>ffmpeg</c> found on the PATH at the time of each decode.</summary>
    public FfmpegDecoder()
        : this(null)
    {
    }

    /// <summary>Uses the ffmpeg program at <paramref name="ffmpegPath"/>, or the one on the PATH when null.</summary>
    public FfmpegDecoder(string? ffmpegPath)
        : this(ffmpegPath, searchPath: null)
    {
    }

    /// <summary>For tests: looks for ffmpeg in <paramref name="searchPath"/> (PATH syntax) instead of the process PATH.</summary>
    internal FfmpegDecoder(string? ffmpegPath, string? searchPath)
    {
        if (ffmpegPath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ffmpegPath);
        }

        _configuredPath = ffmpegPath;
        _searchPath = searchPath;
    }

    /// <summary>True when an ffmpeg program is available to this decoder.</summary>
    public bool IsAvailable => ResolveProgram() is not null;

    /// <summary>Decodes <paramref name="path"/> keeping its channels and sample rate.</summary>
    /// <exception cref="UnsupportedAudioException">ffmpeg is missing or cannot decode the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public AudioData Decode(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return DecodeCore(path, null, null, cancellationToken);
    }

    /// <summary>Decodes <paramref name="path"/> keeping its channels, resampled by ffmpeg to <paramref name="outputSampleRate"/>.</summary>
    /// <exception cref="UnsupportedAudioException">ffmpeg is missing or cannot decode the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public AudioData Decode(string path, int outputSampleRate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSampleRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputSampleRate, WavReader.MaxSampleRate);
        return DecodeCore(path, outputSampleRate, null, cancellationToken);
    }

    /// <summary>
    /// Decodes with ffmpeg; <paramref name="why"/> describes what needs ffmpeg in the "not installed"
    /// message (".wav files using GSM 6.10 ..."); by default the file's extension.
    /// </summary>
    internal AudioData DecodeCore(string path, int? outputSampleRate, string? why, CancellationToken cancellationToken) =>
        DecodeTracksCore(path, outputSampleRate, why, pcm16: false, cancellationToken).ToAudioData();

    /// <summary>As <see cref="DecodeCore"/>, keeping the channels as tracks: 16-bit ones with <paramref name="pcm16"/> (half the memory of floats).</summary>
    internal AudioTracks DecodeTracksCore(string path, int? outputSampleRate, string? why, bool pcm16, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string extension = Path.GetExtension(path).ToLowerInvariant();
        why ??= extension.Length > 0 ? $"{extension} files" : "files without a known extension";

        string? program = ResolveProgram();
        if (program is null)
        {
            string reason = _configuredPath is null
                ? $"ffmpeg is needed to decode {why}; {InstallHint}"
                : $"ffmpeg is needed to decode {why} but was not found at '{_configuredPath}'; {InstallHint} or correct the configured path";
            throw new UnsupportedAudioException(path, reason) { Problem = AudioProblem.NeedsFfmpeg };
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UnsupportedAudioException(path, "file not found") { Problem = AudioProblem.NotFound };
        }

        if (info.Length == 0)
        {
            throw new UnsupportedAudioException(path, "empty file") { Problem = AudioProblem.EmptyFile };
        }

        return Run(program, info.FullName, path, outputSampleRate, pcm16, cancellationToken);
    }

    private static AudioTracks Run(string program, string fullPath, string path, int? outputSampleRate, bool pcm16, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in BuildArguments(fullPath, outputSampleRate))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new UnsupportedAudioException(path, $"cannot start ffmpeg ({program}): {ex.Message}", ex) { Problem = AudioProblem.NeedsFfmpeg };
        }

        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var killOnCancel = cancellationToken.Register(() => Kill(process));

        AudioTracks? audio = null;
        UnsupportedAudioException? readError = null;
        bool finished = false;
        try
        {
            try
            {
                audio = WavReader.TryReadTracks(process.StandardOutput.BaseStream, path, MaxDecodedBytes(new FileInfo(fullPath).Length), out _, null, pcm16);
            }
            catch (UnsupportedAudioException ex)
            {
                readError = ex;
            }

            // Drain what is left so ffmpeg never blocks on a full pipe, and let it report its own exit.
            process.StandardOutput.BaseStream.CopyTo(Stream.Null);
            process.WaitForExit();
            finished = true;
        }
        finally
        {
            if (!finished)
            {
                Kill(process);
            }
        }

        string errorText = stderr.GetAwaiter().GetResult().Replace("file:" + fullPath, fullPath, StringComparison.Ordinal);
        cancellationToken.ThrowIfCancellationRequested();

        if (process.ExitCode != 0)
        {
            throw new UnsupportedAudioException(path, $"ffmpeg could not decode the file: {Explain(errorText, process.ExitCode)}", readError);
        }

        if (readError is not null)
        {
            throw readError;
        }

        return audio ?? throw new UnsupportedAudioException(path, "ffmpeg produced output that could not be read");
    }

    /// <summary>
    /// The demuxers ffmpeg may use: containers of one self-contained recording. Playlists and containers that
    /// pull in other files (hls, concat, ffconcat, image2, dash, ...) are not among them.
    /// </summary>
    internal static IReadOnlyList<string> AllowedDemuxers { get; } =
        ["wav", "w64", "mp3", "ogg", "flac", "mov", "aac", "asf", "amr", "amrnb", "amrwb", "aiff", "au", "matroska", "gsm", "caf"];

    /// <summary>
    /// Most decoded bytes (32-bit float samples) accepted from a file of <paramref name="fileBytes"/> bytes: 1024 times
    /// its size (6 kbit/s Opus decoded at 48 kHz stereo is about 500 times), and at least 256 MB, so a small file that
    /// claims hours of audio cannot take the machine's memory.
    /// </summary>
    internal static long MaxDecodedBytes(long fileBytes) => Math.Max(256L << 20, fileBytes * 1024);

    /// <summary>The ffmpeg command line: first audio stream only, float samples in a WAV stream on stdout.</summary>
    internal static IReadOnlyList<string> BuildArguments(string fullPath, int? outputSampleRate)
    {
        var arguments = new List<string>
        {
            "-nostdin", "-hide_banner", "-loglevel", "error",
            // Read that one file and nothing else: only the file protocol, and only demuxers of self-contained audio
            // files. A playlist (HLS, concat, ffconcat) saved as x.mp3 would otherwise make ffmpeg read whatever local
            // files it names.
            "-protocol_whitelist", "file",
            "-format_whitelist", string.Join(',', AllowedDemuxers),
            // The file: protocol keeps a name like "http:..." or "pipe:..." from being taken as a URL.
            "-i", "file:" + fullPath,
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1",
        };
        if (outputSampleRate is { } rate)
        {
            arguments.Add("-ar");
            arguments.Add(rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        arguments.AddRange(["-acodec", "pcm_f32le", "-f", "wav", "-"]);
        return arguments;
    }

    /// <summary>The last line ffmpeg wrote to standard error, in words a user can act on.</summary>
    internal static string Explain(string errorText, int exitCode)
    {
        string[] lines = errorText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return $"ffmpeg exited with code {exitCode}";
        }

        var refused = lines.FirstOrDefault(line => line.Contains("not on whitelist", StringComparison.Ordinal));
        if (refused is not null)
        {
            var format = refused.StartsWith('[') && refused.IndexOf(" @", StringComparison.Ordinal) is > 1 and var at ? refused[1..at] : "other";
            return $"the file is a {format} file, not a recording (a playlist or a container that refers to other files is not read)";
        }

        // "-map 0:a:0" fails on files without sound; ffmpeg's own last line then only talks about the map option.
        return lines.Any(line => line.Contains("matches no streams", StringComparison.Ordinal))
            ? "no audio stream in the file"
            : lines[^1];
    }

    private string? ResolveProgram()
    {
        if (_configuredPath is not null)
        {
            return File.Exists(_configuredPath) ? _configuredPath : null;
        }

        return FindOnPath("ffmpeg", _searchPath ?? Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>The full path of <paramref name="program"/> in the directories of <paramref name="searchPath"/>, or null.</summary>
    internal static string? FindOnPath(string program, string? searchPath)
    {
        if (string.IsNullOrEmpty(searchPath))
        {
            return null;
        }

        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program] : [program];
        foreach (string directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(directory.Trim('"'), name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while we tried; nothing left to stop.
        }
    }
}
