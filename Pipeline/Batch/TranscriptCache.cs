using QualityScan.Models.IO;
using System.Security.Cryptography;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Batch;

/// <summary>
/// Finds a transcript already made for the same audio content, model and settings, so a re-run after an
/// interruption or a rule change redoes only what is missing or stale.
/// </summary>
/// <remarks>
/// Transcripts live in <c>&lt;out&gt;/transcripts/&lt;call_id&gt;.json</c> and carry their provenance in the
/// <c>source</c> object: <c>audioSha256</c>, <c>model</c> (a hash of the model files) and <c>settings</c>.
/// A transcript is reused only when all three match (and it is the same call id); anything unreadable is redone, and
/// the caller is told which file was unreadable. Temporary files left by a killed run are removed by <see cref="CleanStaleTemporaryFiles"/>.
/// </remarks>
public sealed class TranscriptCache
{
    /// <summary>Key of the audio content hash in a transcript's <c>source</c>.</summary>
    public const string AudioHashKey = "audioSha256";

    /// <summary>Key of the model identity in a transcript's <c>source</c>.</summary>
    public const string ModelKey = "model";

    /// <summary>Key of the settings in a transcript's <c>source</c>.</summary>
    public const string SettingsKey = "settings";

    /// <summary>Key of the recording's path in a transcript's <c>source</c>.</summary>
    public const string FileKey = "file";

    private readonly string _folder;
    private readonly string _modelId;

    /// <summary>Creates a cache over <paramref name="folder"/> for the model identified by <paramref name="modelId"/>.</summary>
    public TranscriptCache(string folder, string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        _folder = folder;
        _modelId = modelId;
        Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// What is done to a transcript's words before it is stored (<c>redact_transcripts: true</c>: personal data masked);
    /// null stores them as heard. The transcript returned by <see cref="Store"/>, which the checks judge, is never changed.
    /// </summary>
    public Func<Models.CallTranscript, Models.CallTranscript>? Redact { get; init; }

    /// <summary>Where the transcript of <paramref name="callId"/> is kept.</summary>
    public string PathFor(string callId) => Path.Combine(_folder, Reports.ReportWriter.SafeFileName(callId) + ".json");

    /// <summary>The stored transcript, if it was made from the same audio, model and settings.</summary>
    public TranscriptDocument? TryGet(string callId, string audioHash, string settings) => TryGet(callId, audioHash, settings, out _);

    /// <summary>
    /// The stored transcript, if it was made from the same audio, model and settings; <paramref name="unreadable"/>
    /// says why a stored file could not be used (damaged, not a transcript), naming the file, so the call is redone.
    /// </summary>
    public TranscriptDocument? TryGet(string callId, string audioHash, string settings, out string? unreadable)
    {
        unreadable = null;
        var path = PathFor(callId);
        if (FileKinds.Of(path, followLinks: false) == FileKind.Missing)
        {
            return null;
        }

        try
        {
            var doc = TranscriptJson.Read(path);
            var source = doc.Source;
            return source is not null
                && source.GetValueOrDefault(AudioHashKey) == audioHash
                && source.GetValueOrDefault(ModelKey) == _modelId
                && source.GetValueOrDefault(SettingsKey) == settings
                && doc.Transcript.Metadata.CallId == callId
                ? doc
                : null;
        }
        catch (Exception ex) when (ex is TranscriptFormatException or IOException or UnauthorizedAccessException)
        {
            unreadable = ex is TranscriptFormatException ? ex.Message : $"{path}: {ex.Message}";
            return null;
        }
    }

    /// <summary>Stores a transcript with its provenance (atomically).</summary>
    public TranscriptDocument Store(Models.CallTranscript transcript, string audioHash, string settings, string relativeFile)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var doc = new TranscriptDocument(transcript, new Dictionary<string, string>
        {
            [AudioHashKey] = audioHash,
            [ModelKey] = _modelId,
            [SettingsKey] = settings,
            [FileKey] = relativeFile,
        });
        TranscriptJson.Write(PathFor(transcript.Metadata.CallId), Redact is null ? doc : doc with { Transcript = Redact(transcript) });
        return doc;
    }

    /// <summary>Folder the transcripts are kept in.</summary>
    public string Folder => _folder;

    /// <summary>Removes temporary files (<c>.*.tmp</c>) that a killed run left in the transcript folder; returns their names.</summary>
    public IReadOnlyList<string> CleanStaleTemporaryFiles() => AtomicFile.CleanStale(_folder);

    /// <summary>SHA-256 of a file's bytes, as lowercase hex.</summary>
    public static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
