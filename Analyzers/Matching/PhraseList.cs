namespace QualityScan.Analyzers.Matching;

/// <summary>A rule pack's list of equivalent phrase patterns (for example every way to offer help), compiled once.</summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed class PhraseList
{
    /// <summary>From this many patterns on, matching looks candidates up in a <see cref="PhraseIndex"/> instead of trying each.</summary>
    private const int IndexFrom = 32;

    private readonly PhrasePattern[] _patterns;
    private readonly PhraseIndex? _index;

    /// <summary>Wraps already compiled patterns.</summary>
    public PhraseList(IEnumerable<PhrasePattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = patterns.ToArray();
        _index = _patterns.Length >= IndexFrom ? new PhraseIndex(_patterns) : null;
    }

    /// <summary>A list that matches nothing.</summary>
    public static PhraseList Empty { get; } = new([]);

    /// <summary>The patterns, in rule-pack order.</summary>
    public IReadOnlyList<PhrasePattern> Patterns => _patterns;

    /// <summary>Compiles <paramref name="patterns"/>; throws <see cref="PatternSyntaxException"/> on the first malformed one.</summary>
    public static PhraseList Parse(IEnumerable<string> patterns, MatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return new PhraseList(patterns.Select(p => PhrasePattern.Parse(p, options)));
    }

    /// <summary>The longest match starting exactly at word <paramref name="word"/>, or null.</summary>
    public PhraseMatch? MatchAt(NormalizedText text, int word)
    {
        ArgumentNullException.ThrowIfNull(text);
        PhrasePattern? best = null;
        var bestLast = -1;
        if (_index is not null)
        {
            if (word < 0 || word >= text.Words.Count)
            {
                return null;
            }

            foreach (var candidate in _index.Candidates(text.Words[word].Text))
            {
                var pattern = _patterns[candidate];
                if (pattern.TryMatchAt(text, word, out var last) && last > bestLast)
                {
                    best = pattern;
                    bestLast = last;
                }
            }
        }
        else
        {
            foreach (var pattern in _patterns)
            {
                if (pattern.TryMatchAt(text, word, out var last) && last > bestLast)
                {
                    best = pattern;
                    bestLast = last;
                }
            }
        }

        return best is null ? null : new PhraseMatch(best.Source, word, bestLast, text.Quote(word, bestLast));
    }

    /// <summary>The leftmost (then longest) match at or after word <paramref name="fromWord"/>, or null.</summary>
    public PhraseMatch? FindFirst(NormalizedText text, int fromWord = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var word = Math.Max(0, fromWord); word < text.Words.Count; word++)
        {
            var match = MatchAt(text, word);
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>Every non-overlapping match, leftmost first and longest at each position ("dziękuję za cierpliwość" counts once, not also as "dziękuję").</summary>
    public IReadOnlyList<PhraseMatch> FindAll(NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<PhraseMatch>? matches = null;
        var word = 0;
        while (word < text.Words.Count)
        {
            var match = MatchAt(text, word);
            if (match is null)
            {
                word++;
                continue;
            }

            (matches ??= []).Add(match);
            word = match.LastWord + 1;
        }

        return matches is null ? [] : matches;
    }
}
