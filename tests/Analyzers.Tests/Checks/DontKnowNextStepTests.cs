using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

/// <summary>What counts as the next step after "nie wiem": a referral naming who or where does, a generic invitation,
/// a farewell formula, a past-tense or negated verb, or a "cannot" statement does not.</summary>
public sealed class DontKnowNextStepTests
{
    [TestCase("W razie pytań zapraszam ponownie do kontaktu.")]
    [TestCase("Zapraszam do kontaktu z nami.")]
    [TestCase("Zapraszamy ponownie, do widzenia.")]
    [TestCase("Sprawdziłam to już wczoraj.")]
    [TestCase("Sprawdzałam to już rano.")]
    [TestCase("Nie sprawdzę tego teraz.")]
    [TestCase("Nie oddzwonię, proszę zadzwonić później.")]
    [TestCase("Tego niestety nie da się ustalić.")]
    [TestCase("Nie mogę tego sprawdzić.")]
    public void Analyze_PolishFollowUpThatIsNoNextStep_Fails(string followUp)
    {
        var result = Analyze(TranscriptBuilder.Polish(), "Nie wiem.", followUp);

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), $"'{followUp}' promises nothing the customer can wait for");
        Assert.That(result.Counts["unresolved_dont_know"], Is.EqualTo(1));
    }

    [TestCase("Nie wiem, w razie pytań zapraszam ponownie do kontaktu.")]
    [TestCase("Nie wiem, sprawdziłam to wczoraj.")]
    public void Analyze_PolishSameTurnGenericOrPastTense_Fails(string text)
    {
        var result = RulePacks.Run(TranscriptBuilder.Polish().Customer(0, 3, "A od kiedy?").Agent(3.5, 7, text).Build(), p => new DontKnowAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), text);
    }

    [TestCase("Zapraszam do kontaktu z działem reklamacji, który odpowiada za zwroty.")]
    [TestCase("W razie pytań zapraszam do kontaktu z działem technicznym.")]
    [TestCase("Proszę zadzwonić do działu rozliczeń pod numer 800 100 200.")]
    [TestCase("Sprawdzę to i oddzwonię jutro.")]
    [TestCase("Skontaktuję się z Panem do końca tygodnia.")]
    public void Analyze_PolishReferralOrPromise_Passes(string followUp)
    {
        var result = Analyze(TranscriptBuilder.Polish(), "Nie wiem.", followUp);

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), $"'{followUp}' names who, where or what happens next");
    }

    [TestCase("V případě dotazů se na nás obraťte.")]
    [TestCase("Kdyby něco, ozvěte se nám.")]
    [TestCase("Zjistila jsem to už včera.")]
    [TestCase("To se bohužel zjistit nedá.")]
    [TestCase("Nezjistím to, nemám přístup.")]
    public void Analyze_CzechFollowUpThatIsNoNextStep_Fails(string followUp)
    {
        var result = Analyze(TranscriptBuilder.Czech(), "Nevím.", followUp);

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), followUp);
    }

    [TestCase("Obraťte se prosím na reklamační oddělení.")]
    [TestCase("Zjistím to a zavolám vám zítra.")]
    public void Analyze_CzechReferralOrPromise_Passes(string followUp)
    {
        var result = Analyze(TranscriptBuilder.Czech(), "Nevím.", followUp);

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), followUp);
    }

    [Test]
    public void Analyze_LowConfidenceNextStep_DoesNotResolveTheNieWiem()
    {
        var call = TranscriptBuilder.Polish().Customer(0, 3, "A od kiedy?").Agent(3.5, 4.5, "Nie wiem.")
            .AgentUnsure(5, 7, "Sprawdzę to i oddzwonię.").Build();

        var result = RulePacks.Run(call, p => new DontKnowAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "words the speech model was unsure of are no next step");
    }

    private static CheckResult Analyze(TranscriptBuilder builder, string dontKnow, string followUp)
    {
        var call = builder.Customer(0, 3, "?").Agent(3.5, 4.5, dontKnow).Agent(5, 8, followUp).Build();
        return RulePacks.Run(call, p => new DontKnowAnalyzer(p));
    }
}
