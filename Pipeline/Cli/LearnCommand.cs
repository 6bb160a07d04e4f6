using QualityScan.Models.IO;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Evaluation;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan learn --rules &lt;pack&gt; [--reviews &lt;file&gt;...] [--transcripts &lt;folder&gt;] [--out &lt;model file&gt;]</c>.</summary>
public sealed class LearnCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "learn";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("learn", """
        Trains the phrase classifiers of a rule pack from its learning examples and from reviews (coach review sheets or
        expected.csv files). Writes <pack>.model.json beside the pack, where scan and analyze look for it, unless --out.
        """)
    {
        Options =
        [
            new("rules", "Rule pack file, or folder of packs (required).") { ValueName = "pack.yaml|folder" },
            new("reviews", "A coach review sheet (coach/<agent>-review.xlsx or .csv, as the coach saved it) or an expected.csv to learn from.") { ValueName = "file", Repeatable = true, Default = "none: the pack's examples only" },
            new("transcripts", "The scan's transcripts folder, for expected.csv reviews.") { ValueName = "folder", Default = "transcripts/ beside a review file" },
            new("out", "Where to write the model file (one pack only).") { ValueName = "model file", Default = "<pack>.model.json beside the pack" },
        ],
    };

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        if (parsed.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }

        var rules = parsed.Value("rules") ?? throw new UsageException("--rules <pack.yaml or folder> is required");
        var packFiles = Directory.Exists(rules)
            ? Directory.EnumerateFiles(rules, "*.yaml").Order(StringComparer.Ordinal).ToList()
            : File.Exists(rules) ? [rules] : throw new UsageException($"--rules: {rules} is neither a rule file nor a folder of them");
        if (packFiles.Count == 0)
        {
            Console.Error.WriteLine($"qualityscan learn: no *.yaml rule pack in {rules}");
            return Task.FromResult(ExitCodes.Failure);
        }

        var output = parsed.Value("out");
        if (output is not null && packFiles.Count > 1)
        {
            throw new UsageException("--out names one model file; give --rules one pack (or leave --out out to write each model beside its pack)");
        }

        foreach (var review in parsed.Values("reviews").Where(r => !File.Exists(r)))
        {
            Console.Error.WriteLine($"qualityscan learn: {review} does not exist");
            return Task.FromResult(ExitCodes.Failure);
        }

        var code = ExitCodes.Success;
        foreach (var packFile in packFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                LearnOne(packFile, parsed.Values("reviews"), parsed.Value("transcripts"), output ?? LearnedModel.PathBeside(packFile));
            }
            catch (Exception e) when (e is RulePackException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"qualityscan learn: {e.Message}");
                code = ExitCodes.Failure;
            }
        }

        return Task.FromResult(code);
    }

    private static void LearnOne(string packFile, IReadOnlyList<string> reviewFiles, string? transcriptsOption, string output)
    {
        var watch = Stopwatch.StartNew();
        var pack = RulePackLoader.Parse(File.ReadAllText(packFile), packFile);
        if (pack.Learning.Examples.Count == 0)
        {
            throw new InvalidDataException($"{packFile}: no learning.examples section, nothing to learn from (see the shipped pl.yaml)");
        }

        var problems = new List<string>();
        var moments = new List<ReviewedMoment>();
        foreach (var file in reviewFiles)
        {
            var transcripts = TrainingInput.ReadTranscripts(transcriptsOption ?? TrainingInput.TranscriptsBeside(file), problems);
            moments.AddRange(TrainingInput.Read(file, pack, transcripts, problems));
        }

        var result = ReviewLearning.Learn(pack, moments);
        var bytes = result.Model.ToJson();
        AtomicFile.Write(output, stream => stream.Write(bytes));

        var o = Console.Out;
        o.WriteLine($"{Path.GetFileName(packFile)} ({pack.Language}): trained {result.Model.Classifiers.Count} classifier(s) in {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        o.WriteLine("  class                 positive  negative  (examples + reviews; negatives include neutral sentences and other classes)");
        foreach (var phraseClass in result.Model.ExampleCounts.Keys.OrderBy(PhraseClasses.Order).ThenBy(k => k, StringComparer.Ordinal))
        {
            if (result.Model.ExampleCounts.TryGetValue(phraseClass, out var counts))
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phraseClass,-20} {counts.Positive,9} {counts.Negative,9}"));
            }
        }

        if (reviewFiles.Count > 0)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  reviews: {moments.Count} moment(s); {result.Uses[ReviewUse.Used]} gave {result.ReviewExamples.Count} sentence(s), {result.Uses[ReviewUse.ContradictsPhrase]} overrule a phrase, {result.Uses[ReviewUse.Ambiguous]} ambiguous, {result.Uses[ReviewUse.NotLearnable]} nothing to learn"));
            foreach (var moment in result.ContradictedPhrases.Take(20))
            {
                o.WriteLine($"    edit the phrase list: {moment.Source} {moment.CheckId} \"{moment.Evidence}\" should be {moment.CorrectOutcome?.ToString().ToLowerInvariant()}");
            }
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"qualityscan learn: {problem}");
        }

        o.WriteLine($"  model: {output} ({(bytes.Length / 1024.0).ToString("0", CultureInfo.InvariantCulture)} KiB, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))})");
        o.WriteLine($"  training data sha256 {result.Model.TrainingDataHash}");
        if (Path.GetFullPath(output) != Path.GetFullPath(LearnedModel.PathBeside(packFile)))
        {
            o.WriteLine($"  note: the checks use the model only at {LearnedModel.PathBeside(packFile)}");
        }
    }
}
