using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// Trains one ML.NET text classifier per phrase class for a rule pack: the pack's examples plus reviewed utterances,
/// word and character n-gram features (<see cref="TextFeatures"/>), L-BFGS logistic regression.
/// </summary>
/// <remarks>
/// <para>Deterministic: the examples are de-duplicated and sorted, the vocabulary is ordinal, ML.NET runs with a fixed
/// seed on one thread, so the same data gives a byte-identical model file.</para>
/// <para>Negatives of a class are its own negative examples, the pack's neutral sentences, and the positives of the
/// other classes that the class's own phrases do not match (a thanks for the call is polite, so it is not used as a
/// non-polite example). When one text is labelled both ways, a review wins over the pack and a later review over an
/// earlier one.</para>
/// </remarks>
public static class ModelTrainer
{
    /// <summary>Seed of the ML.NET context.</summary>
    public const int Seed = 20261130;

    /// <summary>L2 regularisation of the logistic regression.</summary>
    public const float L2Regularization = 0.005f;

    /// <summary>L1 regularisation, which keeps the model file small by zeroing most n-gram weights.</summary>
    public const float L1Regularization = 0.002f;

    private const string TrainerDescription = "ML.NET 5 L-BFGS logistic regression (L1 0.002, L2 0.005, one thread, seed 20261130); features: folded words, word pairs, character 3- and 4-grams, unit length";

    /// <summary>Trains the classifiers of <paramref name="pack"/> from its examples and <paramref name="reviewed"/> sentences.</summary>
    public static LearnedModel Train(RulePack pack, IEnumerable<TrainingExample> reviewed) =>
        Train(pack, reviewed, L1Regularization, L2Regularization);

