using QualityScan.Models;

namespace QualityScan.Analyzers.Tests;

[TestFixture]
public sealed class RuleBookTests
{
    private static readonly Lazy<RuleBook> Book = new(() => RuleBook.Load());

    [Test]
    public void Load_DefaultFolder_HasPolishAndCzech()
    {
        Assert.That(Book.Value.Languages, Is.EquivalentTo(new[] { "pl", "cs" }), "both shipped packs are found beside the binaries");
    }

    [Test]
    public void Analyze_CzechCall_UsesCzechPack()
    {
        var call = TranscriptBuilder.Czech().Agent(0.3, 4.5, "Dobrý den, Petr Svoboda, Telkom, jak vám mohu pomoci?").Build();

        var report = Book.Value.Analyze(call);

        Assert.That(report.ResultOf(CheckIds.Greeting)!.Outcome, Is.EqualTo(Outcome.Pass), "a Czech greeting passes only with Czech phrases");
    }

    [Test]
    public void Analyze_RegionalLanguageCode_UsesBaseLanguage()
    {
        var call = ContractExample.Build();
        call = call with { Metadata = call.Metadata with { Language = "pl-PL" } };

        Assert.That(Book.Value.Analyze(call).Score, Is.EqualTo(50.0), "'pl-PL' is judged with the Polish pack");
    }

    [Test]
    public void Analyze_UnknownLanguage_ThrowsNamingIt()
    {
        var call = ContractExample.Build();
        call = call with { Metadata = call.Metadata with { Language = "de" } };

        Assert.That(() => Book.Value.Analyze(call), Throws.TypeOf<UnsupportedLanguageException>().With.Message.Contains("'de'"),
            "a call in a language without a pack must not be judged with another language's phrases");
    }
}
