namespace QualityScan.Speech.Transcription;

/// <summary>A multilingual Whisper export a user can download in sherpa-onnx's layout.</summary>
/// <param name="Name">The name <c>models download</c> takes (tiny, base, small, medium, large-v3, turbo).</param>
/// <param name="Parameters">Parameters of the model, in millions.</param>
/// <param name="MelBins">Mel bins (80, or 128 for large-v3 and turbo).</param>
/// <param name="AudioState">Encoder width.</param>
/// <param name="AudioHeads">Encoder attention heads.</param>
/// <param name="TextLayers">Decoder layers.</param>
/// <param name="TextState">Decoder width.</param>
/// <param name="ApproxDownloadGb">Approximate size of the release archive (float32 and int8 pairs), in GB.</param>
/// <param name="Note">What it is good for on Polish and Czech phone calls.</param>
public sealed record CatalogModel(string Name, int Parameters, int MelBins, int AudioState, int AudioHeads, int TextLayers, int TextState, double ApproxDownloadGb, string Note)
{
    /// <summary>The release archive's file name.</summary>
    public string ArchiveName => $"sherpa-onnx-whisper-{Name}.tar.bz2";

    /// <summary>The folder the archive unpacks to.</summary>
    public string FolderName => $"sherpa-onnx-whisper-{Name}";

    /// <summary>Memory one transcription worker holds for this model (see <see cref="ModelMemory"/>).</summary>
    public long PerWorkerBytes => ModelMemory.PerWorker(MelBins, 1500, AudioState, AudioHeads, TextLayers, 448, TextState, MelBins == 128 ? 51866 : 51865, compact: 2L * TextLayers * 1500 * TextState * sizeof(float) >= FilledCacheDecoderGraph.CompactFromBytes);

    /// <summary>The int8 weights, loaded once and shared by the workers: about one byte per parameter.</summary>
    public long Int8WeightBytes => Parameters * 1_000_000L;

    /// <summary>
    /// Memory a machine, pod or Slurm task needs for <paramref name="workers"/> workers of this model (int8): the weights,
    /// each worker's buffers, and <see cref="ModelMemory.RuntimeRoomBytes"/>. The deploy files are sized from it.
    /// </summary>
    public long MemoryFor(int workers) => Int8WeightBytes + (workers * PerWorkerBytes) + ModelMemory.RuntimeRoomBytes;
}

/// <summary>The multilingual Whisper exports QualityScan knows how to get: sherpa-onnx's release archives.</summary>
public static class ModelCatalog
{
    /// <summary>Where sherpa-onnx publishes its Whisper archives (the <c>asr-models</c> release).</summary>
    public const string DefaultBaseUrl = "https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/";

    /// <summary>The models, smallest first. English-only exports (<c>*.en</c>, <c>distil-*</c>) are left out on purpose.</summary>
    public static IReadOnlyList<CatalogModel> Models { get; } =
    [
        new("tiny", 39, 80, 384, 6, 4, 384, 0.2, "too weak for Polish phone calls; for trying the setup"),
        new("base", 74, 80, 512, 8, 6, 512, 0.3, "fast, but misses many Polish words on 8 kHz lines"),
        new("small", 244, 80, 768, 12, 12, 768, 0.9, "the smallest model worth judging Polish calls with; 2-4 cores"),
        new("medium", 769, 80, 1024, 16, 24, 1024, 2.6, "better on names and numbers; needs 8+ cores for a night of calls"),
        new("large-v3", 1550, 128, 1280, 20, 32, 1280, 4.5, "most accurate (FLEURS Polish WER 4.6%); slow on CPU"),
        new("turbo", 809, 128, 1280, 20, 4, 1280, 2.3, "large-v3 encoder with a 4-layer decoder: near large-v3 accuracy, much faster decoding"),
    ];

    /// <summary>The entry called <paramref name="name"/>, or null.</summary>
    public static CatalogModel? Find(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(m.ArchiveName, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
