namespace QualityScan.Analyzers.Matching;

/// <summary>
/// A compiled phrase pattern: a sequence of word slots matched against the words of an utterance.
/// </summary>
/// <remarks>
/// Syntax, one slot per space-separated item (written with or without diacritics; case and punctuation
/// such as "," or "?" are ignored):
/// <list type="bullet">
/// <item><c>dzień</c>: the word, tolerating misrecognised letters by its length (see <see cref="MatchingOptions"/>);</item>
/// <item><c>pan|pani|panu</c>: any one of the alternatives;</item>
/// <item><c>mog*</c>: any word starting with the stem (mogę, mogłam, mogłem); stems match exactly, because
/// tolerance on a stem over-matches (a fuzzy "dzięk*" would accept "dziecko");</item>
/// <item><c>(jeszcze)</c> or <c>(panu|pani)</c>: an optional slot.</item>
/// </list>
/// Between two matched slots up to <see cref="MatchingOptions.MaxGapWords"/> extra words may stand, but never
/// a negation word and never a sentence end; fillers are invisible. A match never spans two sentences.
/// </remarks>
public sealed class PhrasePattern
{
    private readonly Slot[] _slots;

    private PhrasePattern(string source, Slot[] slots, int maxGap)
    {
        Source = source;
        _slots = slots;
        MaxGapWords = maxGap;
    }

    /// <summary>The pattern as written.</summary>
    public string Source { get; }

    /// <summary>Extra words allowed between two slots.</summary>
    public int MaxGapWords { get; }

    /// <summary>Compiles <paramref name="source"/>; throws <see cref="PatternSyntaxException"/> when it is malformed.</summary>
    public static PhrasePattern Parse(string source, MatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var items = source.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var slots = new List<Slot>(items.Length);
        foreach (var raw in items)
        {
            var item = raw.Trim(',', '.', '?', '!', ';', ':', '…', '"');
            if (item.Length == 0)
            {
                continue;
            }

            var optional = false;
            if (item.StartsWith('('))
            {
                if (!item.EndsWith(')') || item.Length < 3)
                {
                    throw new PatternSyntaxException(source, $"'{raw}' opens '(' without closing it in the same word; an optional slot is one word, e.g. (jeszcze)");
                }

                optional = true;
                item = item[1..^1];
            }

            if (item.Contains('(') || item.Contains(')'))
            {
                throw new PatternSyntaxException(source, $"unexpected parenthesis in '{raw}'");
            }

            var alternatives = item.Split('|').Select(a => ParseAlternative(source, raw, a, options)).ToArray();
            slots.Add(new Slot(alternatives, optional));
        }

        if (slots.Count == 0)
        {
            throw new PatternSyntaxException(source, "the pattern has no words");
        }

        if (slots.All(s => s.Optional))
        {
            throw new PatternSyntaxException(source, "every word is optional, so the pattern would match anything");
        }

        return new PhrasePattern(source, slots.ToArray(), options.MaxGapWords);
    }

    /// <summary>Tries to match with the first word at <paramref name="start"/>; on success gives the index of the last matched word.</summary>
    public bool TryMatchAt(NormalizedText text, int start, out int lastWord)
    {
        ArgumentNullException.ThrowIfNull(text);
        lastWord = -1;
        return start >= 0 && start < text.Words.Count && Match(text.Words, 0, start, -1, ref lastWord);
    }

    /// <inheritdoc/>
    public override string ToString() => Source;

    /// <summary>
    /// The alternatives a word must match for a match to start at it: those of the slots up to and including the first
    /// required one (an optional first word may be absent). Used to index large phrase lists.
    /// </summary>
    internal IEnumerable<(string Word, bool IsStem, int MaxEdits)> StartAlternatives()
    {
        foreach (var slot in _slots)
        {
            foreach (var alternative in slot.Alternatives)
            {
                yield return (alternative.Word, alternative.IsStem, alternative.MaxEdits);
            }

            if (!slot.Optional)
            {
                yield break;
            }
        }
    }

    private bool Match(IReadOnlyList<Token> words, int slotIndex, int start, int previous, ref int lastWord)
    {
        if (slotIndex == _slots.Length)
        {
            lastWord = previous;
            return true;
        }

        var slot = _slots[slotIndex];
        int first;
        int last;
        if (previous < 0)
        {
            first = start;
            last = start;
        }
        else
        {
            first = previous + 1;
            last = Math.Min(previous + 1 + MaxGapWords, words.Count - 1);
        }

        var sentence = previous < 0 ? words[start].Sentence : words[previous].Sentence;
        for (var position = first; position <= last; position++)
        {
            var word = words[position];
            if (word.Sentence != sentence)
            {
                break;
            }

            if (slot.Matches(word.Text) && Match(words, slotIndex + 1, start, position, ref lastWord))
            {
                return true;
            }

            if (word.IsNegation)
            {
                break;
            }
        }

        return slot.Optional && Match(words, slotIndex + 1, start, previous, ref lastWord);
    }

    private static Alternative ParseAlternative(string source, string raw, string text, MatchingOptions options)
    {
        // "=word" matches exactly: for short words whose one-letter neighbours are common other words ("nevím" / "něčím").
        var isExact = text.StartsWith('=');
        if (isExact)
        {
            text = text[1..];
        }

        var isStem = text.EndsWith('*');
        var word = TextFolding.Fold(isStem ? text[..^1] : text);
        if (word.Length == 0)
        {
            throw new PatternSyntaxException(source, $"empty alternative in '{raw}'");
        }

        if (!word.All(char.IsLetterOrDigit))
        {
            throw new PatternSyntaxException(source, $"'{text}' in '{raw}' may contain only letters or digits (with '=' at the start or '*' at the end)");
        }

        if (isStem && word.Length < 2)
        {
            throw new PatternSyntaxException(source, $"the stem '{text}' is too short; a stem needs at least two letters");
        }

        return new Alternative(word, isStem, isStem || isExact ? 0 : options.AllowedEdits(word.Length));
    }

    private sealed record Slot(Alternative[] Alternatives, bool Optional)
    {
        public bool Matches(string word)
        {
            foreach (var alternative in Alternatives)
            {
                if (alternative.Matches(word))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed record Alternative(string Word, bool IsStem, int MaxEdits)
    {
        public bool Matches(string word)
        {
            if (IsStem)
            {
                return word.StartsWith(Word, StringComparison.Ordinal);
            }

            return string.Equals(word, Word, StringComparison.Ordinal)
                || (MaxEdits > 0 && EditDistance.IsWithin(Word, word, MaxEdits));
        }
    }
}
