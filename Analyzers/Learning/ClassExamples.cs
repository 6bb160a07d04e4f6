namespace QualityScan.Analyzers.Learning;

/// <summary>A rule pack's example sentences for one phrase class.</summary>
/// <param name="Positive">Sentences that are instances of the class.</param>
/// <param name="Negative">Near misses that are not (for a commitment: "zapraszam ponownie do kontaktu", "sprawdziłam").</param>
public sealed record ClassExamples(IReadOnlyList<string> Positive, IReadOnlyList<string> Negative);
