using System.Text;

namespace QualityScan.Analyzers.Matching;

/// <summary>
/// Turns transcribed text into <see cref="NormalizedText"/>: words folded by <see cref="TextFolding"/>,
/// punctuation removed (sentence ends remembered), fillers and negations marked.
/// </summary>
/// <remarks>
/// A word is a run of letters and digits (combining marks included); anything else separates words, so
/// "e-mail" is two words. A token is a filler when it equals a filler word, or when it has a doubled letter
/// and squeezing repeats gives a squeezed filler: with "eee" and "hmm" listed, "eeeee" and "hmmmm" are fillers
/// too, while a lone "a" is not. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class TextNormalizer
{
    private readonly HashSet<string> _fillers;
    private readonly HashSet<string> _squeezedFillers;
    private readonly HashSet<string> _negations;

    /// <summary>Creates a normaliser for one language's filler and negation words (any spelling; they are folded here).</summary>
    public TextNormalizer(IEnumerable<string> fillerWords, IEnumerable<string> negationWords)
    {
        ArgumentNullException.ThrowIfNull(fillerWords);
        ArgumentNullException.ThrowIfNull(negationWords);
        _fillers = new HashSet<string>(fillerWords.Select(TextFolding.Fold), StringComparer.Ordinal);
        _squeezedFillers = new HashSet<string>(_fillers.Select(Squeeze), StringComparer.Ordinal);
        _negations = new HashSet<string>(negationWords.Select(TextFolding.Fold), StringComparer.Ordinal);
    }

    /// <summary>Splits and folds <paramref name="text"/>.</summary>
    public NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>(text.Length / 5 + 1);
        var word = new StringBuilder(16);
        var sentence = 0;
        var sentenceEnded = false;
        var wordStart = -1;

        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var inWord = char.IsLetterOrDigit(c) || (wordStart >= 0 && TextFolding.IsCombiningMark(c));
            if (inWord)
            {
                if (wordStart < 0)
                {
                    wordStart = i;
                    if (sentenceEnded && tokens.Count > 0)
                    {
                        sentence++;
                    }

                    sentenceEnded = false;
                }

                if (!TextFolding.IsCombiningMark(c))
                {
                    word.Append(TextFolding.Fold(c));
                }

                continue;
            }

            if (wordStart >= 0)
            {
                var folded = word.ToString();
                tokens.Add(new Token(folded, wordStart, i - wordStart, sentence, IsFiller(folded), _negations.Contains(folded)));
                word.Clear();
                wordStart = -1;
            }

            // A dot between two letters ("E.ON", "T.Mobile") joins an abbreviation or a name, it does not end a sentence.
            var insideName = c == '.' && i > 0 && i + 1 < text.Length && char.IsLetter(text[i - 1]) && char.IsLetter(text[i + 1]);
            if (c is '.' or '?' or '!' or '…' && !insideName)
            {
                sentenceEnded = true;
            }
        }

        return new NormalizedText(text, tokens);
    }

    /// <summary>The folded, non-filler words of <paramref name="text"/> (for building patterns from metadata such as an agent's name).</summary>
    public IReadOnlyList<string> Words(string text) => Normalize(text).Words.Select(t => t.Text).ToArray();

    private bool IsFiller(string folded)
    {
        if (_fillers.Contains(folded))
        {
            return true;
        }

        return HasDoubledLetter(folded) && _squeezedFillers.Contains(Squeeze(folded));
    }

    private static bool HasDoubledLetter(string word)
    {
        for (var i = 1; i < word.Length; i++)
        {
            if (word[i] == word[i - 1])
            {
                return true;
            }
        }

        return false;
    }

    private static string Squeeze(string word)
    {
        var builder = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (builder.Length == 0 || builder[^1] != c)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
