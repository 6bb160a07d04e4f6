namespace QualityScan.Analyzers.Matching;

/// <summary>How loosely phrase patterns match transcribed words.</summary>
/// <param name="MaxGapWords">How many extra words may stand between two pattern words ("w czym mogę Panu pomóc" for "w czym mogę pomóc"). Fillers never count.</param>
/// <param name="OneEditFromLength">Pattern words at least this long (after folding) tolerate one misrecognised letter.</param>
/// <param name="TwoEditsFromLength">Pattern words at least this long tolerate two.</param>
/// <remarks>
/// Defaults (<see cref="Default"/>): gap 1, one edit from 5 letters, two edits from 9 letters; shorter words
/// must match exactly, because "nie"/"nic" or "tak"/"tam" differ by one letter and mean different things.
/// </remarks>
public sealed record MatchingOptions(int MaxGapWords, int OneEditFromLength, int TwoEditsFromLength)
{
    /// <summary>Gap 1, one edit from 5 letters, two edits from 9.</summary>
    public static MatchingOptions Default { get; } = new(1, 5, 9);

    /// <summary>How many edits a pattern word of <paramref name="length"/> letters tolerates.</summary>
    public int AllowedEdits(int length) => length >= TwoEditsFromLength ? 2 : length >= OneEditFromLength ? 1 : 0;
}
