using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

/// <summary>
/// The three checks the shipped packs define from primitives (hold, monologue, empathy), run through the whole
/// <see cref="CallAnalyzer"/> as the nightly run does, on transcripts written for the purpose, with near misses.
/// </summary>
[TestFixture]
public sealed class DefinedCheckAnalyzerTests
{
    private static CheckResult Run(TranscriptBuilder builder, string check)
    {
        var call = builder.Build();
        return new CallAnalyzer(RulePacks.For(call)).Analyze(call).ResultOf(check)!;
    }

    [Test]
    public void Hold_AnnouncedAndThanked_PassesNamingThePauseAndTheTimeGiven()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Agent(0, 4, "Dzień dobry, w czym mogę pomóc?")
            .Customer(4.5, 8, "Chciałbym sprawdzić status zamówienia.")
            .Agent(8.5, 13, "Poproszę o cierpliwość, sprawdzę to, potrwa to około dwóch minut.")
            .Agent(40, 44, "Dziękuję za cierpliwość. Zamówienie jest w drodze."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        var finding = result.Findings.Single();
        Assert.That(finding.Message, Is.EqualTo("Silence 0:13.0-0:40.0 (27 s): an approximate time was given"), "the pause is named with its times, length and the time note");
        Assert.That(finding.LocalMessage!.For("pl"), Does.StartWith("Cisza 0:13.0–0:40.0 (27 s)"), "worded in Polish from the pack's own texts");
        Assert.That(finding.Start, Is.EqualTo(8.5), "the clip starts at the announcement");
        Assert.That(finding.End, Is.EqualTo(44), "and ends after the thanks");
    }

