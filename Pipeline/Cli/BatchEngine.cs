using System.Security.Cryptography;
using System.Text;
using QualityScan.Pipeline.Batch;
using QualityScan.Speech.Transcription;
using QualityScan.Speech.Transcription.Ggml;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// The speech engine a batch (<c>scan</c>, the nightly run) transcribes with, loaded once and shared by its workers:
/// the ONNX Whisper engine (<see cref="WhisperModel"/>) or whisper.cpp through Whisper.net (<see cref="GgmlModel"/>),
/// chosen by what <c>--model</c> names. Each worker gets its own transcriber from <see cref="CreateTranscriber"/>.
/// </summary>
/// <remarks>Disposing it disposes every transcriber it made, then the weights.</remarks>
public sealed class BatchEngine : IDisposable
{
    /// <summary><see cref="Name"/> of the ONNX Runtime engine.</summary>
    public const string OnnxName = "onnx";

    /// <summary><see cref="Name"/> of the whisper.cpp engine (Whisper.net).</summary>
    public const string WhisperNetName = "whisper.net";

    private readonly List<IDisposable> _transcribers = [];

    private BatchEngine(WhisperModel? onnx, GgmlModel? ggml, string identity)
    {
        Onnx = onnx;
        Ggml = ggml;
        Identity = identity;
    }

    /// <summary>The ONNX model, or null when whisper.cpp runs.</summary>
    public WhisperModel? Onnx { get; }

    /// <summary>The ggml model, or null when the ONNX engine runs.</summary>
    public GgmlModel? Ggml { get; }

    /// <summary>Which engine runs: <see cref="OnnxName"/> or <see cref="WhisperNetName"/>, as <c>run.json</c> names it.</summary>
    public string Name => Onnx is not null ? OnnxName : WhisperNetName;

    /// <summary>
    /// What the transcript cache and <c>run.json</c> know the model by: the ONNX model's folder name and content hash,
    /// or <c>whisper.net:</c> and the ggml file's name and content hash, so a transcript made by one engine or model is
    /// never reused for another.
    /// </summary>
    public string Identity { get; }

    /// <summary>The model folder (ONNX) or file (ggml), full path.</summary>
    public string ModelPath => Onnx?.Folder ?? Ggml!.File.Path;

    /// <summary>The weights' precision, for the log: Int8/Float32 (ONNX) or whisper.cpp's type name (f16, q8_0, …).</summary>
    public string Precision => Onnx?.Precision.ToString() ?? Ggml!.File.Precision;

    /// <summary>Languages the model knows, by code.</summary>
    public IReadOnlyList<string> LanguageCodes => Onnx?.Info.LanguageCodes ?? Ggml!.LanguageCodes;

    /// <summary>Whether the model is the shipped demo model (whose reports carry a warning).</summary>
    public bool IsDemo => Onnx is not null && ModelLoading.IsDemo(Onnx);

    /// <summary>What the log says of the engine: the ONNX decoder graph that runs, or whisper.cpp's build.</summary>
    public string Description => Onnx is { } model ? $"{model.DecoderLayout}; encoder: {model.EncoderLayout}" : Ggml!.Description;

    /// <summary>How long loading took.</summary>
    public TimeSpan LoadTime => Onnx?.LoadTime ?? Ggml!.LoadTime;

    /// <summary>The engine over an ONNX model.</summary>
    public static BatchEngine For(WhisperModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new BatchEngine(model, null, model.Files.Identity());
    }

    /// <summary>The engine over a ggml model.</summary>
    public static BatchEngine For(GgmlModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new BatchEngine(null, model, GgmlIdentity(model.File.Path));
    }

    /// <summary>
    /// The transcript-cache identity of a ggml file: <c>whisper.net:</c>, its name, and a SHA-256 over its size and
    /// three 1 MB samples (start, middle, end), like <see cref="WhisperModelFiles.Identity"/>.
    /// </summary>
    public static string GgmlIdentity(string path)
    {
        const int Sample = 1 << 20;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = stream.Length;
        hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(path)}\n{length}\n"));
        var buffer = new byte[Sample];
        foreach (var offset in new[] { 0L, Math.Max(0, (length / 2) - (Sample / 2)), Math.Max(0, length - Sample) })
        {
            stream.Position = offset;
            var read = stream.ReadAtLeast(buffer, (int)Math.Min(Sample, length - offset), throwOnEndOfStream: false);
            hash.AppendData(buffer.AsSpan(0, read));
        }

        return $"{WhisperNetName}:{Path.GetFileName(path)}@{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
    }

    /// <summary>
    /// Where the memory goes, for the log at load: the weights as loaded (ONNX: the process's resident growth while
    /// loading, measured), and what each worker adds (estimated from the dimensions, <see cref="ModelMemory"/>).
    /// </summary>
    public string MemorySummary(int workers, int batch)
    {
        if (Onnx is { } model)
        {
            var info = model.Info;
            var memory = ModelMemory.Of(info, model.Files);
            return $"weights and runtime {ModelMemory.Gb(model.LoadedBytes)} resident after loading (measured; {ModelMemory.Gb(memory.WeightBytes)} of model files); " +
                $"per worker about {ModelMemory.Gb(memory.PerWorkerBytes)}: {batch} window(s) per batch x {ModelMemory.Gb(ModelMemory.WindowBytes(info, model.CompactCrossAttention))} of cross-attention keys/values{(model.CompactCrossAttention ? " in int8" : string.Empty)} (written there by the encoder) " +
                $"and decoder cache ({ModelMemory.DecodedPositions} positions), and the encoder's activations while it runs ({ModelMemory.Gb(ModelMemory.EncoderActivationBytes(info))}, freed after each window, no arena); {workers} worker(s)";
        }

        var ggml = ModelMemory.OfGgml(Ggml!.File);
        return $"weights {ModelMemory.Gb(ggml.WeightBytes)} (the ggml file); per worker about {ModelMemory.Gb(ggml.PerWorkerBytes)} (whisper.cpp's f16 keys/values and caches, encoder working memory; one window at a time); {workers} worker(s)";
    }

    /// <summary>The settings with what belongs to the model (hallucination list, windowing, batch).</summary>
    public ScanSettings Apply(ScanSettings settings) => Onnx is not null ? ModelLoading.ForModel(settings, Onnx) : ModelLoading.ForGgml(settings, Ggml!);

    /// <summary>A transcriber for one worker (ONNX: its own inference buffers; whisper.cpp: its own processor from the one factory).</summary>
    public ISpeechTranscriber CreateTranscriber()
    {
        if (Onnx is not null)
        {
            return new WhisperTranscriber(Onnx);
        }

        var transcriber = Ggml!.CreateTranscriber();
        lock (_transcribers)
        {
            _transcribers.Add(transcriber);
        }

        return transcriber;
    }

    /// <summary>Disposes the transcribers made here, then the model.</summary>
    public void Dispose()
    {
        lock (_transcribers)
        {
            foreach (var transcriber in _transcribers)
            {
                transcriber.Dispose();
            }

            _transcribers.Clear();
        }

        Onnx?.Dispose();
        Ggml?.Dispose();
    }
}
