using QualityScan.Models.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using QualityScan.Models;

namespace QualityScan.Pipeline.Transcripts;

/// <summary>Reads and writes the transcript JSON form that <c>analyze</c> reads and <c>scan</c> writes.</summary>
/// <remarks>
/// Required: <c>callId</c>, <c>agentId</c>, <c>language</c>, <c>utterances</c> (each with <c>speaker</c>
/// of <c>agent</c>, <c>customer</c> or <c>unknown</c>, <c>start</c>, <c>end</c>, <c>text</c>).
/// Optional: <c>agentName</c>, <c>company</c>, <c>durationSeconds</c> (defaults to the last utterance end),
/// <c>startedAt</c>, <c>activity</c> (per-speaker <c>[start, end]</c> pairs; utterance spans stand in when absent),
/// and <c>source</c> (how the transcript was made). Each utterance may carry <c>confidence</c>: the speech model's
/// figures for its window (<c>noSpeechProbability</c>, <c>avgLogprob</c>, <c>compressionRatio</c>, <c>stopReason</c>)
/// and <c>low</c> (true: the checks never let these words make a check pass). Transcripts without it (older ones,
/// hand-made ones) still load. Unknown fields are ignored.
/// <para>A file is refused, always with a <see cref="TranscriptFormatException"/> naming the file and the field, when
/// it is not valid UTF-8 (or holds a lone surrogate escape), repeats a key in an object, gives a time outside
/// 0 to <see cref="MaxSeconds"/> seconds, or is larger than <see cref="MaxFileBytes"/>. A UTF-8 byte order mark
/// (Notepad writes one) is accepted.</para>
/// </remarks>
public static class TranscriptJson
{
    /// <summary>Largest time (and call length) a transcript may give: 24 hours, in seconds.</summary>
    public const double MaxSeconds = 24 * 3600;

    /// <summary>Largest transcript file read (64 MB; a 24-hour call's transcript is a few MB).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>Longest text of one utterance, in characters.</summary>
    public const int MaxTextLength = 100_000;

