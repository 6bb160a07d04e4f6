using System.Globalization;
using System.Text;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Pipeline.Benchmarks;

/// <summary>
/// The shipped rule packs with a very long generated list of polite phrases added to the Polish one, to time phrase
/// matching when a QA team pastes in a huge list.
/// </summary>
/// <remarks>
/// Phrases are two to four words drawn from a 5,000-word generated vocabulary (4 to 11 letters, so one- and two-letter
/// tolerance applies), some with alternatives (<c>a|b</c>), stems (<c>abc*</c>) and optional words (<c>(x)</c>), in a
/// fixed order from a fixed seed.
/// </remarks>
public static class SyntheticRulePack
{
    private static readonly string[] Syllables = ["ka", "zo", "pre", "mi", "da", "ło", "wie", "szy", "ną", "to", "rze", "cy", "bu", "pol", "ść", "go", "nie", "wa"];

    /// <summary>Writes the packs into <paramref name="folder"/> and returns it.</summary>
    public static string Write(string folder, int phrases)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(RulePackLoader.DefaultDirectory, "*.yaml"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        var random = new Random(2026);
        var vocabulary = Enumerable.Range(0, 5000).Select(_ => Word(random)).Distinct().ToArray();
        var lines = new StringBuilder();
        for (var i = 0; i < phrases; i++)
        {
            var words = Enumerable.Range(0, random.Next(2, 5)).Select(position =>
            {
                var word = vocabulary[random.Next(vocabulary.Length)];
                return random.Next(10) switch
                {
                    0 => $"{word}|{vocabulary[random.Next(vocabulary.Length)]}",
                    1 when word.Length > 4 => word[..4] + "*",
                    2 when position > 0 => $"({word})",
                    _ => word,
                };
            });
            lines.Append(CultureInfo.InvariantCulture, $"      - {string.Join(' ', words)}\n");
        }

        var pl = Path.Combine(folder, "pl.yaml");
        var text = File.ReadAllText(pl);
        const string Anchor = "    polite_phrases:\n";
        var at = text.IndexOf(Anchor, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"{pl}: no polite_phrases list to extend");
        }

        File.WriteAllText(pl, text.Insert(at + Anchor.Length, lines.ToString()));
        return folder;
    }

    private static string Word(Random random)
    {
        var sb = new StringBuilder();
        while (sb.Length < 4 || (sb.Length < 11 && random.Next(3) > 0))
        {
            sb.Append(Syllables[random.Next(Syllables.Length)]);
        }

        return sb.ToString();
    }
}
