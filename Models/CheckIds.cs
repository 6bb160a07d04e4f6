namespace QualityScan.Models;

/// <summary>The ids of the checks, as they appear in rule packs and report columns.</summary>
public static class CheckIds
{
    public const string Greeting = "greeting";
    public const string Interruption = "interruption";
    public const string Politeness = "politeness";
    public const string DontKnow = "dont_know";
    public const string Closing = "closing";

    /// <summary>All checks in report column order.</summary>
    public static IReadOnlyList<string> All { get; } = [Greeting, Interruption, Politeness, DontKnow, Closing];
}
