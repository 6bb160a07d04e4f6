using QualityScan.Analyzers;
using QualityScan.Pipeline.Evaluation;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Tests.IO;

namespace QualityScan.Pipeline.Tests.Evaluation;

/// <summary>What learn, evaluate and the review folder read as reviews.</summary>
public sealed class TrainingInputTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-training-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [TestCase("a-review.csv")]
    [TestCase("expected.csv")]
    public async Task Read_Fifo_RefusedNamingTheFileWithoutOpeningIt(string name)
    {
        // Neither the sheet reader nor the look at whether it is an expected.csv may open it: both would wait for a writer.
        var fifo = Path.Combine(_work, name);
        ExternalTools.Run(ExternalTools.Require("mkfifo", "coreutils"), fifo);
        var pack = RuleBook.Load().For("pl").Pack;

        var message = await NotBlocking.Within(() =>
        {
            try
            {
                return $"read {TrainingInput.Read(fifo, pack, new Dictionary<string, Models.CallTranscript>(), []).Count} moment(s)";
            }
            catch (InvalidDataException ex)
            {
                return ex.Message;
            }
        }, fifo);

        Assert.That(message, Does.StartWith(fifo).And.Contain("not a regular file"));
    }
}
