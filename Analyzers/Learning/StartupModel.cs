using System.Diagnostics;
using System.Globalization;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// The learned layer on by default: a rule pack without a usable model beside it gets one trained from its examples
/// (and reviewed sentences) at the start of the run, or read back from a cache folder where an earlier run stored the
/// model trained on the same data.
/// </summary>
/// <remarks>
/// <para>Training is deterministic (see <see cref="ModelTrainer"/>), so a cached model is the model a new training would
/// give. The cache file is named by language and the hash of the training data
/// (<c>&lt;cache&gt;/pl-&lt;16 hex digits&gt;.model.json</c>); a changed example or review gives a new name, and the stale
/// file is left for the operator to remove (a few hundred kilobytes).</para>
/// <para>Shards of one night may train at once into one shared cache: each writes a file of its own and renames it into
/// place, and the contents are identical.</para>
/// </remarks>
public static class StartupModel
{
    /// <summary>The note's start for a model that is used, so a log can tell it from a warning.</summary>
    public const string UsedPrefix = "learned model used";

    /// <summary>
    /// <paramref name="pack"/> with a model: its own (from <c>learn</c>) when it has one, else from
    /// <paramref name="cacheFolder"/>, else trained now and stored there (when <paramref name="cacheFolder"/> is null, kept
    /// in memory only). <see cref="RulePack.ModelNote"/> says which, for the log.
    /// </summary>
    public static RulePack Ensure(RulePack pack, string? cacheFolder, IReadOnlyList<TrainingExample> reviewed)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(reviewed);
        if (pack.Model is not null)
        {
            return pack with { ModelNote = $"{UsedPrefix} for {pack.Language}: {pack.Model} (threshold {Number(pack.Learning.Threshold)}), from {LearnedModel.PathBeside(pack.SourcePath)}" };
        }

        if (pack.Learning.Examples.Count == 0)
        {
            return pack;
        }

        var why = pack.ModelNote ?? "no model beside the pack";
        var hash = ModelTrainer.TrainingDataHash(pack, reviewed);
        var cached = cacheFolder is null ? null : Path.Combine(cacheFolder, $"{pack.Language}-{hash[..16]}{LearnedModel.FileSuffix}");
        if (cached is not null && File.Exists(cached))
        {
            try
            {
                var model = LearnedModel.Load(cached, t => TextFeatures.Of(pack.Normalizer.Normalize(t)));
                if (model.TrainingDataHash == hash && model.Language == pack.Language)
                {
                    return pack with { Model = model, ModelNote = $"{UsedPrefix} for {pack.Language}: {model} (threshold {Number(pack.Learning.Threshold)}), trained on the pack's examples{Reviews(reviewed)} and read from the cache {cached} ({why})" };
                }
            }
            catch (LearnedModelException)
            {
                // A damaged cache file is trained again and replaced.
            }
        }

        var watch = Stopwatch.StartNew();
        var trained = ModelTrainer.Train(pack, reviewed);
        var seconds = watch.Elapsed.TotalSeconds;
        var stored = cached is null ? "kept in memory" : Store(trained, cached);
        return pack with
        {
            Model = trained,
            ModelNote = $"{UsedPrefix} for {pack.Language}: {trained} (threshold {Number(pack.Learning.Threshold)}), trained at start on the pack's examples{Reviews(reviewed)} in {Number(seconds)} s ({why}); {stored}",
        };
    }

    private static string Store(LearnedModel model, string path)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temporary, model.ToJson());
            File.Move(temporary, path, overwrite: true);
            return $"cached in {path}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the model is used from memory either way.
            }

            return $"not cached ({e.Message}): the next run trains it again";
        }
    }

    private static string Reviews(IReadOnlyList<TrainingExample> reviewed) =>
        reviewed.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" and {reviewed.Count} reviewed sentence(s)");

    private static string Number(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}
