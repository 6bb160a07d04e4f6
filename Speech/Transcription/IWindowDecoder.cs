namespace QualityScan.Speech.Transcription;

/// <summary>
/// How <see cref="WhisperTranscriber"/> turns one batch of planned windows into decoded tokens: production decodes
/// them with the model (<see cref="ModelWindowDecoder"/>); tests script it to check planning, seek and time mapping
/// without a model's text.
/// </summary>
internal interface IWindowDecoder
{
    /// <summary>The language token and the greedy result of each window of <paramref name="batch"/>.</summary>
    /// <param name="tracks">The call's tracks the windows were planned on.</param>
    /// <param name="batch">The windows to decode together.</param>
    /// <param name="forcedLanguage">The language token every window is decoded in; null: <paramref name="vote"/> or per-window detection.</param>
    /// <param name="vote">With no forced language: the call's language vote, decided from this batch; null: each window detects its own.</param>
    /// <param name="decoding">Token rules and budget.</param>
    /// <param name="budgets">Each window's token budget.</param>
    /// <param name="stats">Receives time and counts.</param>
    /// <param name="cancellationToken">Checked between decoder steps.</param>
    (int[] Languages, WhisperInference.GreedyResult[] Results) Decode(
        IReadOnlyList<TrackAudio> tracks,
        IReadOnlyList<PlannedWindow> batch,
        int? forcedLanguage,
        CallLanguage? vote,
        WindowDecodingOptions decoding,
        IReadOnlyList<int> budgets,
        TranscriptionStats stats,
        CancellationToken cancellationToken);
}
