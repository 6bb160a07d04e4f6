using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Evaluation;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>The project's own accuracy figure: scan sample-audio/ with the shipped model and compare with expected.csv.</summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class SampleAudioEvaluationTests
{
    /// <summary>Agreement every check must reach on the sample calls.</summary>
    private const double MinimumAgreement = 0.9;

    [Test]
    public async Task ScanAndEvaluate_SampleCalls_EveryCheckAgreesWithExpectedOutcomes()
    {
        var samples = RepositoryPaths.SampleAudio;
        var output = Path.Combine(Path.GetTempPath(), $"qs-samples-{Guid.NewGuid():N}");
        try
        {
            var code = await new ScanCommand().RunAsync([samples, "--out", output], CancellationToken.None);
            Assert.That(code, Is.EqualTo(ExitCodes.Success));

            var result = Evaluator.Evaluate(output, Path.Combine(samples, "expected.csv"));
            var table = EvaluateCommand.Format(result);
            TestContext.Out.WriteLine(table);

            Assert.That(result.MissingCalls, Is.Empty, "every sample call is processed:\n" + table);
            Assert.Multiple(() =>
            {
                foreach (var check in result.Checks)
                {
                    var shortfalls = result.Disagreements.Where(d => d.CheckId == check.CheckId).Select(d => $"{d.CallId} (expected {d.Expected}, reported {d.Reported}: {d.Evidence})");
                    Assert.That(check.Agreement, Is.GreaterThanOrEqualTo(MinimumAgreement),
                        $"{check.CheckId}: agreement {check.Agreement:F2}; calls that fall short: {string.Join("; ", shortfalls)}");
                }
            });
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
