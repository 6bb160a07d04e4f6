namespace QualityScan.Models;

/// <summary>The ids of the checks, as they appear in rule packs and report columns.</summary>
public static class CheckIds
{
    public const string Greeting = "greeting";
    public const string Interruption = "interruption";
    public const string Politeness = "politeness";
    public const string DontKnow = "dont_know";
    public const string Closing = "closing";

    /// <summary>The five checks of the mission, written in code, in report column order.</summary>
    /// <remarks>
    /// A rule pack adds the checks it defines after these (see <c>RulePack.CheckIds</c>); reports take their columns
    /// from the results (<see cref="Of"/>), never from this list alone.
    /// </remarks>
    public static IReadOnlyList<string> All { get; } = [Greeting, Interruption, Politeness, DontKnow, Closing];

    /// <summary>
    /// The checks the given calls were judged on, in report column order: the five of <see cref="All"/>, then every
    /// other check in the order the calls' results first name it (the rule pack's order).
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<CallReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return Ordered(reports.SelectMany(r => r.Results).Select(r => r.CheckId));
    }

    /// <summary>The five of <see cref="All"/>, then the other ids of <paramref name="ids"/> once each, in the order first named.</summary>
    public static IReadOnlyList<string> Ordered(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var ordered = new List<string>(All);
        var seen = new HashSet<string>(All, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (seen.Add(id))
            {
                ordered.Add(id);
            }
        }

        return ordered;
    }

    /// <summary>The display name a rule pack gave each check it defines (by check id), from the calls' results.</summary>
    public static IReadOnlyDictionary<string, LocalText> NamesOf(IEnumerable<CallReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var names = new Dictionary<string, LocalText>(StringComparer.Ordinal);
        foreach (var result in reports.SelectMany(r => r.Results))
        {
            if (result.LocalName is { } name)
            {
                names.TryAdd(result.CheckId, name);
            }
        }

        return names;
    }
}
