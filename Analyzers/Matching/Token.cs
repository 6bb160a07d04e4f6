namespace QualityScan.Analyzers.Matching;

/// <summary>One word of an utterance after normalisation, with its place in the original text.</summary>
/// <param name="Text">The folded word: lower case, no diacritics, no punctuation ("dziekuje").</param>
/// <param name="Start">Index of the word's first character in the original text.</param>
/// <param name="Length">Length of the word in the original text.</param>
/// <param name="Sentence">Number of the sentence the word belongs to (sentences end at . ? ! or …).</param>
/// <param name="IsFiller">True for hesitation sounds ("eee", "yyy") that matching skips.</param>
/// <param name="IsNegation">True for a negation word ("nie") that a gap may never skip.</param>
public readonly record struct Token(string Text, int Start, int Length, int Sentence, bool IsFiller, bool IsNegation)
{
    /// <summary>Index just past the word's last character in the original text.</summary>
    public int End => Start + Length;
}
