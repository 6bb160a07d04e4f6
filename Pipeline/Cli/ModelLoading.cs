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
