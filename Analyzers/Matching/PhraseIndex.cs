using System.Collections.Concurrent;

namespace QualityScan.Analyzers.Matching;

/// <summary>
/// Finds, for one word, the patterns of a phrase list that could start a match at it, so matching does not try every
/// pattern at every word (a rule pack with 100,000 polite phrases would otherwise take seconds per transcript).
/// </summary>
/// <remarks>
/// <para>The candidates are a superset of the patterns that match there, in rule-pack order; each candidate is still
/// matched in full, so results are exactly those of trying every pattern. A pattern is indexed under the alternatives of
/// its first required slot and of the optional slots before it: exact words in a dictionary, stems (<c>mog*</c>) by
/// their first two letters, and words that tolerate one or two misrecognised letters by their deletion neighbourhood
/// (every string left after deleting up to that many letters: two words within that edit distance share one).</para>
/// <para>Candidate lists are cached per word (a night's transcripts reuse a small vocabulary). Thread-safe.</para>
/// </remarks>
internal sealed class PhraseIndex
{
    private const int MaxCachedWords = 200_000;

    private readonly Dictionary<string, List<int>> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Stem, int Pattern)>> _stems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int MaxEdits, List<int> Patterns)> _fuzzyWords = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _fuzzy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly int _maxEdits;

    public PhraseIndex(IReadOnlyList<PhrasePattern> patterns)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            foreach (var (word, isStem, maxEdits) in patterns[i].StartAlternatives())
            {
                if (isStem)
                {
                    Add(_stems, word[..2], (word, i));
                }
                else if (maxEdits == 0)
                {
                    Add(_exact, word, i);
                }
                else
                {
                    _maxEdits = Math.Max(_maxEdits, maxEdits);
                    if (!_fuzzyWords.TryGetValue(word, out var entry))
                    {
                        _fuzzyWords[word] = entry = (maxEdits, []);
                    }

                    entry.Patterns.Add(i);
                }
            }
        }

        // Deletion neighbourhoods of each distinct word once, however many phrases start with it.
        foreach (var (word, (maxEdits, _)) in _fuzzyWords)
        {
            foreach (var key in Deletions(word, maxEdits))
            {
                Add(_fuzzy, key, word);
            }
        }
    }

    /// <summary>Indices of the patterns that may match starting at <paramref name="word"/>, ascending.</summary>
    public int[] Candidates(string word)
    {
        if (_cache.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var found = new SortedSet<int>();
        if (_exact.TryGetValue(word, out var exact))
        {
            found.UnionWith(exact);
        }

        if (word.Length >= 2 && _stems.TryGetValue(word[..2], out var stems))
        {
            foreach (var (stem, pattern) in stems)
            {
                if (word.StartsWith(stem, StringComparison.Ordinal))
                {
                    found.Add(pattern);
                }
            }
        }

        if (_fuzzy.Count > 0)
        {
            foreach (var key in Deletions(word, _maxEdits))
            {
                if (_fuzzy.TryGetValue(key, out var fuzzy))
                {
                    foreach (var candidate in fuzzy)
                    {
                        var (maxEdits, patterns) = _fuzzyWords[candidate];
                        if (candidate == word || EditDistance.IsWithin(candidate, word, maxEdits))
                        {
                            found.UnionWith(patterns);
                        }
                    }
                }
            }
        }

        var result = found.ToArray();
        if (_cache.Count >= MaxCachedWords)
        {
            _cache.Clear();
        }

        _cache.TryAdd(word, result);
        return result;
    }

    /// <summary>The word and every string left after deleting up to <paramref name="count"/> of its letters.</summary>
    private static HashSet<string> Deletions(string word, int count)
    {
        var result = new HashSet<string>(StringComparer.Ordinal) { word };
        var frontier = new List<string> { word };
        for (var round = 0; round < count; round++)
        {
            var next = new List<string>();
            foreach (var item in frontier)
            {
                for (var i = 0; i < item.Length; i++)
                {
                    var shorter = item.Remove(i, 1);
                    if (result.Add(shorter))
                    {
                        next.Add(shorter);
                    }
                }
            }

            frontier = next;
        }

        return result;
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
