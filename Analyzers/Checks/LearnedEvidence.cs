using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Checks;

/// <summary>How the checks consult a pack's learned model once their phrases found nothing.</summary>
internal static class LearnedEvidence
{
    /// <summary>
    /// The utterance among <paramref name="indices"/> the model is surest belongs to <paramref name="phraseClass"/> (at or
    /// above the pack's threshold; low-confidence utterances never count), or null.
    /// </summary>
    public static (int Index, ModelVerdict Verdict)? Best(RulePack pack, PreparedCall call, IEnumerable<int> indices, string phraseClass)
    {
        if (pack.Model is null)
        {
            return null;
        }

        (int Index, ModelVerdict Verdict)? best = null;
        foreach (var index in indices)
        {
            if (pack.Judge(call, index, phraseClass) is { } verdict && (best is null || verdict.Probability > best.Value.Verdict.Probability))
            {
                best = (index, verdict);
            }
        }

        return best;
    }

    /// <summary>The model's verdict on the words of utterance <paramref name="index"/> from word <paramref name="fromWord"/> on (at least two words), or null.</summary>
    public static ModelVerdict? OnRest(RulePack pack, PreparedCall call, int index, int fromWord, string phraseClass)
    {
        var text = call.Texts[index];
        if (pack.Model is null || call.Utterances[index].IsLowConfidence || text.Words.Count - fromWord < 2)
        {
            return null;
        }

        var verdict = pack.Model.Judge(phraseClass, TextFeatures.Of(text, fromWord, text.Words.Count - 1), pack.Learning.Threshold);
        return verdict is null ? null : verdict with { Quote = text.Quote(fromWord, text.Words.Count - 1) };
    }
}
