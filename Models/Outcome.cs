namespace QualityScan.Models;

/// <summary>The verdict of one check on one call.</summary>
public enum Outcome
{
    Pass,
    Fail,
    NotApplicable,
}

/// <summary>Text forms of <see cref="Outcome"/> used in reports.</summary>
public static class OutcomeText
{
    /// <summary>"pass", "fail" or "n/a".</summary>
    public static string ToReportText(this Outcome outcome) => outcome switch
    {
        Outcome.Pass => "pass",
        Outcome.Fail => "fail",
        _ => "n/a",
    };

    /// <summary>Parses "pass", "fail" or "n/a" (case-insensitive); null for anything else.</summary>
    public static Outcome? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "pass" => Outcome.Pass,
        "fail" => Outcome.Fail,
        "n/a" or "na" => Outcome.NotApplicable,
        _ => null,
    };
}
