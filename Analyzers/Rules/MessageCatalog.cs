using System.Text;
using QualityScan.Models;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// The human-facing sentences of one language, read from a messages file (<c>Rules/messages.pl.yaml</c>) by
/// <see cref="MessageCatalogLoader"/>: finding messages and summaries, and the words of the reports.
/// </summary>
/// <remarks>
/// A text may hold <c>{name}</c> placeholders, replaced by the values a <see cref="MessageRef"/> carries. The loader
/// has checked every key of the schema is present and every placeholder known, so formatting never fails on a
/// shipped or validated file. Immutable and safe to share between threads.
/// </remarks>
public sealed class MessageCatalog
{
    private readonly IReadOnlyDictionary<string, string> _texts;

    internal MessageCatalog(string language, string sourcePath, IReadOnlyDictionary<string, string> texts)
    {
        Language = language;
        SourcePath = sourcePath;
        _texts = texts;
    }

    /// <summary>Language code of the file ("pl", "cs", "en").</summary>
    public string Language { get; }

    /// <summary>The file the texts came from.</summary>
    public string SourcePath { get; }

    /// <summary>True when the catalog has <paramref name="key"/> ("report.sheet_agents").</summary>
    public bool Has(string key) => _texts.ContainsKey(key);

    /// <summary>The text of <paramref name="key"/> with no placeholders filled.</summary>
    /// <exception cref="KeyNotFoundException">The key is not in the catalog's schema.</exception>
    public string Text(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _texts.TryGetValue(key, out var text)
            ? text
            : throw new KeyNotFoundException($"{SourcePath}: no message '{key}'");
    }

    /// <summary>The text of <paramref name="key"/> with its placeholders replaced by <paramref name="args"/>.</summary>
    public string Format(string key, IReadOnlyDictionary<string, string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var section = dot > 0 ? key[..(dot + 1)] : "";
        return Fill(Text(key), args, section);
    }

    /// <summary>The text of <paramref name="key"/> with the given placeholder values.</summary>
    public string Format(string key, params (string Name, string Value)[] args) =>
        Format(key, args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    /// <summary>The sentence <paramref name="message"/> names, in this catalog's language.</summary>
    public string Format(MessageRef message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Format(message.Key, message.Args);
    }

    /// <summary>The placeholder names used in <paramref name="text"/>, in order.</summary>
    internal static IEnumerable<string> Placeholders(string text)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                start = i;
            }
            else if (text[i] == '}' && start >= 0)
            {
                yield return text[(start + 1)..i];
                start = -1;
            }
        }
    }

    private string Fill(string text, IReadOnlyDictionary<string, string> args, string section)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('{', i);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (close < 0)
            {
                builder.Append(text, i, text.Length - i);
                break;
            }

            builder.Append(text, i, open - i);
            var name = text[(open + 1)..close];
            builder.Append(args.TryGetValue(name, out var value) ? Value(value, section) : text[open..(close + 1)]);
            i = close + 1;
        }

        return builder.ToString();
    }

    /// <summary>
    /// A placeholder value; "@a,b" names keys of the same section, shown as their texts joined with ", ". A value
    /// naming anything that is not a key (a quote that happens to start with '@') is shown as it is.
    /// </summary>
    private string Value(string value, string section)
    {
        if (!value.StartsWith('@'))
        {
            return value;
        }

        var keys = value[1..].Split(',', StringSplitOptions.TrimEntries);
        return keys.Length > 0 && keys.All(k => _texts.ContainsKey(section + k))
            ? string.Join(", ", keys.Select(k => _texts[section + k]))
            : value;
    }
}
