using QualityScan.Pipeline.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary>Shared parsing of the model options of <c>scan</c>, <c>transcribe</c> and <c>bench</c>.</summary>
public static class ModelLoading
{
    /// <summary>Options every transcribing command takes.</summary>
    public static readonly string[] ValueOptions = ["model", "precision", "language"];

    /// <summary>The model folder: <c>--model</c>, else the shipped demo model.</summary>
    public static string Folder(CommandArguments args) => args.Value("model") ?? WhisperModel.DefaultModelFolder;

    /// <summary>The precision: <c>--precision int8|fp32</c>, default int8.</summary>
    public static WhisperPrecision Precision(CommandArguments args) =>
        args.Choice("precision", "int8", "int8", "fp32", "float32") == "int8" ? WhisperPrecision.Int8 : WhisperPrecision.Float32;

    /// <summary>Default of <c>--merge-gap</c>: speech chunks of one speaker this close (seconds) are transcribed as one window.</summary>
    public const double DefaultMergeGapSeconds = 1.0;

    /// <summary>
    /// <c>--merge-gap</c>: a speaker's speech chunks separated by at most this many seconds are transcribed together,
    /// so a sentence with pauses reaches the model whole (and fewer encoder passes are needed).
    /// </summary>
    public static double MergeGap(CommandArguments args)
    {
        var text = args.Value("merge-gap");
        if (text is null)
        {
            return DefaultMergeGapSeconds;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 10
            ? v
            : throw new UsageException($"--merge-gap takes seconds from 0 to 10 (got '{text}')");
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
