namespace QualityScan.Pipeline.Transcription;

/// <summary>The text of one speech chunk.</summary>
/// <param name="Start">Start of the chunk, seconds from the start of the recording.</param>
/// <param name="End">End of the chunk, seconds from the start of the recording.</param>
/// <param name="Text">What was said, trimmed.</param>
/// <param name="Language">Language code the chunk was transcribed in (forced or detected).</param>
/// <param name="TokenIds">The text tokens behind <paramref name="Text"/>.</param>
public sealed record TranscribedSegment(double Start, double End, string Text, string Language, IReadOnlyList<int> TokenIds)
{
    /// <summary>The window's confidence figures; null when not measured.</summary>
    public Models.UtteranceConfidence? Confidence { get; init; }
}
