using System.Globalization;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// What a model costs in memory and how many transcription workers fit: the weights are loaded once and shared,
/// while each worker holds its own cross-attention keys/values, self-attention caches and the encoder's working
/// memory.
/// </summary>
/// <param name="WeightBytes">The loaded graphs and sidecars (about their size on disk).</param>
/// <param name="PerWorkerBytes">One worker's buffers at batch 1, with ONNX Runtime's activations for one window.</param>
public sealed record ModelMemory(long WeightBytes, long PerWorkerBytes)
{
    /// <summary>Share of the available memory the workers may plan to use; the rest is left to the decoder of audio, the reports and the system.</summary>
    public const double UsableShare = 0.8;

    /// <summary>Room to plan beside the model for decoded audio, the reports and the .NET runtime (0.6 GB).</summary>
    public const long RuntimeRoomBytes = 600_000_000;

    /// <summary>Estimates the memory of a loaded model from its dimensions and files.</summary>
    public static ModelMemory Of(WhisperModelInfo info, WhisperModelFiles files)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(files);
        var weights = files.All.Where(f => f != files.Tokens).Sum(f => new FileInfo(f).Length);
        var compact = FilledCacheDecoderGraph.CompactPays(info, files.Precision == WhisperPrecision.Int8);
        return new ModelMemory(weights, PerWorker(info.MelBins, info.AudioContext, info.AudioState, AudioHeads(info), info.TextLayers, info.TextContext, info.TextState, info.VocabularySize, compact));
    }

    /// <summary>
    /// Estimates the memory of a whisper.cpp ggml model run through Whisper.net: the file's weights once, and per worker
    /// (one processor each) whisper.cpp's half-precision cross-attention keys and values and self-attention cache,
    /// the encoder's working memory for one window and the features; whisper.cpp decodes one window at a time.
    /// </summary>
    public static ModelMemory OfGgml(Ggml.GgmlModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        const long Half = 2;
        const long Float = sizeof(float);
        var cross = 2L * file.TextLayers * file.AudioContext * file.TextState * Half;
        var self = 2L * file.TextLayers * file.TextContext * file.TextState * Half;
        var activations = (12L * file.AudioContext * file.AudioState * Float) + ((long)file.AudioHeads * file.AudioContext * file.AudioContext * Float);
        var features = (long)file.MelBins * LogMelSpectrogram.FrameCount * Float;
        return new ModelMemory(file.Bytes, cross + self + activations + features);
    }

    /// <summary>
    /// Positions of a window's self-attention cache as the rebuilt decoder holds it: the longest prompt (sot,
    /// language, task, no-timestamps) and the default token cap (<see cref="WindowDecodingOptions.MaxNewTokens"/>),
    /// not the model's whole text context (448).
    /// </summary>
    public static int DecodedPositions => 4 + WindowDecodingOptions.Default.MaxNewTokens;

    /// <summary>
    /// One worker's memory for a full default batch of packed windows (<see cref="DefaultBatch(WhisperModelInfo)"/>), as the rebuilt
    /// decoder holds it: per window (<see cref="WindowBytes(WhisperModelInfo)"/>) its cross-attention keys and values, which the encoder
    /// writes in place, its self-attention cache, features and logits; once per worker one window-layer of scratch for
    /// laying the keys and values out into heads, and the encoder's activations while it runs (a dozen
    /// n_audio_ctx x n_audio_state tensors and one layer's attention scores, freed after each window).
    /// </summary>
    /// <remarks>
    /// With <c>compact</c> the decoder holds the keys and values in the compact int8 layout
    /// (<see cref="FilledCacheDecoderGraph.CompactPays"/>): a quarter of a window's bytes, more windows per batch
    /// (<see cref="DefaultBatch(WhisperModelInfo, bool)"/>), no scratch.
    /// </remarks>
    public static long PerWorker(int melBins, int audioContext, int audioState, int audioHeads, int textLayers, int textContext, int textState, int vocabulary, bool compact = false)
    {
        const long Float = sizeof(float);
        var features = (long)melBins * LogMelSpectrogram.FrameCount * Float;
        var logits = (long)vocabulary * Float * 8;
        var activations = EncoderActivationBytes(audioContext, audioState, audioHeads);
        var positions = Math.Min(textContext, DecodedPositions);
        if (compact)
        {
            var compactWindow = CompactWindowBytes(textLayers, audioContext, positions, textState, audioHeads);
            return activations + (CompactBatchOf(compactWindow) * (compactWindow + features + logits));
        }

        var scratch = (long)audioContext * textState * Float;
        var window = WindowBytes(textLayers, audioContext, positions, textState);
        var batch = BatchOf(WindowBytes(textLayers, audioContext, textContext, textState));
        return scratch + activations + (batch * (window + features + logits));
    }

    /// <summary>The encoder's activations for one window of <paramref name="info"/>'s model while it runs.</summary>
    public static long EncoderActivationBytes(WhisperModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return EncoderActivationBytes(info.AudioContext, info.AudioState, AudioHeads(info));
    }

    /// <summary>The encoder's activations for one window while it runs: a dozen n_audio_ctx x n_audio_state tensors and one layer's attention scores.</summary>
    public static long EncoderActivationBytes(int audioContext, int audioState, int audioHeads) =>
        (12L * audioContext * audioState * sizeof(float)) + ((long)audioHeads * audioContext * audioContext * sizeof(float));

    /// <summary>One window of a batch as the rebuilt decoder holds it: cross-attention keys and values, and a self-attention cache of <see cref="DecodedPositions"/>.</summary>
    public static long WindowBytes(WhisperModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return WindowBytes(info.TextLayers, info.AudioContext, Math.Min(info.TextContext, DecodedPositions), info.TextState);
    }

    /// <summary>One window of a batch as the rebuilt decoder holds it, in the compact int8 layout when <paramref name="compact"/>.</summary>
    public static long WindowBytes(WhisperModelInfo info, bool compact)
    {
        ArgumentNullException.ThrowIfNull(info);
        return compact
            ? CompactWindowBytes(info.TextLayers, info.AudioContext, Math.Min(info.TextContext, DecodedPositions), info.TextState, Math.Max(1, info.TextHeads))
            : WindowBytes(info);
    }

    /// <summary>Memory the windows of one batch may take together (per worker): 0.3 GB.</summary>
    public const long BatchBudgetBytes = 300_000_000;

    /// <summary>
    /// How many windows one worker decodes together by default: as many as fit in <see cref="BatchBudgetBytes"/> of
    /// per-window buffers (cross-attention keys and values, decoder cache), at least 1 and at most 8. A decoder step
    /// reads all the decoder's weights whatever the batch, so windows decoded together share that cost; but each
    /// window's keys and values are as big as a third of whisper-small's weights, so the batch is bounded by memory
    /// (whisper-small: 2 windows, base: 6, turbo: 3, medium and large: 1).
    /// </summary>
    /// <remarks>
    /// A window is counted here with a cache of the whole text context, as when the batches were measured, so the
    /// batches stay those measured although the decoder now holds a shorter cache (<see cref="DecodedPositions"/>).
    /// </remarks>
    public static int DefaultBatch(WhisperModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return BatchOf(WindowBytes(info.TextLayers, info.AudioContext, info.TextContext, info.TextState));
    }

    /// <summary>
    /// Memory the windows of one batch may take together (per worker) when the decoder holds keys and values in the
    /// compact int8 layout: 0.25 GB, less than the float layout's budget, so that a worker's peak stays where it was
    /// while five windows of whisper-small fit instead of two (on the 4-minute call: 5 + 4 windows, 23x real time,
    /// peak 0.99 GB; all 9 together: 25x but 1.1-1.3 GB).
    /// </summary>
    public const long CompactBatchBudgetBytes = 250_000_000;

    /// <summary>The most windows decoded together in the compact layout.</summary>
    public const int MaxCompactBatch = 12;

    /// <summary>
    /// How many windows one worker decodes together by default: <see cref="DefaultBatch(WhisperModelInfo)"/> for the
    /// float layout; with <paramref name="compact"/> (the rebuilt decoder of an int8 model, <see cref="FilledCacheDecoderGraph"/>)
    /// a window's keys and values are a quarter of the bytes, so as many as fit in <see cref="CompactBatchBudgetBytes"/>
    /// with the cache the decoder holds, at most <see cref="MaxCompactBatch"/> (whisper-small: 5, base: 12). A step
    /// reads the decoder's weights once whatever the batch, so windows decoded together share that cost: at
    /// whisper-small with a fixed 5 tokens per second, a 4-minute call's decoder took 6.2 s in batches of 4 windows
    /// and 4.9 s with its 9 windows together (measured with the first compact graph; peak 0.92 and 1.08 GB).
    /// </summary>
    public static int DefaultBatch(WhisperModelInfo info, bool compact)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!compact)
        {
            return DefaultBatch(info);
        }

        return CompactBatchOf(CompactWindowBytes(info.TextLayers, info.AudioContext, Math.Min(info.TextContext, DecodedPositions), info.TextState, Math.Max(1, info.TextHeads)));
    }

    /// <summary>One window in the compact layout: int8 key and value codes, a key scale, key sum and value scale per head and position, and the decoder cache of <paramref name="positions"/>.</summary>
    private static long CompactWindowBytes(int textLayers, int audioContext, int positions, int textState, int heads) =>
        (2L * textLayers * audioContext * textState) + (3L * sizeof(float) * textLayers * heads * audioContext) + (2L * textLayers * positions * textState * sizeof(float));

    private static int CompactBatchOf(long windowBytes) => (int)Math.Clamp(CompactBatchBudgetBytes / Math.Max(1, windowBytes), 1, MaxCompactBatch);

    /// <summary>One window of a batch: its cross-attention keys and values and a self-attention cache of <paramref name="positions"/>.</summary>
    private static long WindowBytes(int textLayers, int audioContext, int positions, int textState)
    {
        const long Float = sizeof(float);
        return (2L * textLayers * audioContext * textState * Float) + (2L * textLayers * positions * textState * Float);
    }

    /// <summary>The encoder's attention heads: from the metadata, else one per 64 of width (Whisper's head width).</summary>
    private static int AudioHeads(WhisperModelInfo info) =>
        info.Metadata.TryGetValue("n_audio_head", out var h) && int.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : Math.Max(1, info.AudioState / 64);

    private static int BatchOf(long windowBytes) => (int)Math.Clamp(BatchBudgetBytes / Math.Max(1, windowBytes), 1, 8);

    /// <summary>Bytes of memory available to a new process (Linux MemAvailable; elsewhere the GC's view).</summary>
    public static long AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>
    /// Intra-op threads one worker should get by default, from measurements on a 2-core machine (README, "Speed and
    /// memory"): a model of up to whisper-tiny's width (384; the shipped demo model is 256) runs fastest as one
    /// single-threaded worker per core (52x against 36x real time), since its small matrices gain little from a
    /// second thread; from whisper-base's width up, one worker with two threads is as fast as two single-threaded
    /// workers (base 24.8x against 25.2x, small 9.0x against 8.8x, packed windows) while holding one set of buffers
    /// instead of two, and alone on the cores its threads may spin between decoder steps, which makes it faster.
    /// </summary>
    public static int ThreadsPerWorker(WhisperModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return ThreadsPerWorker(info.TextState);
    }

    /// <summary><see cref="ThreadsPerWorker(WhisperModelInfo)"/> from the decoder's width alone (ggml files).</summary>
    public static int ThreadsPerWorker(int textState) => textState <= 384 ? 1 : 2;

    /// <summary>
    /// The default number of workers: cores / <paramref name="threadsPerWorker"/> (at least one), but no more than
    /// fit in <see cref="UsableShare"/> of <paramref name="availableBytes"/> beside the shared weights.
    /// </summary>
    /// <returns>The workers and a sentence for the log saying why.</returns>
    /// <exception cref="InsufficientMemoryException">Not even one worker fits.</exception>
    public (int Workers, string Reason) DefaultWorkers(int cores, long availableBytes, int threadsPerWorker = 1)
    {
        var usable = (long)(availableBytes * UsableShare) - WeightBytes;
        var fit = usable <= 0 ? 0 : (int)Math.Min(int.MaxValue, usable / PerWorkerBytes);
        if (fit < 1)
        {
            throw new InsufficientMemoryException(
                $"the model needs {Gb(WeightBytes)} for its weights and {Gb(PerWorkerBytes)} per worker, but only {Gb(availableBytes)} of memory is available " +
                "(80% of it may be planned); choose a smaller model or free memory");
        }

        var planned = Math.Max(1, cores / Math.Max(1, threadsPerWorker));
        var workers = Math.Max(1, Math.Min(planned, fit));
        var plan = threadsPerWorker <= 1 ? "one per core" : $"one per {threadsPerWorker} cores, measured as fast as one per core for a model of this size, with fewer buffers";
        var reason = fit < planned
            ? $"{workers} worker(s): memory allows {fit} ({Gb(WeightBytes)} weights + {Gb(PerWorkerBytes)} per worker, {Gb(availableBytes)} available), fewer than {planned} ({plan})"
            : $"{workers} worker(s): {plan} ({Gb(WeightBytes)} weights + {Gb(PerWorkerBytes)} per worker fit in {Gb(availableBytes)} available)";
        return (workers, reason);
    }

    /// <summary>
    /// The workers of a run: <paramref name="asked"/> (<c>--workers</c>) when given, checked against the memory, else
    /// <see cref="DefaultWorkers"/>.
    /// </summary>
    /// <returns>The workers and a sentence for the log saying why.</returns>
    /// <exception cref="InsufficientMemoryException">The asked workers, or not even one worker, fit.</exception>
    public (int Workers, string Reason) Workers(int? asked, int cores, long availableBytes, int threadsPerWorker)
    {
        if (asked is not int workers)
        {
            return DefaultWorkers(cores, availableBytes, threadsPerWorker);
        }

        CheckFits(workers, availableBytes);
        return (workers, $"{workers} worker(s) as asked (--workers); about {Gb(WeightBytes + (workers * PerWorkerBytes))} of memory");
    }

    /// <summary>Checks that <paramref name="workers"/> chosen by hand fit.</summary>
    /// <exception cref="InsufficientMemoryException">They do not.</exception>
    public void CheckFits(int workers, long availableBytes)
    {
        var need = WeightBytes + (workers * PerWorkerBytes);
        if (need > availableBytes)
        {
            throw new InsufficientMemoryException(
                $"{workers} worker(s) need about {Gb(need)} ({Gb(WeightBytes)} weights + {Gb(PerWorkerBytes)} per worker), but only {Gb(availableBytes)} of memory is available; use fewer --workers or a smaller model");
        }
    }

    /// <summary>Bytes as gigabytes with two decimals.</summary>
    public static string Gb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F2} GB");
}
