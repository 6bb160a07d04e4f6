using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// Loads and validates a messages file (<c>Rules/messages.pl.yaml</c>), failing with a <see cref="RulePackException"/>
/// that names the file, line and key of the first problem, like <see cref="RulePackLoader"/>.
/// </summary>
/// <remarks>
/// The file has <c>language:</c> and one mapping per schema section; every key of the schema is required, unknown
/// keys are rejected, texts must not be empty, and a <c>{placeholder}</c> the key does not offer is an error, so a
/// typo cannot silently print a raw placeholder in front of a coach.
/// </remarks>
public static class MessageCatalogLoader
{
    /// <summary>The name of the messages file of <paramref name="language"/>: <c>messages.pl.yaml</c>.</summary>
    public static string FileName(string language) => $"messages.{RulePackLoader.LanguageCode(language)}.yaml";

    /// <summary>True when <paramref name="path"/> names a messages file rather than a rule pack.</summary>
    public static bool IsMessagesFile(string path) =>
        Path.GetFileName(path).StartsWith("messages.", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads <c>messages.{language}.yaml</c> from <paramref name="directory"/> (default <see cref="RulePackLoader.DefaultDirectory"/>).</summary>
    public static MessageCatalog LoadForLanguage(string language, MessageSchema schema, string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        var code = RulePackLoader.LanguageCode(language);
        var path = Path.Combine(directory ?? RulePackLoader.DefaultDirectory, FileName(code));
        var catalog = Load(path, schema);
        if (catalog.Language != code)
        {
            throw new RulePackException(path, null, "language", $"the file is named for '{code}' but says language: {catalog.Language}");
        }

        return catalog;
    }

    /// <summary>Loads and validates one messages file against <paramref name="schema"/>.</summary>
    public static MessageCatalog Load(string path, MessageSchema schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RulePackException(path, null, null, $"cannot read the messages file: {e.Message}", e);
        }

        return Parse(text, path, schema);
    }

    /// <summary>Parses messages <paramref name="yaml"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static MessageCatalog Parse(string yaml, string sourceName, MessageSchema schema)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentNullException.ThrowIfNull(schema);
        var stream = new YamlStream();
        var parser = new KeyTrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var line = e.Start.Line > 0 ? (int)e.Start.Line : parser.LastLine;
            throw new RulePackException(sourceName, line, parser.CurrentPath.Length == 0 ? null : parser.CurrentPath, $"invalid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new RulePackException(sourceName, parser.LastLine, null, "invalid YAML: an unclosed '[', '{' or quote starts here", e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new RulePackException(sourceName, 1, null, stream.Documents.Count == 0 ? "the messages file is empty" : "the messages file must hold one YAML document");
        }

        var sections = schema.Sections.ToArray();
        var file = RuleMap.Root(sourceName, stream.Documents[0].RootNode, ["language", .. sections]);
        var language = RulePackLoader.LanguageCode(file.Text("language"));
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var keys = schema.KeysOf(section).ToArray();
            var map = file.Map(section, keys);
            foreach (var key in keys)
            {
                var value = map.Text(key);
                var allowed = schema.PlaceholdersOf(section, key);
                foreach (var name in MessageCatalog.Placeholders(value))
                {
                    if (!allowed.Contains(name, StringComparer.Ordinal))
                    {
                        var offered = allowed.Count == 0 ? "this message takes none" : "it may use " + string.Join(", ", allowed.Select(a => "{" + a + "}"));
                        throw map.ErrorAt(map.LineOf(key), key, $"unknown placeholder {{{name}}}; {offered}");
                    }
                }

                texts[$"{section}.{key}"] = value;
            }
        }

        return new MessageCatalog(language, sourceName, texts);
    }
}
