using System.Globalization;
using QualityScan.Pipeline.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary>Shared parsing of the model options of <c>scan</c>, <c>transcribe</c> and <c>bench</c>.</summary>
public static class ModelLoading
{
    /// <summary>The options every transcribing command takes, with their meaning and default; <paramref name="defaultLanguage"/> is the command's.</summary>
    public static IReadOnlyList<OptionSpec> Options(string defaultLanguage) =>
    [
        new("model", "Folder of the Whisper model (encoder and decoder ONNX pair, token table).") { ValueName = "folder", Default = "the shipped demo model, speech-models/whisper-demo-pl-cs" },
        new("precision", "Which model pair to load.") { ValueName = "int8|fp32", Default = "int8" },
        new("language", "Language of the calls; auto detects it per call among the languages with a rule pack.") { ValueName = "pl|cs|auto", Default = defaultLanguage },
        new("agent-channel", "Which channel of a stereo recording is the agent.") { ValueName = "left|right", Default = "left" },
        new("merge-gap", "Transcribe a speaker's speech chunks at most S seconds apart (0-10) as one window.") { ValueName = "S", Default = "0, each chunk alone" },
        OptionSpec.Flag("no-vad", "Transcribe each channel whole in 30 s windows, without voice activity detection."),
    ];

    /// <summary>The model folder: <c>--model</c>, else the shipped demo model.</summary>
    public static string Folder(CommandArguments args) => args.Value("model") ?? WhisperModel.DefaultModelFolder;

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
        };
    }

    /// <summary>Loads the model, or writes the reason to standard error and returns null.</summary>
    public static WhisperModel? TryLoad(string command, CommandArguments args, int workers)
    {
        try
        {
            return WhisperModel.Load(Folder(args), new WhisperModelOptions { Precision = Precision(args), Workers = workers });
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException)
        {
            Console.Error.WriteLine($"qualityscan {command}: {ex.Message}");
            return null;
        }
    }
}
