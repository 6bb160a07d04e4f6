using System.Diagnostics;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Performance;

/// <summary>
/// Measures batch throughput (1,000 calls of 40 utterances); run on demand, never in CI, because timing
/// depends on the machine: <c>dotnet test -c Release --filter "FullyQualifiedName~ThroughputCheck"</c>.
/// </summary>
[TestFixture]
[Explicit("Timing measurement, run by hand")]
[Category("Performance")]
public sealed class ThroughputCheck
{
    private static readonly string[] AgentLines =
    [
        "Rozumiem, proszę chwilę poczekać, yyy, sprawdzę to w systemie.",
        "Dziękuję za cierpliwość, faktura za październik została już wystawiona i wysłana na adres e-mail.",
        "Nie wiem, czy Pan pamięta, ale umowa kończy się w marcu przyszłego roku.",
        "Musi Pan podać numer klienta, bez tego nie mogę nic zrobić.",
        "Tego nie wiem.",
        "Przepraszam za utrudnienia, technik przyjedzie jutro między ósmą a dwunastą.",
        "Mhm, tak.",
        "Wystarczy tylko potwierdzić dane w aplikacji, a resztę zrobimy po naszej stronie.",
    ];

    private static readonly string[] CustomerLines =
    [
        "Dzwonię w sprawie faktury, bo kwota jest za wysoka i nie rozumiem, skąd się wzięła.",
        "A czy to się zmieni od stycznia?",
        "Nie wiem, nie mam umowy przy sobie.",
        "Aha, dobrze.",
        "Internet nie działa od wczoraj wieczorem i nikt nic z tym nie robi.",
    ];

    [Test]
    public void Analyze_ThousandCallsOfFortyUtterances_ReportsElapsedTime()
    {
        var analyzer = new CallAnalyzer(RulePacks.Polish);
        var calls = Enumerable.Range(0, 1000).Select(BuildCall).ToArray();
        Assert.That(calls.All(c => c.Utterances.Count == 40), Is.True, "test setup: 40 utterances per call");
        foreach (var call in calls.Take(200))
        {
            analyzer.Analyze(call);
        }

        // Best of three rounds: the machine is shared, so the fastest round is the least disturbed one.
        var sequential = BestOfThree(() => calls.Select(analyzer.Analyze).ToArray());
        var parallel = BestOfThree(() => calls.AsParallel().WithDegreeOfParallelism(Environment.ProcessorCount).Select(analyzer.Analyze).ToArray());

        TestContext.Out.WriteLine($"1000 calls x 40 utterances: sequential {sequential.TotalMilliseconds:0} ms, parallel ({Environment.ProcessorCount} cores) {parallel.TotalMilliseconds:0} ms");
        Assert.That(sequential, Is.LessThan(TimeSpan.FromSeconds(10)), "the batch budget is 10 s for 1,000 calls");
    }

    private static TimeSpan BestOfThree(Func<CallReport[]> run)
    {
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            var reports = run();
            watch.Stop();
            Assert.That(reports, Has.Length.EqualTo(1000), "every call produced a report");
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }

        return best;
    }

    private static CallTranscript BuildCall(int seed)
    {
        var builder = TranscriptBuilder.Polish().Agent(0.4, 5.6, "Dzień dobry, Anna Kowalska, Telkom, dział obsługi klienta, w czym mogę pomóc?");
        var time = 6.0;
        for (var i = 1; i < 39; i++)
        {
            var length = 2 + (seed + i) % 5;
            if (i % 2 == 1)
            {
                builder.Customer(time, time + length, CustomerLines[(seed + i) % CustomerLines.Length]);
                time += length - ((seed + i) % 4 == 0 ? 1.5 : -0.4);
            }
            else
            {
                builder.Agent(time, time + length, AgentLines[(seed * 7 + i) % AgentLines.Length]);
                time += length + 0.4;
            }
        }

        return builder.Agent(time, time + 4, "Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę, życzę miłego dnia.").Build();
    }
}