    [Test]
    public void Hold_NotAnnouncedNorThanked_FailsNamingBothAndNoTime()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Agent(0, 4, "Dzień dobry, w czym mogę pomóc?")
            .Customer(4.5, 8, "Chciałbym sprawdzić status zamówienia.")
            .Agent(8.5, 10, "Zaraz sprawdzę.")
            .Agent(25, 29, "Zamówienie jest w drodze."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "'zaraz sprawdzę' alone asks nobody to wait");
        Assert.That(result.Summary, Is.EqualTo(
            "Silence 0:10.0-0:25.0 (15 s): not announced in the agent's last turn before it (asking the customer to wait); "
            + "no thanks for waiting in the agent's first turn after it; no approximate time given"));
        Assert.That(result.Findings.Single().Evidence, Is.EqualTo("Zaraz sprawdzę. / Zamówienie jest w drodze."), "both turns are quoted");
    }

    [Test]
    public void Hold_PauseJustUnderTheThreshold_IsNotApplicable()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Agent(0, 4, "Dzień dobry, w czym mogę pomóc?")
            .Agent(10, 12, "Zaraz sprawdzę.")
            .Agent(21.9, 25, "Zamówienie jest w drodze."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "9.9 s of silence is below the 10 s of the pack");
        Assert.That(result.Summary, Is.EqualTo("no pause in the call"));
    }

    [Test]
    public void Hold_ThanksForSomethingElseAfterThePause_Fails()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Agent(0, 4, "Proszę chwilę poczekać, sprawdzę to.")
            .Agent(20, 24, "Dziękuję za informację, zamówienie jest w drodze."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "thanks for information are not thanks for waiting");
        Assert.That(result.Summary, Does.Contain("no thanks for waiting").And.Not.Contain("not announced"));
    }

    [Test]
    public void Hold_CustomerSpeaksDuringTheWait_IsNoPause()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Agent(0, 4, "Zaraz sprawdzę.")
            .Customer(9, 11, "Halo, jest tam ktoś?")
            .Agent(16, 19, "Tak, już mam."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "two silences of 5 s are not one of 10 s");
    }

    [Test]
    public void Hold_MonoCall_JudgesSilenceOnTheSingleChannel()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Unknown(0, 4, "Poproszę o cierpliwość, sprawdzę to.")
            .Unknown(20, 24, "Dziękuję za cierpliwość, już mam."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Hold_Czech_AnnouncedAndThanked_Passes()
    {
        var result = Run(TranscriptBuilder.Czech()
            .Agent(0, 4, "Prosím, počkejte chvilku, podívám se do systému.")
            .Agent(18, 22, "Děkuji za trpělivost, objednávka je na cestě."), "hold");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        Assert.That(result.Findings.Single().LocalMessage!.For("cs"), Does.StartWith("Ticho 0:04.0–0:18.0 (14 s)"));
    }

    [Test]
    public void Monologue_SeventySecondsWithBackchannels_FailsWithTimesAndFirstWords()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Customer(0, 3, "Jak działa nowa taryfa?")
            .Agent(3.5, 25, "Nowa taryfa obejmuje internet, telewizję i telefon w jednym pakiecie za stałą cenę.")
            .Customer(25.2, 25.6, "Mhm.")
            .Agent(26, 50, "Do tego dochodzi pakiet sportowy i filmowy, które można wyłączyć w każdej chwili.")
            .Customer(50.2, 50.6, "Tak.")
            .Agent(51, 75, "Opłata aktywacyjna wynosi zero złotych, a router dostaje Pan w cenie abonamentu."), "monologue");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "backchannels do not break the stretch");
        Assert.That(result.Summary, Is.EqualTo("The agent talks on 0:03.5-1:15.0 (71.5 s), starting \"Nowa taryfa obejmuje internet, telewizję i telefon w jednym pakiecie za stałą …\""));
    }

    [Test]
    public void Monologue_BrokenByARealCustomerQuestion_Passes()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Agent(3.5, 25, "Nowa taryfa obejmuje internet, telewizję i telefon w jednym pakiecie za stałą cenę.")
            .Customer(25.2, 28, "A czy telewizja działa na dwóch telewizorach?")
            .Agent(28.5, 50, "Tak, na dwóch, a do tego dochodzi pakiet sportowy i filmowy.")
            .Customer(50.2, 50.6, "Aha.")
            .Agent(51, 75, "Opłata aktywacyjna wynosi zero złotych."), "monologue");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), "a real question ends the first stretch; the rest is 46.5 s");
    }

    [Test]
    public void Monologue_Czech_LongStretch_Fails()
    {
        var result = Run(TranscriptBuilder.Czech()
            .Agent(0, 30, "Nový tarif zahrnuje internet, televizi a telefon v jednom balíčku.")
            .Customer(30.2, 30.6, "Jo.")
            .Agent(31, 62, "K tomu je sportovní balíček, který můžete kdykoli zrušit."), "monologue");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), result.Summary);
    }

    [Test]
    public void Monologue_MonoCall_IsNotApplicable()
    {
        var result = Run(TranscriptBuilder.Polish().Unknown(0, 70, "Nowa taryfa obejmuje internet."), "monologue");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable), "on one channel the customer's words cannot be told apart");
    }

    [Test]
    public void Empathy_Acknowledged_PassesQuotingTheCustomer()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Customer(0, 5, "Dzwonię już trzeci raz w tej sprawie, to jest nie do przyjęcia!")
            .Agent(5.5, 9, "Doskonale rozumiem Pana irytację. Zajmę się tym od razu."), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
        Assert.That(result.Findings.Single().Evidence, Is.EqualTo(
            "Dzwonię już trzeci raz w tej sprawie, to jest nie do przyjęcia! → Doskonale rozumiem Pana irytację. Zajmę się tym od razu."), "both turns are quoted");
    }

    [Test]
    public void Empathy_BareRozumiemThatAnswersAQuestion_FailsQuotingBothTurns()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Customer(0, 5, "Jestem wściekły, czekam od tygodnia na technika. Kiedy on przyjdzie?")
            .Agent(5.5, 9, "Rozumiem. Technik przyjdzie w czwartek."), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "'rozumiem' here takes the question, not the anger");
        Assert.That(result.Summary, Is.EqualTo(
            "Customer: \"Jestem wściekły, czekam od tygodnia na technika. Kiedy on przyjdzie?\": the agent's next turn does not acknowledge it: \"Rozumiem. Technik przyjdzie w czwartek.\""));
    }

    [Test]
    public void Empathy_CalmCustomerWithRozumiem_IsNotApplicable()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Customer(0, 3, "Kiedy przyjdzie technik?")
            .Agent(3.5, 6, "Rozumiem. Technik przyjdzie w czwartek."), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable));
        Assert.That(result.Summary, Is.EqualTo("no frustration from the customer"));
    }

    [Test]
    public void Empathy_AcknowledgementOnlyTwoTurnsLater_Fails()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Customer(0, 4, "Mam już dość, nikt mi nie pomógł!")
            .Agent(4.5, 7, "Proszę podać numer klienta.")
            .Customer(7.5, 9, "Jeden dwa trzy.")
            .Agent(9.5, 12, "Bardzo mi przykro, że tak wyszło."), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), "the next turn must acknowledge before moving on");
    }

    [Test]
    public void Empathy_Czech_NotAcknowledged_Fails()
    {
        var result = Run(TranscriptBuilder.Czech()
            .Customer(0, 4, "Volám už potřetí a nikdo mi nepomohl, to je nepřijatelné!")
            .Agent(4.5, 7, "Jaké je vaše zákaznické číslo?"), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Fail), result.Summary);
        Assert.That(result.Findings.Single().LocalMessage!.For("cs"), Does.Contain("další replika operátora nereaguje na emoce zákazníka"));
    }

    [Test]
    public void Empathy_Czech_Acknowledged_Passes()
    {
        var result = Run(TranscriptBuilder.Czech()
            .Customer(0, 4, "Jsem naštvaný, čekám už týden.")
            .Agent(4.5, 7, "Je mi to líto, hned se na to podívám."), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.Pass), result.Summary);
    }

    [Test]
    public void Empathy_MonoCall_IsNotApplicable()
    {
        var result = Run(TranscriptBuilder.Polish()
            .Unknown(0, 4, "Jestem wściekły!")
            .Unknown(4.5, 7, "Proszę podać numer."), "empathy");

        Assert.That(result.Outcome, Is.EqualTo(Outcome.NotApplicable));
    }

    [Test]
    public void Analyze_DefinedChecks_CountInTheScoreWithTheirWeights()
    {
        var call = TranscriptBuilder.Polish()
            .Customer(0, 4, "Jestem wściekły!")
            .Agent(4.5, 7, "Proszę podać numer.")
            .Build();
        var report = new CallAnalyzer(RulePacks.Polish).Analyze(call);

        Assert.That(report.Results.Select(r => r.CheckId), Is.EqualTo(new[] { "greeting", "interruption", "politeness", "dont_know", "closing", "hold", "monologue", "empathy" }),
            "the pack's checks follow the five of the mission");
        Assert.That(report.ResultOf("empathy")!.LocalName!.For("pl"), Is.EqualTo("Empatia"), "the pack names its own checks");
        var expected = CallScore.Compute(report.Results.Where(r => r.CheckId != "empathy").Append(report.ResultOf("empathy")! with { Outcome = Outcome.Pass }), RulePacks.Polish);
        Assert.That(report.Score, Is.LessThan(expected), "a failed empathy check lowers the score");
    }
}
