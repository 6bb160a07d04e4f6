using System.Globalization;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Speech.Transcription;
using QualityScan.Speech.Transcription.Ggml;

namespace QualityScan.Pipeline.Cli;

/// <summary>Shared parsing of the model options of <c>scan</c>, <c>transcribe</c> and <c>bench</c>.</summary>
public static class ModelLoading
{
    /// <summary>The options every transcribing command takes, with their meaning and default; <paramref name="defaultLanguage"/> is the command's.</summary>
    public static IReadOnlyList<OptionSpec> Options(string defaultLanguage) =>
    [
        new("model", "Folder of the Whisper model (encoder and decoder ONNX pair and token table, plain or sherpa-onnx names), or a whisper.cpp ggml .bin file (or a folder holding one), run through Whisper.net.") { ValueName = "folder", Default = "the shipped demo model, speech-models/whisper-demo-pl-cs" },
        new("precision", "Which model pair to load.") { ValueName = "int8|fp32", Default = "int8" },
        new("language", "Language of the calls; auto detects it per call among the languages with a rule pack.") { ValueName = "pl|cs|auto", Default = defaultLanguage },
        new("agent-channel", "Which channel of a stereo recording is the agent.") { ValueName = "left|right", Default = "left" },
        new("merge-gap", "Chunk windowing: transcribe a speaker's speech chunks at most S seconds apart (0-10) as one window.") { ValueName = "S", Default = "0, each chunk alone" },
        new("windowing", "chunk: one window per speech chunk; packed: a speaker's chunks fill 30 s windows and timestamps cut the segments; auto: packed when the model predicts timestamps.") { ValueName = "auto|chunk|packed", Default = "auto" },
        OptionSpec.Flag("no-vad", "Transcribe each channel whole in 30 s windows, without voice activity detection."),
    ];

    /// <summary>The shipped demo model's <c>model_type</c>.</summary>
    public const string DemoModelType = "whisper-demo-pl-cs";

    /// <summary>What a scan with the demo model warns, in the log, <c>run.json</c>, the coach index and the workbook.</summary>
    public const string DemoWarning = "DEMO MODEL: speech-models/whisper-demo-pl-cs was trained on synthetic speech and cannot transcribe human voices; these reports are not about real calls (give --model a real Whisper model, see docs/operator.md)";

    /// <summary>Whether <paramref name="model"/> is the shipped demo model.</summary>
    public static bool IsDemo(WhisperModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Info.ModelType == DemoModelType;
    }

    /// <summary>The model folder: <c>--model</c>, else the shipped demo model.</summary>
    public static string Folder(CommandArguments args) => args.Value("model") ?? WhisperModel.DefaultModelFolder;

    /// <summary>Name of the folder beside the history where a scan keeps rebuilt decoder graphs (<see cref="DecoderCacheBeside"/>).</summary>
    public const string DecoderCacheFolderName = "decoder-cache";

