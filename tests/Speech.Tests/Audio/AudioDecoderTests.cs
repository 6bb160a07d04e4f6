using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class AudioDecoderTests
{
    private static AudioDecoder WithoutFfmpeg(TempDirectory directory) => new(new FfmpegDecoder(null, searchPath: directory.Path));

    [Test]
    public void Decode_Wav_UsesBuiltInReaderWithoutFfmpeg()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.wav", WavBuilder.Pcm16(8000, Signals.Sine(440, 8000, 0.5), Signals.Sine(440, 8000, 0.5)));

        var audio = WithoutFfmpeg(directory).Decode(path);

        Assert.That((audio.SampleRate, audio.Channels.Count, audio.FrameCount), Is.EqualTo((8000, 2, 4000)));
    }

    [Test]
    public void DecodeTracks_SixteenBitWavAtTheModelRate_SameSamplesAsTheFloatDecode()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.wav", WavBuilder.Pcm16(16000, Signals.Sine(440, 16000, 0.5), Signals.Noise(8000, -20, seed: 3)));
        var decoder = WithoutFfmpeg(directory);

        var floats = decoder.Decode(path, 16000);
        var tracks = decoder.DecodeTracks(path, 16000);

        Assert.That(tracks.Channels.Select(c => c.IsPcm16), Is.All.True);
        Assert.That(tracks.Channels.Select(c => c.ToArray()), Is.EqualTo(floats.Channels), "16-bit samples are kept exactly");
    }

    [Test]
    public void DecodeTracks_ALawAt8k_ReadsExactlyTheFloatDecodeFromHalfTheSamples()
    {
        using var directory = new TempDirectory();
        float[][] channels = [Signals.Sine(440, 8000, 0.5), Signals.Noise(4000, -20, seed: 4)];
        string path = directory.Write("call.wav", new WavBuilder().Fmt(WavBuilder.ALaw, 2, 8000, 8).Data(Samples.InterleaveALaw(channels)).ToArray());
        var decoder = WithoutFfmpeg(directory);

        var floats = decoder.Decode(path, 16000);
        var tracks = decoder.DecodeTracks(path, 16000);

        Assert.That((tracks.SampleRate, tracks.FrameCount), Is.EqualTo((16000, floats.FrameCount)));
        Assert.That(tracks.Channels.Select(c => c.MemoryBytes), Is.All.EqualTo(4000 * 2), "the 8 kHz samples are held, 16 bits each");
        Assert.That(tracks.Channels.Select(c => c.ToArray()), Is.EqualTo(floats.Channels), "an 8 kHz call is transcribed from exactly the samples it was before");
    }

    [Test]
    public void Decode_RiffContentUnderAnotherExtension_IsReadAsWav()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call-0001.rec", WavBuilder.Pcm16(8000, Signals.Sine(440, 8000, 0.1)));

        Assert.That(WithoutFfmpeg(directory).Decode(path).FrameCount, Is.EqualTo(800), "content decides, not the name");
    }

    [Test]
    public void Decode_UnknownExtension_SaysUnknownFormat()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.xyz", [1, 2, 3, 4, 5]);

        var error = Assert.Throws<UnsupportedAudioException>(() => WithoutFfmpeg(directory).Decode(path))!;

        Assert.That(error.Reason, Does.StartWith("unknown audio format '.xyz'"));
    }

    [Test]
    public void Decode_NoExtensionAndNoRiffHeader_SaysUnknownFormat()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call", [1, 2, 3, 4, 5]);

        var error = Assert.Throws<UnsupportedAudioException>(() => WithoutFfmpeg(directory).Decode(path))!;

        Assert.That(error.Reason, Does.StartWith("unknown audio format"));
    }

    [TestCase("call.wav")]
    [TestCase("call.mp3")]
    [TestCase("call.xyz")]
    public void Decode_EmptyFile_SaysEmpty(string name)
    {
        using var directory = new TempDirectory();
        string path = directory.Write(name, []);

        var error = Assert.Throws<UnsupportedAudioException>(() => new AudioDecoder().Decode(path))!;

        Assert.That(error.Reason, Is.EqualTo("empty file"));
    }

    [Test]
    public void Decode_TextFileNamedWav_IsNotRiffWave()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("notes.wav", "Rozmowa z klientem, reklamacja\n"u8.ToArray());

        var error = Assert.Throws<UnsupportedAudioException>(() => new AudioDecoder().Decode(path))!;

        Assert.That((error.Path, error.Reason), Is.EqualTo((path, "not a RIFF/WAVE file")));
    }

    [Test]
    public void Decode_Mp3WithoutFfmpeg_SaysHowToInstall()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.MP3", [0xFF, 0xFB, 0x90, 0x00]);

        var error = Assert.Throws<UnsupportedAudioException>(() => WithoutFfmpeg(directory).Decode(path))!;

        Assert.That(error.Reason, Is.EqualTo("ffmpeg is needed to decode .mp3 files; install it (Debian: apt-get install ffmpeg)"));
    }

    [Test]
    public void Decode_GsmWavWithoutFfmpeg_NamesTheCodecThatNeedsFfmpeg()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.wav", new WavBuilder().Fmt(0x0031, 1, 8000, 0, blockAlign: 65).Data(new byte[65]).ToArray());

        var error = Assert.Throws<UnsupportedAudioException>(() => WithoutFfmpeg(directory).Decode(path))!;

        Assert.That(error.Reason, Is.EqualTo("ffmpeg is needed to decode WAV files using GSM 6.10 (format 0x0031); install it (Debian: apt-get install ffmpeg)"));
    }

    [Test]
    public void Decode_MissingFile_SaysFileNotFound()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<UnsupportedAudioException>(() => new AudioDecoder().Decode(directory.File("gone.wav")))!;

        Assert.That(error.Reason, Is.EqualTo("file not found"));
    }

    [Test]
    public void Decode_FifoNamedLikeARecording_RefusedAtOnceInsteadOfWaitingForAWriter()
    {
        using var directory = new TempDirectory();
        var fifo = directory.File("call.wav");
        using (var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
        }

        var decoding = Task.Run(() => new AudioDecoder().Decode(fifo));

        Assert.That(Task.WhenAny(decoding, Task.Delay(TimeSpan.FromSeconds(20))).Result, Is.SameAs(decoding), "opening a FIFO for reading would block until something writes into it");
        var error = (UnsupportedAudioException)decoding.Exception!.InnerException!;
        Assert.That(error.Reason, Is.EqualTo("is not a regular file (a pipe, socket or device), not a recording"));
    }

    [Test]
    public void Decode_Folder_SaysItIsAFolder()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.File("call.wav"));

        var error = Assert.Throws<UnsupportedAudioException>(() => new AudioDecoder().Decode(directory.File("call.wav")))!;

        Assert.That(error.Reason, Is.EqualTo("is a folder, not a recording"));
    }

    [Test]
    public void Decode_AlreadyCancelled_Throws()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.wav", WavBuilder.Pcm16(8000, new float[8]));

        Assert.That(() => new AudioDecoder().Decode(path, new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [Category("ffmpeg")]
    public void Decode_AdpcmWav_IsHandedToFfmpeg()
    {
        string ffmpeg = ExternalTools.Require("ffmpeg", "ffmpeg");
        using var directory = new TempDirectory();
        string source = directory.Write("source.wav", WavBuilder.Pcm16(8000, Signals.Sine(1000, 8000, 1.0)));
        string path = directory.File("call.wav");
        ExternalTools.Run(ffmpeg, "-nostdin", "-loglevel", "error", "-i", source, "-c:a", "adpcm_ms", path);

        var audio = new AudioDecoder().Decode(path);

        Assert.That(audio.SampleRate, Is.EqualTo(8000));
        Assert.That(audio.DurationSeconds, Is.EqualTo(1.0).Within(0.05));
        Assert.That(Signals.ToneAmplitude(audio.Channels[0][1000..7000], 1000, 8000), Is.EqualTo(0.5).Within(0.05));
    }

    [Test]
    [Category("ffmpeg")]
    public void Decode_Mp3_IsHandedToFfmpeg()
    {
        string ffmpeg = ExternalTools.Require("ffmpeg", "ffmpeg");
        using var directory = new TempDirectory();
        string source = directory.Write("source.wav", WavBuilder.Pcm16(16000, Signals.Sine(440, 16000, 1.0)));
        string path = directory.File("call.mp3");
        ExternalTools.Run(ffmpeg, "-nostdin", "-loglevel", "error", "-i", source, "-c:a", "libmp3lame", path);

        var audio = new AudioDecoder().Decode(path);

        Assert.That((audio.SampleRate, audio.Channels.Count), Is.EqualTo((16000, 1)));
        Assert.That(Signals.ZeroCrossingFrequency(audio.Channels[0][2000..14000], 16000), Is.EqualTo(440).Within(2));
    }

    [Test]
    public void SupportedExtensions_AreLowerCaseWithDotAndCoverCommonCallFormats()
    {
        Assert.That(AudioDecoder.SupportedExtensions, Is.SupersetOf(new[] { ".wav", ".mp3", ".ogg", ".opus", ".flac", ".m4a" }));
        Assert.That(AudioDecoder.SupportedExtensions, Has.All.Matches<string>(e => e.StartsWith('.') && e == e.ToLowerInvariant()));
        Assert.That(AudioDecoder.SupportedExtensions, Is.Unique);
    }

    [Test]
    public void Decode_GuardsArguments()
    {
        Assert.Throws<ArgumentException>(() => new AudioDecoder().Decode(""));
        Assert.Throws<ArgumentNullException>(() => _ = new AudioDecoder(null!));
    }
}
