using System.Globalization;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Transcripts;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary><c>qualityscan transcribe &lt;audio file&gt;</c>: one recording to text, for checking what the model hears.</summary>
public sealed class TranscribeCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "transcribe";

    /// <inheritdoc />
    public CommandSpec Spec { get; } = new("transcribe", """
        Transcribes one recording: prints one line per utterance, [start-end] speaker: text, or with --json the transcript
        JSON (utterances and voice activity), to check what the model hears.
        """)
    {
        Arguments = [new ArgumentSpec("audio file", "The recording (wav; mp3/ogg/flac/m4a with ffmpeg).")],
        Options = [.. ModelLoading.Options("pl"), OptionSpec.Flag("json", "Print the transcript JSON instead of lines.")],
    };

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CommandArguments.Parse(args, Spec);
        var path = parsed.RequiredPositional(0, "an audio file");
        var settings = ModelLoading.Settings(parsed, "pl");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"qualityscan transcribe: {path} does not exist");
            return ExitCodes.Failure;
        }

        string? ggml;
        try
        {
            ggml = ModelLoading.GgmlPath(parsed);
        }
        catch (InvalidModelException ex)
        {
            Console.Error.WriteLine($"qualityscan {Name}: {ex.Message}");
            return ExitCodes.Failure;
        }

        if (ggml is not null)
        {
            using var ggmlModel = ModelLoading.TryLoadGgml(Name, ggml, workers: 1);
            if (ggmlModel is null)
            {
                return ExitCodes.Failure;
            }

            using var ggmlTranscriber = ggmlModel.CreateTranscriber();
            return await TranscribeAsync(path, parsed, new CallProcessor(new AudioDecoder(), ggmlTranscriber, ModelLoading.ForGgml(settings, ggmlModel), ["pl", "cs"]), cancellationToken).ConfigureAwait(false);
        }

        using var model = ModelLoading.TryLoad(Name, parsed, workers: 1, [settings.Language]);
        if (model is null)
        {
            return ExitCodes.Failure;
        }

        settings = ModelLoading.ForModel(settings, model);
        return await TranscribeAsync(path, parsed, new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model), settings, ["pl", "cs"]), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> TranscribeAsync(string path, CommandArguments parsed, CallProcessor processor, CancellationToken cancellationToken)
    {
        var job = CallJob.ForFile(Path.GetFullPath(path), Path.GetFileName(path), "unknown");
        CallTranscript transcript;
        try
        {
            transcript = await processor.TranscribeAsync(processor.Prepare(job, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (UnsupportedAudioException ex)
        {
            Console.Error.WriteLine($"qualityscan transcribe: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (UnknownLanguageException ex)
        {
            throw new UsageException(ex.Message);
        }

        if (parsed.Has("json"))
        {
            Console.Out.WriteLine(TranscriptJson.ToJson(new TranscriptDocument(transcript)));
        }
        else
        {
            foreach (var u in transcript.Utterances)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{u.Start:0.00}-{u.End:0.00}] {TranscriptJson.SpeakerText(u.Speaker)}: {u.Text}{(u.IsLowConfidence ? "   (low confidence)" : "")}"));
            }
        }

        return ExitCodes.Success;
    }
}
