namespace QualityScan.Speech.Transcription.Ggml;

/// <summary>A multilingual whisper.cpp ggml file a user can download.</summary>
/// <param name="Name">The name <c>models download</c> takes, prefixed <c>ggml-</c> (ggml-small, ggml-large-v3-q5_0).</param>
/// <param name="DiskSize">The size whisper.cpp's models/README.md gives, as it writes it.</param>
/// <param name="Sha1">The SHA-1 of the file, as whisper.cpp's models/README.md lists it.</param>
/// <param name="Note">What it is good for on Polish and Czech phone calls.</param>
public sealed record GgmlCatalogModel(string Name, string DiskSize, string Sha1, string Note)
{
    /// <summary>The file's name on the server and on disk.</summary>
    public string FileName => $"{Name}.bin";
}

/// <summary>
/// whisper.cpp's published ggml files (the table of its models/README.md: names, sizes and SHA-1), multilingual only:
/// the English-only (<c>.en</c>) and diarization (<c>-tdrz</c>) files are left out on purpose.
/// </summary>
public static class GgmlCatalog
{
    /// <summary>Where whisper.cpp's download script fetches the files from.</summary>
    public const string DefaultBaseUrl = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/";

    /// <summary>The files, smallest first within a family.</summary>
    public static IReadOnlyList<GgmlCatalogModel> Models { get; } =
    [
        new("ggml-tiny", "75 MiB", "bd577a113a864445d4c299885e0cb97d4ba92b5f", "too weak for Polish phone calls; for trying the setup"),
        new("ggml-base", "142 MiB", "465707469ff3a37a2b9b8d8f89f2f99de7299dac", "fast, but misses many Polish words on 8 kHz lines"),
        new("ggml-small", "466 MiB", "55356645c2b361a969dfd0ef2c5a50d530afd8d5", "the smallest model worth judging Polish calls with"),
        new("ggml-medium", "1.5 GiB", "fd9727b6e1217c2f614f9b698455c4ffd82463b4", "better on names and numbers; needs 8+ cores"),
        new("ggml-large-v1", "2.9 GiB", "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299", "superseded by large-v3"),
        new("ggml-large-v2", "2.9 GiB", "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6", "superseded by large-v3"),
        new("ggml-large-v2-q5_0", "1.1 GiB", "00e39f2196344e901b3a2bd5814807a769bd1630", "large-v2 quantized to 5 bits"),
        new("ggml-large-v3", "2.9 GiB", "ad82bf6a9043ceed055076d0fd39f5f186ff8062", "most accurate; slow on CPU"),
        new("ggml-large-v3-q5_0", "1.1 GiB", "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de", "large-v3 quantized to 5 bits: a third of the memory"),
        new("ggml-large-v3-turbo", "1.5 GiB", "4af2b29d7ec73d781377bfd1758ca957a807e941", "large-v3 encoder, 4-layer decoder: much faster decoding"),
        new("ggml-large-v3-turbo-q5_0", "547 MiB", "e050f7970618a659205450ad97eb95a18d69c9ee", "turbo quantized to 5 bits"),
    ];

    /// <summary>The entry called <paramref name="name"/> (with or without <c>.bin</c>), or null.</summary>
    public static GgmlCatalogModel? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        return Models.FirstOrDefault(m => string.Equals(m.Name, trimmed, StringComparison.OrdinalIgnoreCase)
            || string.Equals(m.FileName, trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
