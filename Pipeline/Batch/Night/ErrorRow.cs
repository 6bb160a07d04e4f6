using QualityScan.Models;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>One row of <c>errors.csv</c>: a call that could not be processed, and why.</summary>
public sealed record ErrorRow
{
    public required string File { get; init; }
    public string? CallId { get; init; }
    public string? AgentId { get; init; }
    public required string Stage { get; init; }
    public required string Reason { get; init; }

    /// <summary>
    /// <see cref="Reason"/> as a sentence of the report messages (<c>report.error_too_short</c>), so the workbook's errors
    /// sheet reads in the report language; its <c>{file}</c> is filled with <see cref="File"/> when shown. Null: the
    /// workbook shows <see cref="Reason"/>. Not a column of <c>errors.csv</c>, whose reasons stay the program's English.
    /// </summary>
    public MessageRef? Detail { get; init; }
}
