using System.Diagnostics;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Decodes a batch of windows with a <see cref="WhisperModel"/>: features, one encoder pass per window, the call's
/// language vote or per-window detection where no language is given, then greedy decoding of the batch together.
/// </summary>
internal sealed class ModelWindowDecoder(WhisperModel model) : IWindowDecoder
{
    public (int[] Languages, WhisperInference.GreedyResult[] Results) Decode(
        IReadOnlyList<TrackAudio> tracks, IReadOnlyList<PlannedWindow> batch, int? forcedLanguage, CallLanguage? vote, WindowDecodingOptions decoding, IReadOnlyList<int> budgets, TranscriptionStats stats, CancellationToken cancellationToken)
    {
        var inference = model.Rent();
        try
        {
            inference.EnsureCapacity(batch.Count);
            var start = Stopwatch.GetTimestamp();
            var buffer = new float[LogMelSpectrogram.WindowSamples];
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].CopyAudio(tracks[batch[i].Track].Samples, buffer);
                model.Features.Compute(buffer.AsSpan(0, Math.Min(buffer.Length, batch[i].ContentSamples)), inference.MelBuffer(i));
            }

            stats.AddFeatures(Stopwatch.GetTimestamp() - start, batch.Count);
            inference.Encode(batch.Count, stats);
            if (forcedLanguage is null && vote is not null)
            {
                forcedLanguage = Vote(inference, batch, vote, stats);
            }

            var languages = forcedLanguage is int language
                ? Enumerable.Repeat(language, batch.Count).ToArray()
                : inference.DetectLanguages(batch.Count, stats);
            var prompts = languages.Select(l => model.Info.TranscriptionPrompt(l, decoding.Timestamps)).ToArray();
            return (languages, inference.Decode(prompts, decoding, budgets, null, stats, cancellationToken));
        }
        finally
        {
            model.Return(inference);
        }
    }

    /// <summary>The call's language, voted by the windows just encoded (one decoder step, no encoder pass).</summary>
    private int Vote(WhisperInference inference, IReadOnlyList<PlannedWindow> batch, CallLanguage vote, TranscriptionStats stats)
    {
        var codes = vote.Candidates.Count > 0 ? vote.Candidates.ToList() : model.Info.LanguageCodes.ToList();
        var probabilities = inference.LanguageProbabilities(batch.Count, stats, codes.Select(model.Info.GetLanguageToken).ToList());
        for (var i = 0; i < batch.Count; i++)
        {
            vote.AddVote(codes, probabilities[i], batch[i].SpeechSeconds);
        }

        return model.Info.GetLanguageToken(vote.Decide(codes));
    }
}
