using QualityScan.Analyzers;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Pipeline.Cli;

/// <summary>Loads the rule packs a run uses from the <c>--rules</c> option.</summary>
public static class RuleLoading
{
    /// <summary>The cache folder of the models trained at start: <c>learned-models</c> beside the history file.</summary>
    public static string ModelCacheBeside(string historyPath)
    {
        ArgumentNullException.ThrowIfNull(historyPath);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(historyPath)) ?? ".", ModelCacheFolderName);
    }

    /// <summary>The name of the model cache folder.</summary>
    public const string ModelCacheFolderName = "learned-models";

    /// <summary>
    /// The packs of <paramref name="rulesOption"/> (see <see cref="Load(string?)"/>) with the learned layer on: a pack without a
    /// usable model of its own gets one trained from its examples at start, or read from <paramref name="modelCache"/> where a
    /// run stored the model of the same training data (see <see cref="StartupModel"/>); <see cref="RuleBook.ModelNotes"/> says which.
    /// </summary>
    public static RuleBook LoadWithLearning(string? rulesOption, string? modelCache)
    {
        var book = Load(rulesOption);
        // Packs train independently (each with its own seeded ML.NET context), so they train side by side.
        return new RuleBook(book.Languages.Order(StringComparer.Ordinal).AsParallel().AsOrdered()
            .Select(l => StartupModel.Ensure(book.For(l).Pack, modelCache, [])).ToList());
    }

    /// <summary>
    /// No option: the shipped packs (<c>Rules/*.yaml</c> beside the program). A folder: every pack in it.
    /// A file: that pack replaces the shipped pack of its language; the other languages keep theirs.
    /// </summary>
    /// <exception cref="RulePackException">A rule file is invalid (the message names file, line and key).</exception>
    public static RuleBook Load(string? rulesOption)
    {
        if (rulesOption is null)
        {
            return RuleBook.Load();
        }

        if (Directory.Exists(rulesOption))
        {
            return RuleBook.Load(rulesOption);
        }

        if (!File.Exists(rulesOption))
        {
            throw new UsageException($"--rules: {rulesOption} is neither a rule file nor a folder of them");
        }

        var pack = RulePackLoader.Load(rulesOption);
        var shipped = RuleBook.Load();
        var others = shipped.Languages.Where(l => l != pack.Language).Select(l => shipped.For(l).Pack);
        return new RuleBook(others.Append(pack));
    }
}
