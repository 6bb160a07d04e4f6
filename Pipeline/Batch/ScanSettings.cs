using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using QualityScan.Speech.Audio;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Batch;

/// <summary>How calls are turned into transcripts: the settings that, with the audio and the model, decide a transcript's content.</summary>
/// <remarks>
/// Defaults: language "auto" (detected per call among the languages that have a rule pack, when the manifest does
/// not say), agent on the left channel, voice-activity chunking on.
/// </remarks>
public sealed record ScanSettings
{
    /// <summary>
    /// Bumped whenever the way transcripts are produced changes, so older cached transcripts are redone.
    /// </summary>
    public const int TranscriptFormatVersion = 2;

    /// <summary>Language code, or "auto". Default "auto".</summary>
    public string Language { get; init; } = TranscriptionOptions.AutoLanguage;

    /// <summary>Which channel of a stereo recording is the agent. Default left.</summary>
    public AgentChannel AgentChannel { get; init; } = AgentChannel.Left;

    /// <summary>Transcribe only detected speech (true) or every channel whole, in 30 s windows (false). Default true.</summary>
    public bool UseVoiceActivity { get; init; } = true;

    /// <summary>
    /// How speech is laid into windows: "auto" (packed for models that predict timestamps, one window per chunk for
    /// the others, see <see cref="WhisperModel.SupportsTimestamps"/>), "chunk" or "packed". Default "auto".
    /// </summary>
    public string WindowingChoice { get; init; } = "auto";

    /// <summary>Voice activity detection settings.</summary>
    public VadOptions Vad { get; init; } = new();

    /// <summary>Transcription settings other than the language. Default: every speech chunk is its own window.</summary>
    /// <remarks>
    /// <see cref="TranscriptionOptions.MergeGapSeconds"/> (<c>--merge-gap</c>) joins a speaker's chunks that are close
    /// together into one window: fewer encoder passes, and a sentence cut at a pause reaches the model whole. Real
    /// Whisper models handle such windows well; the shipped demo model drifts on them more often than it gains
    /// (on the sample calls: agreement 1.00 per chunk, 0.97 with a 0.5 s or 1 s gap), so the default is 0.
    /// </remarks>
    public TranscriptionOptions Transcription { get; init; } = new();

    /// <summary>A text that changes whenever a setting that affects the transcript changes (for the transcript cache).</summary>
    /// <remarks>Built from the values themselves, formatted invariantly, so it is the same in every process and culture.</remarks>
    public string CacheKey(string language, AgentChannel agentChannel)
    {
        var vad = UseVoiceActivity
            ? string.Join(",", typeof(VadOptions).GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => $"{p.Name}={Convert.ToString(p.GetValue(Vad), CultureInfo.InvariantCulture)}"))
            : "off";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"v{TranscriptFormatVersion};lang={language};agent={agentChannel.ToString().ToLowerInvariant()};merge={Transcription.MergeGapSeconds};min={Transcription.MinChunkSeconds};vad={vad};windowing={Transcription.Windowing};" +
            $"decoding={Transcription.Decoding};budget={Transcription.MinTokenBudget}+{Transcription.TokensPerSpeechSecond}/s;" +
            $"thresholds={Transcription.NoSpeechThreshold},{Transcription.LogProbThreshold},{Transcription.CompressionRatioThreshold};" +
            $"hallucinations={Transcription.Hallucinations.Identity}");
        return $"v{TranscriptFormatVersion};lang={language};agent={agentChannel.ToString().ToLowerInvariant()};{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]}";
    }
}
