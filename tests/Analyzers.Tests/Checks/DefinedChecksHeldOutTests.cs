using System.Globalization;
using QualityScan.Analyzers.Tests.Learning;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests.Checks;

/// <summary>
/// The agreement of the pack-defined checks (hold, monologue, empathy) with the intended outcome on the held-out
/// transcripts in <c>defined-checks-heldout.txt</c> (Polish and Czech, near misses included), printed per check.
/// </summary>
[TestFixture]
public sealed class DefinedChecksHeldOutTests
{
    private static readonly string[] Checks = ["hold", "monologue", "empathy"];

    [TestCase(false, TestName = "HeldOutTranscripts_PhrasesAlone_AgreeWithTheIntendedOutcomes")]
    [TestCase(true, TestName = "HeldOutTranscripts_WithTheLearnedLayer_AgreeWithTheIntendedOutcomes")]
    public void HeldOutTranscripts_AgreeWithTheIntendedOutcomes(bool learned)
    {
        var calls = Read(Path.Combine(TestContext.CurrentContext.TestDirectory, "Checks", "defined-checks-heldout.txt"));
        var misses = new List<string>();
        foreach (var check in Checks)
        {
            int compared = 0, agreed = 0;
            foreach (var (id, transcript, expected) in calls)
            {
                if (!expected.TryGetValue(check, out var want))
                {
                    continue;
                }

                var pack = learned ? LearnedModels.For(transcript.Metadata.Language) : RulePacks.For(transcript);
                var result = new CallAnalyzer(pack).Analyze(transcript).ResultOf(check)!;
                compared++;
                if (result.Outcome == want)
                {
                    agreed++;
                }
                else
                {
                    misses.Add($"{id} {check}: expected {want.ToReportText()}, got {result.Outcome.ToReportText()} ({result.Summary})");
                }
            }

            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{check,-10} {agreed}/{compared} agreement {(double)agreed / compared:0.00}"));
        }

        Assert.That(calls, Has.Count.GreaterThanOrEqualTo(20), "the set must be big enough to say something");
        Assert.That(misses, Is.Empty, string.Join("\n", misses));
    }

    private static List<(string Id, CallTranscript Call, Dictionary<string, Outcome> Expected)> Read(string path)
    {
        var calls = new List<(string, CallTranscript, Dictionary<string, Outcome>)>();
        TranscriptBuilder? builder = null;
        string? id = null;
        Dictionary<string, Outcome>? expected = null;
        void Flush()
        {
            if (builder is not null)
            {
                calls.Add((id!, builder.Build(), expected!));
            }
        }

        foreach (var line in File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] == "===")
            {
                Flush();
                id = parts[1];
                builder = parts[2] == "cs" ? TranscriptBuilder.Czech() : TranscriptBuilder.Polish();
                expected = parts.Skip(3).Where(p => p.Contains('='))
                    .ToDictionary(p => p.Split('=')[0], p => OutcomeText.Parse(p.Split('=')[1]) ?? throw new FormatException(line));
                continue;
            }

            var start = double.Parse(parts[1], CultureInfo.InvariantCulture);
            var end = double.Parse(parts[2], CultureInfo.InvariantCulture);
            var text = string.Join(' ', parts.Skip(3));
            builder = parts[0] switch
            {
                "A" => builder!.Agent(start, end, text),
                "C" => builder!.Customer(start, end, text),
                "U" => builder!.Unknown(start, end, text),
                _ => throw new FormatException(line),
            };
        }

        Flush();
        return calls;
    }
}
