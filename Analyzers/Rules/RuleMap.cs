using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// One mapping of a rule file, read with its schema: every key must be known, required keys present and
/// values of the right type; every problem becomes a <see cref="RulePackException"/> naming file, line and key.
/// </summary>
internal sealed class RuleMap
{
    private readonly string _file;
    private readonly string _path;
    private readonly YamlMappingNode _node;
    private readonly int _ownerLine;

    private RuleMap(string file, string path, YamlMappingNode node, int ownerLine)
    {
        _file = file;
        _path = path;
        _node = node;
        _ownerLine = ownerLine;
    }

    /// <summary>Wraps the document root, rejecting keys outside <paramref name="allowedKeys"/>.</summary>
    public static RuleMap Root(string file, YamlNode root, params string[] allowedKeys)
    {
        if (root is not YamlMappingNode mapping)
        {
            throw new RulePackException(file, LineOf(root), null, "the rule file must be a mapping of keys (language:, matching:, scoring:, checks:)");
        }

        var map = new RuleMap(file, "", mapping, LineOf(mapping));
        map.RejectUnknownKeys(allowedKeys);
        return map;
    }

    /// <summary>The nested mapping under <paramref name="key"/>, rejecting keys outside <paramref name="allowedKeys"/>.</summary>
    public RuleMap Map(string key, params string[] allowedKeys)
    {
        var node = Required(key);
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, key, $"expected a mapping of keys, got {Describe(node)}");
        }

        var keyLine = _node.Children.Keys.Where(k => k is YamlScalarNode { Value: var v } && v == key).Select(LineOf).First();
        var map = new RuleMap(_file, PathOf(key), mapping, keyLine);
        map.RejectUnknownKeys(allowedKeys);
        return map;
    }

    /// <summary>The nested mapping under <paramref name="key"/> whose keys are names the file chooses (phrase classes, check ids).</summary>
    public RuleMap MapOfNames(string key)
    {
        var node = Required(key);
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, key, $"expected a mapping of names, got {Describe(node)}");
        }

        var map = new RuleMap(_file, PathOf(key), mapping, LineOf(node));
        foreach (var child in mapping.Children.Keys)
        {
            if (child is not YamlScalarNode { Value: { Length: > 0 } name } || !IsName(name))
            {
                throw new RulePackException(_file, LineOf(child), map._path, "names must be plain words of lower-case letters, digits and _ (e.g. data_protection)");
            }
        }

        return map;
    }

    /// <summary>The keys of this mapping, in file order.</summary>
    public IReadOnlyList<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToArray();

    /// <summary>Dotted path of <paramref name="key"/> in this mapping, for errors found after reading.</summary>
    public string KeyPath(string key) => PathOf(key);

    /// <summary>The line of this mapping's own key (or of the mapping, at the top).</summary>
    public int OwnLine => _ownerLine;

    /// <summary>The file this mapping is in.</summary>
    public string File => _file;

    /// <summary>The list of mappings under <paramref name="key"/>, each read with <paramref name="allowedKeys"/>; may be empty.</summary>
    public IReadOnlyList<RuleMap> Maps(string key, params string[] allowedKeys)
    {
        var node = Required(key);
        if (node is not YamlSequenceNode sequence)
        {
            throw Error(node, key, $"expected a list of mappings (- key: value), got {Describe(node)}");
        }

        var maps = new List<RuleMap>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var child = sequence.Children[i];
            var itemKey = $"{key}[{i}]";
            if (child is not YamlMappingNode mapping)
            {
                throw Error(child, itemKey, $"expected a mapping of keys, got {Describe(child)}");
            }

            var map = new RuleMap(_file, PathOf(itemKey), mapping, LineOf(child));
            map.RejectUnknownKeys(allowedKeys);
            maps.Add(map);
        }

        return maps;
    }

    /// <summary>A plain name: lower-case letters, digits and underscores, starting with a letter.</summary>
    public static bool IsName(string text) =>
        text.Length > 0 && char.IsAsciiLetterLower(text[0]) && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>True when <paramref name="key"/> is present (for the few optional keys).</summary>
    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>A non-empty text value.</summary>
    public string Text(string key)
    {
        var value = Scalar(key, "a text");
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Error(Required(key), key, "must not be empty");
        }

        return value.Trim();
    }

    /// <summary>A number that is zero or more.</summary>
    public double NonNegative(string key)
    {
        var value = Number(key);
        if (value < 0)
        {
            throw Error(Required(key), key, $"must not be negative, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>A number above zero.</summary>
    public double Positive(string key)
    {
        var value = Number(key);
        if (value <= 0)
        {
            throw Error(Required(key), key, $"must be positive, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>A number between <paramref name="min"/> and <paramref name="max"/> inclusive.</summary>
    public double Between(string key, double min, double max)
    {
        var value = Number(key);
        if (value < min || value > max)
        {
            throw Error(Required(key), key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>A whole number of at least <paramref name="min"/>.</summary>
    public int WholeNumber(string key, int min)
    {
        var value = Number(key);
        if (value != Math.Floor(value) || value > int.MaxValue)
        {
            throw Error(Required(key), key, $"expected a whole number, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        if (value < min)
        {
            throw Error(Required(key), key, min == 0
                ? $"must not be negative, got {value.ToString(CultureInfo.InvariantCulture)}"
                : $"must be at least {min}, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return (int)value;
    }

    /// <summary>true or false.</summary>
    public bool Flag(string key)
    {
        var text = Scalar(key, "true or false");
        return text.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw Error(Required(key), key, $"expected true or false, got '{text}'"),
        };
    }

    /// <summary>A list of texts with the line and key path of each item; empty lists are rejected unless <paramref name="allowEmpty"/>.</summary>
    public IReadOnlyList<RuleItem> List(string key, bool allowEmpty)
    {
        var node = Required(key);
        if (node is not YamlSequenceNode sequence)
        {
            throw Error(node, key, $"expected a list (- item per line, or [a, b]), got {Describe(node)}");
        }

        if (sequence.Children.Count == 0 && !allowEmpty)
        {
            throw Error(node, key, "the phrase list must not be empty");
        }

        var items = new List<RuleItem>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var child = sequence.Children[i];
            var itemKey = $"{key}[{i}]";
            if (child is not YamlScalarNode scalar || scalar.Value is null)
            {
                throw Error(child, itemKey, $"expected a text, got {Describe(child)}");
            }

            if (string.IsNullOrWhiteSpace(scalar.Value))
            {
                throw Error(child, itemKey, "list items must not be empty");
            }

            items.Add(new RuleItem(scalar.Value.Trim(), LineOf(child), PathOf(itemKey)));
        }

        return items;
    }

    /// <summary>An error at <paramref name="line"/> about <paramref name="key"/> of this mapping.</summary>
    public RulePackException ErrorAt(int line, string key, string problem) => new(_file, line, PathOf(key), problem);

    /// <summary>An error about one list item.</summary>
    public RulePackException ItemError(RuleItem item, string problem, Exception? innerException = null) =>
        new(_file, item.Line, item.Path, problem, innerException);

    /// <summary>Line of the value under <paramref name="key"/>.</summary>
    public int LineOf(string key) => LineOf(Required(key));

    private double Number(string key)
    {
        var text = Scalar(key, "a number");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(Required(key), key, $"expected a number (use a dot for decimals, e.g. 1.5), got '{text}'");
        }

        return value;
    }

    private string Scalar(string key, string expected)
    {
        var node = Required(key);
        if (node is not YamlScalarNode scalar || scalar.Value is null || IsNull(scalar))
        {
            throw Error(node, key, $"expected {expected}, got {Describe(node)}");
        }

        return scalar.Value;
    }

    private YamlNode Required(string key)
    {
        if (_node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return value;
        }

        var where = _path.Length == 0 ? "the top level" : $"'{_path}'";
        throw new RulePackException(_file, _ownerLine, PathOf(key), $"missing required key '{key}' in {where}");
    }

    private void RejectUnknownKeys(string[] allowedKeys)
    {
        foreach (var key in _node.Children.Keys)
        {
            if (key is not YamlScalarNode scalar || scalar.Value is null)
            {
                throw new RulePackException(_file, LineOf(key), _path.Length == 0 ? null : _path, "keys must be plain words");
            }

            if (!allowedKeys.Contains(scalar.Value, StringComparer.Ordinal))
            {
                throw new RulePackException(_file, LineOf(key), PathOf(scalar.Value),
                    $"unknown key '{scalar.Value}'; expected one of: {string.Join(", ", allowedKeys)}");
            }
        }
    }

    private RulePackException Error(YamlNode node, string key, string problem) => new(_file, LineOf(node), PathOf(key), problem);

    private string PathOf(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    private static int LineOf(YamlNode node) => (int)Math.Max(1, node.Start.Line);

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };
}

/// <summary>One item of a rule-file list with where it was written.</summary>
internal sealed record RuleItem(string Value, int Line, string Path);
