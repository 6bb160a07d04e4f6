namespace QualityScan.Pipeline.Config;

/// <summary>A <c>qualityscan.yaml</c> that cannot be used; the message starts with "file:line: key:" like a rule-pack error.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="problem"/> at <paramref name="line"/> under <paramref name="key"/>.</summary>
    public ConfigException(string filePath, int? line, string? key, string problem, Exception? innerException = null)
        : base(Format(filePath, line, key, problem), innerException)
    {
        FilePath = filePath;
        Line = line;
        Key = key;
    }

    /// <summary>The configuration file.</summary>
    public string FilePath { get; }

    /// <summary>1-based line of the problem, when known.</summary>
    public int? Line { get; }

    /// <summary>The key concerned ("file_names.pattern"), when known.</summary>
    public string? Key { get; }

    private static string Format(string filePath, int? line, string? key, string problem)
    {
        var location = line is null ? filePath : $"{filePath}:{line}";
        return string.IsNullOrEmpty(key) ? $"{location}: {problem}" : $"{location}: {key}: {problem}";
    }
}
