using Google.Protobuf;
using Onnx;
using QualityScan.Models.IO;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using System.Reflection;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Keeps the decoder graph <see cref="FilledCacheDecoderGraph"/> rebuilt at load, with the verdict of its probe
/// against the original, in a folder the user controls, so the next load of the same decoder opens one session from
/// the file and skips the original, the rebuild and the probe.
/// </summary>
/// <remarks>
/// <para>An entry is found by the decoder's identity: its file name, size and modification time, a SHA-256 of three
/// 1 MB samples of its bytes (start, middle, end), the model dimensions the rebuild used, and the program and
/// ONNX Runtime versions (a new version rebuilds and probes again). An entry is two files named by that key:
/// <c>&lt;key&gt;.onnx</c> (the rebuilt graph) and <c>&lt;key&gt;.json</c> (the record), the record written last and
/// only once the probe passed, so a graph without its record is never used. A decoder whose rebuild was refused is
/// recorded too (no graph), so its next load skips the attempt and opens the original.</para>
/// <para>A new entry replaces the entries of earlier versions of the same decoder path. Decoders that keep weights in
/// external-data sidecars are not cached (the graph would point at files beside the original).</para>
/// </remarks>
internal sealed class DecoderGraphCache
{
    private const int SampleBytes = 1 << 20;

    private static readonly string ProgramVersion =
        typeof(DecoderGraphCache).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private readonly string _folder;

    /// <param name="folder">The folder (created when the first entry is written).</param>
    public DecoderGraphCache(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _folder = Path.GetFullPath(folder);
    }

    /// <summary>The folder the entries are kept in.</summary>
    public string Folder => _folder;

    /// <summary>The recorded verdict under <paramref name="key"/> (<see cref="Key"/>), or null when there is none (or it cannot be read).</summary>
    public Entry? Find(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var record = RecordPath(key);
        if (!File.Exists(record))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(record));
            var root = document.RootElement;
            var rebuilt = root.GetProperty("rebuilt").GetBoolean();
            var description = root.GetProperty("description").GetString() ?? string.Empty;
            var graph = GraphPath(key);
            if (rebuilt && (!File.Exists(graph) || new FileInfo(graph).Length != root.GetProperty("graphBytes").GetInt64()))
            {
                return null;
            }

            var tables = TablesPath(key);
            var tablesBytes = root.TryGetProperty("tablesBytes", out var recorded) ? recorded.GetInt64() : 0;
            if (rebuilt && (tablesBytes > 0 ? !File.Exists(tables) || new FileInfo(tables).Length != tablesBytes : File.Exists(tables)))
            {
                return null;
            }

            return new Entry(key, rebuilt ? graph : null, description);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether the decoder of <paramref name="files"/> can be kept here (no external-data sidecars).</summary>
    public static bool Cacheable(WhisperModelFiles files) => files.Sidecars.Count == 0;

    /// <summary>Where the rebuilt graph of <paramref name="key"/> is written before its probe (<see cref="Key"/>).</summary>
    public string GraphPath(string key) => Path.Combine(_folder, key + ".onnx");

    /// <summary>Where the lookup tables of the graph kept under <paramref name="key"/> are (see <see cref="WriteGraph"/>).</summary>
    public string TablesPath(string key) => Path.Combine(_folder, key + ".tables");

