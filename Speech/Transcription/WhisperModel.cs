using QualityScan.Models.IO;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// A Whisper model in the two-file ONNX layout (encoder + decoder with Whisper metadata, plus <c>tokens.txt</c>):
/// the factory that owns the two ONNX Runtime sessions. Load it once and share it between workers.
/// </summary>
/// <remarks>
/// Thread-safe: the sessions may run concurrently, and each concurrent caller gets its own set of inference
/// buffers from an internal pool. Dispose it after the last transcription.
/// </remarks>
public sealed class WhisperModel : IDisposable
{
    private readonly InferenceSession _encoder;
    private readonly InferenceSession _decoder;
    private readonly Func<IDecoderBackend> _newDecoder;
    private readonly string _decoderDescription;
    private readonly ConcurrentBag<WhisperInference> _pool = [];
    private int _disposed;

    private WhisperModel(WhisperModelFiles files, int threads, InferenceSession encoder, InferenceSession decoder, WhisperModelInfo info, WhisperTokenizer tokenizer, DecoderChoice decoderChoice)
    {
        _newDecoder = decoderChoice.Rebuilt ? () => new FilledCacheDecoder(decoder, info, SplitEncoderOutputs) : () => new SherpaDecoder(decoder, info);
        _decoderDescription = decoderChoice.Description;
        Folder = files.Folder;
        Files = files;
        Precision = files.Precision;
        IntraOpThreads = threads;
        _encoder = encoder;
        _decoder = decoder;
        Info = info;
        Tokenizer = tokenizer;
        Features = new LogMelSpectrogram(info.MelBins);
    }

    /// <summary>
    /// The model shipped with the program: <c>speech-models/whisper-demo-pl-cs</c> beside the binaries, a small
    /// demo model for synthetic Polish and Czech speech (see its MODEL_CARD.md). Real deployments pass a real
    /// Whisper export instead.
    /// </summary>
    public static string DefaultModelFolder { get; } = Path.Combine(AppContext.BaseDirectory, "speech-models", "whisper-demo-pl-cs");

    /// <summary>The folder the model was loaded from.</summary>
    public string Folder { get; }

    /// <summary>The files the model was loaded from (encoder, decoder, token table, sidecars): what identifies it.</summary>
    public WhisperModelFiles Files { get; }

    /// <summary>Which encoder/decoder pair was loaded.</summary>
    public WhisperPrecision Precision { get; }

    /// <summary>Whether the encoder gives its keys and values per layer in the rebuilt decoder's layout (<see cref="EncoderGraph"/>).</summary>
    internal bool SplitEncoderOutputs { get; init; }

    /// <summary>
    /// Whether the rebuilt decoder holds the cross-attention keys and values in the compact int8 layout (int8
    /// models; <see cref="FilledCacheDecoderGraph"/>): a quarter of the memory per window, so more windows are decoded together.
    /// </summary>
    public bool CompactCrossAttention { get; init; }

    /// <summary>How the encoder runs (rewritten by <see cref="EncoderGraph"/>, or the original and why), for the log.</summary>
    public string EncoderLayout { get; init; } = string.Empty;

    /// <summary>Threads ONNX Runtime uses inside one inference call.</summary>
    public int IntraOpThreads { get; }

    /// <summary>Dimensions and special tokens from the encoder's metadata.</summary>
    public WhisperModelInfo Info { get; }

    /// <summary>Decodes text token ids.</summary>
    public WhisperTokenizer Tokenizer { get; }

    /// <summary>The model card file a model folder may carry (<c>timestamps: false</c> for a model trained without timestamps).</summary>
    public const string CardFileName = "qualityscan-model.yaml";

    /// <summary>
    /// Whether the model predicts timestamp tokens, which packed windowing needs. From the folder's
    /// <see cref="CardFileName"/> (<c>timestamps: true|false</c>) when present; otherwise true for every Whisper export
    /// except the shipped demo model (<c>model_type</c> <c>whisper-demo-pl-cs</c>), which was trained without them.
    /// </summary>
    public bool SupportsTimestamps { get; private init; } = true;

