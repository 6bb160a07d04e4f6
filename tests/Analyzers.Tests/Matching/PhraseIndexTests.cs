using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Tests.Matching;

/// <summary>A large phrase list is matched through an index; its matches must be exactly those of trying every pattern.</summary>
[TestFixture]
public sealed class PhraseIndexTests
{
    private static readonly TextNormalizer Normalizer = new(["eee", "hmm"], ["nie"]);

    private static readonly string[] Vocabulary =
    [
        "dziękuję", "dziekuje", "proszę", "bardzo", "za", "cierpliwość", "informację", "przepraszam", "utrudnienia", "pan",
        "pani", "mogę", "pomóc", "sprawdzę", "oddzwonię", "jeszcze", "dzisiaj", "wyrozumiałość", "oczekiwanie", "czekanie",
        "uprzejmie", "serdecznie", "zgłoszenie", "faktura", "nie", "wiem", "miłego", "dnia", "rozmowę", "kontakt",
    ];

    [Test]
    public void FindAll_IndexedLargeList_SameMatchesAsTryingEveryPattern()
    {
        var random = new Random(42);
        var sources = Enumerable.Range(0, 400).Select(_ => RandomPattern(random)).Distinct().ToList();
        var patterns = sources.Select(s => PhrasePattern.Parse(s, MatchingOptions.Default)).ToList();
        var indexed = new PhraseList(patterns);

        for (var t = 0; t < 300; t++)
        {
            var text = Normalizer.Normalize(string.Join(' ', Enumerable.Range(0, random.Next(3, 25)).Select(_ => Garble(Vocabulary[random.Next(Vocabulary.Length)], random))) + ".");
            var expected = EveryPattern(patterns, text);
            var actual = indexed.FindAll(text).Select(m => (m.Pattern, m.FirstWord, m.LastWord)).ToList();
            Assert.That(actual, Is.EqualTo(expected), text.Original);
        }
    }

    /// <summary>The reference: try every pattern at every word, longest wins, earlier pattern on a tie.</summary>
    private static List<(string, int, int)> EveryPattern(IReadOnlyList<PhrasePattern> patterns, NormalizedText text)
    {
        var result = new List<(string, int, int)>();
        var word = 0;
        while (word < text.Words.Count)
        {
            PhrasePattern? best = null;
            var bestLast = -1;
            foreach (var pattern in patterns)
            {
                if (pattern.TryMatchAt(text, word, out var last) && last > bestLast)
                {
                    best = pattern;
                    bestLast = last;
                }
            }

            if (best is null)
            {
                word++;
                continue;
            }

            result.Add((best.Source, word, bestLast));
            word = bestLast + 1;
        }

        return result;
    }

    private static string RandomPattern(Random random)
    {
        var slots = new List<string>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var alternatives = Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
            {
                var word = Vocabulary[random.Next(Vocabulary.Length)];
                return random.Next(5) switch
                {
                    0 when word.Length > 3 => word[..3] + "*",
                    1 => "=" + word,
                    _ => word,
                };
            });
            var slot = string.Join('|', alternatives);
            slots.Add(random.Next(4) == 0 ? $"({slot.Split('|')[0].TrimStart('=')})" : slot);
        }

        if (slots.All(s => s.StartsWith('(')))
        {
            slots.Add(Vocabulary[random.Next(Vocabulary.Length)]);
        }

        return string.Join(' ', slots);
    }

    /// <summary>Sometimes one or two letters changed, dropped or swapped, as a speech model mishears them.</summary>
    private static string Garble(string word, Random random)
    {
        var chars = word.ToList();
        for (var edits = random.Next(4) == 0 ? random.Next(1, 3) : 0; edits > 0 && chars.Count > 2; edits--)
        {
            var at = random.Next(chars.Count - 1);
            switch (random.Next(3))
            {
                case 0:
                    chars[at] = (char)('a' + random.Next(26));
                    break;
                case 1:
                    chars.RemoveAt(at);
                    break;
                default:
                    (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
