using System.Globalization;
using QualityScan.Models;
using QualityScan.Pipeline.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Transcripts;
using QualityScan.Pipeline.Transcription;

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

        using var model = ModelLoading.TryLoad(Name, parsed, workers: 1, [settings.Language]);
        if (model is null)
        {
            return ExitCodes.Failure;
        }

        settings = ModelLoading.ForModel(settings, model);
        var processor = new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model), settings, ["pl", "cs"]);
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
