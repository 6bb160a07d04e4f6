using System.Diagnostics;
using System.Globalization;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Cli;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Benchmarks;

/// <summary><c>qualityscan bench transcribe &lt;audio&gt;</c>: per-stage times and the real-time factor of transcribing one recording.</summary>
public static class TranscriptionBenchmark
{
    /// <summary>Runs the benchmark; prints one block of figures per run and the best run.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, BenchCommand.TranscribeSpec);
        var path = parsed.RequiredPositional(0, "an audio file");
        if (parsed.Values("compare").Count > 0)
        {
            return await EngineComparison.RunAsync(args, [parsed.Value("model"), .. parsed.Values("compare")], cancellationToken).ConfigureAwait(false);
        }

        var runs = parsed.Int("runs", 3, 1, 100);
        var workers = parsed.Int("workers", 1, 1, 8);
        var threads = parsed.Value("threads") is null ? (int?)null : parsed.Int("threads", 1, 1, 64);
        var batch = parsed.Value("batch") is null ? (int?)null : parsed.Int("batch", 1, 1, 64);
        double? tokensPerSecond = null;
        if (parsed.Value("tokens-per-second") is { } rateText)
        {
            tokensPerSecond = double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 50
                ? rate
                : throw new UsageException($"--tokens-per-second takes a number from 0 to 50 (got '{rateText}')");
        }
        var rebuild = parsed.Value("decoder") switch
        {
            null or "rebuilt" => true,
            "original" => false,
            var other => throw new UsageException($"--decoder takes rebuilt or original (got '{other}')"),
        };
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"qualityscan bench: {path} does not exist");
            return ExitCodes.Failure;
        }

        string? ggml;
        try
        {
            ggml = ModelLoading.GgmlPath(parsed);
        }
        catch (InvalidModelException ex)
        {
            Console.Error.WriteLine($"qualityscan bench: {ex.Message}");
            return ExitCodes.Failure;
        }

        if (ggml is not null)
        {
            return await RunGgmlAsync(parsed, path, ggml, runs, threads ?? 0, tokensPerSecond, cancellationToken).ConfigureAwait(false);
        }

        WhisperModel model;
        var loading = Stopwatch.StartNew();
        try
        {
            model = WhisperModel.Load(ModelLoading.Folder(parsed), new WhisperModelOptions { Precision = ModelLoading.Precision(parsed), Workers = workers, IntraOpThreads = threads, RebuildDecoder = rebuild, AllowSpinning = workers == 1, DecoderCacheFolder = parsed.Value("graph-cache") is { } cache ? Path.GetFullPath(cache) : null });
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException)
        {
            Console.Error.WriteLine($"qualityscan bench: {ex.Message}");
            return ExitCodes.Failure;
        }

        loading.Stop();
        using var _model = model;
        var settings = ModelLoading.ForModel(ModelLoading.Settings(parsed, "pl"), model);
        settings = settings with { Transcription = settings.Transcription with { BatchSize = batch ?? settings.Transcription.BatchSize, FixedTokensPerSecond = tokensPerSecond } };
        var job = CallJob.ForFile(Path.GetFullPath(path), Path.GetFileName(path), "bench");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench transcribe {Path.GetFileName(path)}: model {model.Folder} ({model.Precision}), {workers} worker(s) x {model.IntraOpThreads} intra-op thread(s), {Environment.ProcessorCount} cores, {HugePageHeap.Describe()}, " +
            $"windowing {settings.Transcription.Windowing.ToString().ToLowerInvariant()}, batch {settings.Transcription.BatchSize}{(tokensPerSecond is double r ? $", {r} tokens per second of speech (fixed)" : string.Empty)}{Environment.NewLine}" +
            $"  decoder: {model.DecoderLayout}; encoder: {model.EncoderLayout}; model loaded in {loading.Elapsed.TotalSeconds:0.0} s"));

        // One warm-up run so session start-up and first-call allocations are not counted.
        var warm = new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model), settings, ["pl", "cs"]);
        await warm.TranscribeAsync(warm.Prepare(job, cancellationToken), cancellationToken).ConfigureAwait(false);

        double best = 0;
        TranscriptionStats? bestStats = null;
        for (var run = 1; run <= runs; run++)
        {
            var processors = Enumerable.Range(0, workers).Select(_ => new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model), settings, ["pl", "cs"])).ToList();
            var wall = Stopwatch.StartNew();
            var prepared = processors[0].Prepare(job, cancellationToken);
            var transcribeStart = wall.Elapsed;
            int utterances;
            if (workers == 1)
            {
                utterances = (await processors[0].TranscribeAsync(prepared, cancellationToken).ConfigureAwait(false)).Utterances.Count;
            }
            else
            {
                // Several workers: each speaker's track on its own worker, sharing the one model.
                var options = settings.Transcription with { Language = processors[0].LanguageFor(job) };
                var results = await Task.WhenAll(prepared.Channels.Tracks.Select((track, i) => Task.Run(async () =>
                {
                    var count = 0;
                    await foreach (var _ in processors[i % workers].Transcriber.TranscribeTracksAsync([new TrackAudio(track.Samples, prepared.Activity.For(track.Speaker))], options, new CallLanguage(["pl", "cs"]), cancellationToken).ConfigureAwait(false))
                    {
                        count++;
                    }

                    return count;
                }))).ConfigureAwait(false);
                utterances = results.Sum();
            }

            wall.Stop();
            var stats = new TranscriptionStats();
            foreach (var p in processors)
            {
                stats.Add(p.Stats);
            }

            var speed = prepared.DurationSeconds / wall.Elapsed.TotalSeconds;
            if (speed > best)
            {
                best = speed;
                bestStats = stats;
            }

            var decoderMs = stats.DecoderTime.TotalMilliseconds;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {prepared.DurationSeconds:0.0} s of audio ({prepared.Channels.Tracks.Count} track(s), {utterances} utterances) in {wall.Elapsed.TotalSeconds:0.00} s = {speed:0.0}x real time"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  decode+resample {prepared.DecodeTime.TotalMilliseconds:0} ms | voice activity {prepared.VadTime.TotalMilliseconds:0} ms | transcription wall {(wall.Elapsed - transcribeStart).TotalMilliseconds:0} ms"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  features {stats.FeatureTime.TotalMilliseconds:0} ms ({stats.FeatureMsPerWindow:0.0} ms/window) | encoder {stats.EncoderTime.TotalMilliseconds:0} ms ({stats.Windows} windows, {stats.EncoderMsPerWindow:0} ms/window) | decoder {decoderMs:0} ms ({stats.TokensDecoded} tokens, {stats.DecoderMsPerToken:0.00} ms/token)"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  speech {stats.AudioSeconds:0.0} s in {stats.Windows} windows = {stats.Windows / Math.Max(1e-9, stats.AudioSeconds / 60):0.0} windows per minute of speech"));
        }

        using var process = Process.GetCurrentProcess();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {best:0.0}x real time; peak working set {process.PeakWorkingSet64 / 1e6:0} MB"));
        EngineComparison.WriteRow(new EngineRow($"ONNX {model.Precision}", Path.GetFileName(Path.TrimEndingDirectorySeparator(model.Folder)), loading.Elapsed,
            bestStats!.EncoderMsPerWindow, bestStats.DecoderMsPerToken, bestStats.EncoderCalls, bestStats.TokensDecoded, best, process.PeakWorkingSet64));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The benchmark on the whisper.cpp engine (one worker). whisper.cpp does not split its time by stage through
    /// Whisper.net, so the encoder's time per window is measured apart (one pass over the agent's first 30 s that encodes
    /// it and runs one decoder step) and the decoder's time per token is what is left of the engine's time.
    /// </summary>
    private static async Task<int> RunGgmlAsync(CommandArguments parsed, string path, string ggml, int runs, int threads, double? tokensPerSecond, CancellationToken cancellationToken)
    {
        var loading = Stopwatch.StartNew();
        using var model = ModelLoading.TryLoadGgml("bench", ggml, workers: 1);
        if (model is null)
        {
            return ExitCodes.Failure;
        }

        loading.Stop();
        if (threads > 0 && threads != model.Threads)
        {
            Console.Error.WriteLine($"qualityscan bench: --threads is taken from the cores for the whisper.cpp engine ({model.Threads})");
        }

        var settings = ModelLoading.ForGgml(ModelLoading.Settings(parsed, "pl"), model);
        settings = settings with { Transcription = settings.Transcription with { FixedTokensPerSecond = tokensPerSecond } };
        var job = CallJob.ForFile(Path.GetFullPath(path), Path.GetFileName(path), "bench");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench transcribe {Path.GetFileName(path)}: {model.Description}, {model.Threads} thread(s), windowing {settings.Transcription.Windowing.ToString().ToLowerInvariant()}; model loaded in {loading.Elapsed.TotalSeconds:0.0} s"));

        using var transcriber = model.CreateTranscriber();
        var processor = new CallProcessor(new AudioDecoder(), transcriber, settings, ["pl", "cs"]);

        // One warm-up run so whisper.cpp's first-call allocations are not counted, as for the ONNX engine.
        var warm = processor.Prepare(job, cancellationToken);
        await processor.TranscribeAsync(warm, cancellationToken).ConfigureAwait(false);
        double best = 0;
        TranscriptionStats? bestStats = null;
        for (var run = 1; run <= runs; run++)
        {
            transcriber.Stats.Reset();
            var wall = Stopwatch.StartNew();
            var prepared = processor.Prepare(job, cancellationToken);
            var call = await processor.TranscribeAsync(prepared, cancellationToken).ConfigureAwait(false);
            wall.Stop();
            var speed = prepared.DurationSeconds / wall.Elapsed.TotalSeconds;
            if (speed > best)
            {
                best = speed;
                bestStats = new TranscriptionStats();
                bestStats.Add(transcriber.Stats);
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {prepared.DurationSeconds:0.0} s of audio ({call.Utterances.Count} utterances, language {call.Metadata.Language}) in {wall.Elapsed.TotalSeconds:0.00} s = {speed:0.0}x real time"));
            Console.Out.WriteLine($"  {transcriber.Stats}");
        }

        var window = new float[LogMelSpectrogram.WindowSamples];
        var agent = warm.Channels.Tracks[0].Samples;
        agent.CopyTo(0, window.AsSpan(0, Math.Min(window.Length, agent.Length)));
        var encoderMs = Enumerable.Range(0, runs).Min(_ => transcriber.TimeEncoderPass(window).TotalMilliseconds);
        var stats = bestStats!;
        var decoderMs = stats.TokensDecoded == 0 ? 0 : Math.Max(0, stats.EngineTime.TotalMilliseconds - (stats.EncoderCalls * encoderMs)) / stats.TokensDecoded;
        using var process = Process.GetCurrentProcess();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  encoder {encoderMs:0} ms per 30 s window (measured apart: one encoding pass and one decoder step); decoder {decoderMs:0.00} ms/token (the engine's time less {stats.EncoderCalls} encoder passes, over {stats.TokensDecoded} tokens)"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {best:0.0}x real time; peak working set {process.PeakWorkingSet64 / 1e6:0} MB"));
        EngineComparison.WriteRow(new EngineRow($"whisper.cpp {model.File.Precision}", Path.GetFileName(model.File.Path), loading.Elapsed,
            encoderMs, decoderMs, stats.EncoderCalls, stats.TokensDecoded, best, process.PeakWorkingSet64));
        return ExitCodes.Success;
    }
}
