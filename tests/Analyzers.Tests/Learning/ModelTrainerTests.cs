using System.Security.Cryptography;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Tests.Learning;

public sealed class ModelTrainerTests
{
    [TestCase("pl")]
    [TestCase("cs")]
    public void Train_SameInputTwice_GivesByteIdenticalModelFiles(string language)
    {
        var pack = language == "cs" ? RulePacks.Czech : RulePacks.Polish;
        TrainingExample[] reviews = [new(PhraseClasses.Commitment, language == "cs" ? "Mrknu na to a ozvu se." : "Zerknę na to i dam znać.", true, "review.csv:2")];

        var first = ModelTrainer.Train(pack, reviews).ToJson();
        var second = ModelTrainer.Train(pack, reviews).ToJson();

        Assert.That(Convert.ToHexString(SHA256.HashData(second)), Is.EqualTo(Convert.ToHexString(SHA256.HashData(first))),
            "learn must be deterministic: same examples and reviews, same model file");
        TestContext.Out.WriteLine($"{language}: model file {first.Length / 1024.0:0.0} KiB");
    }

    [Test]
    public void Train_ExtraReview_ChangesTrainingDataHash()
    {
        var plain = ModelTrainer.Train(RulePacks.Polish, []);
        var reviewed = ModelTrainer.Train(RulePacks.Polish, [new(PhraseClasses.Farewell, "Trzymaj się ciepło.", true, "review.csv:2")]);

        Assert.That(reviewed.TrainingDataHash, Is.Not.EqualTo(plain.TrainingDataHash), "the stored hash must identify the training data");
        Assert.That(reviewed.ExamplesHash, Is.EqualTo(plain.ExamplesHash), "the pack's examples did not change");
    }

    [TestCase("pl")]
    [TestCase("cs")]
    public void Train_DefinedChecksExamples_LeaveTheMissionClassifiersAsTheyWere(string language)
    {
        var pack = language == "cs" ? RulePacks.Czech : RulePacks.Polish;
        var missionOnly = pack with
        {
            Learning = pack.Learning with { Examples = pack.Learning.Examples.Where(e => PhraseClasses.All.Contains(e.Key)).ToDictionary() },
        };

        var withDefined = ModelTrainer.Train(pack, []);
        var without = ModelTrainer.Train(missionOnly, []);

        Assert.That(withDefined.Classifiers, Has.Count.EqualTo(without.Classifiers.Count + 2), "two more classifiers: empathy's frustration and acknowledgement");
        foreach (var phraseClass in PhraseClasses.All)
        {
            Assert.That(withDefined.For(phraseClass)!.Weights, Is.EqualTo(without.For(phraseClass)!.Weights), $"{phraseClass}: the customer's frustration examples are not borrowed as negatives");
        }
    }

    [Test]
    public void SaveAndLoad_RoundTrip_GivesTheSameProbabilities()
    {
        var pack = RulePacks.Polish;
        var model = ModelTrainer.Train(pack, []);
        var path = Path.Combine(Path.GetTempPath(), $"qs-model-{Guid.NewGuid():N}.model.json");
        try
        {
            model.Save(path);
            var loaded = LearnedModel.Load(path, t => TextFeatures.Of(pack.Normalizer.Normalize(t)));
            var features = TextFeatures.Of(pack.Normalizer.Normalize("Wrócę do Pani z odpowiedzią po południu."));
            var classes = model.Classifiers.Select(c => c.PhraseClass).ToList();
            Assert.That(classes, Is.SupersetOf(PhraseClasses.All).And.Contains("empathy.frustration").And.Contains("empathy.acknowledge"),
                "the mission classes and the empathy check's classes, from its examples");
            foreach (var phraseClass in classes)
            {
                Assert.That(loaded.For(phraseClass)!.Probability(features), Is.EqualTo(model.For(phraseClass)!.Probability(features)).Within(1e-6), phraseClass);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class PhraseClassifierParityTests
{
    private static readonly string[] Texts =
    [
        "Z czym Pani do nas dzwoni?", "Wrócę do Pana z odpowiedzią po południu.", "Do zobaczenia, miłego dnia.",
        "Faktura jest już wysłana.", "Musi Pan podpisać umowę.", "Sprawdziłam to wczoraj.",
    ];

    [TestCase("offer_of_help")]
    [TestCase("commitment")]
    [TestCase("farewell")]
    [TestCase("directive")]
    public void Probability_OwnArithmetic_MatchesMlNetsPredictionOfTheSameModel(string phraseClass)
    {
        var pack = RulePacks.Polish;
        var classifier = ModelTrainer.Train(pack, []).For(phraseClass)!;

        var reference = ModelTrainer.MlNetProbabilities(pack, phraseClass, Texts);

        for (var i = 0; i < Texts.Length; i++)
        {
            var own = classifier.Probability(TextFeatures.Of(pack.Normalizer.Normalize(Texts[i])));
            Assert.That(own, Is.EqualTo(reference[i]).Within(1e-4), $"{phraseClass}: \"{Texts[i]}\" scored without an ML.NET engine");
        }
    }
}
