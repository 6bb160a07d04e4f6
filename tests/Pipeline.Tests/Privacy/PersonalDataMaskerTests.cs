using QualityScan.Analyzers;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Privacy;
using QualityScan.Pipeline.Reports;

namespace QualityScan.Pipeline.Tests.Privacy;

/// <summary>
/// The masker over the shipped rule packs and messages. The numbers were made with their check rules computed apart from
/// the code (PESEL 44051401359, rodné číslo 785123/3544, the Visa test card 4111 1111 1111 1111, the IBANs of the banks'
/// own examples), so a wrong check rule shows as a number left in the text.
/// </summary>
public sealed class PersonalDataMaskerTests
{
    private static readonly Lazy<PersonalDataMasker> Polish = new(() =>
        PersonalDataMasker.For(RuleBook.Load(), new ReportText(MessageCatalogLoader.LoadForLanguage("pl", MessageKeys.Schema))));

    private static readonly Lazy<PersonalDataMasker> Czech = new(() =>
        PersonalDataMasker.For(RuleBook.Load(), new ReportText(MessageCatalogLoader.LoadForLanguage("cs", MessageKeys.Schema))));

    [TestCase("Mój PESEL to 44051401359.", "Mój PESEL to [PESEL].")]
    [TestCase("PESEL 440514 01359", "PESEL [PESEL]")]
    [TestCase("czterdzieści cztery zero pięć czternaście zero jeden trzysta pięćdziesiąt dziewięć", "[PESEL]")]
    [TestCase("cztery cztery zero pięć jeden cztery zero jeden trzy pięć dziewięć, tak", "[PESEL], tak")]
    [TestCase("Karta 4111 1111 1111 1111, ważna do końca roku.", "Karta [karta], ważna do końca roku.")]
    [TestCase("numer karty 4111-1111-1111-1111", "numer karty [karta]")]
    [TestCase("Konto PL61 1090 1014 0000 0712 1981 2874 proszę", "Konto [konto] proszę")]
    [TestCase("61 1090 1014 0000 0712 1981 2874", "[konto]")]
    [TestCase("Proszę dzwonić na 600 700 800 albo +48 512 345 678.", "Proszę dzwonić na [telefon] albo [telefon].")]
    [TestCase("sześćset siedemset osiemset", "[telefon]")]
    [TestCase("Mail to jan.kowalski@gmail.com.", "Mail to [e-mail].")]
    [TestCase("jan kropka kowalski małpa gmail kropka com", "[e-mail]")]
    [TestCase("numer klienta cztery pięć sześć siedem osiem dziewięć jeden", "numer klienta [numer]")]
    [TestCase("Numer klienta 4567891.", "Numer klienta [numer].")]
    public void Mask_PolishPersonalData_ReplacedByCategory(string text, string expected) =>
        Assert.That(Polish.Value.Mask(text, "pl"), Is.EqualTo(expected));

    [TestCase("Rodné číslo 785123/3544.", "Rodné číslo [rodné číslo].")]
    [TestCase("rodné číslo sedm osm pět jedna dva tři tři pět čtyři čtyři", "rodné číslo [rodné číslo]")]
    [TestCase("Účet 19-2000145399/0800, prosím.", "Účet [účet], prosím.")]
    [TestCase("číslo účtu 123456/0100", "číslo účtu [účet]")]
    [TestCase("IBAN CZ65 0800 0000 1920 0014 5399", "IBAN [účet]")]
    [TestCase("Volejte +420 603 123 456.", "Volejte [telefon].")]
    [TestCase("šest nula tři jedna dva tři čtyři pět šest", "[telefon]")]
    [TestCase("čtyři jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna", "[karta]")]
    [TestCase("petr tečka novak zavináč seznam tečka cz", "[e-mail]")]
    [TestCase("čtyři pět šest sedm osm devět", "[číslo]")]
    public void Mask_CzechPersonalData_ReplacedByCategory(string text, string expected) =>
        Assert.That(Czech.Value.Mask(text, "cs"), Is.EqualTo(expected));

    [TestCase("Do zapłaty 1 250,50 zł do 12.03.2024.")]
    [TestCase("To kosztuje dwadzieścia złotych miesięcznie.")]
    [TestCase("Rozmowa o 10:30, faktura z 2026-11-29.")]
    [TestCase("Numer zamówienia to 123456789.")]
    [TestCase("numer zamówienia jeden dwa trzy cztery pięć sześć siedem osiem dziewięć")]
    [TestCase("Zamówienie ZAM-2026/123456 jest w drodze.")]
    [TestCase("Kod pocztowy 00-950, ulica Długa 12, rok 2024.")]
    [TestCase("Rabat 15 % na trzy miesiące.")]
    [TestCase("Proszę chwilę poczekać, dwa dni robocze.")]
    public void Mask_PolishNearMisses_Kept(string text) =>
        Assert.That(Polish.Value.Mask(text, "pl"), Is.EqualTo(text));

    [TestCase("Zaplatíte 1 250 Kč do 12.3.2024.")]
    [TestCase("Stojí to tři sta korun.")]
    [TestCase("Číslo objednávky je 123456789.")]
    [TestCase("Objednávka OBJ-987654 dorazí zítra v 9:15.")]
    public void Mask_CzechNearMisses_Kept(string text) =>
        Assert.That(Czech.Value.Mask(text, "cs"), Is.EqualTo(text));

    [Test]
    public void Mask_OrderNumberOfTheOtherLanguagesPack_StillMasked()
    {
        // The Polish pack names "numer zamówienia" safe; a Czech call gets the Czech pack's list only.
        Assert.That(Czech.Value.Mask("numer zamówienia 123456789", "cs"), Is.EqualTo("numer zamówienia [telefon]"));
    }

    [Test]
    public void Mask_InvalidPeselCheckDigit_MaskedAsPlainNumber()
    {
        // A misheard digit breaks the check digit: still masked, but not called a PESEL.
        Assert.That(Polish.Value.Mask("PESEL 44051401358", "pl"), Is.EqualTo("PESEL [numer]"));
    }

    [Test]
    public void Mask_EnglishReportLanguage_EnglishCategories()
    {
        var english = PersonalDataMasker.For(RuleBook.Load(), new ReportText(MessageCatalogLoader.LoadForLanguage("en", MessageKeys.Schema)));
        Assert.That(english.Mask("karta 4111111111111111, PESEL 44051401359", "pl"), Is.EqualTo("karta [card], PESEL [PESEL]"));
    }
}