    /// <summary>Which decoder graph runs and why, for the log: the rebuilt filled-cache graph, or the original and the reason.</summary>
    public string DecoderLayout => CompactCrossAttention ? $"{_decoderDescription}, cross-attention keys and values held in int8" : _decoderDescription;

    /// <summary>How long <see cref="Load"/> took: sessions, checks, and the decoder's rebuild and probe or its cached graph.</summary>
    public TimeSpan LoadTime { get; private init; }

    /// <summary>
    /// How much the process's resident memory grew while loading: the weights as ONNX Runtime holds them (sessions,
    /// prepacked int8 weights), measured, not estimated.
    /// </summary>
    public long LoadedBytes { get; private init; }

    /// <summary>The log-mel features this model takes.</summary>
    public LogMelSpectrogram Features { get; }

    /// <summary>Loads the model in <paramref name="folder"/>.</summary>
    /// <param name="folder">A folder with the encoder and decoder of the chosen precision and the token table, by plain or sherpa-onnx names (see <see cref="WhisperModelFiles"/>).</param>
    /// <param name="options">Precision and threads; null for the defaults.</param>
    /// <exception cref="ModelNotFoundException">The folder or one of its files does not exist.</exception>
    /// <exception cref="InvalidModelException">A file exists but is not a usable Whisper export.</exception>
    public static WhisperModel Load(string folder, WhisperModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new WhisperModelOptions();
        options.Validate();

        var watch = Stopwatch.StartNew();
        var residentBefore = ResidentBytes();
        var files = WhisperModelFiles.Find(folder, options.Precision);
        var threads = options.ResolvedIntraOpThreads;
        InferenceSession? encoder = null;
        InferenceSession? decoder = null;
        try
        {
            var info = WhisperModelInfo.FromMetadata(ReadEncoderMetadata(files.Encoder), files.Encoder);
            var tokenizer = WhisperTokenizer.Load(files.Tokens, info.EndOfText);
            var cache = options.RebuildDecoder && options.CompactCrossAttention is null && options.DecoderCacheFolder is { } cacheFolder && DecoderGraphCache.Cacheable(files) ? new DecoderGraphCache(cacheFolder) : null;
            var choice = options.RebuildDecoder
                ? OpenDecoder(files, info, threads, options.AllowSpinning, cache, options.CompactCrossAttention)
                : new DecoderChoice(OpenOriginal(files.Decoder, info, threads, options.AllowSpinning), false, "original sherpa-onnx graph (rebuild switched off)");
            decoder = choice.Session;
            var compact = choice.Rebuilt && FilledCacheDecoderGraph.IsCompact(decoder);

            // The encoder after the decoder: whether the rebuilt decoder runs decides the layout its keys and values leave in.
            var encoderChoice = EncoderSession.Open(
                files.Encoder,
                info,
                cache,
                choice.Rebuilt,
                path => OpenSession(path, threads, options.AllowSpinning, encoder: true, source: files.Encoder),
                bytes => OpenSession(bytes, files.Encoder, threads, options.AllowSpinning, encoder: true),
                compact);
            encoder = encoderChoice.Session;
            CheckEncoder(encoder, files.Encoder, info, encoderChoice.SplitOutputs, compact);

            // What load left behind in managed memory (the parsed decoder, the graph's bytes) goes back before the
            // workers allocate their buffers.
            ReleaseManagedMemory();
            return new WhisperModel(files, threads, encoder, decoder, info, tokenizer, choice)
            {
                SplitEncoderOutputs = encoderChoice.SplitOutputs,
                CompactCrossAttention = compact,
                EncoderLayout = encoderChoice.Description,
                SupportsTimestamps = ReadSupportsTimestamps(files.Folder, info),
                LoadTime = watch.Elapsed,
                LoadedBytes = Math.Max(0, ResidentBytes() - residentBefore),
            };
        }
        catch
        {
            encoder?.Dispose();
            decoder?.Dispose();
            throw;
        }
    }

    /// <summary>Releases the ONNX Runtime sessions and every pooled buffer.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_pool.TryTake(out var inference))
        {
            inference.Dispose();
        }

