using System.Diagnostics;
using System.Globalization;
using QualityScan.Pipeline.Benchmarks;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan bench analyze</c> and <c>qualityscan bench transcribe &lt;audio&gt;</c>: timing figures, never pass/fail.</summary>
public sealed class BenchCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "bench";

    /// <inheritdoc />
    public string Usage => """
        bench analyze [--calls 1000] [--utterances 40] [--phrases N]
            Generates a batch of transcripts and times analyze on it end to end (read JSON, check, write reports);
            --phrases adds N generated polite phrases to the Polish rule pack (a very long phrase list).
        bench transcribe <audio file> [--model <folder>] [--language pl|cs|auto] [--precision int8|fp32] [--runs 3]
            [--workers 1] [--threads N] [--batch 1] [--windowing auto|chunk|packed] [--tokens-per-second R]
            Times each stage of transcribing one recording and prints the real-time factor.
        """;

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var mode = args.Count > 0 ? args[0] : throw new UsageException("missing what to benchmark: analyze or transcribe");
        return mode switch
        {
            "analyze" => await BenchAnalyzeAsync(args.Skip(1).ToList(), cancellationToken).ConfigureAwait(false),
            "transcribe" => await TranscriptionBenchmark.RunAsync(args.Skip(1).ToList(), cancellationToken).ConfigureAwait(false),
            _ => throw new UsageException($"unknown benchmark '{mode}' (analyze or transcribe)"),
        };
    }

    private static async Task<int> BenchAnalyzeAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, ["calls", "utterances", "phrases"], []);
        var calls = parsed.Int("calls", 1000, 1, 1_000_000);
        var utterances = parsed.Int("utterances", 40, 2, 10_000);
        var phrases = parsed.Int("phrases", 0, 0, 10_000_000);
        var folder = Path.Combine(Path.GetTempPath(), $"qualityscan-bench-{Environment.ProcessId}");
        var input = Path.Combine(folder, "transcripts");
        Directory.CreateDirectory(input);
        try
        {
            for (var i = 0; i < calls; i++)
            {
                var call = SyntheticTranscripts.Create(i, utterances);
                TranscriptJson.Write(Path.Combine(input, call.Metadata.CallId + ".json"), new TranscriptDocument(call));
            }

            string[] rules = phrases > 0 ? ["--rules", SyntheticRulePack.Write(Path.Combine(folder, "rules"), phrases)] : [];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var code = await new AnalyzeCommand().RunAsync([input, "--out", Path.Combine(folder, "out"), .. rules], cancellationToken).ConfigureAwait(false);
            watch.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench analyze: {calls} transcripts x {utterances} utterances{(phrases > 0 ? $" with {phrases} extra polite phrases" : "")} in {watch.Elapsed.TotalSeconds:0.00} s end to end, rule loading included ({calls / watch.Elapsed.TotalSeconds:0} calls/s; processor time {cpu.TotalSeconds:0.00} s; {Environment.ProcessorCount} cores)"));
            return code;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
