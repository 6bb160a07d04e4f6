using System.Diagnostics;
using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class FfmpegDecoderTests
{
    private static string MakeWithFfmpeg(TempDirectory directory, byte[] wav, string outputName, params string[] codecArguments)
    {
        string ffmpeg = ExternalTools.Require("ffmpeg", "ffmpeg");
        string source = directory.Write("source.wav", wav);
        string output = directory.File(outputName);
        ExternalTools.Run(ffmpeg, ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", source, .. codecArguments, output]);
        return output;
    }

    [TestCase("call.mp3", "libmp3lame")]
    [TestCase("call.m4a", "aac")]
    [Category("ffmpeg")]
    public void Decode_LossyStereo_KeepsChannelsRateDurationAndTones(string name, string encoder)
    {
        using var directory = new TempDirectory();
        float[] left = Signals.Sine(440, 44100, 2.0);
        float[] right = Signals.Sine(1000, 44100, 2.0);
        string path = MakeWithFfmpeg(directory, WavBuilder.Pcm16(44100, left, right), name, "-c:a", encoder, "-b:a", "128k");

        var audio = new FfmpegDecoder().Decode(path);

        Assert.That(audio.Channels, Has.Count.EqualTo(2));
        Assert.That(audio.SampleRate, Is.EqualTo(44100));
        Assert.That(audio.DurationSeconds, Is.EqualTo(2.0).Within(0.06), "encoder delay and padding are trimmed or small");
        var middle = new Range(22050, 66150);
        float[] decodedLeft = audio.Channels[0][middle];
        float[] decodedRight = audio.Channels[1][middle];
        Assert.That(Signals.ToneAmplitude(decodedLeft, 440, 44100), Is.EqualTo(0.5).Within(0.05), "left keeps its 440 Hz tone");
        Assert.That(Signals.ToneAmplitude(decodedLeft, 1000, 44100), Is.LessThan(0.01), "the right channel does not leak into the left");
        Assert.That(Signals.ToneAmplitude(decodedRight, 1000, 44100), Is.EqualTo(0.5).Within(0.05), "right keeps its 1 kHz tone");
    }

    [Test]
    [Category("ffmpeg")]
    public void Decode_Flac_IsSampleExact()
    {
        using var directory = new TempDirectory();
        float[] tone = Signals.Sine(440, 8000, 1.0, amplitude: 0.7);
        byte[] wav = WavBuilder.Pcm16(8000, tone);
        string path = MakeWithFfmpeg(directory, wav, "call.flac");

        var audio = new FfmpegDecoder().Decode(path);

        Assert.That(audio.SampleRate, Is.EqualTo(8000));
        Assert.That(audio.Channels[0], Is.EqualTo(WavReader.Read(new MemoryStream(wav), "source.wav").Channels[0]), "FLAC is lossless");
    }

    [Test]
    [Category("ffmpeg")]
    public void DecodeTracks_StereoFlacAt8k_HoldsIts16BitSamplesAndReadsWhatTheFloatDecodeGives()
    {
        using var directory = new TempDirectory();
        byte[] wav = WavBuilder.Pcm16(8000, Signals.Sine(440, 8000, 3.0, amplitude: 0.7), Signals.Noise(24000, -20, seed: 5));
        string path = MakeWithFfmpeg(directory, wav, "call.flac");
        var decoder = new AudioDecoder();

        var floats = decoder.Decode(path, 16000);
        var tracks = decoder.DecodeTracks(path, 16000);

        Assert.That((tracks.SampleRate, tracks.FrameCount), Is.EqualTo((16000, floats.FrameCount)));
        Assert.That(tracks.Channels.Select(c => c.MemoryBytes), Is.All.EqualTo(24000 * 2), "ffmpeg's output is kept as 16-bit samples at 8 kHz");
        Assert.That(tracks.Channels.Select(c => c.ToArray()), Is.EqualTo(floats.Channels), "and read as exactly the samples of the float decode");
    }

    [Test]
    [Category("ffmpeg")]
    public void Decode_WithOutputRate_ResamplesInFfmpeg()
    {
        using var directory = new TempDirectory();
        string path = MakeWithFfmpeg(directory, WavBuilder.Pcm16(8000, Signals.Sine(440, 8000, 1.0)), "call.flac");

        var audio = new FfmpegDecoder().Decode(path, 16000);

        Assert.That((audio.SampleRate, audio.FrameCount), Is.EqualTo((16000, 16000)));
    }

    [Test]
    [Category("ffmpeg")]
    public void Decode_GarbageMp3_NamesFileAndFfmpegReason()
    {
        ExternalTools.Require("ffmpeg", "ffmpeg");
        using var directory = new TempDirectory();
        string path = directory.Write("garbage.mp3", "this is a text file, not a recording\n"u8.ToArray());

        var error = Assert.Throws<UnsupportedAudioException>(() => new FfmpegDecoder().Decode(path))!;

        Assert.That(error.Path, Is.EqualTo(path));
        Assert.That(error.Reason, Does.StartWith("ffmpeg could not decode the file: ").And.Contain("garbage.mp3"));
        Assert.That(error.Reason, Does.Not.Contain("file:/"), "the internal protocol prefix is not shown to users");
    }

    [Test]
    [Category("ffmpeg")]
    public void Decode_VideoWithoutAudio_SaysThereIsNoAudioStream()
    {
        string ffmpeg = ExternalTools.Require("ffmpeg", "ffmpeg");
        using var directory = new TempDirectory();
        string path = directory.File("screen.mp4");
        ExternalTools.Run(ffmpeg, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=gray:s=32x32:d=0.2", "-c:v", "mpeg4", path);

        var error = Assert.Throws<UnsupportedAudioException>(() => new FfmpegDecoder().Decode(path))!;

        Assert.That(error.Reason, Does.Contain("no audio stream"));
    }

    [Test]
    public void Decode_FfmpegNotInstalled_SaysHowToInstall()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.mp3", [1, 2, 3]);
        var decoder = new FfmpegDecoder(null, searchPath: directory.Path);

        var error = Assert.Throws<UnsupportedAudioException>(() => decoder.Decode(path))!;

        Assert.That(decoder.IsAvailable, Is.False);
        Assert.That(error.Reason, Is.EqualTo("ffmpeg is needed to decode .mp3 files; install it (Debian: apt-get install ffmpeg)"));
    }

    [Test]
    public void Decode_ConfiguredFfmpegMissing_NamesTheConfiguredPath()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.ogg", [1, 2, 3]);
        string configured = directory.File("tools/ffmpeg");

        var error = Assert.Throws<UnsupportedAudioException>(() => new FfmpegDecoder(configured).Decode(path))!;

        Assert.That(error.Reason, Does.StartWith("ffmpeg is needed to decode .ogg files").And.Contain(configured));
    }

    [Test]
    public void Decode_FfmpegFails_ReportsItsLastErrorLine()
    {
        using var directory = new TempDirectory();
        string ffmpeg = ExternalTools.WriteScript(directory, "ffmpeg", "echo 'some warning' >&2\necho 'call.amr: Invalid data found when processing input' >&2\nexit 1");
        string path = directory.Write("call.amr", [1, 2, 3]);

        var error = Assert.Throws<UnsupportedAudioException>(() => new FfmpegDecoder(ffmpeg).Decode(path))!;

        Assert.That(error.Reason, Is.EqualTo("ffmpeg could not decode the file: call.amr: Invalid data found when processing input"));
    }

    [Test]
    public void Decode_FfmpegFloodsStandardError_DoesNotDeadlock()
    {
        using var directory = new TempDirectory();
        string wav = directory.Write("out.wav", WavBuilder.Pcm16(8000, Signals.Sine(440, 8000, 3)));
        string ffmpeg = ExternalTools.WriteScript(directory, "ffmpeg", $"yes 'warning: something odd in the stream' | head -c 3000000 >&2\ncat '{wav}'");
        string path = directory.Write("call.mp3", [1, 2, 3]);

        var decode = Task.Run(() => new FfmpegDecoder(ffmpeg).Decode(path));

        Assert.That(decode.Wait(TimeSpan.FromSeconds(30)), Is.True, "stdout and stderr must be drained concurrently");
        Assert.That(decode.Result.FrameCount, Is.EqualTo(24000));
    }

    [Test]
    public void Decode_Cancelled_KillsFfmpegPromptly()
    {
        using var directory = new TempDirectory();
        string pidFile = directory.File("pid");
        string ffmpeg = ExternalTools.WriteScript(directory, "ffmpeg", $"echo $$ > '{pidFile}'\nexec sleep 60");
        string path = directory.Write("call.mp3", [1, 2, 3]);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        Assert.That(() => new FfmpegDecoder(ffmpeg).Decode(path, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the ffmpeg process must not outlive the cancelled decode");
    }

    [Test]
    public void Decode_AlreadyCancelled_DoesNotStartFfmpeg()
    {
        using var directory = new TempDirectory();
        string marker = directory.File("started");
        string ffmpeg = ExternalTools.WriteScript(directory, "ffmpeg", $"touch '{marker}'");
        string path = directory.Write("call.mp3", [1, 2, 3]);

        Assert.That(() => new FfmpegDecoder(ffmpeg).Decode(path, new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(File.Exists(marker), Is.False);
    }

    [Test]
    public void BuildArguments_ReadsOnlyTheFileAndWritesFloatWavToStdout()
    {
        var arguments = FfmpegDecoder.BuildArguments("/calls/-odd name.mp3", 16000);

        Assert.That(arguments, Does.Contain("-nostdin"));
        Assert.That(string.Join(' ', arguments), Does.Contain("-protocol_whitelist file -format_whitelist wav,").And.Not.Contain("hls").And.Not.Contain("concat"));
        Assert.That(arguments, Does.Contain("file:/calls/-odd name.mp3"), "a name is never taken as an option or a URL");
        Assert.That(string.Join(' ', arguments), Does.Contain("-map 0:a:0").And.Contain("-ar 16000").And.EndWith("-acodec pcm_f32le -f wav -"));
        Assert.That(FfmpegDecoder.BuildArguments("/calls/a.mp3", null), Does.Not.Contain("-ar"), "the source rate is kept unless asked");
    }

    [TestCase("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:3,\n{0}\n#EXT-X-ENDLIST\n", "hls")]
    [TestCase("ffconcat version 1.0\nfile '{0}'\n", "concat")]
    [Category("ffmpeg")]
    public void Decode_PlaylistSavedAsMp3_RefusedWithoutReadingTheFilesItNames(string playlist, string format)
    {
        using var directory = new TempDirectory();
        string secret = MakeWithFfmpeg(directory, WavBuilder.Pcm16(8000, Signals.Sine(440, 8000, 3.0)), "secret.aac", "-c:a", "aac");
        string path = directory.Write("call.mp3", System.Text.Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, playlist, secret)));

        var ex = Assert.Throws<UnsupportedAudioException>(() => new AudioDecoder().Decode(path));

        Assert.That(ex!.Message, Does.Contain("call.mp3").And.Contain(format).And.Contain("not a recording"));
    }

    [Test]
    public void Decode_GuardsArguments()
    {
        var decoder = new FfmpegDecoder();

        Assert.Throws<ArgumentNullException>(() => decoder.Decode(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Decode("a.mp3", 0));
        Assert.Throws<ArgumentException>(() => _ = new FfmpegDecoder(" "));
    }
}
