namespace QualityScan.Speech.Audio;

/// <summary>The reader's errors, each naming the file and the reason.</summary>
internal static class WavErrors
{
    public static UnsupportedAudioException Error(string name, string reason) => new(name, reason);

    public static UnsupportedAudioException Truncated(string name, long declared, long available) =>
        new(name, $"truncated data chunk: header says {declared} bytes, file has {available}");

    public static UnsupportedAudioException NoWholeFrame(string name, long bytes, WavFormat format) =>
        new(name, bytes == 0
            ? "no audio samples: the data chunk is empty"
            : $"no audio samples: the data chunk holds {bytes} bytes, less than one {format.BlockAlign}-byte frame");
}
