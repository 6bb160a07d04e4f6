using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Tests.Matching;

[TestFixture]
public sealed class PhraseMatchingTests
{
    private static readonly MatchingOptions Options = MatchingOptions.Default;
    private static readonly TextNormalizer Normalizer = new(["eee", "yyy", "hmm", "no"], ["nie"]);

    private static PhraseMatch? Find(string pattern, string text) =>
        PhraseList.Parse([pattern], Options).FindFirst(Normalizer.Normalize(text));

    [Test]
    public void FindFirst_CaseAndDiacriticsDiffer_MatchesAndQuotesOriginal()
    {
        var match = Find("dzien dobry", "Dzień dobry, Anna Kowalska.");

        Assert.That(match?.Quote, Is.EqualTo("Dzień dobry"), "the quote is the transcribed spelling, not the folded one");
    }

    [Test]
    public void FindFirst_PatternWithDiacriticsAgainstAsrWithout_Matches()
    {
        var match = Find("Dziękuję za cierpliwość", "dziekuje za cierpliwosc");

        Assert.That(match?.Quote, Is.EqualTo("dziekuje za cierpliwosc"), "rule files may be written in proper Polish while ASR drops the accents");
    }

    [TestCase("nevím", "Nevím.", true)]
    [TestCase("nevím", "něčím", true)]
    [TestCase("=nevím", "Nevím.", true)]
    [TestCase("=nevím", "něčím", false)]
    [TestCase("=nevím", "nevim", true)]
    public void FindFirst_ExactMarker_DisablesLetterTolerance(string pattern, string text, bool matches) =>
        Assert.That(Find(pattern, text) is not null, Is.EqualTo(matches), "'=word' tolerates no misrecognised letter; folding still applies");

    [TestCase("W czym mogę Panu pomóc?", "W czym mogę Panu pomóc")]
    [TestCase("w czym moge pani pomoc", "w czym moge pani pomoc")]
    [TestCase("W czym mogłabym pomóc?", "W czym mogłabym pomóc")]
    [TestCase("Czym mogę pomóc?", "Czym mogę pomóc")]
    public void FindFirst_InflectedAndOptionalWords_Match(string text, string expectedQuote)
    {
        var match = Find("(w) czym mog* (panu|pani) pomóc", text);

        Assert.That(match?.Quote, Is.EqualTo(expectedQuote), "alternatives, stems and optional words cover the usual paraphrases");
    }

    [TestCase("Dzienkuje za cierpliwość", Description = "extra letter")]
    [TestCase("Dziekije za cierpliwość", Description = "wrong letter")]
    [TestCase("Dzeikuje za cierpliwość", Description = "swapped letters")]
    public void FindFirst_OneMisrecognisedLetterInLongWord_Matches(string text)
    {
        Assert.That(Find("dziękuję za cierpliwość", text), Is.Not.Null, "an 8-letter word tolerates one ASR error");
    }

    [Test]
    public void FindFirst_TwoErrorsInEightLetterWord_DoesNotMatch()
    {
        Assert.That(Find("dziękuję", "dzienkuja"), Is.Null, "words of 5-8 letters tolerate only one error");
    }

    [Test]
    public void FindFirst_TwoErrorsInElevenLetterWord_Matches()
    {
        Assert.That(Find("cierpliwość", "cerpliwosz"), Is.Not.Null, "words of 9+ letters tolerate two errors");
    }

    [Test]
    public void FindFirst_ThreeErrorsInElevenLetterWord_DoesNotMatch()
    {
        Assert.That(Find("cierpliwość", "cerpliwisz"), Is.Null, "three errors are a different word");
    }