    /// <summary>
    /// Where a scan keeps the rebuilt decoder between nights: beside the history, like the learned models, so that
    /// one-folder-per-night outputs (<c>{date}</c>) share it; never inside the model folder, which may be read-only.
    /// </summary>
    public static string DecoderCacheBeside(string historyPath)
    {
        ArgumentNullException.ThrowIfNull(historyPath);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(historyPath)) ?? ".", DecoderCacheFolderName);
    }

    /// <summary>The precision: <c>--precision int8|fp32</c>, default int8.</summary>
    public static WhisperPrecision Precision(CommandArguments args) =>
        args.Choice("precision", "int8", "int8", "fp32", "float32") == "int8" ? WhisperPrecision.Int8 : WhisperPrecision.Float32;

    /// <summary>
    /// The transcription settings shared by <c>scan</c>, <c>transcribe</c> and <c>bench transcribe</c>:
    /// <c>--language</c>, <c>--agent-channel left|right</c>, <c>--no-vad</c> and <c>--merge-gap S</c> (a speaker's speech
    /// chunks at most S seconds apart are transcribed together; default in <see cref="ScanSettings.Transcription"/>).
    /// </summary>
    public static ScanSettings Settings(CommandArguments args, string defaultLanguage)
    {
        var defaults = new ScanSettings();
        var mergeGap = defaults.Transcription.MergeGapSeconds;
        if (args.Value("merge-gap") is { } text)
        {
            mergeGap = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 10
                ? v
                : throw new UsageException($"--merge-gap takes seconds from 0 to 10 (got '{text}')");
        }

        return defaults with
        {
            Language = args.Value("language")?.ToLowerInvariant() ?? defaultLanguage,
            AgentChannel = ChannelRoles.ParseAgentChannel(args.Choice("agent-channel", "left", "left", "right")),
            UseVoiceActivity = !args.Has("no-vad"),
            Transcription = defaults.Transcription with { MergeGapSeconds = mergeGap },
            WindowingChoice = args.Choice("windowing", "auto", "auto", "chunk", "packed"),
        };
    }

    /// <summary>Loads the model, or writes the reason to standard error and returns null.</summary>
    /// <param name="command">The command's name, for messages.</param>
    /// <param name="args">The command line (<c>--model</c>, <c>--precision</c>).</param>
    /// <param name="workers">Workers that will share the model (divides the cores among them).</param>
    /// <param name="languages">Languages the run will transcribe ("auto" allowed): refused before any work when the model cannot.</param>
    /// <param name="decoderCache">Where the rebuilt decoder is kept between runs (<see cref="WhisperModelOptions.DecoderCacheFolder"/>); null: rebuilt at every load.</param>
    public static WhisperModel? TryLoad(string command, CommandArguments args, int workers, IEnumerable<string>? languages = null, string? decoderCache = null)
    {
        WhisperModel? model = null;
        try
        {
            // A single worker owns every core, so its threads may spin between the decoder's many small steps
            // (measured: whisper-small 9.1-9.6 instead of 9.9-10.2 ms per token on 2 cores); with several workers
            // a spinning thread would take a core another worker needs.
            model = WhisperModel.Load(Folder(args), new WhisperModelOptions { Precision = Precision(args), Workers = workers, AllowSpinning = workers == 1, DecoderCacheFolder = decoderCache });
            foreach (var language in languages ?? [])
            {
                model.Info.CheckCanTranscribe(language, model.Files.Encoder);
            }

            return model;
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException or UnknownLanguageException)
        {
            model?.Dispose();
            Console.Error.WriteLine($"qualityscan {command}: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// The whisper.cpp ggml model <c>--model</c> names (a <c>.bin</c> file, or a folder holding one), or null when it
    /// names an ONNX model folder (or nothing: the default model).
    /// </summary>
    /// <exception cref="InvalidModelException">A folder holds several ggml files.</exception>
    public static string? GgmlPath(CommandArguments args) => args.Value("model") is { } model ? GgmlModelFile.Locate(model) : null;

    /// <summary>Loads the ggml model at <paramref name="path"/>, or writes the reason to standard error and returns null.</summary>
    public static GgmlModel? TryLoadGgml(string command, string path, int workers)
    {
        try
        {
            return GgmlModel.Load(path, workers: workers);
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException)
        {
            Console.Error.WriteLine($"qualityscan {command}: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// The settings for a ggml model: its folder's hallucination list (else the shipped one), packed windows unless
    /// "chunk" is asked (whisper.cpp always predicts timestamps), one window at a time (whisper.cpp decodes a window alone).
    /// </summary>
    public static ScanSettings ForGgml(ScanSettings settings, GgmlModel model) => settings with
    {
        Transcription = settings.Transcription with
        {
            Hallucinations = HallucinationFilter.ForModel(Path.GetDirectoryName(model.File.Path)!),
            Windowing = settings.WindowingChoice == "chunk" ? Windowing.Chunk : Windowing.Packed,
            BatchSize = 1,
        },
    };

    /// <summary>
    /// The settings with what belongs to the loaded model: its list of known hallucination phrases, the windowing
    /// ("auto": packed when the model predicts timestamps, one window per chunk otherwise) and, for packed windows,
    /// how many are decoded together (<see cref="ModelMemory.DefaultBatch(WhisperModelInfo, bool)"/>).
    /// </summary>
    public static ScanSettings ForModel(ScanSettings settings, WhisperModel model)
    {
        var windowing = settings.WindowingChoice switch
        {
            "chunk" => Windowing.Chunk,
            "packed" => Windowing.Packed,
            _ => model.SupportsTimestamps ? Windowing.Packed : Windowing.Chunk,
        };
        return settings with
        {
            Transcription = settings.Transcription with
            {
                Hallucinations = HallucinationFilter.ForModel(model.Folder),
                Windowing = windowing,

                // Packed windows of a call are decoded together; chunk mode (the demo model) keeps one window at a time,
                // the setting its sample-call accuracy was measured with.
                BatchSize = windowing == Windowing.Packed ? ModelMemory.DefaultBatch(model.Info, model.CompactCrossAttention) : settings.Transcription.BatchSize,
            },
        };
    }

    /// <summary>
    /// Loads the engine for a batch with the right number of workers: <c>--workers</c> when given (checked against the
    /// memory), else one per core as far as the model's memory allows (each worker holds its own buffers; the weights
    /// are shared). <c>--model</c> naming a ggml file (or a folder holding one) loads whisper.cpp through Whisper.net,
    /// anything else the ONNX engine. Writes the reason to standard error and returns null when the model cannot be used.
    /// </summary>
    /// <param name="command">The command's name, for messages.</param>
    /// <param name="args">The command line (<c>--model</c>, <c>--precision</c>, <c>--workers</c>).</param>
    /// <param name="languages">Languages the run will transcribe ("auto" allowed): refused before any work when the model cannot.</param>
    /// <param name="decoderCache">Where the ONNX engine keeps its rebuilt decoder between runs; null: rebuilt at every load.</param>
    public static (BatchEngine Engine, int Workers, string Reason)? LoadForBatch(string command, CommandArguments args, IEnumerable<string> languages, string? decoderCache = null)
    {
        var asked = args.Value("workers") is null ? (int?)null : args.Int("workers", 1, 1, 64);
        var cores = Math.Max(1, Environment.ProcessorCount);
        string? ggml;
        try
        {
            ggml = GgmlPath(args);
        }
        catch (InvalidModelException ex)
        {
            Console.Error.WriteLine($"qualityscan {command}: {ex.Message}");
            return null;
        }

        if (ggml is not null)
        {
            return LoadGgmlForBatch(command, ggml, asked, cores, languages);
        }

        // Real model sizes run best with two threads per worker (see ModelMemory.ThreadsPerWorker); load for that
        // plan and reload only when the model turns out smaller or memory allows fewer workers.
        var loadedFor = asked ?? Math.Max(1, cores / 2);
        var model = TryLoad(command, args, loadedFor, languages, decoderCache);
        if (model is null)
        {
            return null;
        }

        try
        {
            var memory = ModelMemory.Of(model.Info, model.Files);
            var (fit, reason) = memory.Workers(asked, cores, ModelMemory.AvailableBytes(), ModelMemory.ThreadsPerWorker(model.Info));
            if (fit != loadedFor)
            {
                // Another number of workers: reload so each worker's sessions get the cores the others leave.
                model.Dispose();
                model = TryLoad(command, args, fit, languages, decoderCache);
                if (model is null)
                {
                    return null;
                }
            }

            return (BatchEngine.For(model), fit, reason);
        }
        catch (InsufficientMemoryException ex)
        {
            model?.Dispose();
            Console.Error.WriteLine($"qualityscan {command}: {ex.Message}");
            return null;
        }
    }

    /// <summary>The ggml half of <see cref="LoadForBatch"/>: workers sized from the file's header before its weights are loaded.</summary>
    private static (BatchEngine Engine, int Workers, string Reason)? LoadGgmlForBatch(string command, string path, int? asked, int cores, IEnumerable<string> languages)
    {
        GgmlModel? model = null;
        try
        {
            var file = GgmlModelFile.Read(path);
            var (workers, reason) = ModelMemory.OfGgml(file).Workers(asked, cores, ModelMemory.AvailableBytes(), ModelMemory.ThreadsPerWorker(file.TextState));
            model = GgmlModel.Load(path, workers: workers);
            foreach (var language in languages)
            {
                if (!string.Equals(language, TranscriptionOptions.AutoLanguage, StringComparison.OrdinalIgnoreCase) && !model.LanguageCodes.Contains(language))
                {
                    throw new UnknownLanguageException(language, model.LanguageCodes);
                }
            }

            return (BatchEngine.For(model), workers, reason);
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException or UnknownLanguageException or InsufficientMemoryException)
        {
            model?.Dispose();
            Console.Error.WriteLine($"qualityscan {command}: {ex.Message}");
            return null;
        }
    }
}
