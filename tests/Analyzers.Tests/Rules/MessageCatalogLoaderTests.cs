using QualityScan.Analyzers.Checks;
using QualityScan.Analyzers.Rules;
using QualityScan.Analyzers.Tests.Checks;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Rules;

[TestFixture]
public sealed class MessageCatalogLoaderTests
{
    [TestCase("pl")]
    [TestCase("cs")]
    [TestCase("en")]
    public void LoadForLanguage_ShippedFile_HasEveryKey(string language)
    {
        var catalog = MessageCatalogLoader.LoadForLanguage(language, MessageKeys.Schema);

        Assert.That(catalog.Language, Is.EqualTo(language));
        foreach (var section in MessageKeys.Schema.Sections)
        {
            foreach (var key in MessageKeys.Schema.KeysOf(section))
            {
                Assert.That(catalog.Text($"{section}.{key}"), Is.Not.Empty, $"{language}: {section}.{key}");
            }
        }
    }

    [Test]
    public void Format_MissingElementsInPolish_ListsTheElementsInPolish()
    {
        var result = RulePacks.Run(TranscriptBuilder.Polish().Agent(0.5, 1.0, "Halo?").Build(), p => new GreetingAnalyzer(p));
        var polish = MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema);

        Assert.That(result.Findings.Single(f => f.Outcome == Outcome.Fail).Reason, Is.Not.Null, "the finding keeps its message key for other languages");
        Assert.That(polish.Format(result.Findings.Single(f => f.Outcome == Outcome.Fail).Reason!),
            Is.EqualTo("brakuje: powitanie, imię konsultanta, nazwa firmy lub działu, propozycja pomocy"));
        Assert.That(result.Summary, Is.EqualTo("missing: greeting, agent name, company or department, offer of help"), "the English text stays what findings.csv had");
    }

    [Test]
    public void Format_OverlapEvidence_SaysWhoSpokeOverWhomInPolishAndKeepsQuotesStartingWithAt()
    {
        var polish = MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema);
        var english = MessageCatalogLoader.LoadForLanguage("en", MessageKeys.Schema);
        var evidence = MessageRef.Of("findings.overlap_evidence",
            ("speaker", MessageRef.KeyList(["speaker_agent"])), ("words", "Musi Pan"),
            ("other", MessageRef.KeyList(["speaker_customer"])), ("other_words", "@home, ja nie"));

        Assert.That(polish.Format(evidence), Is.EqualTo("konsultant: „Musi Pan”, a w tym czasie klient: „@home, ja nie”"));
        Assert.That(english.Format(evidence), Is.EqualTo("agent: \"Musi Pan\" over customer: \"@home, ja nie\""), "the English form findings.csv always had");
    }

    [Test]
    public void Parse_UnknownKey_NamesFileLineAndKey()
    {
        var yaml = Shipped("en").Replace("  closing_complete:", "  closing_compleet:", StringComparison.Ordinal);

        var error = Assert.Throws<RulePackException>(() => MessageCatalogLoader.Parse(yaml, "messages.en.yaml", MessageKeys.Schema))!;

        Assert.That(error.Key, Is.EqualTo("findings.closing_compleet"));
        Assert.That(error.Line, Is.EqualTo(LineOf(yaml, "closing_compleet")), "the line of the typo");
        Assert.That(error.Message, Does.StartWith($"messages.en.yaml:{error.Line}: findings.closing_compleet: unknown key"));
    }

    [Test]
    public void Parse_MissingKey_SaysWhichKey()
    {
        var yaml = string.Join('\n', Shipped("pl").Split('\n').Where(l => !l.TrimStart().StartsWith("coach_play:", StringComparison.Ordinal)));

        var error = Assert.Throws<RulePackException>(() => MessageCatalogLoader.Parse(yaml, "messages.pl.yaml", MessageKeys.Schema))!;

        Assert.That(error.Key, Is.EqualTo("report.coach_play"));
        Assert.That(error.Problem, Does.Contain("missing required key 'coach_play'"));
    }

    [Test]
    public void Parse_UnknownPlaceholder_IsRejected()
    {
        var yaml = Shipped("pl").Replace("przez {seconds} s", "przez {sekundy} s", StringComparison.Ordinal);

        var error = Assert.Throws<RulePackException>(() => MessageCatalogLoader.Parse(yaml, "messages.pl.yaml", MessageKeys.Schema))!;

        Assert.That(error.Key, Is.EqualTo("findings.interruption_by_agent"));
        Assert.That(error.Problem, Does.Contain("{sekundy}").And.Contain("{seconds}"), "names the wrong placeholder and the right one");
        Assert.That(error.Line, Is.EqualTo(LineOf(yaml, "{sekundy}")));
    }

    [Test]
    public void Parse_EmptyText_IsRejected()
    {
        var yaml = Shipped("cs").Replace("  coach_play: Přehrát moment", "  coach_play: \"\"", StringComparison.Ordinal);

        var error = Assert.Throws<RulePackException>(() => MessageCatalogLoader.Parse(yaml, "messages.cs.yaml", MessageKeys.Schema))!;

        Assert.That((error.Key, error.Problem), Is.EqualTo(("report.coach_play", "must not be empty")));
    }

    [Test]
    public void RuleBookLoad_FolderWithMessagesFiles_LoadsOnlyRulePacks()
    {
        var book = RuleBook.Load();

        Assert.That(book.Languages, Is.EquivalentTo(new[] { "pl", "cs" }), "messages.*.yaml beside the packs are not rule packs");
    }

    private static string Shipped(string language) => File.ReadAllText(Path.Combine(RulePackLoader.DefaultDirectory, MessageCatalogLoader.FileName(language)));

    private static int LineOf(string text, string needle) =>
        text.Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(needle, StringComparison.Ordinal)).i + 1;
}
