using QualityScan.Models;

namespace QualityScan.Analyzers.Tests;

/// <summary>The call of /work/shared/contracts/transcript.example.json, built in code.</summary>
internal static class ContractExample
{
    public static CallTranscript Build()
    {
        var metadata = new CallMetadata("2026-11-22-0007", "akowalska", "Anna Kowalska", "Telkom", "pl", 41.5);
        Utterance[] utterances =
        [
            new(Speaker.Agent, 0.4, 5.6, "Dzień dobry, Anna Kowalska, Telkom, dział obsługi klienta, w czym mogę pomóc?"),
            new(Speaker.Customer, 6.1, 11.8, "Dzień dobry, dzwonię w sprawie faktury za październik, bo kwota jest za wysoka."),
            new(Speaker.Agent, 10.2, 13.2, "Musi Pan podać numer klienta."),
            new(Speaker.Customer, 13.9, 16.0, "A czy to się zmieni od stycznia?"),
            new(Speaker.Agent, 16.5, 17.4, "Nie wiem."),
            new(Speaker.Customer, 18.0, 19.1, "Aha, dobrze."),
            new(Speaker.Agent, 19.6, 24.0, "Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę, życzę miłego dnia."),
        ];
        var activity = new VoiceActivity(
            [new(0.4, 5.6), new(10.2, 13.2), new(16.5, 17.4), new(19.6, 24.0)],
            [new(6.1, 11.8), new(13.9, 16.0), new(18.0, 19.1)],
            []);
        return new CallTranscript(metadata, utterances, activity);
    }
}
