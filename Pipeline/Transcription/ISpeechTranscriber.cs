using QualityScan.Models;

namespace QualityScan.Pipeline.Transcription;

/// <summary>Turns the speech of one audio channel into timed text.</summary>
public interface ISpeechTranscriber
{
    /// <summary>Transcribes each speech chunk of <paramref name="samples16k"/>, in time order.</summary>
    /// <param name="samples16k">One channel, 16 kHz mono, samples in [-1, 1].</param>
    /// <param name="speechChunks">Where speech is (from voice activity detection); one chunk covering the whole recording transcribes it without VAD.</param>
    /// <param name="options">Language and decoding settings.</param>
    /// <param name="cancellationToken">Stops between windows.</param>
    IAsyncEnumerable<TranscribedSegment> TranscribeAsync(
        float[] samples16k,
        IReadOnlyList<TimeInterval> speechChunks,
        TranscriptionOptions options,
        CancellationToken cancellationToken = default);
}
