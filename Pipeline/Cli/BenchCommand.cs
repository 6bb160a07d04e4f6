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

    /// <summary><c>bench analyze</c>.</summary>
    public static CommandSpec AnalyzeSpec { get; } = new("analyze", "Generates a batch of transcripts and times analyze on it end to end (read JSON, check, write reports).")
    {
        Options =
        [
            new("calls", "Transcripts to generate (1-1000000).") { ValueName = "N", Default = "1000" },
            new("utterances", "Utterances per transcript (2-10000).") { ValueName = "N", Default = "40" },
            new("phrases", "Add N generated polite phrases to the Polish rule pack (a very long phrase list).") { ValueName = "N", Default = "0" },
        ],
    };

    /// <summary><c>bench transcribe</c>.</summary>
    public static CommandSpec TranscribeSpec { get; } = new("transcribe", "Times each stage of transcribing one recording (features, encoder, decoder ms/token) and prints the real-time factor.")
    {
        Arguments = [new ArgumentSpec("audio file", "The recording to time.")],
        Options =
        [
            .. ModelLoading.Options("pl"),
            new("runs", "Timed runs (1-100); the best is reported too.") { ValueName = "N", Default = "3" },
            new("workers", "Parallel workers (1-8), e.g. one per channel.") { ValueName = "N", Default = "1" },
            new("threads", "ONNX Runtime threads per worker (1-64).") { ValueName = "N", Default = "cores / workers" },
            new("batch", "Windows decoded together (1-64).") { ValueName = "N", Default = "packed: from memory, at most 8; chunk: 1" },
            new("decoder", "Which decoder graph runs: the one rebuilt at load with the cache kept in place, or the model's original sherpa-onnx graph (to compare).") { ValueName = "rebuilt|original", Default = "rebuilt" },
            new("tokens-per-second", "Decode exactly R tokens per second of speech in every window (for random-weight models of real sizes, which babble).") { ValueName = "R", Default = "none: decode until the model ends" },
            new("graph-cache", "Keep the rebuilt decoder and the rewritten encoder in this folder between runs, as scan keeps them in decoder-cache/ beside its history, so a second run times a warm load.") { ValueName = "folder", Default = "none: rebuilt at every load" },
            new("compare", "Also measure this model (an ONNX folder or a whisper.cpp ggml file, so both engines in one run): every model in a process of its own, so each peak memory is its own, then one table row per model.") { ValueName = "model", Repeatable = true, Default = "none: --model alone" },
        ],
    };

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("bench", "Timing figures (never pass/fail; nothing in the tests is timed).")
    {
        Subcommands = [AnalyzeSpec, TranscribeSpec],
    };

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
        var parsed = CommandArguments.Parse(args, AnalyzeSpec);
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
