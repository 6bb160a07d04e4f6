using System.Buffers.Binary;
using System.Text;
using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class WavReaderTests
{
    private const string Name = "call-0001.wav";

    private static AudioData Read(byte[] bytes) => WavReader.Read(new MemoryStream(bytes), Name);

    private static AudioData ReadPiped(byte[] bytes) => WavReader.Read(new PipeLikeStream(new MemoryStream(bytes)), Name);

    private static UnsupportedAudioException ReadFails(byte[] bytes) =>
        Assert.Throws<UnsupportedAudioException>(() => Read(bytes))!;

    private static byte[] Int16Bytes(params short[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return bytes;
    }

    [Test]
    public void Read_Pcm16Mono_ScalesToUnitRange()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data(Int16Bytes(0, 16384, -32768, 32767, -1)).ToArray();

        var audio = Read(wav);

        Assert.That(audio.SampleRate, Is.EqualTo(8000));
        Assert.That(audio.Channels, Has.Count.EqualTo(1));
        Assert.That(audio.Channels[0], Is.EqualTo(new[] { 0f, 0.5f, -1f, 32767f / 32768, -1f / 32768 }));
    }

    [Test]
    public void Read_Pcm16Stereo_DeinterleavesLeftThenRight()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 2, 8000, 16).Data(Int16Bytes(100, -200, 300, -400, 500, -600)).ToArray();

        var audio = Read(wav);

        Assert.That(audio.Channels[0], Is.EqualTo(new[] { 100f / 32768, 300f / 32768, 500f / 32768 }), "left = channel 0");
        Assert.That(audio.Channels[1], Is.EqualTo(new[] { -200f / 32768, -400f / 32768, -600f / 32768 }), "right = channel 1");
        Assert.That(audio.DurationSeconds, Is.EqualTo(3.0 / 8000));
    }

    [Test]
    public void Read_Pcm8_IsUnsignedAroundMidpoint128()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 8).Data([128, 0, 255, 192]).ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { 0f, -1f, 127f / 128, 0.5f }));
    }

    [Test]
    public void Read_Pcm24_SignExtendsThreeByteSamples()
    {
        byte[] data = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x40, 0xFF, 0xFF, 0xFF];
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 48000, 24).Data(data).ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { -1f, 8_388_607f / 8_388_608, 0.5f, -1f / 8_388_608 }));
    }

    [Test]
    public void Read_Pcm32_ScalesFullRange()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(data, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), 1 << 30);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), -(1 << 29));
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 44100, 32).Data(data).ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { -1f, 0.5f, -0.25f }));
    }

    [Test]
    public void Read_Float32_KeepsValuesClipsOverloadAndZeroesNaN()
    {
        float[] values = [0.25f, -0.75f, 1.5f, float.NaN, float.NegativeInfinity];
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Float, 1, 16000, 32).Data(Samples.InterleaveFloat32([values])).ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { 0.25f, -0.75f, 1f, 0f, -1f }), "later stages rely on samples in [-1, 1]");
    }

    [Test]
    public void Read_Float64_ConvertsToFloat()
    {
        float[] values = [0.125f, -0.5f, 0.999f];
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Float, 1, 16000, 64).Data(Samples.InterleaveFloat64([values])).ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(values));
    }

    [TestCase((byte)0xFF, 0)]
    [TestCase((byte)0x7F, 0)]
    [TestCase((byte)0x00, -32124)]
    [TestCase((byte)0x80, 32124)]
    [TestCase((byte)0xFE, 8)]
    [TestCase((byte)0x7E, -8)]
    public void Read_MuLaw_DecodesItuCodePoints(byte code, int expected)
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.MuLaw, 1, 8000, 8).Data([code, code]).ToArray();

        Assert.That(Read(wav).Channels[0][0], Is.EqualTo(expected / 32768f));
    }

    [TestCase((byte)0xD5, 8)]
    [TestCase((byte)0x55, -8)]
    [TestCase((byte)0xAA, 32256)]
    [TestCase((byte)0x2A, -32256)]
    [TestCase((byte)0xD4, 24)]
    public void Read_ALaw_DecodesItuCodePoints(byte code, int expected)
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.ALaw, 1, 8000, 8).Data([code, code]).ToArray();

        Assert.That(Read(wav).Channels[0][0], Is.EqualTo(expected / 32768f));
    }

    [TestCase(WavBuilder.MuLaw)]
    [TestCase(WavBuilder.ALaw)]
    public void Read_G711Sine_MatchesOriginalWithinCompandingError(ushort codec)
    {
        float[] sine = Signals.Sine(440, 8000, 0.5, amplitude: 0.6);
        byte[] data = codec == WavBuilder.MuLaw ? Samples.InterleaveMuLaw([sine]) : Samples.InterleaveALaw([sine]);
        byte[] wav = new WavBuilder().Fmt(codec, 1, 8000, 8).Data(data).ToArray();

        float[] decoded = Read(wav).Channels[0];

        var error = sine.Zip(decoded, (a, b) => a - b).ToArray();
        double snr = Signals.Db(Signals.Rms(sine) / Signals.Rms(error));
        Assert.That(snr, Is.GreaterThan(35), "G.711 gives about 38 dB SNR on a loud sine; a wrong table gives far less");
    }

    [Test]
    public void Read_ExtensiblePcm24WithThreeChannels_Deinterleaves()
    {
        float[][] channels = [[0.5f, -0.5f], [0.25f, -0.25f], [0.125f, -0.125f]];
        byte[] wav = new WavBuilder().ExtensibleFmt(WavBuilder.Pcm, 3, 48000, 24).Data(Samples.Interleave24(channels)).ToArray();

        var audio = Read(wav);

        Assert.That(audio.Channels, Has.Count.EqualTo(3));
        Assert.That(audio.Channels, Is.EqualTo(channels));
    }

    [Test]
    public void Read_ExtensiblePcm20BitsInThreeBytes_DecodesContainer()
    {
        byte[] wav = new WavBuilder().ExtensibleFmt(WavBuilder.Pcm, 1, 48000, 24, validBits: 20).Data(Samples.Interleave24([[0.5f, -0.25f]])).ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { 0.5f, -0.25f }));
    }

    [Test]
    public void Read_ExtensibleFloatStereo_Decodes()
    {
        float[][] channels = [[0.1f, 0.2f], [-0.3f, -0.4f]];
        byte[] wav = new WavBuilder().ExtensibleFmt(WavBuilder.Float, 2, 8000, 32).Data(Samples.InterleaveFloat32(channels)).ToArray();

        Assert.That(Read(wav).Channels, Is.EqualTo(channels));
    }

    [TestCase(WavBuilder.MuLaw, (byte)0x80, 32124)]
    [TestCase(WavBuilder.ALaw, (byte)0x55, -8)]
    public void Read_ExtensibleG711_UsesSubformatTag(ushort codec, byte code, int expected)
    {
        byte[] wav = new WavBuilder().ExtensibleFmt(codec, 1, 8000, 8).Data([code]).ToArray();

        Assert.That(Read(wav).Channels[0][0], Is.EqualTo(expected / 32768f));
    }

    [Test]
    public void Read_ExtensibleWithForeignSubformatGuid_ReportsUnsupportedCodec()
    {
        var foreign = new Guid("6dba3190-67bd-11cf-a0f7-0020afd156e4");
        byte[] wav = new WavBuilder().ExtensibleFmt(WavBuilder.Pcm, 1, 8000, 16, subformat: foreign).Data(new byte[4]).ToArray();

        var error = ReadFails(wav);

        Assert.That(error.Reason, Does.Contain("unsupported WAV codec").And.Contain(foreign.ToString()));
    }

    [Test]
    public void Read_ExtensibleFmtShorterThan40Bytes_IsRejected()
    {
        var fmt = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, WavBuilder.Extensible);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), 8000);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), 16);
        byte[] wav = new WavBuilder().Chunk("fmt ", fmt).Data(new byte[4]).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.Contain("EXTENSIBLE needs 40 bytes"));
    }

    [Test]
    public void Read_GsmCodec_NamesTheCodec()
    {
        byte[] wav = new WavBuilder().Fmt(0x0031, 1, 8000, 0, blockAlign: 65).Data(new byte[65]).ToArray();

        var error = ReadFails(wav);

        Assert.That(error.Reason, Does.Contain("GSM 6.10 (format 0x0031)"));
        Assert.That(WavReader.TryRead(new MemoryStream(wav), Name, out string? codec), Is.Null, "AudioDecoder hands such files to ffmpeg");
        Assert.That(codec, Does.Contain("GSM 6.10"));
    }

    [Test]
    public void Read_Rf64Container_IsLeftToFfmpeg()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data(new byte[4]).ToArray();
        "RF64"u8.CopyTo(wav);

        Assert.That(WavReader.TryRead(new MemoryStream(wav), Name, out string? codec), Is.Null);
        Assert.That(codec, Does.Contain("RF64"));
    }

    [Test]
    public void Read_OddSizedUnknownChunkBeforeFmt_SkipsItsPadByte()
    {
        byte[] wav = new WavBuilder()
            .Chunk("junk", [1, 2, 3])
            .Fmt(WavBuilder.Pcm, 1, 8000, 16)
            .Data(Int16Bytes(1000, 2000))
            .ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { 1000f / 32768, 2000f / 32768 }));
    }

    [Test]
    public void Read_OddSizedPcm8DataFollowedByList_StopsAtDataEnd()
    {
        byte[] wav = new WavBuilder()
            .Fmt(WavBuilder.Pcm, 1, 8000, 8)
            .Data([128, 192, 64])
            .Chunk("LIST", Encoding.ASCII.GetBytes("INFOISFTsome recorder\0"))
            .ToArray();

        Assert.That(Read(wav).Channels[0], Is.EqualTo(new[] { 0f, 0.5f, -0.5f }), "the pad byte and the LIST chunk are not audio");
    }

    [Test]
    public void Read_ListChunkAfterData_IsNotAudio()
    {
        byte[] wav = new WavBuilder()
            .Fmt(WavBuilder.Pcm, 1, 8000, 16)
            .Data(Int16Bytes(1, 2, 3))
            .Chunk("LIST", Encoding.ASCII.GetBytes("INFOICMTcall 42"))
            .ToArray();

        Assert.That(Read(wav).FrameCount, Is.EqualTo(3));
    }

    [Test]
    public void Read_DataBeforeFmt_IsDecodedFromSeekableAndPipedStreams()
    {
        byte[] wav = new WavBuilder()
            .Data(Int16Bytes(-16384, 16384))
            .Chunk("LIST", [0, 0, 0, 0])
            .Fmt(WavBuilder.Pcm, 1, 8000, 16)
            .ToArray();
        float[] expected = [-0.5f, 0.5f];

        Assert.That(Read(wav).Channels[0], Is.EqualTo(expected), "seekable");
        Assert.That(ReadPiped(wav).Channels[0], Is.EqualTo(expected), "piped");
    }

    [Test]
    public void Read_PipedStream_DecodesLongDataInSmallReads()
    {
        float[] sine = Signals.Sine(440, 8000, 2);
        byte[] wav = WavBuilder.Pcm16(8000, sine, sine);

        var audio = ReadPiped(wav);

        Assert.That(audio.FrameCount, Is.EqualTo(sine.Length));
        Assert.That(audio.Channels[1][1234], Is.EqualTo(Samples.ToInt16(sine[1234]) / 32768f));
    }

    [Test]
    public void Read_StreamPositionedAfterOtherBytes_ReadsFromThere()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data(Int16Bytes(8192)).ToArray();
        var stream = new MemoryStream([.. "prefix"u8, .. wav]) { Position = 6 };

        Assert.That(WavReader.Read(stream, Name).Channels[0], Is.EqualTo(new[] { 0.25f }));
    }

    [Test]
    public void Read_DuplicateFmtChunk_FirstWins()
    {
        byte[] wav = new WavBuilder()
            .Fmt(WavBuilder.Pcm, 1, 8000, 16)
            .Fmt(WavBuilder.Pcm, 2, 44100, 16)
            .Data(Int16Bytes(1, 2))
            .ToArray();

        var audio = Read(wav);

        Assert.That((audio.SampleRate, audio.Channels.Count), Is.EqualTo((8000, 1)));
    }

    [Test]
    public void Read_TrailingPartialFrame_IsIgnored()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 2, 8000, 16).Data([1, 0, 2, 0, 3, 0]).ToArray();

        Assert.That(Read(wav).FrameCount, Is.EqualTo(1));
    }

    [Test]
    public void Read_TextFileNamedWav_IsNotRiff()
    {
        var error = ReadFails(Encoding.UTF8.GetBytes("Nagranie rozmowy 2024-05-01, agent: Anna\n"));

        Assert.That(error.Reason, Is.EqualTo("not a RIFF/WAVE file"));
        Assert.That(error.Message, Does.StartWith(Name), "the batch log must say which file");
    }

    [Test]
    public void Read_RiffButNotWave_IsNotRiffWave()
    {
        byte[] avi = [.. "RIFF"u8, 4, 0, 0, 0, .. "AVI "u8];

        Assert.That(ReadFails(avi).Reason, Is.EqualTo("not a RIFF/WAVE file"));
    }

    [Test]
    public void Read_EmptyFile_SaysEmpty()
    {
        Assert.That(ReadFails([]).Reason, Is.EqualTo("empty file"));
    }

    [Test]
    public void Read_FileEndingInsideRiffHeader_IsTruncated()
    {
        Assert.That(ReadFails([.. "RIFF"u8, 0x24, 0]).Reason, Does.StartWith("truncated header"));
    }

    [Test]
    public void Read_FileEndingInsideFmt_IsTruncated()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).ToArray()[..30];

        Assert.That(ReadFails(wav).Reason, Does.StartWith("truncated fmt chunk"));
    }

    [Test]
    public void Read_NoFmtChunk_SaysMissingFmt()
    {
        byte[] wav = new WavBuilder().Data(Int16Bytes(1, 2)).ToArray();

        Assert.That(ReadFails(wav).Reason, Is.EqualTo("missing fmt chunk"));
    }

    [Test]
    public void Read_NoDataChunk_SaysMissingData()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Chunk("LIST", [0, 0, 0, 0]).ToArray();

        Assert.That(ReadFails(wav).Reason, Is.EqualTo("missing data chunk"));
    }

    [Test]
    public void Read_ZeroLengthDataChunk_HasNoSamples()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data([]).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.StartWith("no audio samples"));
    }

    [Test]
    public void Read_ZeroLengthDataChunkInFinalisedFile_HasNoSamplesEvenWithChunksAfter()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data([]).Chunk("LIST", new byte[20]).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.StartWith("no audio samples"), "the RIFF size covers the LIST chunk, so the 0 is real");
    }

    [Test]
    public void Read_DataSmallerThanOneFrame_HasNoSamples()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 2, 8000, 16).Data([1, 2]).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.StartWith("no audio samples").And.Contain("less than one 4-byte frame"));
    }

    [Test]
    public void Read_DataChunkLongerThanFile_IsTruncatedWithBothSizes()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data(new byte[1000], declaredSize: 2000).ToArray();

        Assert.That(ReadFails(wav).Reason, Is.EqualTo("truncated data chunk: header says 2000 bytes, file has 1000"));
    }

    [Test]
    public void Read_PipedDataChunkLongerThanStream_IsTruncated()
    {
        byte[] wav = new WavBuilder().Fmt(WavBuilder.Pcm, 1, 8000, 16).Data(new byte[3000], declaredSize: 5000).ToArray();

        var error = Assert.Throws<UnsupportedAudioException>(() => ReadPiped(wav))!;

        Assert.That(error.Reason, Is.EqualTo("truncated data chunk: header says 5000 bytes, file has 3000"));
    }

    [Test]
    public void Read_StreamedSizeFFFFFFFF_ReadsWholeFramesToEndOfFile()
    {
        byte[] data = [.. Int16Bytes(100, 200, 300, 400, 500, 600), 7];
        var builder = new WavBuilder { RiffSize = 0xFFFFFFFF };
        byte[] wav = builder.Fmt(WavBuilder.Pcm, 2, 8000, 16).Data(data, declaredSize: 0xFFFFFFFF).ToArray();

        var audio = Read(wav);
        var piped = ReadPiped(wav);

        Assert.That(audio.Channels[1], Is.EqualTo(new[] { 200f / 32768, 400f / 32768, 600f / 32768 }));
        Assert.That(piped.Channels, Is.EqualTo(audio.Channels), "a pipe cannot tell its length, the result must not differ");
    }

    [Test]
    public void ReadTracks_LongPipeOfUnknownLength_Holds16BitSamplesEqualToTheFloatRead()
    {
        // More frames than one of the pieces a pipe is gathered in (2^18), and not a whole number of pieces.
        var random = new Random(11);
        float[] left = Enumerable.Range(0, 300_001).Select(_ => random.Next(short.MinValue, short.MaxValue + 1) / 32768f).ToArray();
        float[] right = [.. left.Select(x => -x / 2)];
        byte[] wav = new WavBuilder { RiffSize = 0xFFFFFFFF }.Fmt(WavBuilder.Pcm, 2, 8000, 16).Data(Samples.Interleave16([left, right]), declaredSize: 0xFFFFFFFF).ToArray();

        var tracks = WavReader.TryReadTracks(new PipeLikeStream(new MemoryStream(wav)), Name, long.MaxValue, out _, null, pcm16: true)!;

        Assert.That(tracks.Channels.Select(c => c.Pcm16 is not null), Is.All.True, "held as 16-bit samples at the file's rate");
        Assert.That(tracks.Channels.Select(c => c.ToArray()), Is.EqualTo(ReadPiped(wav).Channels), "the same samples as the float read");
    }

    [Test]
    public void Read_StreamedSizeZeroWithUnpatchedRiffSize_ReadsToEndOfFile()
    {
        var builder = new WavBuilder { RiffSize = 36 };
        byte[] wav = builder.Fmt(WavBuilder.Pcm, 1, 8000, 16).Data(Int16Bytes(1, 2, 3, 4), declaredSize: 0).ToArray();

        Assert.That(Read(wav).FrameCount, Is.EqualTo(4), "a recorder that crashed before patching its header leaves these sizes");
        Assert.That(ReadPiped(wav).FrameCount, Is.EqualTo(4));
    }

    [Test]
    public void Read_StreamedSizeWithNoFrames_HasNoSamples()
    {
        byte[] wav = new WavBuilder { RiffSize = 0xFFFFFFFF }.Fmt(WavBuilder.Pcm, 1, 8000, 16).Data([], declaredSize: 0xFFFFFFFF).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.StartWith("no audio samples"));
    }

    [TestCase(WavBuilder.Pcm, 0, 8000, 16, null, "0 channels")]
    [TestCase(WavBuilder.Pcm, 33, 8000, 16, null, "33 channels (at most 32")]
    [TestCase(WavBuilder.Pcm, 1, 0, 16, null, "sample rate 0 Hz")]
    [TestCase(WavBuilder.Pcm, 1, 400_000, 16, null, "sample rate 400000 Hz")]
    [TestCase(WavBuilder.Pcm, 2, 8000, 16, 2, "block align 2 is inconsistent with 2 channels × 16 bits")]
    [TestCase(WavBuilder.Pcm, 1, 8000, 12, 2, "unsupported PCM sample size: 12 bits")]
    [TestCase(WavBuilder.Float, 1, 8000, 16, null, "unsupported IEEE float sample size: 16 bits")]
    [TestCase(WavBuilder.ALaw, 1, 8000, 16, null, "G.711 uses 8 bits per sample")]
    [TestCase(WavBuilder.MuLaw, 1, 8000, 4, 1, "G.711 uses 8 bits per sample")]
    public void Read_AbsurdFmt_IsRejectedWithTheReason(ushort tag, int channels, int rate, int bits, int? blockAlign, string expected)
    {
        byte[] wav = new WavBuilder().Fmt(tag, channels, rate, bits, blockAlign ?? Math.Max(1, channels * bits / 8)).Data(new byte[64]).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.Contain(expected));
    }

    [Test]
    public void Read_FmtChunkTooShort_IsRejected()
    {
        byte[] wav = new WavBuilder().Chunk("fmt ", new byte[14]).Data(new byte[4]).ToArray();

        Assert.That(ReadFails(wav).Reason, Does.Contain("invalid fmt chunk: 14 bytes"));
    }

    [Test]
    public void Read_Path_ReadsTheFile()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("call.wav", WavBuilder.Pcm16(16000, Signals.Sine(1000, 16000, 0.25)));

        Assert.That(WavReader.Read(path).FrameCount, Is.EqualTo(4000));
    }

    [Test]
    public void Read_MissingPath_SaysFileNotFound()
    {
        using var directory = new TempDirectory();
        string path = directory.File("nope.wav");

        var error = Assert.Throws<UnsupportedAudioException>(() => WavReader.Read(path))!;

        Assert.That((error.Path, error.Reason), Is.EqualTo((path, "file not found")));
    }

    [Test]
    public void Read_NullArguments_AreGuarded()
    {
        Assert.Throws<ArgumentNullException>(() => WavReader.Read(null!, Name));
        Assert.Throws<ArgumentException>(() => WavReader.Read(new MemoryStream(), ""));
        Assert.Throws<ArgumentNullException>(() => WavReader.Read((string)null!));
    }
}
