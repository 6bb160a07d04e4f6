namespace QualityScan.Analyzers.Rules;

/// <summary>
/// The keys a messages file must hold, grouped in sections (<c>findings</c>, <c>report</c>), and the placeholders
/// each text may use. Every key is required and unknown keys are rejected, like the rule packs.
/// </summary>
public sealed class MessageSchema
{
    private readonly Dictionary<string, Dictionary<string, string[]>> _sections = new(StringComparer.Ordinal);

    /// <summary>The sections in the order they were added.</summary>
    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>Adds a key to a section with the placeholders its text may use; returns this schema.</summary>
    public MessageSchema Add(string section, string key, params string[] placeholders)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!_sections.TryGetValue(section, out var keys))
        {
            keys = new Dictionary<string, string[]>(StringComparer.Ordinal);
            _sections[section] = keys;
        }

        keys[key] = placeholders;
        return this;
    }

    /// <summary>A schema with the keys of this one and of <paramref name="other"/>.</summary>
    public MessageSchema With(MessageSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var merged = new MessageSchema();
        foreach (var schema in new[] { this, other })
        {
            foreach (var (section, keys) in schema._sections)
            {
                foreach (var (key, placeholders) in keys)
                {
                    merged.Add(section, key, placeholders);
                }
            }
        }

        return merged;
    }

    /// <summary>The keys of <paramref name="section"/>.</summary>
    public IReadOnlyCollection<string> KeysOf(string section) => _sections[section].Keys;

    /// <summary>The placeholders the text of <paramref name="section"/>.<paramref name="key"/> may use.</summary>
    public IReadOnlyList<string> PlaceholdersOf(string section, string key) => _sections[section][key];
}