    /// <summary>Longest id (call, agent), name or language code, in characters.</summary>
    public const int MaxIdLength = 1_000;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Reads a transcript file.</summary>
    /// <exception cref="TranscriptFormatException">The file is missing, not JSON, or breaks the contract.</exception>
    public static TranscriptDocument Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            // Never open a FIFO or a device: it would block or never end.
            var kind = FileKinds.Of(path);
            if (kind is not (FileKind.Regular or FileKind.Missing))
            {
                throw new TranscriptFormatException(path, "", "not a regular file (a FIFO, device or folder)");
            }

            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                throw new TranscriptFormatException(path, "", $"implausibly large for a transcript ({length} bytes, at most {MaxFileBytes})");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TranscriptFormatException(path, "", $"cannot read the file ({ex.Message})", ex);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses transcript JSON; <paramref name="nameForErrors"/> names the source in error messages.</summary>
    public static TranscriptDocument Parse(ReadOnlySpan<byte> utf8Json, string nameForErrors)
    {
        if (utf8Json.IsEmpty)
        {
            throw new TranscriptFormatException(nameForErrors, "", "the file is empty");
        }

        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            var valid = Utf8ValidPrefixLength(utf8Json);
            var line = utf8Json[..valid].Count((byte)'\n') + 1;
            throw new TranscriptFormatException(nameForErrors, FieldAt(utf8Json, valid), $"not valid UTF-8 text (byte {valid} on line {line}); save the file as UTF-8");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new TranscriptFormatException(nameForErrors, ex.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "", $"invalid JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }

        using (doc)
        {
            var reader = new Reader(nameForErrors);
            reader.CheckStrictly(doc.RootElement, "");
            return reader.ReadRoot(doc.RootElement);
        }
    }

    private static int Utf8ValidPrefixLength(ReadOnlySpan<byte> bytes)
    {
        System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    /// <summary>The last key before byte <paramref name="offset"/>, to name the field holding a bad byte.</summary>
    private static string FieldAt(ReadOnlySpan<byte> bytes, int offset)
    {
        var text = Encoding.UTF8.GetString(bytes[..offset]);
        var match = System.Text.RegularExpressions.Regex.Matches(text, "\"([A-Za-z_][A-Za-z0-9_]*)\"\\s*:");
        return match.Count == 0 ? "" : match[^1].Groups[1].Value;
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write(string path, TranscriptDocument document)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(document);
        AtomicFile.Write(path, stream => WriteTo(stream, document));
    }

    /// <summary>Serialises <paramref name="document"/> to a UTF-8 string.</summary>
    public static string ToJson(TranscriptDocument document)
    {
        using var stream = new MemoryStream();
        WriteTo(stream, document);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTo(Stream stream, TranscriptDocument document)
    {
        var call = document.Transcript;
        var meta = call.Metadata;
        using var w = new Utf8JsonWriter(stream, WriterOptions);
        w.WriteStartObject();
        w.WriteString("callId", meta.CallId);
        w.WriteString("agentId", meta.AgentId);
        WriteNullableString(w, "agentName", meta.AgentName);
        WriteNullableString(w, "company", meta.Company);
        w.WriteString("language", meta.Language);
        w.WriteNumber("durationSeconds", Round(meta.DurationSeconds));
        if (meta.StartedAt is { } started)
        {
            w.WriteString("startedAt", started.ToString("O", CultureInfo.InvariantCulture));
        }

        w.WriteStartArray("utterances");
        foreach (var u in call.Utterances)
        {
            w.WriteStartObject();
            w.WriteString("speaker", SpeakerText(u.Speaker));
            w.WriteNumber("start", Round(u.Start));
            w.WriteNumber("end", Round(u.End));
            w.WriteString("text", u.Text);
            if (u.Confidence is { } confidence)
            {
                WriteConfidence(w, confidence);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("activity");
        foreach (var speaker in new[] { Speaker.Agent, Speaker.Customer, Speaker.Unknown })
        {
            var intervals = call.Activity.For(speaker);
            if (speaker == Speaker.Unknown && intervals.Count == 0)
            {
                continue;
            }

            w.WriteStartArray(SpeakerText(speaker));
            foreach (var i in intervals)
            {
                w.WriteStartArray();
                w.WriteNumberValue(Round(i.Start));
                w.WriteNumberValue(Round(i.End));
                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        if (document.Source is { } source)
        {
            w.WriteStartObject("source");
            foreach (var (key, value) in source.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>The contract's text for a speaker.</summary>
    public static string SpeakerText(Speaker speaker) => speaker switch
    {
        Speaker.Agent => "agent",
        Speaker.Customer => "customer",
        _ => "unknown",
    };

    private static double Round(double seconds) => Math.Round(seconds, 3);

    private static void WriteConfidence(Utf8JsonWriter w, UtteranceConfidence confidence)
    {
        w.WriteStartObject("confidence");
        if (confidence.NoSpeechProbability is { } noSpeech)
        {
            w.WriteNumber("noSpeechProbability", Math.Round(noSpeech, 4));
        }

        if (confidence.AverageLogProbability is { } average)
        {
            w.WriteNumber("avgLogprob", Math.Round(average, 4));
        }

        if (confidence.CompressionRatio is { } ratio)
        {
            w.WriteNumber("compressionRatio", Math.Round(ratio, 3));
        }

        if (confidence.StopReason is { } stop)
        {
            w.WriteString("stopReason", stop);
        }

        w.WriteBoolean("low", confidence.IsLow);
        w.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private sealed class Reader(string file)
    {
        /// <summary>Refuses what the parser lets through: a key given twice in one object, a string that cannot be text (a lone surrogate escape).</summary>
        public void CheckStrictly(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var keys = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        string name;
                        try
                        {
                            name = property.Name;
                        }
                        catch (InvalidOperationException)
                        {
                            throw Error(path.Length == 0 ? "(key)" : $"{path}.(key)", "a key is not valid text (a lone surrogate escape such as \\ud800)");
                        }

                        var child = path.Length == 0 ? name : $"{path}.{name}";
                        if (!keys.Add(name))
                        {
                            throw Error(child, "the key appears twice in the same object; keep one");
                        }

                        CheckStrictly(property.Value, child);
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckStrictly(item, $"{path}[{index++}]");
                    }

                    break;
                case JsonValueKind.String:
                    try
                    {
                        _ = element.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        throw Error(path, "not valid text (a lone surrogate escape such as \\ud800)");
                    }

                    break;
            }
        }

        public TranscriptDocument ReadRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("", "the top level must be a JSON object");
            }

            var callId = RequiredString(root, "callId");
            var agentId = RequiredString(root, "agentId");
            var language = RequiredString(root, "language");
            var agentName = OptionalString(root, "agentName");
            var company = OptionalString(root, "company");
            var startedAt = OptionalTimestamp(root, "startedAt");

            if (!root.TryGetProperty("utterances", out var utterancesElement))
            {
                throw Error("utterances", "required field is missing");
            }

            if (utterancesElement.ValueKind != JsonValueKind.Array)
            {
                throw Error("utterances", "must be an array");
            }

            var utterances = new List<Utterance>();
            var index = 0;
            foreach (var item in utterancesElement.EnumerateArray())
            {
                utterances.Add(ReadUtterance(item, $"utterances[{index}]"));
                index++;
            }

            utterances.Sort((a, b) => a.Start.CompareTo(b.Start));
            var lastEnd = utterances.Count == 0 ? 0 : utterances.Max(u => u.End);

            double duration = lastEnd;
            if (root.TryGetProperty("durationSeconds", out var durationElement) && durationElement.ValueKind != JsonValueKind.Null)
            {
                duration = Number(durationElement, "durationSeconds");
                if (duration < 0 || duration > MaxSeconds)
                {
                    throw Error("durationSeconds", $"must be between 0 and {MaxSeconds} seconds (got {duration.ToString(CultureInfo.InvariantCulture)})");
                }
            }

            VoiceActivity activity;
            if (root.TryGetProperty("activity", out var activityElement) && activityElement.ValueKind != JsonValueKind.Null)
            {
                activity = ReadActivity(activityElement);
            }
            else
            {
                activity = VoiceActivity.FromUtterances(utterances);
            }

            var metadata = new CallMetadata(callId, agentId, agentName, company, language, duration) { StartedAt = startedAt };
            IReadOnlyDictionary<string, string>? source = null;
            if (root.TryGetProperty("source", out var sourceElement) && sourceElement.ValueKind == JsonValueKind.Object)
            {
                source = sourceElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            }

            return new TranscriptDocument(new CallTranscript(metadata, utterances, activity), source);
        }

        private Utterance ReadUtterance(JsonElement item, string path)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "must be an object");
            }

            var speaker = ParseSpeaker(RequiredString(item, "speaker", path), $"{path}.speaker");
            var start = RequiredNumber(item, "start", path);
            var end = RequiredNumber(item, "end", path);
            CheckSpan(start, end, path);
            if (!item.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                throw Error($"{path}.text", "required string field is missing");
            }

            var confidence = item.TryGetProperty("confidence", out var confidenceElement) && confidenceElement.ValueKind != JsonValueKind.Null
                ? ReadConfidence(confidenceElement, $"{path}.confidence")
                : null;
            var text = textElement.GetString()!;
            if (text.Length > MaxTextLength)
            {
                throw Error($"{path}.text", $"implausibly long ({text.Length} characters, at most {MaxTextLength})");
            }

            return new Utterance(speaker, start, end, text) { Confidence = confidence };
        }

        private UtteranceConfidence ReadConfidence(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "must be an object");
            }

            double? Number(string name, double min, double max)
            {
                if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number) || number < min || number > max)
                {
                    throw Error($"{path}.{name}", $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
                }

                return number;
            }

            string? stop = null;
            if (element.TryGetProperty("stopReason", out var stopElement) && stopElement.ValueKind != JsonValueKind.Null)
            {
                stop = stopElement.ValueKind == JsonValueKind.String ? stopElement.GetString() : throw Error($"{path}.stopReason", "must be a string");
            }

            var low = false;
            if (element.TryGetProperty("low", out var lowElement))
            {
                low = lowElement.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Error($"{path}.low", "must be true or false"),
                };
            }

            return new UtteranceConfidence(Number("noSpeechProbability", 0, 1), Number("avgLogprob", -1e6, 0), Number("compressionRatio", 0, 1e6), stop, low);
        }

        private VoiceActivity ReadActivity(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error("activity", "must be an object of speaker -> [[start, end], ...]");
            }

            var tracks = new Dictionary<Speaker, List<TimeInterval>>
            {
                [Speaker.Agent] = [],
                [Speaker.Customer] = [],
                [Speaker.Unknown] = [],
            };
            foreach (var property in element.EnumerateObject())
            {
                var path = $"activity.{property.Name}";
                var speaker = ParseSpeaker(property.Name, path);
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw Error(path, "must be an array of [start, end] pairs");
                }

                var index = 0;
                foreach (var pair in property.Value.EnumerateArray())
                {
                    var itemPath = $"{path}[{index}]";
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    {
                        throw Error(itemPath, "must be a [start, end] pair");
                    }

                    var start = Number(pair[0], $"{itemPath}[0]");
                    var end = Number(pair[1], $"{itemPath}[1]");
                    CheckSpan(start, end, itemPath);
                    tracks[speaker].Add(new TimeInterval(start, end));
                    index++;
                }
            }

