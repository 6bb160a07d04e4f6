using QualityScan.Analyzers.Matching;

namespace QualityScan.Analyzers.Tests.Matching;

[TestFixture]
public sealed class EditDistanceTests
{
    [TestCase("dziekuje", "dziekuje", 0)]
    [TestCase("dziekuje", "dzienkuje", 1)]
    [TestCase("kowalska", "kowalksa", 1)]
    [TestCase("nie", "nic", 1)]
    [TestCase("cierpliwosc", "cerpliwosz", 2)]
    [TestCase("", "abc", 3)]
    public void Distance_KnownPairs_CountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int expected)
    {
        Assert.That(EditDistance.Distance(a, b), Is.EqualTo(expected), "swapped neighbours cost one edit, like any other single error");
    }

    [Test]
    public void IsWithin_DistanceAboveLimit_IsFalse()
    {
        Assert.That(EditDistance.IsWithin("dziekuje", "dzienkuja", 1), Is.False, "two edits exceed a limit of one");
    }
}