    /// <summary>
    /// Writes <paramref name="graph"/> to <see cref="GraphPath"/>, its lookup tables (initializers of 1 MB or more that
    /// only Gather nodes read: the token embedding of an int8 decoder, 160 MB at whisper-small, and the positional
    /// embedding) to <see cref="TablesPath"/> as ONNX external data, each at a page-aligned offset. ONNX Runtime maps
    /// such data into memory instead of reading it, so only the rows of the tokens a decoding meets become resident.
    /// </summary>
    public void WriteGraph(string key, ModelProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var tablesPath = TablesPath(key);
        var tables = graph.Graph.Initializer.Where(t => GatherOnly(graph.Graph, t) && TensorBytes(t) >= TableThreshold).ToList();
        if (tables.Count == 0)
        {
            if (File.Exists(tablesPath))
            {
                File.Delete(tablesPath);
            }
        }
        else
        {
            AtomicFile.Write(tablesPath, stream =>
            {
                foreach (var tensor in tables)
                {
                    var padding = (int)((TableAlignment - (stream.Position % TableAlignment)) % TableAlignment);
                    stream.Write(new byte[padding]);
                    var offset = stream.Position;
                    var bytes = TensorData(tensor);
                    stream.Write(bytes);
                    tensor.RawData = ByteString.Empty;
                    tensor.FloatData.Clear();
                    tensor.DataLocation = TensorProto.Types.DataLocation.External;
                    tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = Path.GetFileName(tablesPath) });
                    tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
                    tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(CultureInfo.InvariantCulture) });
                }
            });
        }

        AtomicFile.Write(GraphPath(key), graph.WriteTo);
    }

    private const int TableThreshold = 1 << 20;

    /// <summary>The page-aligned offsets ONNX Runtime needs to map external data instead of reading it (64 KB covers Windows too).</summary>
    private const int TableAlignment = 1 << 16;

    private static bool GatherOnly(GraphProto graph, TensorProto tensor)
    {
        var users = graph.Node.Where(n => n.Input.Contains(tensor.Name)).ToList();
        return users.Count > 0 && users.All(n => n.OpType == "Gather" && n.Input[0] == tensor.Name);
    }

    private static long TensorBytes(TensorProto tensor) => tensor.RawData.Length > 0 ? tensor.RawData.Length : tensor.FloatData.Count * sizeof(float);

    private static byte[] TensorData(TensorProto tensor)
    {
        if (tensor.RawData.Length > 0)
        {
            return tensor.RawData.ToByteArray();
        }

        var bytes = new byte[tensor.FloatData.Count * sizeof(float)];
        for (var i = 0; i < tensor.FloatData.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), tensor.FloatData[i]);
        }

        return bytes;
    }

    /// <summary>Writes the record of a probed decoder: the verdict, and for a rebuilt one the size of its graph at <see cref="GraphPath"/>.</summary>
    /// <param name="key">The entry's key (<see cref="Key"/>).</param>
    /// <param name="decoderPath">The file the graph was made from.</param>
    /// <param name="rebuilt">Whether a graph is kept (else the original runs).</param>
    /// <param name="description">What the log says of it.</param>
    /// <param name="kind">What the file is, the record's field naming it: <c>decoder</c>, or <c>encoder</c> for the encoder <see cref="EncoderGraph"/> rewrites.</param>
    public void Record(string key, string decoderPath, bool rebuilt, string description, string kind = "decoder")
    {
        var graph = GraphPath(key);
        var graphBytes = rebuilt ? new FileInfo(graph).Length : 0;
        var tables = TablesPath(key);
        var tablesBytes = rebuilt && File.Exists(tables) ? new FileInfo(tables).Length : 0;
        foreach (var path in rebuilt ? [] : new[] { graph, tables })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        AtomicFile.Write(RecordPath(key), stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString(kind, Path.GetFullPath(decoderPath));
            w.WriteBoolean("rebuilt", rebuilt);
            w.WriteString("description", description);
            w.WriteNumber("graphBytes", graphBytes);
            w.WriteNumber("tablesBytes", tablesBytes);
            w.WriteString("qualityscanVersion", ProgramVersion);
            w.WriteString("onnxRuntimeVersion", OrtEnv.Instance().GetVersionString());
            w.WriteString("written", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
        RemoveOtherVersions(key, decoderPath);
    }

    /// <summary>Removes what is kept under <paramref name="key"/> (a graph that failed to open or its probe).</summary>
    public void Forget(string key)
    {
        foreach (var path in new[] { RecordPath(key), GraphPath(key), TablesPath(key) })
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>
    /// The identity of <paramref name="decoderPath"/> as a file name: a hash of its name, size, modification time,
    /// three 1 MB samples of its bytes, the dimensions the rebuild depends on, and the program and runtime versions.
    /// </summary>
    public static string Key(string decoderPath, WhisperModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var file = new FileInfo(decoderPath);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{file.Name}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}\n{ProgramVersion}\n{OrtEnv.Instance().GetVersionString()}\n" +
            $"{info.TextLayers} {info.TextState} {info.TextHeads} {info.TextContext} {info.AudioContext} {info.VocabularySize} {info.NoTimestamps} {string.Join(',', info.StartOfTranscriptSequence)}\n")));
        var buffer = new byte[SampleBytes];
        using (var stream = new FileStream(decoderPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var length = stream.Length;
            foreach (var offset in new[] { 0L, Math.Max(0, (length / 2) - (SampleBytes / 2)), Math.Max(0, length - SampleBytes) })
            {
                stream.Position = offset;
                var read = stream.ReadAtLeast(buffer, (int)Math.Min(SampleBytes, length - offset), throwOnEndOfStream: false);
                hash.AppendData(buffer.AsSpan(0, read));
            }
        }

        var stem = Path.GetFileNameWithoutExtension(file.Name).Replace('.', '-');
        return $"{stem}-{Convert.ToHexStringLower(hash.GetHashAndReset())[..20]}";
    }

    private string RecordPath(string key) => Path.Combine(_folder, key + ".json");

    private void RemoveOtherVersions(string key, string decoderPath)
    {
        var full = Path.GetFullPath(decoderPath);
        foreach (var record in Directory.EnumerateFiles(_folder, "*.json"))
        {
            var other = Path.GetFileNameWithoutExtension(record);
            if (other == key)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(record));
                if ((document.RootElement.TryGetProperty("decoder", out var path) || document.RootElement.TryGetProperty("encoder", out path)) && path.GetString() == full)
                {
                    Forget(other);
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>A recorded verdict: the rebuilt graph's path (null: the original runs) and the log's description of it.</summary>
    public sealed record Entry(string Key, string? GraphPath, string Description);
}
