using System.Diagnostics;
using System.Globalization;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Speech.Transcription;
using QualityScan.Speech.Transcription.Ggml;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// <c>qualityscan models list|download|info</c>: which Whisper models there are, getting one, and checking what a
/// model folder holds (with a self-test that transcribes a short clip shipped with the program).
/// </summary>
public sealed class ModelsCommand : ICommand
{
    /// <summary>The clip <c>models info</c> transcribes: espeak-ng saying a Polish greeting (5.5 s, 16 kHz mono).</summary>
    public static string SelfTestClip { get; } = Path.Combine(AppContext.BaseDirectory, "speech-models", "selftest-pl.wav");

    /// <summary>The text of <see cref="SelfTestClip"/>.</summary>
    public const string SelfTestText = "Dzień dobry, Katarzyna Kowalska, Teleplus. W czym mogę pomóc?";

    /// <inheritdoc />
    public string Name => "models";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("models", "Lists the multilingual Whisper models, downloads one, or shows what a model folder holds.")
    {
        Subcommands = [ListSpec, DownloadSpec, InfoSpec],
    };

    /// <summary><c>models list</c>.</summary>
    public static CommandSpec ListSpec { get; } = new("list", "The multilingual Whisper exports to choose from: parameters, download size, memory per worker, archive name.");

    /// <summary><c>models download</c>.</summary>
    public static CommandSpec DownloadSpec { get; } = new("download", """
        Downloads sherpa-onnx's release archive of a model (resuming an interrupted download), unpacks it into a hidden folder,
        checks that it loads, and only then moves it into place.
        """)
    {
        Arguments = [new ArgumentSpec("name", "tiny, base, small, medium, large-v3 or turbo.")],
        Options =
        [
            new("dir", "Folder the model folder goes into.") { ValueName = "folder", Default = "speech-models/ beside the program" },
            new("base-url", "Where the archives are published (a mirror inside the company).") { ValueName = "url", Default = "sherpa-onnx's asr-models release, or $QUALITYSCAN_MODEL_BASE_URL" },
        ],
    };

