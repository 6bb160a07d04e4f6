using QualityScan.Analyzers;
using QualityScan.Models;
using QualityScan.Pipeline.Evaluation;

namespace QualityScan.Pipeline.Tests.Evaluation;

/// <summary>evaluate --learning: the same calls judged with phrases alone, with the learned model, and cross-validated.</summary>
public sealed class LearningEvaluationTests
{
    [Test]
    public void Evaluate_CallsWithParaphrasedFarewells_ShowsWhatLearningBought()
    {
        // Farewells neither the phrase lists nor the model trained on the pack's examples alone know: the model learns them from the other calls.
        string[] farewells = ["Miłej soboty.", "Miłej niedzieli.", "Udanego urlopu.", "Udanych wakacji.", "Miłego urlopu.", "Udanej soboty."];
        var transcripts = new Dictionary<string, CallTranscript>(StringComparer.Ordinal);
        var expected = new Dictionary<string, IReadOnlyDictionary<string, Outcome>>(StringComparer.Ordinal);
        for (var i = 0; i < farewells.Length; i++)
        {
            var id = $"c{i}";
            transcripts[id] = Call(id, farewells[i]);
            expected[id] = new Dictionary<string, Outcome> { [CheckIds.Closing] = Outcome.Pass };
        }

        transcripts["bad"] = Call("bad", "Dobra, to tyle.");
        expected["bad"] = new Dictionary<string, Outcome> { [CheckIds.Closing] = Outcome.Fail };
        var problems = new List<string>();

        var result = LearningEvaluation.Evaluate(RuleBook.Load(), transcripts, expected, [], 3, problems);

        var closing = result.Checks.Single(c => c.CheckId == CheckIds.Closing);
        Assert.That(closing.Compared, Is.EqualTo(7));
        Assert.That(closing.LearnedAgreed, Is.GreaterThan(closing.PhrasesAgreed), "the model knows farewells the list lacks");
        Assert.That(closing.CrossValidatedAgreed, Is.GreaterThan(closing.PhrasesAgreed), "also for calls it never saw");
        Assert.That(result.Checks.Single(c => c.CheckId == CheckIds.Greeting).Compared, Is.Zero, "no expectation, no figure");
        Assert.That(problems, Is.Empty);
    }

    private static CallTranscript Call(string id, string farewell)
    {
        Utterance[] utterances =
        [
            new(Speaker.Agent, 0.5, 4, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?"),
            new(Speaker.Customer, 4.5, 40, "Chciałam zapytać o fakturę."),
            new(Speaker.Agent, 50, 53, "Czy mogę jeszcze w czymś pomóc?"),
            new(Speaker.Customer, 53.5, 55, "Nie, dziękuję."),
            new(Speaker.Agent, 55.5, 57, "Dziękuję za rozmowę."),
            new(Speaker.Agent, 57.2, 58, farewell),
        ];
        return new CallTranscript(new CallMetadata(id, "akowalska", "Anna Kowalska", "Telkom", "pl", 60), utterances, VoiceActivity.FromUtterances(utterances));
    }
}
