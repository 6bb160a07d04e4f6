namespace QualityScan.Speech.Transcription;

/// <summary>
/// Turns the speech of a call's tracks into timed text: what the batch needs of a speech engine (the ONNX Whisper
/// engine, <see cref="WhisperTranscriber"/>, or whisper.cpp through Whisper.net).
/// </summary>
/// <remarks>One instance per worker; the model behind it is shared and outlives it.</remarks>
public interface ISpeechTranscriber
{
    /// <summary>Time and counts of everything this transcriber did (encoder passes, tokens, decisions).</summary>
    TranscriptionStats Stats { get; }

    /// <summary>
    /// Transcribes the speech of several tracks of one call (the agent's first). Segments carry the index of their
    /// track and come in the engine's order, not time order.
    /// </summary>
    /// <param name="tracks">The tracks, 16 kHz, with where their speech is.</param>
    /// <param name="options">Language, windowing and decoding settings; "auto" detects the language.</param>
    /// <param name="callLanguage">With "auto": one language for the whole call, chosen among its candidates and recorded
    /// in it, at no extra encoder pass; null: "auto" detects each window's language on its own.</param>
    /// <param name="cancellationToken">Stops between windows.</param>
    /// <exception cref="UnknownLanguageException">The model has no such language (thrown before any work).</exception>
    IAsyncEnumerable<TranscribedSegment> TranscribeTracksAsync(
        IReadOnlyList<TrackAudio> tracks,
        TranscriptionOptions options,
        CallLanguage? callLanguage,
        CancellationToken cancellationToken = default);
}
