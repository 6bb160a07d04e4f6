using System.Text;
using System.Text.Json;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// The classifiers <c>qualityscan learn</c> trained for one language, one per phrase class, with the hash of the data
/// they were trained on. Stored as JSON beside the rule pack (<c>pl.yaml</c> → <c>pl.model.json</c>).
/// </summary>
/// <remarks>
/// Immutable and safe to share between parallel workers. The file is written deterministically (ordinal order,
/// no time stamps), so the same training data gives a byte-identical file.
/// </remarks>
public sealed class LearnedModel
{
    /// <summary>The format tag in the file.</summary>
    public const string Format = "qualityscan-learned-model/1";

    /// <summary>The file name suffix that puts a model beside its rule pack.</summary>
    public const string FileSuffix = ".model.json";

    private readonly Dictionary<string, PhraseClassifier> _classifiers;

    /// <summary>Wraps trained classifiers.</summary>
    public LearnedModel(string language, string trainingDataHash, string examplesHash, string trainer, IEnumerable<PhraseClassifier> classifiers,
        IReadOnlyDictionary<string, (int Positive, int Negative)> exampleCounts)
    {
        ArgumentNullException.ThrowIfNull(classifiers);
        Language = language;
        TrainingDataHash = trainingDataHash;
        ExamplesHash = examplesHash;
        Trainer = trainer;
        _classifiers = classifiers.ToDictionary(c => c.PhraseClass, StringComparer.Ordinal);
        ExampleCounts = exampleCounts;
    }

    /// <summary>Language code of the rule pack it was trained for.</summary>
    public string Language { get; }

    /// <summary>SHA-256 of all training data (pack examples and reviews), as trained.</summary>
    public string TrainingDataHash { get; }

    /// <summary>SHA-256 of the pack's examples at training time (see <see cref="LearningRules.ExamplesHash"/>).</summary>
    public string ExamplesHash { get; }

    /// <summary>How it was trained (features, trainer, seed), for the record.</summary>
    public string Trainer { get; }

    /// <summary>Number of positive and negative training sentences per class.</summary>
    public IReadOnlyDictionary<string, (int Positive, int Negative)> ExampleCounts { get; }

    /// <summary>The classifiers by phrase class.</summary>
    public IReadOnlyCollection<PhraseClassifier> Classifiers => _classifiers.Values;

    /// <summary>The model file that belongs beside <paramref name="rulePackPath"/> (<c>Rules/pl.yaml</c> → <c>Rules/pl.model.json</c>).</summary>
    public static string PathBeside(string rulePackPath)
    {
        ArgumentNullException.ThrowIfNull(rulePackPath);
        return Path.Combine(Path.GetDirectoryName(rulePackPath) ?? "", Path.GetFileNameWithoutExtension(rulePackPath) + FileSuffix);
    }

    /// <summary>The classifier of <paramref name="phraseClass"/>, or null when none was trained.</summary>
    public PhraseClassifier? For(string phraseClass) => _classifiers.GetValueOrDefault(phraseClass);

    /// <summary>
    /// The verdict on an utterance with <paramref name="features"/> for <paramref name="phraseClass"/> when its
    /// probability is at least <paramref name="threshold"/>; null otherwise or when the class has no classifier.
    /// </summary>
    public ModelVerdict? Judge(string phraseClass, string[] features, double threshold)
    {
        var classifier = For(phraseClass);
        if (classifier is null || features.Length == 0)
        {
            return null;
        }

        var probability = classifier.Probability(features);
        return probability >= threshold ? new ModelVerdict(probability, classifier.NearestExample(features)) : null;
    }

    /// <summary>Writes the model to <paramref name="path"/> (UTF-8 JSON, deterministic).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, ToJson());
    }

    /// <summary>The model as UTF-8 JSON bytes.</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("language", Language);
            w.WriteString("training_data_sha256", TrainingDataHash);
            w.WriteString("examples_sha256", ExamplesHash);
            w.WriteString("trainer", Trainer);
            w.WriteStartArray("classes");
            foreach (var classifier in _classifiers.Values.OrderBy(c => PhraseClasses.Order(c.PhraseClass)).ThenBy(c => c.PhraseClass, StringComparer.Ordinal))
            {
                var counts = ExampleCounts.GetValueOrDefault(classifier.PhraseClass);
                w.WriteStartObject();
                w.WriteString("class", classifier.PhraseClass);
                w.WriteNumber("positive_examples", counts.Positive);
                w.WriteNumber("negative_examples", counts.Negative);
                w.WriteNumber("bias", classifier.Bias);
                w.WriteNumber("calibration_slope", classifier.Slope);
                w.WriteNumber("calibration_offset", classifier.Offset);
                w.WriteStartObject("weights");
                foreach (var (feature, weight) in classifier.Weights)
                {
                    w.WriteNumber(feature, weight);
                }

                w.WriteEndObject();
                w.WriteStartArray("positive_sentences");
                foreach (var text in classifier.PositiveExamples)
                {
                    w.WriteStringValue(text);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Reads a model file; <paramref name="featurize"/> featurizes the cited examples the way the checks will.</summary>
    /// <exception cref="LearnedModelException">The file cannot be read or is not a model file.</exception>
    public static LearnedModel Load(string path, Func<string, string[]> featurize)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(featurize);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LearnedModelException(path, $"cannot read the model file: {e.Message}", e);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != Format)
            {
                throw new LearnedModelException(path, $"not a QualityScan learned model (expected \"format\": \"{Format}\"; make it with qualityscan learn)");
            }

            var classifiers = new List<PhraseClassifier>();
            var counts = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
            foreach (var c in root.GetProperty("classes").EnumerateArray())
            {
                var name = c.GetProperty("class").GetString() ?? "";
                if (!PhraseClasses.All.Contains(name) && !PhraseClasses.IsDefined(name))
                {
                    throw new LearnedModelException(path, $"unknown phrase class '{name}' (known: {string.Join(", ", PhraseClasses.All)}, or a defined check's check.class)");
                }

                var weights = c.GetProperty("weights").EnumerateObject().Select(p => new KeyValuePair<string, float>(p.Name, p.Value.GetSingle()));
                var positives = c.GetProperty("positive_sentences").EnumerateArray().Select(e => e.GetString() ?? "").Select(t => (t, featurize(t)));
                classifiers.Add(new PhraseClassifier(name, c.GetProperty("bias").GetSingle(), c.GetProperty("calibration_slope").GetSingle(),
                    c.GetProperty("calibration_offset").GetSingle(), weights, positives));
                counts[name] = (c.GetProperty("positive_examples").GetInt32(), c.GetProperty("negative_examples").GetInt32());
            }

            return new LearnedModel(root.GetProperty("language").GetString() ?? "", root.GetProperty("training_data_sha256").GetString() ?? "",
                root.GetProperty("examples_sha256").GetString() ?? "", root.GetProperty("trainer").GetString() ?? "", classifiers, counts);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LearnedModelException(path, $"malformed model file ({e.Message}); re-create it with qualityscan learn", e);
        }
    }

    /// <summary>A short description for logs: language, classes and the training-data hash.</summary>
    public override string ToString() =>
        new StringBuilder().Append(Language).Append(": ").Append(string.Join(", ", _classifiers.Keys.OrderBy(PhraseClasses.Order).ThenBy(k => k, StringComparer.Ordinal)))
            .Append(" (training data ").Append(TrainingDataHash.AsSpan(0, Math.Min(12, TrainingDataHash.Length))).Append(')').ToString();
}
