using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Tests.Learning;

/// <summary>The learned layer on by default: trained at start from the pack's examples, cached by the hash of its training data.</summary>
public sealed class StartupModelTests
{
    private string _cache = "";

    [SetUp]
    public void SetUp() => _cache = Directory.CreateTempSubdirectory("qs-model-cache-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_cache, recursive: true);

    [Test]
    public void Ensure_PackWithoutModel_TrainsCachesAndTheNextRunReadsTheSameModel()
    {
        var pack = RulePacks.Polish with { Model = null };

        var first = StartupModel.Ensure(pack, _cache, []);
        var files = Directory.GetFiles(_cache);
        var second = StartupModel.Ensure(pack, _cache, []);

        Assert.That(first.Model, Is.Not.Null, "a new user gets the learned layer without running learn");
        Assert.That(first.ModelNote, Does.StartWith(StartupModel.UsedPrefix).And.Contain("trained at start").And.Contain("cached in"));
        Assert.That(files, Has.Length.EqualTo(1));
        Assert.That(Path.GetFileName(files[0]), Does.StartWith("pl-" + first.Model!.TrainingDataHash[..16]), "named by the hash of the training data");
        Assert.That(second.ModelNote, Does.Contain("read from the cache"));
        Assert.That(second.Model!.ToJson(), Is.EqualTo(first.Model.ToJson()), "the cached model is the model training gives");
        Assert.That(first.Model.ToJson(), Is.EqualTo(ModelTrainer.Train(pack, []).ToJson()), "deterministic: training again gives the same bytes");
    }

    [Test]
    public void Ensure_ExamplesChanged_TrainsAgainUnderANewName()
    {
        var pack = RulePacks.Polish with { Model = null };
        var examples = new Dictionary<string, ClassExamples>(pack.Learning.Examples)
        {
            [PhraseClasses.Farewell] = new([.. pack.Learning.Examples[PhraseClasses.Farewell].Positive, "Trzymaj się cieplutko."], pack.Learning.Examples[PhraseClasses.Farewell].Negative),
        };
        var changed = pack with { Learning = pack.Learning with { Examples = examples } };

        var before = StartupModel.Ensure(pack, _cache, []);
        var after = StartupModel.Ensure(changed, _cache, []);

        Assert.That(after.ModelNote, Does.Contain("trained at start"), "a changed example is not served from the old cache file");
        Assert.That(after.Model!.TrainingDataHash, Is.Not.EqualTo(before.Model!.TrainingDataHash));
        Assert.That(Directory.GetFiles(_cache), Has.Length.EqualTo(2));
    }

    [Test]
    public void Ensure_CacheCannotBeWritten_UsesTheModelAndSaysItIsNotCached()
    {
        var blocked = Path.Combine(_cache, "file");
        File.WriteAllText(blocked, "not a folder");

        var pack = StartupModel.Ensure(RulePacks.Czech with { Model = null }, Path.Combine(blocked, "models"), []);

        Assert.That(pack.Model, Is.Not.Null);
        Assert.That(pack.ModelNote, Does.Contain("not cached"));
    }

    [Test]
    public void Ensure_PackWithItsOwnModel_KeepsItAndWritesNothing()
    {
        var own = ModelTrainer.Train(RulePacks.Polish, [new TrainingExample(PhraseClasses.Farewell, "Trzymaj się cieplutko.", true, "review")]);

        var pack = StartupModel.Ensure(RulePacks.Polish with { Model = own }, _cache, []);

        Assert.That(pack.Model, Is.SameAs(own));
        Assert.That(Directory.GetFiles(_cache), Is.Empty);
    }

    [Test]
    public void Ensure_PackWithoutExamples_StaysWithThePhrases()
    {
        var pack = StartupModel.Ensure(RulePacks.Polish with { Model = null, Learning = LearningRules.None }, _cache, []);

        Assert.That(pack.Model, Is.Null);
    }
}
