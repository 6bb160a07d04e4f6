namespace QualityScan.Speech.Transcription;

/// <summary>The text of one speech chunk.</summary>
/// <param name="Start">Start of the chunk, seconds from the start of the recording.</param>
/// <param name="End">End of the chunk, seconds from the start of the recording.</param>
/// <param name="Text">What was said, trimmed.</param>
/// <param name="Language">Language code the chunk was transcribed in (forced or detected).</param>
/// <param name="TokenIds">The text tokens behind <paramref name="Text"/>.</param>
public sealed record TranscribedSegment(double Start, double End, string Text, string Language, IReadOnlyList<int> TokenIds)
{
    /// <summary>Index of the track the segment was heard on (0 for a single-track call).</summary>
    public int Track { get; init; }

    /// <summary>The window's confidence figures; null when not measured.</summary>
    public Models.UtteranceConfidence? Confidence { get; init; }
}

/// <summary>One track of a call for <see cref="ISpeechTranscriber.TranscribeTracksAsync"/>: its 16 kHz samples and where its speech is.</summary>
/// <param name="Samples">16 kHz mono samples in [-1, 1] (a float array converts to a track).</param>
/// <param name="SpeechChunks">Where speech is (seconds); one chunk covering the track transcribes all of it.</param>
public sealed record TrackAudio(Audio.SampleTrack Samples, IReadOnlyList<Models.TimeInterval> SpeechChunks);