            foreach (var list in tracks.Values)
            {
                list.Sort((a, b) => a.Start.CompareTo(b.Start));
            }

            return new VoiceActivity(tracks[Speaker.Agent], tracks[Speaker.Customer], tracks[Speaker.Unknown]);
        }

        private void CheckSpan(double start, double end, string path)
        {
            if (start < 0)
            {
                throw Error($"{path}.start", $"time must not be negative (got {start.ToString(CultureInfo.InvariantCulture)})");
            }

            if (end > MaxSeconds)
            {
                throw Error($"{path}.end", $"time must be at most {MaxSeconds} seconds, 24 hours (got {end.ToString(CultureInfo.InvariantCulture)})");
            }

            if (end < start)
            {
                throw Error(path, $"reversed time span: end {end.ToString(CultureInfo.InvariantCulture)} is before start {start.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        private Speaker ParseSpeaker(string value, string path) => value.Trim().ToLowerInvariant() switch
        {
            "agent" => Speaker.Agent,
            "customer" => Speaker.Customer,
            "unknown" => Speaker.Unknown,
            _ => throw Error(path, $"unknown speaker '{value}' (expected agent, customer or unknown)"),
        };

        private string RequiredString(JsonElement obj, string name, string? parent = null)
        {
            var path = parent is null ? name : $"{parent}.{name}";
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Error(path, "required field is missing");
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                throw Error(path, "must be a non-empty string");
            }

            var text = value.GetString()!;
            return text.Length <= MaxIdLength ? text : throw Error(path, $"implausibly long ({text.Length} characters, at most {MaxIdLength})");
        }

        private string? OptionalString(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw Error(name, "must be a string or null");
            }

            var text = value.GetString();
            if (text?.Length > MaxIdLength)
            {
                throw Error(name, $"implausibly long ({text.Length} characters, at most {MaxIdLength})");
            }

            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        private DateTimeOffset? OptionalTimestamp(JsonElement obj, string name)
        {
            var text = OptionalString(obj, name);
            if (text is null)
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw Error(name, $"not an ISO 8601 timestamp: '{text}'");
        }

        private double RequiredNumber(JsonElement obj, string name, string parent)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Error($"{parent}.{name}", "required field is missing");
            }

            return Number(value, $"{parent}.{name}");
        }

        private double Number(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                throw Error(path, "must be a number of seconds");
            }

            return number;
        }

        private TranscriptFormatException Error(string field, string reason) => new(file, field, reason);
    }
}
