using QualityScan.Pipeline.Cli;
using QualityScan.Speech.Tests.Transcription;

namespace QualityScan.Pipeline.Tests.Cli;

[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class TranscribeCommandTests
{
    [TestCaseSource(typeof(TestData), nameof(TestData.DemoUtteranceCases))]
    public async Task Transcribe_DemoVectorWithFloat32ModelAndNoVad_PrintsTheExpectedText(int index)
    {
        var utterance = TestData.DemoManifest()[index];
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = await Program.Main(["transcribe", Path.Combine(TestData.DemoVectors, utterance.Wav), "--model", TestData.DemoModel, "--precision", "fp32", "--no-vad", "--language", utterance.Language]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        var line = output.ToString().Trim();
        Assert.That(line, Does.Match(@"^\[0\.00-\d+\.\d\d\] unknown: "), "one line: [start-end] speaker: text; a mono file has speaker unknown");
        Assert.That(line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..], Is.EqualTo(utterance.ExpectedText.TrimStart()));
    }

    [Test]
    public async Task Transcribe_MissingModelFolder_ExitsWithErrorNamingTheFile()
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        var folder = Path.Combine(Path.GetTempPath(), $"qs-nomodel-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var wav = Path.Combine(folder, "x.wav");
            File.WriteAllBytes(wav, new byte[44]);
            var code = await Program.Main(["transcribe", wav, "--model", folder]);
            Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        }
        finally
        {
            Console.SetError(original);
            Directory.Delete(folder, recursive: true);
        }

        Assert.That(error.ToString(), Does.Contain("encoder.int8.onnx").And.Contain("--model"));
    }
}
