using System.Globalization;
using System.Text;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Evaluation;

/// <summary>
/// <c>qualityscan evaluate --set &lt;folder&gt;</c>: judges a <see cref="PhrasingSet"/> with each language's rule pack, with the
/// phrases alone and with the learned layer (the pack's model, else one trained from its examples as a run would), and
/// prints agreement per phrase class and per check.
/// </summary>
public static class PhrasingSetReport
{
    /// <summary>Runs the comparison and prints it; returns the exit code.</summary>
    public static int Run(string folder, string half, string? rulesOption, bool disagreements)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string[] halves = half switch
        {
            PhrasingSet.HeldOut or PhrasingSet.Tuning => [half],
            "all" => [PhrasingSet.Tuning, PhrasingSet.HeldOut],
            _ => throw new UsageException($"--half takes held, tune or all (got '{half}')"),
        };

        PhrasingSet set;
        Analyzers.RuleBook rules;
        try
        {
            set = PhrasingSet.Load(folder);
            rules = RuleLoading.Load(rulesOption);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or RulePackException)
        {
            Console.Error.WriteLine($"qualityscan evaluate: {e.Message}");
            return ExitCodes.Failure;
        }

        Console.Out.Write(Format(set, rules, halves, disagreements));
        return ExitCodes.Success;
    }

    /// <summary>The printed comparison for every language of <paramref name="set"/> that has a rule pack.</summary>
    public static string Format(PhrasingSet set, Analyzers.RuleBook rules, IReadOnlyCollection<string> halves, bool disagreements)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(rules);
        var sb = new StringBuilder();
        var languages = set.Utterances.Select(u => u.Language).Concat(set.Calls.Select(c => c.Transcript.Metadata.Language))
            .Distinct().Where(rules.Languages.Contains).Order(StringComparer.Ordinal);
        foreach (var language in languages)
        {
            var pack = rules.For(language).Pack;
            var model = pack.Model ?? ModelTrainer.Train(pack, []);
            var phrases = PhrasingEvaluation.Score(pack with { Model = null }, set, halves);
            var learned = PhrasingEvaluation.Score(pack with { Model = model }, set, halves);
            sb.AppendLine(Invariant($"{language}: half {string.Join("+", halves)}; learned layer: {model}"));
            sb.AppendLine(Invariant($"  {"phrase class",-14} {"n",4} {"phrases",8} {"learned",8}   near misses accepted (phrases -> learned)"));
            foreach (var phraseClass in PhraseClasses.All.Where(phrases.Classes.ContainsKey))
            {
                var a = phrases.Classes[phraseClass];
                var b = learned.Classes[phraseClass];
                sb.AppendLine(Invariant($"  {phraseClass,-14} {a.Count,4} {a.Agreement,8:0.00} {b.Agreement,8:0.00}   {a.FalsePositives} -> {b.FalsePositives}"));
            }

            sb.AppendLine(Invariant($"  {"check (calls)",-14} {"n",4} {"phrases",8} {"learned",8}"));
            foreach (var (check, a) in phrases.Checks.OrderBy(c => Array.IndexOf(Models.CheckIds.All.ToArray(), c.Key)))
            {
                var b = learned.Checks[check];
                sb.AppendLine(Invariant($"  {check,-14} {a.Count,4} {a.Agreement,8:0.00} {b.Agreement,8:0.00}"));
            }

            if (disagreements)
            {
                foreach (var line in learned.Disagreements)
                {
                    sb.AppendLine("    " + line);
                }
            }
        }

        return sb.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
