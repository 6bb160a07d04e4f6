using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Pipeline.Cli;

/// <summary>Loads the rule packs a run uses from the <c>--rules</c> option.</summary>
public static class RuleLoading
{
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
