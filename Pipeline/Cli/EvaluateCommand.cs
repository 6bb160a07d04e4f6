using System.Globalization;
using System.Text;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Evaluation;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan evaluate &lt;scan output folder&gt; &lt;expected.csv&gt; [--min-agreement X]</c>.</summary>
public sealed class EvaluateCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "evaluate";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("evaluate", """
        Compares calls.csv with the expected outcome per call and check: precision, recall and agreement per check, and every
        disagreement with its evidence. With --learning (implied by --reviews), re-judges the scan's transcripts and prints
        agreement per check with the phrases alone, with the learned model, and cross-validated over the calls and reviews.
        """)
    {
        Arguments =
        [
            new ArgumentSpec("scan output folder", "A folder with the calls.csv and findings.csv of a scan (not with --set).", Required: false),
            new ArgumentSpec("expected.csv", "call_id and one column per check (pass/fail/n/a) (not with --set).", Required: false),
        ],
        Options =
        [
            new("min-agreement", "Exit 1 when any check's agreement is below this (0-1).") { ValueName = "X", Default = "none, always exit 0 after a comparison" },
            OptionSpec.Flag("learning", "Also compare the phrases alone, the learned model and a cross-validated model, per check."),
            new("reviews", "A coach review sheet (coach/<agent>-review.xlsx or .csv, as the coach saved it) to learn from and evaluate with.") { ValueName = "file", Repeatable = true, Default = "none" },
            new("rules", "Rule pack file or folder used to re-judge the transcripts.") { ValueName = "file|folder", Default = "the shipped packs" },
            new("transcripts", "Folder of transcripts to re-judge.") { ValueName = "folder", Default = "<scan output folder>/transcripts" },
            new("folds", "Folds of the cross-validation.") { ValueName = "N", Default = "5" },
            new("set", "A phrasing evaluation set (utterances-<lang>.tsv, calls-<lang>.txt): agreement per phrase class and per check, phrases alone and with the learned layer, instead of comparing a scan.") { ValueName = "folder", Default = "none" },
            new("half", "Which half of --set to judge: held (held out, never tuned on), tune, or all.") { ValueName = "held|tune|all", Default = "held" },
            OptionSpec.Flag("disagreements", "With --set, also list every utterance and call judged otherwise than expected (with the learned layer)."),
        ],
    };


    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        if (parsed.Value("set") is { } setFolder)
        {
            return Task.FromResult(PhrasingSetReport.Run(setFolder, parsed.Value("half") ?? PhrasingSet.HeldOut, parsed.Value("rules"), parsed.Has("disagreements")));
        }

        var folder = parsed.RequiredPositional(0, "the scan output folder");
        var expected = parsed.RequiredPositional(1, "the expected.csv file");
        double? minimum = null;
        if (parsed.Value("min-agreement") is { } text)
        {
            minimum = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1
                ? v
                : throw new UsageException($"--min-agreement takes a number from 0 to 1 (got '{text}')");
        }

        if (!File.Exists(Path.Combine(folder, "calls.csv")))
        {
            Console.Error.WriteLine($"qualityscan evaluate: {Path.Combine(folder, "calls.csv")} does not exist (run scan first)");
            return Task.FromResult(ExitCodes.Failure);
        }

        if (!File.Exists(expected))
        {
            Console.Error.WriteLine($"qualityscan evaluate: {expected} does not exist");
            return Task.FromResult(ExitCodes.Failure);
        }

        var result = Evaluator.Evaluate(folder, expected);
        Console.Out.Write(Format(result));
        if (parsed.Has("learning") || parsed.Values("reviews").Count > 0)
        {
            var code = EvaluateLearning(parsed, folder, expected);
            if (code != ExitCodes.Success)
            {
                return Task.FromResult(code);
            }
        }
        if (minimum is { } min)
        {
            var below = result.Checks.Where(c => c.Agreement < min).ToList();
            if (below.Count > 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"qualityscan evaluate: agreement below {min:0.00} for {string.Join(", ", below.Select(c => c.CheckId))}"));
                return Task.FromResult(ExitCodes.Failure);
            }
        }

        return Task.FromResult(ExitCodes.Success);
    }

    /// <summary>The learning table: agreement per check with phrases alone, with the learned model, and cross-validated.</summary>
    public static string FormatLearning(LearningEvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string Ratio(int agreed, int compared) => compared == 0 ? "-" : ((double)agreed / compared).ToString("0.00", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"learning: {result.Calls} call(s) re-judged from their transcripts, {result.ReviewMoments} reviewed moment(s), {result.Folds}-fold cross-validation"));
        sb.AppendLine("check          calls    phrases    learned  cross-validated");
        foreach (var c in result.Checks)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.CheckId,-13} {c.Compared,6} {Ratio(c.PhrasesAgreed, c.Compared),10} {Ratio(c.LearnedAgreed, c.Compared),10} {Ratio(c.CrossValidatedAgreed, c.Compared),16}"));
        }

        int total = result.Checks.Sum(c => c.Compared);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{"all",-13} {total,6} {Ratio(result.Checks.Sum(c => c.PhrasesAgreed), total),10} {Ratio(result.Checks.Sum(c => c.LearnedAgreed), total),10} {Ratio(result.Checks.Sum(c => c.CrossValidatedAgreed), total),16}"));
        foreach (var line in result.LearnedFrom)
        {
            sb.AppendLine("learned model, " + line);
        }

        return sb.ToString();
    }

    private static int EvaluateLearning(CommandArguments parsed, string folder, string expected)
    {
        var folds = parsed.Int("folds", 5, 2, 100);
        var transcriptsFolder = parsed.Value("transcripts") ?? Path.Combine(folder, "transcripts");
        foreach (var review in parsed.Values("reviews").Where(r => !File.Exists(r)))
        {
            Console.Error.WriteLine($"qualityscan evaluate: {review} does not exist");
            return ExitCodes.Failure;
        }

        var problems = new List<string>();
        var transcripts = TrainingInput.ReadTranscripts(transcriptsFolder, problems);
        if (transcripts.Count == 0)
        {
            Console.Error.WriteLine($"qualityscan evaluate: no transcripts in {transcriptsFolder}; the learning figures need the words of each call");
            return ExitCodes.Failure;
        }

        try
        {
            var rules = RuleLoading.Load(parsed.Value("rules"));
            var result = LearningEvaluation.Evaluate(rules, transcripts, Evaluator.ReadExpected(expected), parsed.Values("reviews"), folds, problems);
            Console.Out.WriteLine();
            Console.Out.Write(FormatLearning(result));
        }
        catch (Exception e) when (e is RulePackException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"qualityscan evaluate: {e.Message}");
            return ExitCodes.Failure;
        }

        foreach (var problem in problems.Distinct())
        {
            Console.Error.WriteLine($"qualityscan evaluate: {problem}");
        }

        return ExitCodes.Success;
    }

    /// <summary>The evaluation as a plain-text table and a list of disagreements.</summary>
    public static string Format(EvaluationResult result)
    {
        static string Ratio(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "-";
        var sb = new StringBuilder();
        sb.AppendLine("check          calls  agree  agreement  precision  recall   (positive = check failed the call)");
        foreach (var c in result.Checks)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{c.CheckId,-13} {c.Compared,6} {c.Agreed,6} {Ratio(c.Agreement),10} {Ratio(c.Precision),10} {Ratio(c.Recall),7}"));
        }

        var total = result.Checks.Sum(c => c.Compared);
        var agreed = result.Checks.Sum(c => c.Agreed);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"all",-13} {total,6} {agreed,6} {Ratio(total == 0 ? 0 : (double)agreed / total),10}"));
        if (result.MissingCalls.Count > 0)
        {
            sb.AppendLine($"missing from the scan: {string.Join(", ", result.MissingCalls)}");
        }

        sb.AppendLine(result.Disagreements.Count == 0 ? "no disagreements" : $"{result.Disagreements.Count} disagreement(s):");
        foreach (var d in result.Disagreements)
        {
            sb.AppendLine($"  {d.CallId} {d.CheckId}: expected {d.Expected}, reported {d.Reported}; {d.Evidence}");
        }

        return sb.ToString();
    }
}
