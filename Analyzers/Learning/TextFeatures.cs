using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// Turns an utterance into the sparse features the learned classifiers read: folded words, word pairs, and the
/// character 3- and 4-grams of each word.
/// </summary>
/// <remarks>
/// Character n-grams make the features robust to Polish and Czech inflection ("sprawdzę", "sprawdzimy" share
/// "spra", "praw", "rawd") and to a speech model's misspelt words. Words are folded like phrase matching does
/// (lower case, no diacritics) and fillers are left out. Each feature counts once; the vector has unit length,
/// so a long utterance does not outweigh a short one.
/// </remarks>
public static class TextFeatures
{
    /// <summary>The distinct features of <paramref name="text"/>, in ordinal order.</summary>
    public static string[] Of(NormalizedText text) => Of(text, 0, int.MaxValue);

    /// <summary>The distinct features of words <paramref name="fromWord"/> to <paramref name="toWord"/> (inclusive) of <paramref name="text"/>, in ordinal order.</summary>
    public static string[] Of(NormalizedText text, int fromWord, int toWord)
    {
        ArgumentNullException.ThrowIfNull(text);
        var features = new HashSet<string>(StringComparer.Ordinal);
        var words = text.Words;
        var last = Math.Min(toWord, words.Count - 1);
        for (var i = Math.Max(0, fromWord); i <= last; i++)
        {
            var word = words[i].Text;
            features.Add("w:" + word);
            if (i + 1 <= last)
            {
                features.Add("b:" + word + " " + words[i + 1].Text);
            }

            var padded = "_" + word + "_";
            for (var n = 3; n <= 4; n++)
            {
                for (var start = 0; start + n <= padded.Length; start++)
                {
                    features.Add(string.Concat("c:", padded.AsSpan(start, n)));
                }
            }
        }

        var result = features.ToArray();
        Array.Sort(result, StringComparer.Ordinal);
        return result;
    }

    /// <summary>The value every present feature gets: one over the square root of their number (unit length).</summary>
    public static float ValueFor(int featureCount) => featureCount == 0 ? 0 : (float)(1 / Math.Sqrt(featureCount));

    /// <summary>Cosine similarity of two feature sets made by <see cref="Of(NormalizedText)"/> (both sorted).</summary>
    public static double Similarity(string[] a, string[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            var c = string.CompareOrdinal(a[i], b[j]);
            if (c == 0)
            {
                common++;
                i++;
                j++;
            }
            else if (c < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return common / Math.Sqrt((double)a.Length * b.Length);
    }
}
