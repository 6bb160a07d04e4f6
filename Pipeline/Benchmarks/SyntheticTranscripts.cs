using QualityScan.Models;

namespace QualityScan.Pipeline.Benchmarks;

/// <summary>Generates realistic-looking call transcripts for timing the analysis (not for judging its accuracy).</summary>
public static class SyntheticTranscripts
{
    private static readonly string[] AgentLines =
    [
        "Dzień dobry, nazywam się Anna Kowalska, Telkom, dział obsługi klienta, w czym mogę pomóc?",
        "Rozumiem, już sprawdzam to w systemie.",
        "Poproszę o cierpliwość, sprawdzę to, potrwa to około dwóch minut.",
        "Dziękuję za cierpliwość, faktura została wystawiona poprawnie.",
        "Musi Pan podać numer klienta.",
        "Nie wiem.",
        "Nie wiem, ale sprawdzę to i oddzwonię jeszcze dziś.",
        "Przepraszam za utrudnienia, zaraz to wyjaśnimy.",
        "Mhm.",
        "Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę, życzę miłego dnia.",
    ];

    private static readonly string[] CustomerLines =
    [
        "Dzień dobry, dzwonię w sprawie faktury za październik, bo kwota jest za wysoka.",
        "Mój numer klienta to dwanaście trzydzieści cztery.",
        "A czy to się zmieni od stycznia?",
        "Nie wiem, muszę zapytać żonę.",
        "Aha, dobrze, dziękuję.",
    ];

    /// <summary>A call of <paramref name="utterances"/> alternating turns with a few overlaps; deterministic for a given <paramref name="seed"/>.</summary>
    public static CallTranscript Create(int seed, int utterances)
    {
        var random = new Random(seed);
        var list = new List<Utterance>(utterances);
        var t = 0.4;
        for (var i = 0; i < utterances; i++)
        {
            var agent = i % 2 == 0;
            var text = i == 0 ? AgentLines[0] : agent ? AgentLines[random.Next(1, AgentLines.Length)] : CustomerLines[random.Next(CustomerLines.Length)];
            if (i == utterances - 1)
            {
                text = AgentLines[^1];
                agent = true;
            }

            var length = 0.8 + text.Length * 0.06;
            var start = random.NextDouble() < 0.1 ? Math.Max(0, t - 1.5) : t + 0.3 + random.NextDouble();
            list.Add(new Utterance(agent ? Speaker.Agent : Speaker.Customer, Math.Round(start, 2), Math.Round(start + length, 2), text));
            t = start + length;
        }

        var agentId = $"agent{seed % 25:00}";
        var metadata = new CallMetadata($"call-{seed:00000}", agentId, "Anna Kowalska", "Telkom", "pl", Math.Round(t + 1, 1));
        return new CallTranscript(metadata, list.OrderBy(u => u.Start).ToList(), VoiceActivity.FromUtterances(list));
    }
}
