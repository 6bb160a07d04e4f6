namespace QualityScan.Analyzers;

/// <summary>A call in a language for which no rule pack is loaded.</summary>
public sealed class UnsupportedLanguageException : Exception
{
    /// <summary>Creates the exception for <paramref name="language"/>, listing the <paramref name="available"/> languages.</summary>
    public UnsupportedLanguageException(string language, IEnumerable<string> available)
        : base($"No rule pack for language '{language}'; available: {string.Join(", ", available)}.")
    {
        Language = language;
    }

    /// <summary>The language asked for.</summary>
    public string Language { get; }
}
