namespace QualityScan.Analyzers.Matching;

/// <summary>Where a phrase pattern matched inside one utterance.</summary>
/// <param name="Pattern">The pattern as written in the rule pack.</param>
/// <param name="FirstWord">Index of the first matched word in <see cref="NormalizedText.Words"/>.</param>
/// <param name="LastWord">Index of the last matched word.</param>
/// <param name="Quote">The original words from the first to the last matched word, exactly as transcribed.</param>
public sealed record PhraseMatch(string Pattern, int FirstWord, int LastWord, string Quote);