    [TestCase("nie wiem", "Nie wie.", Description = "3rd person is not 'I don't know'")]
    [TestCase("nie wiem", "Nic wiem.", Description = "short words must match exactly: nie is not nic")]
    [TestCase("musi pan", "Musimy to sprawdzić.", Description = "'musimy' (we must) is not 'musi Pan'")]
    [TestCase("dzień dobry", "Dobry.", Description = "half a greeting is not a greeting")]
    [TestCase("dzień dobry", "Dobry wieczór.", Description = "word order matters")]
    [TestCase("nie wiem", "Nie. Wiem o tym.", Description = "a match never crosses a sentence end")]
    [TestCase("pan musi", "Pan nie musi nic robić.", Description = "a gap never skips a negation")]
    [TestCase("w czym mogę pomóc", "W czym, jak już mówiłam, mogę pomóc?", Description = "more than one extra word breaks the phrase")]
    [TestCase("dzięk*", "Dziecko płacze.", Description = "stems match exactly, never fuzzily")]
    public void FindFirst_LookAlikeText_DoesNotMatch(string pattern, string text)
    {
        Assert.That(Find(pattern, text), Is.Null, "a look-alike must not be taken for the phrase");
    }

    [Test]
    public void FindFirst_NieWiemInsideNicNieWiem_Matches()
    {
        var match = Find("nie wiem", "Nic nie wiem o tym.");

        Assert.That(match?.Quote, Is.EqualTo("nie wiem"), "'nic nie wiem' is a stronger 'I don't know', so it contains the phrase");
    }

    [Test]
    public void FindFirst_OneExtraWord_MatchesAcrossGap()
    {
        var match = Find("w czym mogę pomóc", "W czym mogę Panu pomóc?");

        Assert.That(match?.Quote, Is.EqualTo("W czym mogę Panu pomóc"), "one extra word between pattern words is allowed");
    }

    [Test]
    public void FindFirst_FillersBetweenWords_AreInvisibleButQuoted()
    {
        var match = Find("dzień dobry", "Dzień, yyy, eee, dobry.");

        Assert.That(match?.Quote, Is.EqualTo("Dzień, yyy, eee, dobry"), "fillers do not break a phrase and the quote keeps them");
    }

    [Test]
    public void FindFirst_CommaBetweenWords_StillMatches()
    {
        Assert.That(Find("słyszę że", "Słyszę, że jest Pan zdenerwowany."), Is.Not.Null, "commas are clause marks, not sentence ends");
    }

    [Test]
    public void FindAll_OverlappingPhrases_CountsLongestOnce()
    {
        var list = PhraseList.Parse(["dziękuję", "dziękuję za cierpliwość"], Options);

        var matches = list.FindAll(Normalizer.Normalize("Dziękuję za cierpliwość, dziękuję."));

        Assert.That(matches.Select(m => m.Quote), Is.EqualTo(new[] { "Dziękuję za cierpliwość", "dziękuję" }), "the longer phrase wins and is not also counted as its first word");
    }

    [TestCase("děkuji za hovor", "Dekuji za hovor.")]
    [TestCase("nevím", "Nevim.")]
    [TestCase("jak (vám) mohu|můžu pomoci|pomoct", "Jak vám můžu pomoct?")]
    public void FindFirst_CzechWithoutDiacritics_Matches(string pattern, string text)
    {
        Assert.That(Find(pattern, text), Is.Not.Null, "Czech folds the same way as Polish");
    }

    [TestCase("(jeszcze", Description = "unclosed parenthesis")]
    [TestCase("dzień (dobry", Description = "unclosed parenthesis later")]
    [TestCase("pan||pani", Description = "empty alternative")]
    [TestCase("*", Description = "stem without letters")]
    [TestCase("d*", Description = "one-letter stem matches too much")]
    [TestCase("(jeszcze) (raz)", Description = "all optional")]
    [TestCase("  ", Description = "no words")]
    [TestCase("dzi*ń", Description = "star in the middle")]
    public void Parse_MalformedPattern_Throws(string pattern)
    {
        Assert.That(() => PhrasePattern.Parse(pattern, Options), Throws.TypeOf<PatternSyntaxException>(), "a malformed pattern must be rejected, not silently match nothing");
    }
}
