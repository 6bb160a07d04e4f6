using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

[TestFixture]
public sealed class RepetitionGuardTests
{
    [Test]
    public void LoopStart_TokenRepeatedNineTimes_KeepsOneOccurrence()
    {
        int[] tokens = [5, 6, .. Enumerable.Repeat(7, 9)];

        Assert.That(RepetitionGuard.LoopStart(tokens, 8, 3, 40), Is.EqualTo(3), "cut after the first 7");
    }

    [Test]
    public void LoopStart_TokenRepeatedEightTimes_IsNotALoop()
    {
        int[] tokens = [5, .. Enumerable.Repeat(7, 8)];

        Assert.That(RepetitionGuard.LoopStart(tokens, 8, 3, 40), Is.EqualTo(-1), "\"nie nie nie\" style repetition is allowed");
    }

    [Test]
    public void LoopStart_PhraseRepeatedFourTimes_KeepsOnePhrase()
    {
        int[] phrase = [10, 11, 12];
        int[] tokens = [1, 2, .. phrase, .. phrase, .. phrase, .. phrase];

        Assert.That(RepetitionGuard.LoopStart(tokens, 8, 3, 40), Is.EqualTo(5), "keep 1, 2 and the phrase once");
    }

    [Test]
    public void LoopStart_PhraseRepeatedThreeTimes_IsNotALoop()
    {
        int[] phrase = [10, 11, 12];
        int[] tokens = [1, .. phrase, .. phrase, .. phrase];

        Assert.That(RepetitionGuard.LoopStart(tokens, 8, 3, 40), Is.EqualTo(-1));
    }

    [Test]
    public void LoopStart_AlternatingTokens_DetectedAsTwoTokenPhrase()
    {
        int[] tokens = [3, 4, 3, 4, 3, 4, 3, 4];

        Assert.That(RepetitionGuard.LoopStart(tokens, 8, 3, 40), Is.EqualTo(2));
    }

    [Test]
    public void LoopStart_Empty_IsNotALoop()
    {
        Assert.That(RepetitionGuard.LoopStart([], 8, 3, 40), Is.EqualTo(-1));
    }
}
