using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers;

/// <summary>
/// The rule packs of every supported language, each loaded and compiled once, analysing any call with the
/// pack of its <see cref="CallMetadata.Language"/>.
/// </summary>
/// <remarks>Immutable and safe to share between parallel workers.</remarks>
public sealed class RuleBook
{
    private readonly Dictionary<string, CallAnalyzer> _analyzers;

    /// <summary>Wraps already loaded packs; two packs for one language are an error.</summary>
    public RuleBook(IEnumerable<RulePack> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        _analyzers = new Dictionary<string, CallAnalyzer>(StringComparer.Ordinal);
        foreach (var pack in packs)
        {
            if (!_analyzers.TryAdd(pack.Language, new CallAnalyzer(pack)))
            {
                throw new ArgumentException($"Two rule packs for language '{pack.Language}': {_analyzers[pack.Language].Pack.SourcePath} and {pack.SourcePath}.", nameof(packs));
            }
        }
    }

    /// <summary>One line per pack about its learned model (used, or why not), for the run's log; empty when no pack has one.</summary>
    public IEnumerable<string> ModelNotes => _analyzers.Values.Select(a => a.Pack)
        .Select(p => p.ModelNote ?? (p.Model is not null ? $"learned model used for {p.Language}: {p.Model} (threshold {p.Learning.Threshold})" : null))
        .OfType<string>();

    /// <summary>The languages with a rule pack.</summary>
    public IReadOnlyCollection<string> Languages => _analyzers.Keys;

    /// <summary>Loads every <c>*.yaml</c> rule pack (not the <c>messages.*.yaml</c> files) in <paramref name="rulesDirectory"/> (default <see cref="RulePackLoader.DefaultDirectory"/>).</summary>
    public static RuleBook Load(string? rulesDirectory = null)
    {
        var directory = rulesDirectory ?? RulePackLoader.DefaultDirectory;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Rule pack folder not found: {directory}");
        }

        return new RuleBook(Directory.EnumerateFiles(directory, "*.yaml").Where(f => !MessageCatalogLoader.IsMessagesFile(f)).Order(StringComparer.Ordinal).Select(RulePackLoader.Load));
    }

    /// <summary>The analyzer for <paramref name="language"/> ("pl", "cs", "pl-PL"); throws <see cref="UnsupportedLanguageException"/> when there is none.</summary>
    public CallAnalyzer For(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return _analyzers.TryGetValue(RulePackLoader.LanguageCode(language), out var analyzer)
            ? analyzer
            : throw new UnsupportedLanguageException(language, _analyzers.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Analyses <paramref name="call"/> with the rule pack of its language.</summary>
    public CallReport Analyze(CallTranscript call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return For(call.Metadata.Language).Analyze(call);
    }
}
