using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Tests.Matching;

[TestFixture]
public sealed class TextNormalizerTests
{
    private static readonly TextNormalizer Normalizer = new(["eee", "yyy", "hmm", "no", "aaa"], ["nie"]);

    [Test]
    public void Normalize_PolishLetters_FoldsToPlainLatin()
    {
        var words = Normalizer.Words("Zażółć GĘŚLĄ jaźń, Łódź!");

        Assert.That(words, Is.EqualTo(new[] { "zazolc", "gesla", "jazn", "lodz" }), "every Polish letter folds to its base letter, lower case, punctuation gone");
    }

    [Test]
    public void Normalize_CzechLetters_FoldsToPlainLatin()
    {
        var words = Normalizer.Words("Příliš žluťoučký kůň úpěl ďábelské ódy, Ňadra ŘEPA");

        Assert.That(words, Is.EqualTo(new[] { "prilis", "zlutoucky", "kun", "upel", "dabelske", "ody", "nadra", "repa" }), "every Czech letter folds to its base letter");
    }

    [Test]
    public void Normalize_DecomposedDiacritics_StayOneWord()
    {
        var words = Normalizer.Words("Dzien\u0301 dobry");

        Assert.That(words, Is.EqualTo(new[] { "dzien", "dobry" }), "a combining accent belongs to its letter instead of splitting the word");
    }

    [Test]
    public void Normalize_Words_KeepOffsetsIntoOriginalText()
    {
        const string Text = "Dzień dobry, Anna Kowalska.";

        var kowalska = Normalizer.Normalize(Text).Words[3];

        Assert.That(Text.Substring(kowalska.Start, kowalska.Length), Is.EqualTo("Kowalska"), "offsets point at the original spelling so findings can quote it");
    }

    [Test]
    public void Normalize_FillersIncludingLongerRuns_AreLeftOutOfWords()
    {
        var words = Normalizer.Words("Yyyy, eeeee, hmmm, no dobrze.");

        Assert.That(words, Is.EqualTo(new[] { "dobrze" }), "listed fillers and longer runs of them are ignored");
    }

    [Test]
    public void Normalize_SingleLetterLikeSqueezedFiller_IsStillAWord()
    {
        var words = Normalizer.Words("a aaaa");

        Assert.That(words, Is.EqualTo(new[] { "a" }), "Czech 'a' (and) is a word even though 'aaa' is a filler");
    }

    [Test]
    public void Normalize_SentenceEnds_StartNewSentences()
    {
        var words = Normalizer.Normalize("Nie, wiem. Tak? Dobrze!").Words;

        Assert.That(words.Select(w => w.Sentence), Is.EqualTo(new[] { 0, 0, 1, 2 }), "commas do not end a sentence; . ? ! do");
    }
}
