namespace QualityScan.Models;

/// <summary>
/// One sentence already worded in several report languages ("pl", "cs", "en"): the names, findings and summaries of
/// checks a QA lead defined in a rule pack, which carry their own translations instead of keys in the shipped
/// messages files.
/// </summary>
/// <param name="ByLanguage">The text per language code.</param>
public sealed record LocalText(IReadOnlyDictionary<string, string> ByLanguage)
{
    /// <summary>The text in <paramref name="language"/>, else the English one, else any.</summary>
    public string For(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return ByLanguage.TryGetValue(language, out var text) ? text
            : ByLanguage.TryGetValue("en", out var english) ? english
            : ByLanguage.Values.FirstOrDefault() ?? "";
    }
}
