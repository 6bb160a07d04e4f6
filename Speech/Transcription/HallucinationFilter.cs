using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Phrases real Whisper models write where nobody spoke (noise, hold music, silence): subtitle credits such as
/// "Napisy stworzone przez społeczność Amara.org" or "Titulky vytvořil JohnyX", and short formulas such as
/// "Dziękuję." that would make a politeness or closing check pass on words never said. A segment whose whole text is
/// such a phrase is dropped and counted. Kept as data (<c>hallucinations.yaml</c>) so a QA lead can add what their
/// model invents.
/// </summary>
/// <remarks>
/// Per language two lists: <c>always</c> (never said in a call in exactly these words: dropped whatever the
/// figures) and <c>unless_confident</c> (words an agent may really say alone, such as "Dziękuję.": dropped unless the
/// window's figures are confident, i.e. not low and a no-speech probability below <c>confident_no_speech_below</c>,
/// default 0.3). Matching ignores case, punctuation and spacing.
/// </remarks>
public sealed class HallucinationFilter
{
    /// <summary>The file name in a model folder or beside the program.</summary>
    public const string FileName = "hallucinations.yaml";

    private readonly Dictionary<string, (HashSet<string> Always, HashSet<string> UnlessConfident)> _phrases;

    private HallucinationFilter(Dictionary<string, (HashSet<string>, HashSet<string>)> phrases, double confidentNoSpeechBelow, string source)
    {
        _phrases = phrases;
        ConfidentNoSpeechBelow = confidentNoSpeechBelow;
        Source = source;
        var text = string.Join("\n", phrases.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            $"{p.Key}:{string.Join("|", p.Value.Item1.Order(StringComparer.Ordinal))}:{string.Join("|", p.Value.Item2.Order(StringComparer.Ordinal))}"));
        text += string.Create(CultureInfo.InvariantCulture, $"\n{confidentNoSpeechBelow}");
        Identity = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }

    /// <summary>A filter that drops nothing.</summary>
    public static HallucinationFilter None { get; } = new([], 0.3, "none");

    /// <summary>The shipped list beside the program (<c>speech-models/hallucinations.yaml</c>).</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "speech-models", FileName);

    /// <summary>Where the phrases came from (a file path, or "none").</summary>
    public string Source { get; }

    /// <summary>A short hash of the phrases and the bar, so a transcript cache notices an edited list.</summary>
    public string Identity { get; }

    /// <summary>No-speech probability below which a window counts as confident speech. Default 0.3.</summary>
    public double ConfidentNoSpeechBelow { get; }

    /// <summary>The list for a model: its folder's own <c>hallucinations.yaml</c>, else the shipped one, else none.</summary>
    public static HallucinationFilter ForModel(string modelFolder)
    {
        var own = Path.Combine(modelFolder, FileName);
        return File.Exists(own) ? Load(own) : File.Exists(DefaultPath) ? Load(DefaultPath) : None;
    }

    /// <summary>Reads a phrase file.</summary>
    /// <exception cref="InvalidModelException">The file is not valid YAML of the documented form.</exception>
    public static HallucinationFilter Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        YamlStream yaml = [];
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            yaml.Load(reader);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or IOException)
        {
            throw new InvalidModelException(path, $"cannot read the hallucination phrases: {ex.Message}", ex);
        }

        var phrases = new Dictionary<string, (HashSet<string>, HashSet<string>)>(StringComparer.OrdinalIgnoreCase);
        var confident = 0.3;
        if (yaml.Documents.Count == 0)
        {
            return new HallucinationFilter(phrases, confident, path);
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidModelException(path, "expected a mapping of language codes to phrase lists.");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (key == "confident_no_speech_below")
            {
                confident = valueNode is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is > 0 and <= 1
                    ? d
                    : throw new InvalidModelException(path, $"line {keyNode.Start.Line}: confident_no_speech_below must be a number in (0, 1].");
                continue;
            }

            if (valueNode is not YamlMappingNode lists)
            {
                throw new InvalidModelException(path, $"line {keyNode.Start.Line}: '{key}' must hold the lists 'always' and/or 'unless_confident'.");
            }

            var always = new HashSet<string>(StringComparer.Ordinal);
            var unlessConfident = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (listKey, listNode) in lists.Children)
            {
                var name = ((YamlScalarNode)listKey).Value;
                var target = name switch
                {
                    "always" => always,
                    "unless_confident" => unlessConfident,
                    _ => throw new InvalidModelException(path, $"line {listKey.Start.Line}: {key}.{name}: unknown key; expected 'always' or 'unless_confident'."),
                };
                if (listNode is not YamlSequenceNode items)
                {
                    throw new InvalidModelException(path, $"line {listKey.Start.Line}: {key}.{name} must be a list of phrases.");
                }

                foreach (var item in items)
                {
                    var text = Normalize((item as YamlScalarNode)?.Value ?? string.Empty);
                    if (text.Length > 0)
                    {
                        target.Add(text);
                    }
                }
            }

            phrases[key] = (always, unlessConfident);
        }

        return new HallucinationFilter(phrases, confident, path);
    }

    /// <summary>Whether a segment in <paramref name="language"/> is only a known hallucination and should be dropped.</summary>
    /// <param name="text">The segment's text.</param>
    /// <param name="language">Its language code.</param>
    /// <param name="confident">True when the window's figures are confident (not low, no-speech below the bar).</param>
    public bool IsHallucination(string text, string language, bool confident)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!_phrases.TryGetValue(language, out var lists))
        {
            return false;
        }

        var normalized = Normalize(text);
        return normalized.Length > 0 && (lists.Always.Contains(normalized) || (!confident && lists.UnlessConfident.Contains(normalized)));
    }

    /// <summary>Lower case, letters and digits only, single spaces.</summary>
    internal static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }
}