        _encoder.Dispose();
        _decoder.Dispose();
    }

    /// <summary>Inference buffers for one caller; give them back with <see cref="Return"/>.</summary>
    internal WhisperInference Rent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _pool.TryTake(out var inference) ? inference : new WhisperInference(_encoder, _newDecoder(), Info);
    }

    /// <summary>Returns buffers from <see cref="Rent"/> to the pool.</summary>
    internal void Return(WhisperInference inference)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            inference.Dispose();
            return;
        }

        _pool.Add(inference);
    }

    private static bool ReadSupportsTimestamps(string folder, WhisperModelInfo info)
    {
        var card = Path.Combine(folder, CardFileName);
        if (File.Exists(card))
        {
            foreach (var line in File.ReadLines(card))
            {
                var text = line.Split('#')[0].Trim();
                if (text.StartsWith("timestamps:", StringComparison.Ordinal))
                {
                    return text["timestamps:".Length..].Trim() switch
                    {
                        "true" or "yes" => true,
                        "false" or "no" => false,
                        var other => throw new InvalidModelException(card, $"timestamps: '{other}' should be true or false."),
                    };
                }
            }
        }

        return info.ModelType != "whisper-demo-pl-cs";
    }

    /// <summary>
    /// The decoder session: the rebuilt graph when its parts are recognised and its logits agree with the original's
    /// on a probe (same tokens, same random cross-attention input, prompt and three steps), otherwise the original and
    /// the reason. Any failure of the rebuild leaves the original graph in use: it is an optimisation, never a reason
    /// not to transcribe.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="cache"/>, a decoder seen before (same file, program and runtime) opens as one session
    /// from the recorded graph, without the original, the rebuild or the probe. Otherwise the graph is rebuilt first
    /// (written to the cache, or held as bytes), then the original is opened, checked and probed alone and closed
    /// before the rebuilt one is opened and probed: two decoders are never held at once.
    /// </remarks>
    private static DecoderChoice OpenDecoder(WhisperModelFiles files, WhisperModelInfo info, int threads, bool allowSpinning, DecoderGraphCache? cache, bool? compact)
    {
        var path = files.Decoder;
        string? key = null;
        if (cache is not null)
        {
            try
            {
                key = DecoderGraphCache.Key(path, info);
                if (cache.Find(key) is { } entry)
                {
                    if (entry.GraphPath is null)
                    {
                        return new DecoderChoice(OpenOriginal(path, info, threads, allowSpinning), false, $"{entry.Description}; recorded in {cache.Folder}");
                    }

                    try
                    {
                        return new DecoderChoice(OpenRebuilt(entry.GraphPath, path, info, threads, allowSpinning), true, $"{entry.Description}, kept in {cache.Folder}");
                    }
                    catch (InvalidModelException)
                    {
                        cache.Forget(key);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                key = null;
            }
        }

        var (bytes, graphPath, quantized, reason) = BuildGraph(path, info, cache, ref key, compact);

        // The parsed original (hundreds of MB at whisper-small size) is garbage now: give it back before ONNX Runtime
        // allocates the sessions, or the process's peak holds both.
        ReleaseManagedMemory();
        InferenceSession original;
        try
        {
            original = OpenOriginal(path, info, threads, allowSpinning);
        }
        catch
        {
            if (key is not null)
            {
                cache!.Forget(key);
            }

            throw;
        }

        if (bytes is null && graphPath is null)
        {
            return Remember(new DecoderChoice(original, false, $"original sherpa-onnx graph (not rebuilt: {reason})"));
        }

        FilledCacheProbe.ProbeReference reference;
        try
        {
            reference = FilledCacheProbe.RunOriginal(original, info);
        }
        catch (OnnxRuntimeException e)
        {
            return Remember(new DecoderChoice(original, false, $"original sherpa-onnx graph (the probe failed on it: {e.Message})"));
        }

        original.Dispose();
        InferenceSession? rebuilt = null;
        string? refusal;
        try
        {
            rebuilt = graphPath is not null ? OpenRebuilt(graphPath, path, info, threads, allowSpinning) : OpenSession(bytes!, path, threads, allowSpinning);
            bytes = null;
            var difference = FilledCacheProbe.Difference(rebuilt, info, reference);
            if (difference <= FilledCacheProbe.Tolerance(quantized || FilledCacheDecoderGraph.IsCompact(rebuilt)))
            {
                return Remember(new DecoderChoice(rebuilt, true, $"filled-cache graph rebuilt at load (probe logits within {difference:G2})"));
            }

            refusal = $"the rebuilt graph's logits differ by {difference:G3} on the probe";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            refusal = $"rebuild failed: {e.GetType().Name}: {e.Message}";
        }

        rebuilt?.Dispose();
        return Remember(new DecoderChoice(OpenOriginal(path, info, threads, allowSpinning), false, $"original sherpa-onnx graph ({refusal})"));

        DecoderChoice Remember(DecoderChoice choice)
        {
            if (cache is not null && key is not null)
            {
                try
                {
                    cache.Record(key, path, choice.Rebuilt, choice.Description);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    cache.Forget(key);
                }
            }

            return choice;
        }
    }

    /// <summary>The process's resident memory now (0 where it cannot be read).</summary>
    internal static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>
    /// Rebuilds the decoder graph and writes it to the cache (<paramref name="key"/> set to null when that fails) or
    /// returns its bytes. A method of its own so that the parsed original is unreachable when it returns.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (byte[]? Bytes, string? GraphPath, bool Quantized, string Reason) BuildGraph(string path, WhisperModelInfo info, DecoderGraphCache? cache, ref string? key, bool? compact)
    {
        try
        {
            var graph = FilledCacheDecoderGraph.TryBuild(path, info, out var quantized, out var reason, compact);
            if (graph is null)
            {
                return (null, null, quantized, reason);
            }

            if (key is not null)
            {
                var graphPath = cache!.GraphPath(key);
                try
                {
                    cache.WriteGraph(key, graph);
                    return (null, graphPath, quantized, reason);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    key = null;
                }
            }

            return (graph.ToByteArray(), null, quantized, reason);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, null, false, $"rebuild failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Collects garbage, compacting the large-object heap, and gives the freed memory back to the system (the
    /// collector otherwise keeps it resident for later allocations, and the process's peak keeps the load's copies).
    /// </summary>
    private static void ReleaseManagedMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Opens the original decoder and checks it belongs to the encoder.</summary>
    private static InferenceSession OpenOriginal(string path, WhisperModelInfo info, int threads, bool allowSpinning)
    {
        var session = OpenSession(path, threads, allowSpinning);
        try
        {
            CheckDecoder(session, path, info);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Opens a rebuilt graph written to <paramref name="graphPath"/> and checks it has the inputs the decoder feeds.</summary>
    private static InferenceSession OpenRebuilt(string graphPath, string decoderPath, WhisperModelInfo info, int threads, bool allowSpinning)
    {
        InferenceSession session;
        using (var options = SessionOptionsFor(threads, allowSpinning))
        {
            try
            {
                session = new InferenceSession(graphPath, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidModelException(decoderPath, $"ONNX Runtime cannot load its rebuilt decoder {graphPath}: {e.Message}", e);
            }
        }

        if (!session.InputMetadata.ContainsKey(FilledCacheDecoderGraph.CrossK(info.TextLayers - 1)) || !session.OutputMetadata.ContainsKey(FilledCacheDecoderGraph.LogitsOutput))
        {
            session.Dispose();
            throw new InvalidModelException(decoderPath, $"the rebuilt decoder {graphPath} does not have the inputs of a {info.TextLayers}-layer decoder.");
        }

        return session;
    }

    private static InferenceSession OpenSession(byte[] graph, string path, int threads, bool allowSpinning, bool encoder = false)
    {
        using var options = SessionOptionsFor(threads, allowSpinning, encoder);
        try
        {
            return new InferenceSession(graph, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidModelException(path, $"ONNX Runtime cannot load its rebuilt {(encoder ? "encoder" : "decoder")}: {e.Message}", e);
        }
    }

    private static SessionOptions SessionOptionsFor(int threads, bool allowSpinning, bool encoder = false)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        if (encoder)
        {
            // The encoder's activations (at whisper-small a dozen 1500 x 768 tensors and 12 x 1500 x 1500 attention
            // scores per layer) would stay in ONNX Runtime's arena for the rest of the run, beside the decoder's
            // buffers; without the arena they are freed after each window (measured at small: 0.2 GB less at peak).
            options.EnableCpuMemArena = false;
        }

        return options;
    }

    private static InferenceSession OpenSession(string path, int threads, bool allowSpinning, bool encoder = false, string? source = null)
    {
        using var options = SessionOptionsFor(threads, allowSpinning, encoder);
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidModelException(source ?? path, source is null || source == path ? $"ONNX Runtime cannot load it: {e.Message}" : $"ONNX Runtime cannot load its rewritten encoder {path}: {e.Message}", e);
        }
    }

    /// <summary>The encoder's metadata (the model's dimensions), read from the file without opening a session.</summary>
    private static Dictionary<string, string> ReadEncoderMetadata(string path)
    {
        try
        {
            return EncoderGraph.ReadMetadata(path);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException)
        {
            throw new InvalidModelException(path, $"it is not an ONNX model: {e.Message}", e);
        }
    }

    private static void CheckEncoder(InferenceSession encoder, string path, WhisperModelInfo info, bool splitOutputs, bool compact)
    {
        RequireNames(path, "input", encoder.InputMetadata.Keys, [WhisperInference.MelInput]);
        RequireNames(path, "output", encoder.OutputMetadata.Keys, splitOutputs
            ? [.. Enumerable.Range(0, info.TextLayers).SelectMany(l => FilledCacheDecoderGraph.CrossNames(l, compact))]
            : [WhisperInference.CrossKOutput, WhisperInference.CrossVOutput]);
        var mel = encoder.InputMetadata[WhisperInference.MelInput].Dimensions;
        if (mel.Length != 3 || (mel[1] > 0 && mel[1] != info.MelBins) || (mel[2] > 0 && mel[2] != LogMelSpectrogram.FrameCount))
        {
            throw new InvalidModelException(path, $"the input '{WhisperInference.MelInput}' has shape [{string.Join(", ", mel)}], expected [n_audio, {info.MelBins}, {LogMelSpectrogram.FrameCount}].");
        }
    }

    private static void CheckDecoder(InferenceSession decoder, string path, WhisperModelInfo info)
    {
        RequireNames(path, "input", decoder.InputMetadata.Keys, SherpaDecoder.DecoderInputs);
        RequireNames(path, "output", decoder.OutputMetadata.Keys, SherpaDecoder.DecoderOutputs);
        var logits = decoder.OutputMetadata[SherpaDecoder.LogitsOutput].Dimensions;
        if (logits.Length != 3 || (logits[2] > 0 && logits[2] != info.VocabularySize))
        {
            throw new InvalidModelException(path, $"the output '{SherpaDecoder.LogitsOutput}' has shape [{string.Join(", ", logits)}], but the encoder's metadata says n_vocab = {info.VocabularySize}; encoder and decoder do not belong together.");
        }

        var cache = decoder.InputMetadata[SherpaDecoder.SelfKIn].Dimensions;
        if (cache.Length != 4 || (cache[0] > 0 && cache[0] != info.TextLayers) || (cache[2] > 0 && cache[2] != info.TextContext) || (cache[3] > 0 && cache[3] != info.TextState))
        {
            throw new InvalidModelException(path, $"the input '{SherpaDecoder.SelfKIn}' has shape [{string.Join(", ", cache)}], expected [{info.TextLayers}, n_audio, {info.TextContext}, {info.TextState}] from the encoder's metadata.");
        }
    }

    private static void RequireNames(string path, string kind, IEnumerable<string> actual, IReadOnlyList<string> expected)
    {
        var names = actual.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(name => !names.Contains(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidModelException(path, $"the {kind} {string.Join(", ", missing.Select(m => $"'{m}'"))} is missing (it has {string.Join(", ", names)}); expected the sherpa-onnx Whisper layout.");
        }
    }

    private sealed record DecoderChoice(InferenceSession Session, bool Rebuilt, string Description);
}
