using QualityScan.Models;

namespace QualityScan.Pipeline.Transcripts;

/// <summary>A transcript file's content: the call, and how the transcript was made.</summary>
/// <param name="Transcript">The call as the analyzers see it.</param>
/// <param name="Source">Provenance (audio hash, model, settings) written by <c>scan</c>; null for hand-made transcripts.</param>
public sealed record TranscriptDocument(CallTranscript Transcript, IReadOnlyDictionary<string, string>? Source = null);
