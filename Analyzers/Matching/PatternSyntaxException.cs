namespace QualityScan.Analyzers.Matching;

/// <summary>A phrase pattern that does not follow the pattern syntax (see <see cref="PhrasePattern"/>).</summary>
public sealed class PatternSyntaxException : FormatException
{
    /// <summary>Creates the exception for <paramref name="pattern"/> with the reason it is invalid.</summary>
    public PatternSyntaxException(string pattern, string reason)
        : base($"invalid phrase pattern \"{pattern}\": {reason}")
    {
        Pattern = pattern;
        Reason = reason;
    }

    /// <summary>The offending pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
