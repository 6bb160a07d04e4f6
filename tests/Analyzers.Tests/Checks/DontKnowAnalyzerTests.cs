using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

[TestFixture]
public sealed class DontKnowAnalyzerTests
{
    private static CheckResult Analyze(TranscriptBuilder builder) => RulePacks.Run(builder.Build(), p => new DontKnowAnalyzer(p));

    private static TranscriptBuilder Question() => TranscriptBuilder.Polish().Customer(0, 3, "A czy to się zmieni od stycznia?");

    [Test]
    public void Analyze_ContractExample_FailsOnBareNieWiem()
    {
        var result = RulePacks.Run(ContractExample.Build(), p => new DontKnowAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "'Nie wiem.' with no next step");
        var finding = result.Findings.Single();
        Assert.That((finding.Evidence, finding.Start, finding.End, finding.Speaker), Is.EqualTo(("Nie wiem", 16.5, 17.4, Speaker.Agent)),
            "the finding quotes the words at 16.5 s");
        Assert.That((result.Counts["dont_know_total"], result.Counts["unresolved_dont_know"]), Is.EqualTo((1.0, 1.0)), "counts");
    }

    [TestCase("Nie wiem, ale sprawdzę to i oddzwonię jeszcze dziś.")]
    [TestCase("Tego nie wiem, zaraz się dowiem.")]
    [TestCase("Niestety nie wiem, przełączę Pana do specjalisty.")]
    [TestCase("Nie wiem, zapraszam do kontaktu z działem reklamacji.")]
    public void Analyze_NieWiemWithCommitmentInSameUtterance_Passes(string text)
    {
        var result = Analyze(Question().Agent(3.5, 7, text));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        Assert.That(result.Counts["dont_know_total"], Is.EqualTo(1), "the 'nie wiem' is counted even when resolved");
        Assert.That(result.Findings.Single().Outcome, Is.EqualTo(Outcome.Pass), "a resolved 'nie wiem' is a pass finding");
    }

    [TestCase("Tego nie wiem.", "Tego nie wiem")]
    [TestCase("Niestety nie wiem.", "Niestety nie wiem")]
    [TestCase("Nie wiem, to nie moja sprawa.", "Nie wiem, to nie moja sprawa")]
    [TestCase("Nic nie wiem o zmianach.", "Nic nie wiem o zmianach")]
    [TestCase("Nie wiem jak.", "Nie wiem jak")]
    public void Analyze_BareNieWiem_FailsQuotingTheSentence(string text, string expectedEvidence)
    {
        var result = Analyze(Question().Agent(3.5, 5, text));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "no next step");
        Assert.That(result.Findings.Single().Evidence, Is.EqualTo(expectedEvidence), "the whole sentence is quoted for context");
    }

    [Test]
    public void Analyze_CommitmentInNextAgentTurnWithinWindow_Passes()
    {
        var result = Analyze(Question()
            .Agent(3.5, 4.5, "Nie wiem.")
            .Customer(5, 7, "Aha, a kto wie?")
            .Agent(8, 11, "Skonsultuję to z działem rozliczeń i oddzwonię."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "the next step may come in the next agent turn");
        var finding = result.Findings.Single();
        Assert.That((finding.Start, finding.End), Is.EqualTo((3.5, 11.0)), "the finding spans both turns");
    }

    [Test]
    public void Analyze_CommitmentTooLate_Fails()
    {
        var result = Analyze(Question()
            .Agent(3.5, 4.5, "Nie wiem.")
            .Customer(5, 19, "No dobrze, to powiem Panu jeszcze, że w zeszłym miesiącu było tak samo i nikt nic nie zrobił.")
            .Agent(20, 23, "Sprawdzę to."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "15.5 s later is beyond the 15 s window");
    }

    [Test]
    public void Analyze_CommitmentBeforeNieWiemInSameUtterance_DoesNotResolveIt()
    {
        var result = Analyze(Question().Agent(3.5, 7, "Sprawdziłam już wszystko i nie wiem."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "words before the 'nie wiem' (here: past tense) are not a next step");
    }

    [Test]
    public void Analyze_NegatedCommitment_DoesNotResolve()
    {
        var result = Analyze(Question().Agent(3.5, 7, "Nie wiem i nie sprawdzę tego teraz."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "'nie sprawdzę' is a refusal, not a next step");
    }

    [TestCase("Nie wiem, czy Pan pamięta, ale umowa kończy się w marcu.")]
    [TestCase("Nie wiem, jak Pan to widzi, ale proponuję zmianę taryfy.")]
    public void Analyze_NieWiemIntroducingAClause_IsNotJudged(string text)
    {
        var result = Analyze(Question().Agent(3.5, 8, text));

        Assert.That((result.Outcome, result.Counts["dont_know_total"]), Is.EqualTo((Outcome.Pass, 0.0)), "a figure of speech, not an answer");
    }

    [Test]
    public void Analyze_CustomerSaysNieWiem_IsIgnored()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(0, 3, "Jaki jest numer umowy?")
            .Customer(3.5, 5, "Nie wiem, nie mam jej przy sobie."));

        Assert.That((result.Outcome, result.Summary), Is.EqualTo((Outcome.Pass, "no \"don't know\" answer")), "the customer not knowing is normal");
    }

    [Test]
    public void Analyze_MonoCall_IsNotApplicable()
    {
        var result = Analyze(TranscriptBuilder.Polish().Unknown(0, 2, "Nie wiem."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "we cannot tell whose 'nie wiem' it is");
    }

    [Test]
    public void Analyze_CzechBareNevim_Fails()
    {
        var result = Analyze(TranscriptBuilder.Czech().Customer(0, 3, "Změní se to od ledna?").Agent(3.5, 4.2, "Nevím."));

        Assert.That(result.Findings.Single().Evidence, Is.EqualTo("Nevím"), "a bare Czech 'nevím' is a finding");
    }

    [Test]
    public void Analyze_CzechNevimWithCommitment_Passes()
    {
        var result = Analyze(TranscriptBuilder.Czech().Customer(0, 3, "Změní se to od ledna?").Agent(3.5, 6, "Nevím, ale zjistím to a zavolám vám."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Analyze_CzechNecimOneLetterFromNevim_IsNotADontKnow()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0, 3, "Můžu vám ještě s něčím pomoci?"));

        Assert.That(result.Counts["dont_know_total"], Is.EqualTo(0), "'něčím' (anything) is one letter from 'nevím' but a different word");
        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass));
    }

    [Test]
    public void Analyze_CzechNevimIntroducingAClause_IsNotJudged()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0, 4, "Nevím, jestli si vzpomínáte, ale smlouva končí v březnu."));

        Assert.That(result.Counts["dont_know_total"], Is.EqualTo(0), "'nevím, jestli…' is a figure of speech");
    }
}
