using System.Security.Cryptography;
using System.Text;

namespace QualityScan.Analyzers.Learning;

/// <summary>The <c>learning</c> section of a rule pack: example sentences per phrase class and the score a learned model must reach.</summary>
/// <param name="Threshold">A learned classifier's probability must be at least this (0-1) to count where the phrases found nothing.</param>
/// <param name="Examples">Examples per phrase class (see <see cref="PhraseClasses"/>; a pack-defined check's classes as
/// <see cref="PhraseClasses.Defined"/> names them); a class without examples gets no classifier.</param>
/// <param name="Neutral">Ordinary agent sentences that belong to no class: negatives for every classifier.</param>
public sealed record LearningRules(double Threshold, IReadOnlyDictionary<string, ClassExamples> Examples, IReadOnlyList<string> Neutral)
{
    /// <summary>Default threshold when a pack has no <c>learning</c> section.</summary>
    public const double DefaultThreshold = 0.7;

    /// <summary>No examples (a pack without a <c>learning</c> section).</summary>
    public static LearningRules None { get; } = new(DefaultThreshold, new Dictionary<string, ClassExamples>(), []);

    /// <summary>The classes with examples: the mission classes in <see cref="PhraseClasses.All"/> order, then the defined checks' by name.</summary>
    public IEnumerable<string> Classes =>
        PhraseClasses.All.Where(Examples.ContainsKey).Concat(Examples.Keys.Where(PhraseClasses.IsDefined).Order(StringComparer.Ordinal));

    /// <summary>The pack's examples as training examples; <paramref name="source"/> names the pack in messages.</summary>
    public IEnumerable<TrainingExample> ToTrainingExamples(string source)
    {
        foreach (var phraseClass in Classes)
        {
            var examples = Examples[phraseClass];

            foreach (var text in examples.Positive)
            {
                yield return new TrainingExample(phraseClass, text, true, source);
            }

            foreach (var text in examples.Negative)
            {
                yield return new TrainingExample(phraseClass, text, false, source);
            }
        }
    }

    /// <summary>SHA-256 (hex) of the examples, so a learned model can tell whether it was trained on the pack as it is now.</summary>
    public string ExamplesHash()
    {
        var sb = new StringBuilder();
        foreach (var phraseClass in Classes)
        {
            if (Examples.TryGetValue(phraseClass, out var examples))
            {
                foreach (var text in examples.Positive)
                {
                    sb.Append(phraseClass).Append("\t+\t").Append(text).Append('\n');
                }

                foreach (var text in examples.Negative)
                {
                    sb.Append(phraseClass).Append("\t-\t").Append(text).Append('\n');
                }
            }
        }

        foreach (var text in Neutral)
        {
            sb.Append("neutral\t-\t").Append(text).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
