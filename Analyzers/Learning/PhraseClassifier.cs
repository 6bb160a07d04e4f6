namespace QualityScan.Analyzers.Learning;

/// <summary>
/// One learned phrase class of one language: the linear model trained by ML.NET (weights per feature, bias and
/// the calibrator's slope and offset), evaluated here directly so that scoring needs no ML.NET engine.
/// </summary>
/// <remarks>
/// Immutable and safe to share between parallel workers (unlike an ML.NET <c>PredictionEngine</c>). The probability
/// is ML.NET's Platt form <c>1 / (1 + exp(slope * score + offset))</c> with <c>score = bias + Σ weight × value</c>.
/// </remarks>
public sealed class PhraseClassifier
{
    private readonly Dictionary<string, float> _weights;
    private readonly (string Text, string[] Features)[] _positives;

    /// <summary>Creates the classifier from trained parameters and the positive examples it may cite.</summary>
    public PhraseClassifier(string phraseClass, float bias, float slope, float offset, IEnumerable<KeyValuePair<string, float>> weights,
        IEnumerable<(string Text, string[] Features)> positives)
    {
        ArgumentNullException.ThrowIfNull(phraseClass);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(positives);
        PhraseClass = phraseClass;
        Bias = bias;
        Slope = slope;
        Offset = offset;
        _weights = new Dictionary<string, float>(weights, StringComparer.Ordinal);
        _positives = positives.ToArray();
    }

    /// <summary>The phrase class (see <see cref="PhraseClasses"/>).</summary>
    public string PhraseClass { get; }

    /// <summary>The linear model's bias.</summary>
    public float Bias { get; }

    /// <summary>Platt calibrator slope.</summary>
    public float Slope { get; }

    /// <summary>Platt calibrator offset.</summary>
    public float Offset { get; }

    /// <summary>Non-zero weights by feature, in ordinal order of the feature.</summary>
    public IEnumerable<KeyValuePair<string, float>> Weights => _weights.OrderBy(w => w.Key, StringComparer.Ordinal);

    /// <summary>The positive training sentences, cited as the nearest example.</summary>
    public IEnumerable<string> PositiveExamples => _positives.Select(p => p.Text);

    /// <summary>Probability (0-1) that an utterance with <paramref name="features"/> (from <see cref="TextFeatures.Of(Matching.NormalizedText)"/>) belongs to the class.</summary>
    public double Probability(string[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var value = TextFeatures.ValueFor(features.Length);
        double score = Bias;
        foreach (var feature in features)
        {
            if (_weights.TryGetValue(feature, out var weight))
            {
                score += weight * value;
            }
        }

        return 1 / (1 + Math.Exp(Slope * score + Offset));
    }

    /// <summary>The positive example most similar to <paramref name="features"/> (cosine over the features), or "" when there is none.</summary>
    public string NearestExample(string[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var best = "";
        var bestSimilarity = -1.0;
        foreach (var (text, exampleFeatures) in _positives)
        {
            var similarity = TextFeatures.Similarity(features, exampleFeatures);
            if (similarity > bestSimilarity)
            {
                best = text;
                bestSimilarity = similarity;
            }
        }

        return best;
    }
}