    /// <summary><c>models info</c>.</summary>
    public static CommandSpec InfoSpec { get; } = new("info", """
        Shows a model folder's dimensions, languages, precision, files and sizes, memory per worker, and transcribes a short
        Polish clip shipped with the program (speech-models/selftest-pl.wav) with its confidence figures and timings.
        """)
    {
        Arguments = [new ArgumentSpec("folder", "The model folder (plain or sherpa-onnx names).")],
        Options =
        [
            new("precision", "Which model pair to load.") { ValueName = "int8|fp32", Default = "int8 when present, else fp32" },
            OptionSpec.Flag("no-self-test", "Skip the transcription of the shipped clip."),
        ],
    };

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            throw new UsageException("say list, download <name> or info <folder>");
        }

        return args[0] switch
        {
            "list" => Task.FromResult(List(args)),
            "download" => DownloadAsync(args, cancellationToken),
            "info" => InfoAsync(args, cancellationToken),
            _ => throw new UsageException($"unknown models command '{args[0]}': say list, download <name> or info <folder>"),
        };
    }

    private static int List(IReadOnlyList<string> args)
    {
        CommandArguments.Parse(args.Skip(1).ToList(), ListSpec);
        var table = new List<string[]> { new[] { "name", "parameters", "download", "int8 weights", "memory per worker", "machine, 1 worker", "archive", "for Polish calls" } };
        table.AddRange(ModelCatalog.Models.Select(m => new[]
        {
            m.Name,
            string.Create(CultureInfo.InvariantCulture, $"{m.Parameters} M"),
            string.Create(CultureInfo.InvariantCulture, $"~{m.ApproxDownloadGb:0.0} GB"),
            ModelMemory.Gb(m.Int8WeightBytes),
            ModelMemory.Gb(m.PerWorkerBytes),
            ModelMemory.Gb(m.MemoryFor(1)),
            m.ArchiveName,
            m.Note,
        }));
        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var row in table)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine("whisper.cpp ggml files (run by whisper.cpp through Whisper.net; --model <file.bin>):");
        var ggml = new List<string[]> { new[] { "name", "size", "SHA-1", "for Polish calls" } };
        ggml.AddRange(GgmlCatalog.Models.Select(m => new[] { m.Name, m.DiskSize, m.Sha1, m.Note }));
        var ggmlWidths = Enumerable.Range(0, ggml[0].Length).Select(c => ggml.Max(r => r[c].Length)).ToArray();
        foreach (var row in ggml)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(ggmlWidths[c]))));
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine("Download sizes are approximate (float32 and int8 pairs in one archive); the download prints the exact size.");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Memory per worker comes on top of the weights, which all workers share; a machine needs weights + workers x memory per worker + {ModelMemory.Gb(ModelMemory.RuntimeRoomBytes)} for audio and the runtime"));
        Console.Out.WriteLine("(the 'machine, 1 worker' column; the default is one worker per 2 cores from whisper-base up, one per core below). Speed on 2 cores: see the README.");
        Console.Out.WriteLine("Get one:  qualityscan models download small --dir /opt/qualityscan/models");
        Console.Out.WriteLine("Check it: qualityscan models info /opt/qualityscan/models/sherpa-onnx-whisper-small");
        return ExitCodes.Success;
    }

    private static async Task<int> DownloadAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args.Skip(1).ToList(), DownloadSpec);
        var name = parsed.RequiredPositional(0, "a model name (see 'qualityscan models list')");
        if (GgmlCatalog.Find(name) is { } ggmlModel)
        {
            return await DownloadGgmlAsync(parsed, ggmlModel, cancellationToken).ConfigureAwait(false);
        }

        var model = ModelCatalog.Find(name) ?? throw new UsageException(
            $"unknown model '{name}'; choose one of {string.Join(", ", ModelCatalog.Models.Select(m => m.Name))} (English-only exports are not offered: they cannot transcribe Polish or Czech)");
        var directory = parsed.Value("dir") ?? Path.Combine(AppContext.BaseDirectory, "speech-models");
        var baseUrl = parsed.Value("base-url") ?? Environment.GetEnvironmentVariable("QUALITYSCAN_MODEL_BASE_URL") ?? ModelCatalog.DefaultBaseUrl;

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var downloader = new ModelDownloader(http, baseUrl);
        var interactive = !Console.IsErrorRedirected;
        var lastLine = -1L;
        void Progress(long done, long? total)
        {
            var text = total is long t && t > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{model.ArchiveName}: {done / 1e6:F1} of {t / 1e6:F1} MB ({100.0 * done / t:F0}%)")
                : string.Create(CultureInfo.InvariantCulture, $"{model.ArchiveName}: {done / 1e6:F1} MB");
            if (interactive)
            {
                Console.Error.Write("\r" + text.PadRight(70));
            }
            else if (done - lastLine >= 50_000_000 || done == total)
            {
                Console.Error.WriteLine(text);
                lastLine = done;
            }
        }

        Console.Error.WriteLine($"downloading {model.ArchiveName} into {Path.GetFullPath(directory)}");
        try
        {
            var folder = await downloader.DownloadAsync(model, directory, Progress, cancellationToken).ConfigureAwait(false);
            if (interactive)
            {
                Console.Error.WriteLine();
            }

            Console.Out.WriteLine($"{model.Name}: unpacked and checked in {folder}");
            Console.Out.WriteLine($"use it with:  qualityscan scan <recordings> --out <reports> --model {folder}");
            Console.Out.WriteLine($"check it:     qualityscan models info {folder}");
            return ExitCodes.Success;
        }
        catch (ModelDownloadException ex)
        {
            if (interactive)
            {
                Console.Error.WriteLine();
            }

            Console.Error.WriteLine($"qualityscan models download: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary><c>models info</c> for a ggml file: what its header says, then whether whisper.cpp loads it and how fast.</summary>
    private static int GgmlInfo(string path)
    {
        try
        {
            var file = GgmlModelFile.Read(path);
            Console.Out.WriteLine($"model:      {file.Path} (whisper.cpp ggml, {file.Precision}, {file.Bytes / 1e6:F1} MB)");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dimensions: {file.MelBins} mel bins; encoder {file.AudioLayers} layers x {file.AudioState} ({file.AudioHeads} heads); decoder {file.TextLayers} layers x {file.TextState} ({file.TextHeads} heads); vocabulary {file.VocabularySize}"));
            Console.Out.WriteLine($"languages:  {(file.IsMultilingual ? "multilingual" : "English only: cannot transcribe Polish or Czech")}");
            using var model = GgmlModel.Load(path);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine:     {model.Description}; loaded in {model.LoadTime.TotalSeconds:F1} s"));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException)
        {
            Console.Error.WriteLine($"qualityscan models info: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> DownloadGgmlAsync(CommandArguments parsed, GgmlCatalogModel model, CancellationToken cancellationToken)
    {
        var directory = parsed.Value("dir") ?? Path.Combine(AppContext.BaseDirectory, "speech-models");
        var baseUrl = parsed.Value("base-url") ?? Environment.GetEnvironmentVariable("QUALITYSCAN_GGML_BASE_URL") ?? GgmlCatalog.DefaultBaseUrl;
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var lastLine = -1L;
        void Progress(long done, long? total)
        {
            if (done - lastLine >= 50_000_000 || done == total)
            {
                Console.Error.WriteLine(total is long t && t > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{model.FileName}: {done / 1e6:F1} of {t / 1e6:F1} MB ({100.0 * done / t:F0}%)")
                    : string.Create(CultureInfo.InvariantCulture, $"{model.FileName}: {done / 1e6:F1} MB"));
                lastLine = done;
            }
        }

        Console.Error.WriteLine($"downloading {model.FileName} into {Path.GetFullPath(directory)}");
        try
        {
            var file = await new ModelDownloader(http, baseUrl).DownloadGgmlAsync(model, directory, Progress, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"{model.Name}: downloaded and checked (SHA-1 {model.Sha1}) in {file}");
            Console.Out.WriteLine($"use it with:  qualityscan transcribe <recording> --model {file}");
            return ExitCodes.Success;
        }
        catch (ModelDownloadException ex)
        {
            Console.Error.WriteLine($"qualityscan models download: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> InfoAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args.Skip(1).ToList(), InfoSpec);
        var folder = parsed.RequiredPositional(0, "a model folder");
        try
        {
            if (GgmlModelFile.Locate(folder) is { } ggml)
            {
                return GgmlInfo(ggml);
            }
        }
        catch (InvalidModelException ex)
        {
            Console.Error.WriteLine($"qualityscan models info: {ex.Message}");
            return ExitCodes.Failure;
        }

        var precision = parsed.Value("precision") is null
            ? ModelDownloader.PreferredPrecision(folder)
            : ModelLoading.Precision(parsed);
        var watch = Stopwatch.StartNew();
        WhisperModel model;
        try
        {
            model = WhisperModel.Load(folder, new WhisperModelOptions { Precision = precision });
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException)
        {
            Console.Error.WriteLine($"qualityscan models info: {ex.Message}");
            return ExitCodes.Failure;
        }

        using (model)
        {
            var loadTime = watch.Elapsed;
            var info = model.Info;
            var memory = ModelMemory.Of(info, model.Files);
            var o = Console.Out;
            o.WriteLine($"model         {model.Folder}");
            o.WriteLine($"type          {info.ModelType ?? "(not named)"}{(model.Files.Prefix.Length > 0 ? $", sherpa-onnx prefix '{model.Files.Prefix}'" : string.Empty)}");
            o.WriteLine($"precision     {(precision == WhisperPrecision.Int8 ? "int8" : "float32")}");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dimensions    {info.MelBins} mel bins, encoder width {info.AudioState}, decoder {info.TextLayers} layers x {info.TextState}, vocabulary {info.VocabularySize}, context {info.TextContext}"));
            var pl = info.LanguageCodes.Contains("pl");
            var cs = info.LanguageCodes.Contains("cs");
            o.WriteLine($"languages     {info.LanguageCodes.Count} ({(info.IsMultilingual ? "multilingual" : "ENGLISH ONLY: cannot transcribe Polish or Czech")}; pl {(pl ? "yes" : "no")}, cs {(cs ? "yes" : "no")})");
            o.WriteLine($"decoder       {model.DecoderLayout}");
            o.WriteLine($"identity      {model.Files.Identity()}");
            o.WriteLine("files");
            foreach (var file in model.Files.All)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Path.GetFileName(file),-32} {new FileInfo(file).Length / 1e6,10:F1} MB"));
            }

            o.WriteLine($"memory        weights {ModelMemory.Gb(memory.WeightBytes)} (shared) + {ModelMemory.Gb(memory.PerWorkerBytes)} per worker");
            var (workers, reason) = TryDefaultWorkers(memory, info);
            o.WriteLine($"workers       {reason}");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load time     {loadTime.TotalSeconds:F2} s"));

            if (parsed.Has("no-self-test"))
            {
                return ExitCodes.Success;
            }

            if (!info.IsMultilingual || !pl)
            {
                o.WriteLine("self-test     skipped: the model cannot transcribe Polish");
                return ExitCodes.Failure;
            }

            return await SelfTestAsync(model, workers, cancellationToken).ConfigureAwait(false);
        }
    }

    private static (int Workers, string Reason) TryDefaultWorkers(ModelMemory memory, WhisperModelInfo info)
    {
        try
        {
            return memory.DefaultWorkers(Environment.ProcessorCount, ModelMemory.AvailableBytes(), ModelMemory.ThreadsPerWorker(info));
        }
        catch (InsufficientMemoryException ex)
        {
            return (0, "none fit: " + ex.Message);
        }
    }

    private static async Task<int> SelfTestAsync(WhisperModel model, int workers, CancellationToken cancellationToken)
    {
        var o = Console.Out;
        if (!File.Exists(SelfTestClip))
        {
            o.WriteLine($"self-test     skipped: the clip {SelfTestClip} is missing");
            return ExitCodes.Failure;
        }

        var settings = ModelLoading.ForModel(new ScanSettings { Language = "pl" }, model);
        var transcriber = new WhisperTranscriber(model);
        var processor = new CallProcessor(new AudioDecoder(), transcriber, settings, ["pl"]);
        var watch = Stopwatch.StartNew();
        var transcript = await processor.TranscribeAsync(processor.Prepare(CallJob.ForFile(SelfTestClip, "selftest-pl", "selftest"), cancellationToken), cancellationToken).ConfigureAwait(false);
        watch.Stop();
        var text = string.Join(" ", transcript.Utterances.Select(u => u.Text));
        o.WriteLine($"self-test     {Path.GetFileName(SelfTestClip)} (espeak-ng, Polish, {transcript.Metadata.DurationSeconds:F1} s), windowing {settings.Transcription.Windowing.ToString().ToLowerInvariant()}");
        o.WriteLine($"  said        {SelfTestText}");
        o.WriteLine($"  heard       {(text.Length == 0 ? "(nothing)" : text)}");
        var (matched, said) = WordsHeard(SelfTestText, text);
        var heard = said > 0 && matched >= SelfTestPassShare * said;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  verdict     {(heard ? "PASS: heard the clip's text" : "FAIL: did not hear the clip's text")} ({matched} of {said} words in order; a pass needs {SelfTestPassShare:P0})"));
        if (ModelLoading.IsDemo(model))
        {
            o.WriteLine("  note        the clip is synthetic speech (espeak-ng), which the demo model was trained on: " + ModelLoading.DemoWarning);
        }
        foreach (var c in transcript.Utterances.Select(u => u.Confidence).OfType<UtteranceConfidence>().Distinct())
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  confidence  no-speech {c.NoSpeechProbability:F3}, avg log-prob {c.AverageLogProbability:F3}, compression {c.CompressionRatio:F2}, {c.StopReason}{(c.IsLow ? ", LOW" : string.Empty)}"));
        }

        var stats = transcriber.Stats;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  time        {watch.Elapsed.TotalSeconds:F2} s ({transcript.Metadata.DurationSeconds / Math.Max(1e-6, watch.Elapsed.TotalSeconds):F1}x real time): encoder {stats.EncoderMsPerWindow:F0} ms/window, decoder {stats.DecoderMsPerToken:F1} ms/token, {model.IntraOpThreads} thread(s)"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB (this process); a scan would run {workers} worker(s)"));
        return heard ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Share of the clip's words a model must hear, in order, for the self-test to pass.</summary>
    public const double SelfTestPassShare = 0.7;

    /// <summary>How many of <paramref name="said"/>'s words appear in <paramref name="heard"/> in the same order (longest common subsequence; case and punctuation ignored).</summary>
    internal static (int Matched, int Said) WordsHeard(string said, string heard)
    {
        static string[] Words(string text) => text.ToLower(CultureInfo.InvariantCulture)
            .Split((char[])[' ', '\t', '\n', '.', ',', '?', '!', ';', ':', '"', '\'', '(', ')', '-'], StringSplitOptions.RemoveEmptyEntries);
        var a = Words(said);
        var b = Words(heard);
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                lengths[i, j] = a[i - 1] == b[j - 1] ? lengths[i - 1, j - 1] + 1 : Math.Max(lengths[i - 1, j], lengths[i, j - 1]);
            }
        }

        return (lengths[a.Length, b.Length], a.Length);
    }
}
