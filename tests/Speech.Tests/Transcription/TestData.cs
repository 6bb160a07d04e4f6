using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace QualityScan.Speech.Tests.Transcription;

/// <summary>Locates the shared model fixtures (<c>&lt;repo&gt;/../shared/models</c>) and reads their files.</summary>
internal static class TestData
{
    private static readonly Lazy<string?> SharedModelsFolder = new(FindSharedModels);

    /// <summary>The shared models folder; ignores the calling test when it is absent.</summary>
    public static string SharedModels =>
        SharedModelsFolder.Value ?? IgnoreMissing("the shared model fixtures (shared/models beside the repository) are not present");

    /// <summary>The demo test vectors folder.</summary>
    public static string DemoVectors => RequireDirectory(Path.Combine(SharedModels, "test-vectors", "demo-pl-cs"));

    /// <summary>The random large-v3-layout vectors folder.</summary>
    public static string RandomVectors => RequireDirectory(Path.Combine(SharedModels, "test-vectors", "random-v3-layout"));

    /// <summary>The float32/int8 demo model folder from shared/.</summary>
    public static string DemoModel => RequireDirectory(Path.Combine(SharedModels, "whisper-demo-pl-cs"));

    /// <summary>The random-weights model with the large-v3 token layout.</summary>
    public static string RandomModel => RequireDirectory(Path.Combine(SharedModels, "whisper-random-v3-layout"));

    /// <summary>The random-weight model exported by sherpa-onnx's own script, with sherpa's file names.</summary>
    public static string SherpaModel => RequireDirectory(Path.Combine(SharedModels, "sherpa-random-v2"));

    /// <summary>openai-whisper's decodings of <see cref="SherpaModel"/>.</summary>
    public static string SherpaVectors => RequireDirectory(Path.Combine(SharedModels, "test-vectors", "sherpa-random-v2"));

    /// <summary>The demo utterances of the manifest.</summary>
    public static IReadOnlyList<DemoUtterance> DemoManifest()
    {
        if (SharedModelsFolder.Value is null)
        {
            IgnoreMissing("the shared model fixtures (shared/models beside the repository) are not present");
        }

        var path = Path.Combine(DemoVectors, "manifest.json");
        var items = JsonSerializer.Deserialize<List<DemoUtterance>>(File.ReadAllText(path), JsonOptions);
        return items ?? throw new InvalidDataException($"{path}: empty manifest");
    }

    /// <summary>
    /// One test case per manifest entry (the index), or a single case that ignores itself when the fixtures are absent,
    /// so test discovery never fails.
    /// </summary>
    public static IEnumerable<TestCaseData> DemoUtteranceCases()
    {
        var manifest = SharedModelsFolder.Value is { } shared ? Path.Combine(shared, "test-vectors", "demo-pl-cs", "manifest.json") : null;
        if (manifest is null || !File.Exists(manifest))
        {
            yield return new TestCaseData(-1).SetArgDisplayNames("fixtures-missing");
            yield break;
        }

        var items = JsonSerializer.Deserialize<List<DemoUtterance>>(File.ReadAllText(manifest), JsonOptions) ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            yield return new TestCaseData(i).SetArgDisplayNames(Path.GetFileNameWithoutExtension(items[i].Wav));
        }
    }

    /// <summary>The random-layout parity record.</summary>
    public static RandomParity RandomParityRecord()
    {
        var path = Path.Combine(RandomVectors, "random-parity.json");
        return JsonSerializer.Deserialize<RandomParity>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty record");
    }

    /// <summary>Little-endian float32 values of a raw file.</summary>
    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }

        return values;
    }

    /// <summary>
    /// Samples of a 16 kHz mono 16-bit PCM WAV file, scaled by 1/32768. Test-only: the product reads audio with the
    /// full reader in Speech/Audio.
    /// </summary>
    public static float[] ReadPcm16Mono(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
        {
            throw new InvalidDataException($"{path}: not a RIFF/WAVE file");
        }

        var position = 12;
        var formatSeen = false;
        while (position + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes, position, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position + 4));
            var body = position + 8;
            if (id == "fmt ")
            {
                var format = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body));
                var channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 2));
                var rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4));
                var bits = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + 14));
                if (format != 1 || channels != 1 || rate != 16000 || bits != 16)
                {
                    throw new InvalidDataException($"{path}: expected 16 kHz mono 16-bit PCM, got format {format}, {channels} ch, {rate} Hz, {bits} bit");
                }

                formatSeen = true;
            }
            else if (id == "data")
            {
                if (!formatSeen)
                {
                    throw new InvalidDataException($"{path}: data before fmt");
                }

                var count = Math.Min(size, bytes.Length - body) / 2;
                var samples = new float[count];
                for (var i = 0; i < count; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(body + (2 * i))) / 32768f;
                }

                return samples;
            }

            position = body + size + (size & 1);
        }

        throw new InvalidDataException($"{path}: no data chunk");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string RequireDirectory(string path) =>
        Directory.Exists(path) ? path : IgnoreMissing($"{path} is not present");

    private static string IgnoreMissing(string what)
    {
        Assert.Ignore($"Skipped: {what}. These tests need the shared model fixtures in <repository>/../shared/models.");
        return string.Empty;
    }

    private static string? FindSharedModels()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "models");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>One entry of test-vectors/demo-pl-cs/manifest.json.</summary>
internal sealed record DemoUtterance(
    string Wav,
    string Language,
    string ReferenceText,
    IReadOnlyList<int> ExpectedTokenIds,
    string ExpectedText,
    string? MelFile)
{
    public override string ToString() => Wav;
}

/// <summary>test-vectors/random-v3-layout/random-parity.json.</summary>
internal sealed record RandomParity(
    string Wav,
    string MelFile,
    IReadOnlyList<int> MelShape,
    IReadOnlyList<int> Prompt,
    FirstStep FirstStep,
    IReadOnlyList<int> ExpectedTokenIds,
    IReadOnlyList<float> ExpectedStepMaxLogits);

/// <summary>The first-step logits of the random-layout parity record.</summary>
internal sealed record FirstStep(IReadOnlyList<int> Top5Ids, IReadOnlyList<float> Top5Logits);
