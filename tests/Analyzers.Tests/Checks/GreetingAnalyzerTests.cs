using QualityScan.Analyzers.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

[TestFixture]
public sealed class GreetingAnalyzerTests
{
    private static CheckResult Analyze(TranscriptBuilder builder) => RulePacks.Run(builder.Build(), p => new GreetingAnalyzer(p));

    [Test]
    public void Analyze_ContractExampleGreeting_PassesWithAllFourElementsQuoted()
    {
        var result = RulePacks.Run(ContractExample.Build(), p => new GreetingAnalyzer(p));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        Assert.That(result.Findings.Select(f => f.Evidence), Is.EquivalentTo(new[] { "Dzień dobry", "Anna", "Telkom", "w czym mogę pomóc" }),
            "each element is backed by the words heard");
        Assert.That(result.Findings.All(f => f.Start == 0.4 && f.End == 5.6 && f.Speaker == Speaker.Agent), Is.True, "findings point at the agent's first utterance");
    }

    [Test]
    public void Analyze_HaloOnly_FailsListingEveryMissingElement()
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(0.5, 1.0, "Halo?").Customer(1.5, 4, "Dzień dobry, mam problem."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "'Halo?' is a known failure");
        Assert.That(result.Summary, Is.EqualTo("missing: greeting, agent name, company or department, offer of help"), "the coach sees what to add");
        Assert.That(result.Counts["greeting_missing_elements"], Is.EqualTo(4), "count of missing elements");
    }

    [Test]
    public void Analyze_GreetingWithoutNameOrOffer_FailsNamingThoseTwo()
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(0.5, 2.0, "Dzień dobry, Telkom."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "name and offer are required");
        Assert.That(result.Summary, Is.EqualTo("missing: agent name, offer of help"), "only the missing elements are listed");
        var fail = result.Findings.Single(f => f.Outcome == Outcome.Fail);
        Assert.That(fail.Evidence, Is.EqualTo("Dzień dobry, Telkom."), "the failing finding quotes what the agent did say");
    }

    [Test]
    public void Analyze_ElementsSpreadOverFirstTurns_Pass()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(0.5, 3.0, "Dzień dobry, infolinia Telkom, z tej strony Anna.")
            .Customer(3.5, 5.0, "Dzień dobry.")
            .Agent(5.5, 7.0, "W czym mogę Panu pomóc?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "the greeting may take two agent turns within the window");
    }

    [TestCase(19.0, Outcome.Pass, Description = "offer starts 18.5 s after the first word: inside the 20 s window")]
    [TestCase(21.0, Outcome.Fail, Description = "offer starts 20.5 s after the first word: too late for a greeting")]
    public void Analyze_OfferNearWindowEdge_JudgedByStartTime(double offerStart, Outcome expected)
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Agent(0.5, 3.0, "Dzień dobry, Anna Kowalska, Telkom.")
            .Customer(3.5, offerStart - 0.5, "Dzwonię w sprawie rachunku, bo jest za wysoki i nie rozumiem dlaczego.")
            .Agent(offerStart, offerStart + 2, "W czym mogę pomóc?"));

        Assert.That(result.Outcome, Is.EqualTo(expected), result.Summary);
    }

    [Test]
    public void Analyze_AsrErrorsWithoutDiacritics_StillPass()
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(0.4, 5.0, "dzien dobry eee ana kowalksa telkom w czym moge pomoc"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "missing accents, a filler, 'Ana' and a swapped-letter surname are ASR noise: " + result.Summary);
        Assert.That(result.Findings.Single(f => f.Message.StartsWith("agent name", StringComparison.Ordinal)).Evidence, Is.EqualTo("kowalksa"),
            "the surname (one edit away) is what identified the agent");
    }

    [Test]
    public void Analyze_DepartmentInsteadOfCompany_Passes()
    {
        var result = Analyze(TranscriptBuilder.Polish().Agent(0.4, 5.0, "Dzień dobry, dział obsługi klienta, Anna, jak mogę pomóc?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "a department from the rule pack satisfies the company element");
        Assert.That(result.Findings.Select(f => f.Evidence), Does.Contain("dział obsługi klienta"), "the department is quoted");
    }

    [Test]
    public void Analyze_OtherCompanyNamed_FailsOnCompany()
    {
        var result = Analyze(TranscriptBuilder.Polish().WithCompany("Telkom").Agent(0.4, 5.0, "Dzień dobry, Anna, Energa, w czym mogę pomóc?"));

        Assert.That(result.Summary, Is.EqualTo("missing: company or department"), "the company comes from the metadata, so another name does not count");
    }

    [Test]
    public void Analyze_CompanyUnknownAndNoDepartment_PassesAndSaysCompanyWasNotChecked()
    {
        var result = Analyze(TranscriptBuilder.Polish().WithCompany(null).Agent(0.4, 4.0, "Dzień dobry, Anna Kowalska, w czym mogę pomóc?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "the agent is not faulted for a company name we cannot verify");
        Assert.That(result.Summary, Does.Contain("not checked: company or department"), "the report says the element was skipped");
        Assert.That(result.Counts["greeting_not_checked_elements"], Is.EqualTo(1), "counted apart from missing elements");
    }

    [Test]
    public void Analyze_AgentNameUnknown_JudgesOtherElementsOnly()
    {
        var result = Analyze(TranscriptBuilder.Polish().WithAgentName(null).Agent(0.4, 4.0, "Dzień dobry, Telkom, w czym mogę pomóc?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "without a name in metadata the name cannot be checked");
        Assert.That(result.Summary, Does.Contain("not checked: agent name"), "the report says the element was skipped");
    }

    [Test]
    public void Analyze_NoNameNorCompanyInMetadata_BothElementsNotCheckedWithAQuotedFinding()
    {
        // The same words fail "missing: agent name" when the metadata knows the agent is Anna (see the test above with a name).
        var result = Analyze(TranscriptBuilder.Polish().WithAgentName(null).WithCompany(null).Agent(0.4, 3.0, "Dzień dobry, w czym mogę pomóc?"));

        var notChecked = result.Findings.Single(f => f.Outcome == Outcome.NotApplicable);
        Assert.That(notChecked.Message, Does.StartWith("not checked: agent name, company or department"), "the finding names both elements");
        Assert.That(notChecked.Evidence, Is.EqualTo("Dzień dobry, w czym mogę pomóc?"), "and quotes the greeting a coach can listen to");
        Assert.That((notChecked.Start, notChecked.End), Is.EqualTo((0.4, 3.0)));
        Assert.That(result.Counts["greeting_not_checked_elements"], Is.EqualTo(2));
        Assert.That(result.Counts["greeting_missing_elements"], Is.EqualTo(0), "not checked is not the same as missing");
        Assert.That(result.Summary, Does.Contain("not checked: agent name, company or department"), "the summary never reads as a plain pass");
    }

    [Test]
    public void Analyze_NameKnownButNotSaid_FailsWhereUnknownNameIsNotChecked()
    {
        var known = Analyze(TranscriptBuilder.Polish().WithCompany("Telkom").Agent(0.4, 3.0, "Dzień dobry, Telkom, w czym mogę pomóc?"));
        var unknown = Analyze(TranscriptBuilder.Polish().WithAgentName(null).WithCompany("Telkom").Agent(0.4, 3.0, "Dzień dobry, Telkom, w czym mogę pomóc?"));

        Assert.That(known.Summary, Is.EqualTo("missing: agent name"));
        Assert.That(unknown.Counts["greeting_not_checked_elements"], Is.EqualTo(1));
        Assert.That(unknown.Findings.Any(f => f.Outcome == Outcome.NotApplicable && f.Message.Contains("agent name", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void Analyze_NoAgentSpeech_IsNotApplicable()
    {
        var result = Analyze(TranscriptBuilder.Polish().Customer(0.5, 3.0, "Halo? Jest tam ktoś?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "there is no greeting to judge");
    }

    [Test]
    public void Analyze_MonoCall_JudgesUnknownSpeakerAsPossiblyAgent()
    {
        var result = Analyze(TranscriptBuilder.Polish()
            .Unknown(0.4, 5.0, "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?")
            .Unknown(5.5, 8.0, "Dzień dobry, mam pytanie."));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "an agent's greeting is recognisable without speaker separation");
    }

    [Test]
    public void Analyze_CzechFullGreeting_Passes()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0.3, 4.5, "Dobrý den, Petr Svoboda, Telkom, jak vám mohu pomoci?"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Analyze_CzechWithoutDiacriticsAndDepartment_Passes()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0.3, 4.5, "dobry den zakaznicky servis u telefonu petr s cim vam muzu pomoct"));

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Analyze_CzechWithoutName_FailsOnName()
    {
        var result = Analyze(TranscriptBuilder.Czech().Agent(0.3, 4.5, "Dobrý den, zákaznická linka Telkom, s čím vám můžu pomoct?"));

        Assert.That(result.Summary, Is.EqualTo("missing: agent name"), "Czech greeting without the agent's name");
    }
}
