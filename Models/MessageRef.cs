namespace QualityScan.Models;

/// <summary>
/// A human-facing sentence named by its key in a per-language messages file, with the values it quotes, so that a
/// report can say it in the reader's language (see <c>Analyzers/Rules/messages.*.yaml</c>).
/// </summary>
/// <param name="Key">The message key ("greeting.missing").</param>
/// <param name="Args">The values of the message's <c>{placeholders}</c>, already formatted (numbers invariant).</param>
public sealed record MessageRef(string Key, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>A message with no placeholders.</summary>
    public static MessageRef Of(string key) => new(key, new Dictionary<string, string>());

    /// <summary>A message with the given placeholder values.</summary>
    public static MessageRef Of(string key, params (string Name, string Value)[] args) =>
        new(key, args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    /// <summary>A placeholder value naming other messages of the same section, shown as their texts joined with ", ".</summary>
    public static string KeyList(IEnumerable<string> keys) => "@" + string.Join(",", keys);
}
