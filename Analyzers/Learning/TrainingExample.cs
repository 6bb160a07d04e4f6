namespace QualityScan.Analyzers.Learning;

/// <summary>One labelled sentence a phrase-class classifier learns from.</summary>
/// <param name="PhraseClass">The class (see <see cref="PhraseClasses"/>).</param>
/// <param name="Text">The words, as an agent would say them or as the transcript has them.</param>
/// <param name="IsPositive">True when <paramref name="Text"/> is an instance of the class.</param>
/// <param name="Source">Where it came from, for messages ("pl.yaml", "coach/akowalska-review.csv:12").</param>
public sealed record TrainingExample(string PhraseClass, string Text, bool IsPositive, string Source);
