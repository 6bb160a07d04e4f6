namespace QualityScan.Speech.Audio;

/// <summary>Settings of <see cref="VoiceActivityDetector"/>; levels in dB, times in seconds.</summary>
/// <remarks>
/// <para>Defaults, tuned for one party per channel of a recorded phone call:</para>
/// <list type="bullet">
/// <item><see cref="FrameSeconds"/> = 0.02: levels are measured in 20 ms frames, after a 200 Hz
/// fourth-order high-pass that keeps mains hum and DC offset from counting as voice.</item>
/// <item><see cref="NoiseFloorPercentile"/> = 10: the noise floor is the level of the quietest tenth
/// of the channel's frames, so line noise, hiss and comfort noise set it, not a fixed threshold.</item>
/// <item><see cref="SpeechLevelPercentile"/> = 95: the channel's loud-speech level is taken from the
/// frames above the start threshold.</item>
/// <item><see cref="StartAboveNoiseDb"/> = 12 and <see cref="StartBelowSpeechDb"/> = 12: speech
/// starts at a frame at least 12 dB above the floor and no more than 12 dB below the loud-speech
/// level; the second condition rejects the other party's voice leaking in 15-25 dB lower (it is
/// not applied by <see cref="VoiceActivityDetector.DetectMixed"/>, where a quieter voice is the other party).</item>
/// <item><see cref="StopAboveNoiseDb"/> = 6 and <see cref="StopBelowSpeechDb"/> = 18: once started,
/// speech continues (hysteresis) while frames stay above both of these looser limits.</item>
/// <item><see cref="MinimumLevelDb"/> = -55 dBFS: quieter frames never start speech, so a silent or
/// digitally muted channel yields nothing.</item>
/// <item><see cref="MinSpeechSeconds"/> = 0.25: shorter bursts (clicks, line pops) are dropped.</item>
/// <item><see cref="MinSilenceSeconds"/> = 0.45: shorter pauses do not split an utterance.</item>
/// <item><see cref="PaddingSeconds"/> = 0.15: added before and after each interval so soft onsets
/// and word endings reach the transcriber.</item>
/// <item><see cref="MaxSegmentSeconds"/> = 28: longer intervals are split at their quietest moment
/// (in the second half of the allowed length) so each fits a 30 s transcription window.</item>
/// <item><see cref="CrosstalkMarginDb"/> = 10: in <see cref="VoiceActivityDetector.DetectStereo"/>,
/// a frame more than 10 dB quieter than the other channel while that channel carries speech is
/// taken as the other party leaking in.</item>
/// </list>
/// </remarks>
public sealed record VadOptions
{
    /// <summary>Length of an analysis frame in seconds (0.005 to 0.1).</summary>
    public double FrameSeconds { get; init; } = 0.02;

    /// <summary>Percentile of frame levels taken as the noise floor (0 to 50).</summary>
    public double NoiseFloorPercentile { get; init; } = 10;

    /// <summary>Percentile of candidate speech frame levels taken as the loud-speech level (50 to 100).</summary>
    public double SpeechLevelPercentile { get; init; } = 95;

    /// <summary>A frame can start speech only this far above the noise floor.</summary>
    public double StartAboveNoiseDb { get; init; } = 12;

    /// <summary>Speech continues while frames stay this far above the noise floor.</summary>
    public double StopAboveNoiseDb { get; init; } = 6;

    /// <summary>A frame can start speech only within this distance below the loud-speech level.</summary>
    public double StartBelowSpeechDb { get; init; } = 12;

    /// <summary>Speech continues while frames stay within this distance below the loud-speech level.</summary>
    public double StopBelowSpeechDb { get; init; } = 18;

    /// <summary>Frames quieter than this (dB relative to full scale) never start speech.</summary>
    public double MinimumLevelDb { get; init; } = -55;

    /// <summary>Shortest interval reported, before padding.</summary>
    public double MinSpeechSeconds { get; init; } = 0.25;

    /// <summary>Shortest pause that separates two intervals.</summary>
    public double MinSilenceSeconds { get; init; } = 0.45;

    /// <summary>Added to both ends of each interval (clamped to the recording).</summary>
    public double PaddingSeconds { get; init; } = 0.15;

    /// <summary>Longest interval reported; longer ones are split at their quietest frame.</summary>
    public double MaxSegmentSeconds { get; init; } = 28;

    /// <summary>How much quieter than the other channel a frame must be to count as leaked crosstalk (stereo only).</summary>
    public double CrosstalkMarginDb { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(FrameSeconds is >= 0.005 and <= 0.1, FrameSeconds, nameof(FrameSeconds), "0.005 to 0.1 s");
        Check(NoiseFloorPercentile is >= 0 and <= 50, NoiseFloorPercentile, nameof(NoiseFloorPercentile), "0 to 50");
        Check(SpeechLevelPercentile is >= 50 and <= 100, SpeechLevelPercentile, nameof(SpeechLevelPercentile), "50 to 100");
        Check(StartAboveNoiseDb is > 0 and <= 60, StartAboveNoiseDb, nameof(StartAboveNoiseDb), "above 0 and at most 60 dB");
        Check(StopAboveNoiseDb > 0 && StopAboveNoiseDb <= StartAboveNoiseDb, StopAboveNoiseDb, nameof(StopAboveNoiseDb), $"above 0 and at most {nameof(StartAboveNoiseDb)}");
        Check(StartBelowSpeechDb is > 0 and <= 80, StartBelowSpeechDb, nameof(StartBelowSpeechDb), "above 0 and at most 80 dB");
        Check(StopBelowSpeechDb >= StartBelowSpeechDb && StopBelowSpeechDb <= 80, StopBelowSpeechDb, nameof(StopBelowSpeechDb), $"from {nameof(StartBelowSpeechDb)} to 80 dB");
        Check(MinimumLevelDb is >= -120 and <= 0, MinimumLevelDb, nameof(MinimumLevelDb), "-120 to 0 dBFS");
        Check(MinSpeechSeconds is >= 0 and <= 10, MinSpeechSeconds, nameof(MinSpeechSeconds), "0 to 10 s");
        Check(MinSilenceSeconds is >= 0 and <= 10, MinSilenceSeconds, nameof(MinSilenceSeconds), "0 to 10 s");
        Check(PaddingSeconds is >= 0 and <= 2, PaddingSeconds, nameof(PaddingSeconds), "0 to 2 s");
        Check(MaxSegmentSeconds >= 1 && MaxSegmentSeconds >= 4 * FrameSeconds, MaxSegmentSeconds, nameof(MaxSegmentSeconds), "at least 1 s");
        Check(CrosstalkMarginDb is >= 0 and <= 60, CrosstalkMarginDb, nameof(CrosstalkMarginDb), "0 to 60 dB");
    }

    private static void Check(bool valid, double value, string name, string range)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"VAD setting {name} must be {range}.");
        }
    }
}
