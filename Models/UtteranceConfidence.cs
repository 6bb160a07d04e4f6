namespace QualityScan.Models;

/// <summary>
/// How sure the speech model was of an utterance's words: the figures openai-whisper uses to reject a window,
/// carried into the transcript so that a check never passes on words the model was unsure of.
/// </summary>
/// <param name="NoSpeechProbability">Probability of the no-speech token at the start of the window (0-1); null when unknown.</param>
/// <param name="AverageLogProbability">Mean log-probability of the decoded tokens (0 is certain, below -1 is doubtful); null when unknown.</param>
/// <param name="CompressionRatio">Text length over its gzip-compressed length; above 2.4 the text repeats itself; null when unknown.</param>
/// <param name="StopReason">Why decoding of the window ended (end_of_text, max_tokens, context_full, repetition_loop); null when unknown.</param>
/// <param name="IsLow">True when the transcription judged the words unreliable (thresholds in the transcription options).</param>
public sealed record UtteranceConfidence(
    double? NoSpeechProbability,
    double? AverageLogProbability,
    double? CompressionRatio,
    string? StopReason,
    bool IsLow);
