using System.Diagnostics;
using Whisper.net;

namespace QualityScan.Speech.Transcription.Ggml;

/// <summary>
/// A whisper.cpp ggml model loaded through Whisper.net: one <see cref="WhisperFactory"/> (the weights, loaded once)
/// from which every worker gets its own processor (<see cref="CreateTranscriber()"/>).
/// </summary>
/// <remarks>
/// Chosen when <c>--model</c> names a ggml <c>.bin</c> file or a folder holding one. The factory is thread-safe for
/// creating processors; a processor is not, so each worker has its own. Disposing the model frees the weights: dispose
/// every transcriber first.
/// </remarks>
public sealed class GgmlModel : IDisposable
{
    private readonly WhisperFactory _factory;

    private GgmlModel(GgmlModelFile file, WhisperFactory factory, int threads, TimeSpan loadTime)
    {
        File = file;
        _factory = factory;
        Threads = threads;
        LoadTime = loadTime;
        Tokenizer = WhisperTokenizer.FromBytes(file.Tokens, file.EndOfText);
        LanguageCodes = file.IsMultilingual ? WhisperFactory.GetSupportedLanguages().Take(file.VocabularySize == 51866 ? 100 : 99).ToList() : ["en"];
    }

    /// <summary>The model file's header and vocabulary.</summary>
    public GgmlModelFile File { get; }

    /// <summary>Text of token ids, joined from their bytes.</summary>
    public WhisperTokenizer Tokenizer { get; }

    /// <summary>Language codes the model knows, in whisper.cpp's order.</summary>
    public IReadOnlyList<string> LanguageCodes { get; }

    /// <summary>Threads each processor computes with.</summary>
    public int Threads { get; }

    /// <summary>How long loading the weights took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>What the run log and <c>models info</c> say about the engine.</summary>
    public string Description => $"whisper.cpp (Whisper.net) ggml {File.Precision}, {File.AudioLayers}+{File.TextLayers} layers of {File.AudioState}; runtime: {WhisperFactory.GetRuntimeInfo()?.Trim() ?? "unknown"}";

    /// <summary>Loads the ggml model <paramref name="path"/> names (a file, or a folder holding one).</summary>
    /// <param name="path">A ggml <c>.bin</c> file, or a folder holding exactly one.</param>
    /// <param name="threads">Threads per processor; 0: the cores divided among <paramref name="workers"/>.</param>
    /// <param name="workers">Workers that will share the model.</param>
    /// <param name="flashAttention">Compute attention with whisper.cpp's flash-attention kernels, as whisper-cli and whisper-bench do by default.</param>
    /// <remarks>
    /// Flash attention is on by default, unlike Whisper.net's own default: whisper-cli (v1.8.5) decodes with it, and its
    /// results differ from the plain attention's in the last digits, enough to tip a near-tie to another token (on the
    /// exactness fixture, token 9 of tone3s with <c>-sns</c>). With it on, the engine gives whisper-cli's tokens exactly.
    /// </remarks>
    /// <exception cref="ModelNotFoundException">No ggml model there.</exception>
    /// <exception cref="InvalidModelException">The file is not a model whisper.cpp can load.</exception>
    public static GgmlModel Load(string path, int threads = 0, int workers = 1, bool flashAttention = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var located = GgmlModelFile.Locate(path) ?? throw new ModelNotFoundException(path, path, "no whisper.cpp ggml model (ggml-*.bin) there");
        var file = GgmlModelFile.Read(located);
        if (file.ConvolutionType == 0)
        {
            throw new InvalidModelException(located,
                "a float32 ggml conversion: the whisper.cpp inside Whisper.net 1.9.1 (1.8.5) cannot run its f32 convolution kernels (it would abort the process); " +
                "convert with f16 (convert-pt-to-ggml.py without use-f32) or quantize it.");
        }

        var watch = Stopwatch.StartNew();
        WhisperFactory factory;
        try
        {
            factory = WhisperFactory.FromPath(located, new WhisperFactoryOptions { UseFlashAttention = flashAttention });
        }
        catch (Exception ex) when (ex is WhisperModelLoadException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidModelException(located, $"whisper.cpp cannot load it ({ex.Message}).", ex);
        }

        try
        {
            // A file whisper.cpp refuses leaves the factory without a context; it only says so when a builder is asked for.
            factory.CreateBuilder();
        }
        catch (WhisperModelLoadException ex)
        {
            factory.Dispose();
            throw new InvalidModelException(located, $"whisper.cpp cannot load it ({ex.Message}).", ex);
        }

        return new GgmlModel(file, factory, threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount / workers), watch.Elapsed);
    }

    /// <summary>A transcriber with its own processor, for one worker.</summary>
    public GgmlTranscriber CreateTranscriber() => new(this);

    /// <summary>A transcriber that also suppresses whisper.cpp's non-speech tokens (whisper-cli's <c>-sns</c>), for comparisons.</summary>
    internal GgmlTranscriber CreateTranscriber(bool suppressNonSpeech) => new(this) { SuppressNonSpeech = suppressNonSpeech };

    /// <summary>A processor builder on the shared weights.</summary>
    internal WhisperProcessorBuilder CreateBuilder() => _factory.CreateBuilder();

    /// <inheritdoc />
    public void Dispose() => _factory.Dispose();
}