    /// <summary>Trains with other regularisation (for tuning; <see cref="Train(RulePack, IEnumerable{TrainingExample})"/> uses the defaults).</summary>
    internal static LearnedModel Train(RulePack pack, IEnumerable<TrainingExample> reviewed, float l1, float l2)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(reviewed);
        var sets = TrainingSets(pack, pack.Learning.ToTrainingExamples(Path.GetFileName(pack.SourcePath)).Concat(reviewed));
        var ml = new MLContext(seed: Seed);
        var classifiers = new List<PhraseClassifier>();
        var counts = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var (phraseClass, examples) in sets)
        {
            if (!examples.Any(e => e.Value) || !examples.Any(e => !e.Value))
            {
                continue;
            }

            classifiers.Add(TrainOne(ml, pack, phraseClass, examples, l1, l2));
            counts[phraseClass] = (examples.Count(e => e.Value), examples.Count(e => !e.Value));
        }

        return new LearnedModel(pack.Language, Hash(sets), pack.Learning.ExamplesHash(), TrainerDescription, classifiers, counts);
    }

    /// <summary>SHA-256 (hex) of what <see cref="Train(RulePack, IEnumerable{TrainingExample})"/> would learn from: the trainer and every labelled text.</summary>
    public static string TrainingDataHash(RulePack pack, IEnumerable<TrainingExample> reviewed)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(reviewed);
        return Hash(TrainingSets(pack, pack.Learning.ToTrainingExamples(Path.GetFileName(pack.SourcePath)).Concat(reviewed)));
    }

    /// <summary>The labelled texts per class after merging, de-duplication and sorting (what <see cref="Train(RulePack, IEnumerable{TrainingExample})"/> learns from).</summary>
    public static IReadOnlyList<(string PhraseClass, IReadOnlyList<KeyValuePair<string, bool>> Examples)> TrainingSets(RulePack pack, IEnumerable<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(examples);
        var all = examples.ToList();
        var result = new List<(string, IReadOnlyList<KeyValuePair<string, bool>>)>();
        var defined = all.Select(e => e.PhraseClass).Where(PhraseClasses.IsDefined).Distinct().Order(StringComparer.Ordinal);
        foreach (var phraseClass in PhraseClasses.All.Concat(defined))
        {
            var labels = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var text in pack.Learning.Neutral)
            {
                labels[Clean(text)] = false;
            }

            // A mission class borrows negatives from the mission classes only, so a pack-defined check's examples
            // (customer sentences of frustration) leave the five checks' classifiers as they were; a defined class
            // borrows from every other class.
            var isMission = !PhraseClasses.IsDefined(phraseClass);
            foreach (var other in all.Where(e => e.PhraseClass != phraseClass && e.IsPositive && (!isMission || !PhraseClasses.IsDefined(e.PhraseClass))))
            {
                var text = Clean(other.Text);
                if (!labels.ContainsKey(text) && !ClassPhrases.Matches(pack, phraseClass, pack.Normalizer.Normalize(text)))
                {
                    labels[text] = false;
                }
            }

            // The class's own labels override the borrowed negatives; among them, later ones (reviews) override earlier ones.
            foreach (var own in all.Where(e => e.PhraseClass == phraseClass))
            {
                labels[Clean(own.Text)] = own.IsPositive;
            }

            var sorted = labels.Where(l => l.Key.Length > 0).OrderBy(l => l.Key, StringComparer.Ordinal).ToArray();
            if (all.Any(e => e.PhraseClass == phraseClass))
            {
                result.Add((phraseClass, sorted));
            }
        }

        return result;
    }

    /// <summary>
    /// ML.NET's own probabilities for <paramref name="texts"/> from the transformer it trains for <paramref name="phraseClass"/>
    /// on the pack's examples: the reference the classifier's own arithmetic (<see cref="PhraseClassifier.Probability"/>) must match.
    /// </summary>
    internal static IReadOnlyList<float> MlNetProbabilities(RulePack pack, string phraseClass, IReadOnlyList<string> texts)
    {
        var examples = TrainingSets(pack, pack.Learning.ToTrainingExamples("pack")).Single(s => s.PhraseClass == phraseClass).Examples;
        var ml = new MLContext(seed: Seed);
        var (transformer, vocabulary, _) = Fit(ml, pack, examples, L1Regularization, L2Regularization);
        var rows = texts.Select(t => ToRow(TextFeatures.Of(pack.Normalizer.Normalize(t)), vocabulary, false)).ToList();
        var scored = transformer.Transform(ml.Data.LoadFromEnumerable(rows, Schema(vocabulary.Count)));
        return scored.GetColumn<float>("Probability").ToArray();
    }

    private static PhraseClassifier TrainOne(MLContext ml, RulePack pack, string phraseClass, IReadOnlyList<KeyValuePair<string, bool>> examples, float l1, float l2)
    {
        var (transformer, vocabulary, featureSets) = Fit(ml, pack, examples, l1, l2);
        var model = transformer.Model;
        var linear = model.SubModel;
        var weights = linear.Weights;
        var nonZero = new List<KeyValuePair<string, float>>();
        foreach (var (feature, i) in vocabulary)
        {
            if (weights[i] != 0)
            {
                nonZero.Add(new KeyValuePair<string, float>(feature, weights[i]));
            }
        }

        var positives = examples.Select((e, i) => (e, i)).Where(x => x.e.Value).Select(x => (x.e.Key, featureSets[x.i]));
        return new PhraseClassifier(phraseClass, linear.Bias, (float)model.Calibrator.Slope, (float)model.Calibrator.Offset, nonZero, positives);
    }

    private static (BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> Transformer,
        IReadOnlyDictionary<string, int> Vocabulary, string[][] FeatureSets) Fit(
        MLContext ml, RulePack pack, IReadOnlyList<KeyValuePair<string, bool>> examples, float l1, float l2)
    {
        var featureSets = examples.Select(e => TextFeatures.Of(pack.Normalizer.Normalize(e.Key))).ToArray();
        var vocabulary = featureSets.SelectMany(f => f).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var rows = examples.Select((e, i) => ToRow(featureSets[i], vocabulary, e.Value)).ToList();
        var data = ml.Data.LoadFromEnumerable(rows, Schema(vocabulary.Count));
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            NumberOfThreads = 1,
            L1Regularization = l1,
            L2Regularization = l2,
            OptimizationTolerance = 1e-7f,
            MaximumNumberOfIterations = 1000,
        });
        return (trainer.Fit(data), vocabulary, featureSets);
    }

    private static Row ToRow(string[] features, IReadOnlyDictionary<string, int> vocabulary, bool label)
    {
        var vector = new float[vocabulary.Count];
        var value = TextFeatures.ValueFor(features.Length);
        foreach (var feature in features)
        {
            if (vocabulary.TryGetValue(feature, out var i))
            {
                vector[i] = value;
            }
        }

        return new Row { Label = label, Features = vector };
    }

    private static SchemaDefinition Schema(int size)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return schema;
    }

    private static string Hash(IReadOnlyList<(string PhraseClass, IReadOnlyList<KeyValuePair<string, bool>> Examples)> sets)
    {
        var sb = new StringBuilder(TrainerDescription).Append('\n');
        foreach (var (phraseClass, examples) in sets)
        {
            foreach (var (text, label) in examples)
            {
                sb.Append(phraseClass).Append('\t').Append(label ? '+' : '-').Append('\t').Append(text).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static string Clean(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Normalize(NormalizationForm.FormC);

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
