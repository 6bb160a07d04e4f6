namespace QualityScan.Speech.Audio;

/// <summary>How a WAV file's samples are encoded.</summary>
internal enum SampleEncoding
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

/// <summary>What the fmt chunk says: encoding, channels, rate, bytes per frame and per sample, and the codec's name for messages.</summary>
internal sealed record WavFormat(SampleEncoding Encoding, int Channels, int SampleRate, int BlockAlign, int BytesPerSample, string CodecName)
{
    /// <summary>A codec this reader does not decode (ffmpeg may).</summary>
    public static WavFormat Unsupported(string codecName) => new(SampleEncoding.Unsupported, 0, 0, 0, 0, codecName);
}
