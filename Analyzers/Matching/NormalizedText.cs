namespace QualityScan.Analyzers.Matching;

/// <summary>
/// An utterance's text split into folded words, keeping offsets into the original so that a match can be
/// quoted exactly as it was transcribed.
/// </summary>
public sealed class NormalizedText
{
    internal NormalizedText(string original, IReadOnlyList<Token> tokens)
    {
        Original = original;
        Tokens = tokens;
        Words = tokens.Where(t => !t.IsFiller).ToArray();
    }

    /// <summary>The text as transcribed.</summary>
    public string Original { get; }

    /// <summary>Every word including fillers, in order.</summary>
    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>The words phrases are matched against: every token except fillers.</summary>
    public IReadOnlyList<Token> Words { get; }

    /// <summary>The original text from the start of word <paramref name="firstWord"/> to the end of word <paramref name="lastWord"/> (indices into <see cref="Words"/>), fillers and punctuation between them included.</summary>
    public string Quote(int firstWord, int lastWord)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstWord);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lastWord, Words.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastWord, firstWord);
        var start = Words[firstWord].Start;
        return Original[start..Words[lastWord].End];
    }

    /// <summary>The whole sentence containing word <paramref name="word"/>, quoted from the original (without its final punctuation).</summary>
    public string SentenceQuote(int word)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(word);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(word, Words.Count);
        var sentence = Words[word].Sentence;
        var first = word;
        while (first > 0 && Words[first - 1].Sentence == sentence)
        {
            first--;
        }

        var last = word;
        while (last + 1 < Words.Count && Words[last + 1].Sentence == sentence)
        {
            last++;
        }

        return Quote(first, last);
    }

    /// <summary>True when the word right before <paramref name="word"/>, in the same sentence, is a negation ("nie musi Pan").</summary>
    public bool IsNegated(int word)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(word);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(word, Words.Count);
        return word > 0 && Words[word - 1].IsNegation && Words[word - 1].Sentence == Words[word].Sentence;
    }

    /// <summary>True when words <paramref name="a"/> and <paramref name="b"/> are in the same sentence.</summary>
    public bool SameSentence(int a, int b) => Words[a].Sentence == Words[b].Sentence;
}
