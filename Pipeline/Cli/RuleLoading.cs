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
    public static RuleBook LoadWithLearning(string? rulesOption, string? modelCache) => LoadWithLearning(rulesOption, modelCache, null, []);

    /// <summary>
    /// As <see cref="LoadWithLearning(string?, string?)"/>, the coaches' review sheets found in <paramref name="reviewsFolder"/>
    /// (and below it: <c>&lt;agent&gt;-review.xlsx</c>, or <c>.csv</c> where no .xlsx stands beside it) adding their sentences
    /// to each pack's examples. A sheet that cannot be read is a line in <paramref name="problems"/>, never the end of the run.
    /// </summary>
    public static RuleBook LoadWithLearning(string? rulesOption, string? modelCache, string? reviewsFolder, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var book = Load(rulesOption);
        var sheets = reviewsFolder is null ? [] : ReviewSheetsIn(reviewsFolder);
        var found = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // Packs train independently (each with its own seeded ML.NET context), so they train side by side.
        var packs = book.Languages.Order(StringComparer.Ordinal).AsParallel().AsOrdered()
            .Select(l => book.For(l).Pack)
            .Select(pack => StartupModel.Ensure(pack, modelCache, ReviewedExamples(pack, modelCache, sheets, found)))
            .ToList();
        foreach (var problem in found)
        {
            problems.Add(problem);
        }

        return new RuleBook(packs);
    }

    /// <summary>The review sheets in <paramref name="folder"/> and below, one form per sheet (the .xlsx when both are there: scan keeps them alike).</summary>
    private static IReadOnlyList<string> ReviewSheetsIn(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"--reviews: {folder} is not a folder of review sheets");
        }

        var files = Directory.EnumerateFiles(folder, "*-review.*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => f.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Where(f => !f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || !files.Contains(Path.ChangeExtension(f, ".xlsx"))).ToList();
    }

    /// <summary>The sentences the reviewed moments of <paramref name="sheets"/> teach <paramref name="pack"/> (those of calls in its language).</summary>
    private static IReadOnlyList<Analyzers.Learning.TrainingExample> ReviewedExamples(RulePack pack, string? modelCache, IReadOnlyList<string> sheets,
        System.Collections.Concurrent.ConcurrentQueue<string> problems)
    {
        // A pack with a model of its own (from learn) uses it as it is, so its reviews are not read.
        if (sheets.Count == 0 || pack.Learning.Examples.Count == 0 || pack.Model is not null)
        {
            return [];
        }

        var moments = new List<ReviewedMoment>();
        var notes = new List<string>();
        foreach (var sheet in sheets)
        {
            try
            {
                var transcripts = Evaluation.TrainingInput.ReadTranscripts(Evaluation.TrainingInput.TranscriptsBeside(sheet), notes);
                moments.AddRange(Evaluation.TrainingInput.Read(sheet, pack, transcripts, notes));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                notes.Add($"{sheet}: not used for learning: {ex.Message}");
            }
        }

        foreach (var note in notes)
        {
            problems.Enqueue($"{pack.Language}: {note}");
        }

        if (moments.Count == 0)
        {
            return [];
        }

        // The examples-only model tells which class a reviewed utterance was taken for; it is the one the cache keeps for
        // the pack without reviews, so it is trained once, not at every start.
        var examplesOnly = StartupModel.Ensure(pack, modelCache, []).Model ?? ModelTrainer.Train(pack, []);
        return moments.SelectMany(m => ReviewLearning.ToExamples(pack, examplesOnly, m).Examples).ToList();
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
