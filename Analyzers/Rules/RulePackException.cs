namespace QualityScan.Analyzers.Rules;

/// <summary>A rule pack file that cannot be used: missing, not valid YAML, or not following the rule-pack schema.</summary>
/// <remarks>The message always starts with "file:line: key:" so a QA lead can find the mistake.</remarks>
public sealed class RulePackException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/> under <paramref name="key"/> in <paramref name="filePath"/>.</summary>
    public RulePackException(string filePath, int? line, string? key, string problem, Exception? innerException = null)
        : base(Format(filePath, line, key, problem), innerException)
    {
        FilePath = filePath;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>The rule file.</summary>
    public string FilePath { get; }

    /// <summary>1-based line of the problem, when it has one (a missing file has none).</summary>
    public int? Line { get; }

    /// <summary>Dotted path of the key concerned ("checks.greeting.weight"), when known.</summary>
    public string? Key { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Format(string filePath, int? line, string? key, string problem)
    {
        var location = line is null ? filePath : $"{filePath}:{line}";
        return string.IsNullOrEmpty(key) ? $"{location}: {problem}" : $"{location}: {key}: {problem}";
    }
}
