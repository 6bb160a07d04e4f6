namespace QualityScan.Pipeline.Transcription;

/// <summary>The greedy decoding of one 30 s window.</summary>
/// <param name="TokenIds">Generated tokens after the prompt, without end-of-text.</param>
/// <param name="Text">The tokens as text (leading space included, as Whisper writes it).</param>
/// <param name="Language">Code of the language token in the prompt.</param>
/// <param name="StepMaxLogits">For each decoding step, the logit of the token picked (end-of-text included when it was picked).</param>
/// <param name="Stop">Why decoding ended.</param>
public sealed record WindowDecoding(
    IReadOnlyList<int> TokenIds,
    string Text,
    string Language,
    IReadOnlyList<float> StepMaxLogits,
    DecodingStop Stop);

/// <summary>Sees the raw logits of the last position at each decoding step, before any token is suppressed.</summary>
/// <param name="step">0 for the step right after the prompt.</param>
/// <param name="logits">n_vocab values; valid only during the call.</param>
public delegate void StepLogitsObserver(int step, ReadOnlySpan<float> logits);
