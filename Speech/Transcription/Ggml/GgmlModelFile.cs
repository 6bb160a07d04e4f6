using System.Buffers.Binary;

namespace QualityScan.Speech.Transcription.Ggml;

/// <summary>
/// The header and vocabulary of a whisper.cpp ggml model file (<c>ggml-*.bin</c>), read without its weights: the
/// dimensions for <c>models info</c> and memory, and the token bytes for decoding text exactly (a Polish letter can be
/// split over two tokens, so text is joined from bytes, never from per-token strings).
/// </summary>
/// <remarks>
/// Layout (whisper.cpp's <c>convert-pt-to-ggml.py</c>): the magic <c>ggml</c> (0x67676d6c, little-endian), eleven
/// 32-bit integers (n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state,
/// n_text_head, n_text_layer, n_mels, ftype), the mel filters (n_mel, n_fft, then n_mel × n_fft floats), the
/// vocabulary (a count, then per token a 32-bit length and its bytes), then the tensors.
/// </remarks>
public sealed record GgmlModelFile
{
    /// <summary>The ggml magic number, little-endian.</summary>
    public const uint Magic = 0x67676d6c;

    /// <summary>The file's path.</summary>
    public required string Path { get; init; }

    /// <summary>Size of the file in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>Vocabulary size of the model (51865 multilingual, 51866 large-v3, 51864 English-only).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Encoder positions (1500).</summary>
    public required int AudioContext { get; init; }

    /// <summary>Encoder width.</summary>
    public required int AudioState { get; init; }

    /// <summary>Encoder attention heads.</summary>
    public required int AudioHeads { get; init; }

    /// <summary>Encoder layers.</summary>
    public required int AudioLayers { get; init; }

    /// <summary>Decoder positions (448).</summary>
    public required int TextContext { get; init; }

    /// <summary>Decoder width.</summary>
    public required int TextState { get; init; }

    /// <summary>Decoder attention heads.</summary>
    public required int TextHeads { get; init; }

    /// <summary>Decoder layers.</summary>
    public required int TextLayers { get; init; }

    /// <summary>Mel bins (80, or 128 for large-v3).</summary>
    public required int MelBins { get; init; }

    /// <summary>whisper.cpp's ftype: 0 f32, 1 f16, otherwise a quantized type (plus 1000 × the quantization version).</summary>
    public required int FileType { get; init; }

    /// <summary>The bytes of each text token, by id (ids below end-of-text).</summary>
    public required byte[][] Tokens { get; init; }

    /// <summary>Where the tensors start (after the vocabulary).</summary>
    public required long TensorsOffset { get; init; }

    /// <summary>
    /// The storage type of the first convolution's kernel (0 f32, 1 f16), read from its tensor header; null when it
    /// was not found among the first tensors.
    /// </summary>
    /// <remarks>
    /// whisper.cpp 1.8.5, the one inside Whisper.net 1.9.1, runs its convolutions through an f16-only im2col and
    /// aborts the whole process (a GGML_ASSERT) on an f32 kernel, so a float32 conversion must be refused before it
    /// is loaded. Later whisper.cpp versions run it.
    /// </remarks>
    public int? ConvolutionType => FindTensorType("encoder.conv1.weight");

    /// <summary>True for a model that knows languages other than English (n_vocab ≥ 51865).</summary>
    public bool IsMultilingual => VocabularySize >= 51865;

    /// <summary>The end-of-text token: the first id after the text tokens.</summary>
    public int EndOfText => IsMultilingual ? 50257 : 50256;

    /// <summary>The first timestamp token (<c>&lt;|0.00|&gt;</c>); every id from here up is a timestamp.</summary>
    public int TimestampBegin => IsMultilingual ? 50364 + (VocabularySize - 51865) : 50363;

    /// <summary>The weights' storage, as whisper.cpp names it.</summary>
    public string Precision => (FileType % 1000) switch
    {
        0 => "f32",
        1 => "f16",
        2 => "q4_0",
        3 => "q4_1",
        7 => "q8_0",
        8 => "q5_0",
        9 => "q5_1",
        10 => "q2_k",
        11 => "q3_k",
        12 => "q4_k",
        13 => "q5_k",
        14 => "q6_k",
        var other => $"ftype {other}",
    };

    /// <summary>True when <paramref name="path"/> is a file that starts with the ggml magic.</summary>
    public static bool IsGgml(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && BinaryPrimitives.ReadUInt32LittleEndian(magic) == Magic;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The ggml model <paramref name="path"/> names: the file itself, or the one <c>ggml*.bin</c> in a folder; null when
    /// it is neither (an ONNX model folder, say).
    /// </summary>
    /// <exception cref="InvalidModelException">A folder holds several ggml files, so which one is meant is not clear.</exception>
    public static string? Locate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return IsGgml(path) ? System.IO.Path.GetFullPath(path) : null;
        }

        if (!Directory.Exists(path))
        {
            return null;
        }

        var found = Directory.EnumerateFiles(path, "*.bin").Where(IsGgml).Order(StringComparer.Ordinal).ToList();
        return found.Count switch
        {
            0 => null,
            1 => System.IO.Path.GetFullPath(found[0]),
            _ => throw new InvalidModelException(path, $"the folder holds {found.Count} ggml model files ({string.Join(", ", found.Select(System.IO.Path.GetFileName))}); name the one to use with --model <file>."),
        };
    }

    /// <summary>The type of tensor <paramref name="name"/>, scanning tensor headers while their data sizes are known (f32, f16).</summary>
    private int? FindTensorType(string name)
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
            using var reader = new BinaryReader(stream);
            stream.Position = TensorsOffset;
            for (var i = 0; i < 64 && stream.Position < stream.Length; i++)
            {
                var dims = reader.ReadInt32();
                var nameLength = reader.ReadInt32();
                var type = reader.ReadInt32();
                if (dims is < 1 or > 4 || nameLength is < 1 or > 256)
                {
                    return null;
                }

                long elements = 1;
                for (var d = 0; d < dims; d++)
                {
                    elements *= reader.ReadInt32();
                }

                var tensorName = System.Text.Encoding.UTF8.GetString(reader.ReadBytes(nameLength));
                if (tensorName == name)
                {
                    return type;
                }

                if (type is not (0 or 1))
                {
                    return null;
                }

                stream.Seek(elements * (type == 0 ? 4 : 2), SeekOrigin.Current);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Reads the header and vocabulary of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidModelException">Not a ggml file, or its header or vocabulary is cut short or out of range.</exception>
    public static GgmlModelFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream);
            if (stream.Length < 48 || reader.ReadUInt32() != Magic)
            {
                throw new InvalidModelException(path, "not a whisper.cpp ggml model (the file does not start with the ggml magic number).");
            }

            var header = new int[11];
            for (var i = 0; i < header.Length; i++)
            {
                header[i] = reader.ReadInt32();
            }

            if (header[0] is < 51864 or > 51866 || header.Skip(1).Take(9).Any(v => v is < 1 or > 65536))
            {
                throw new InvalidModelException(path, $"the ggml header holds dimensions no Whisper model has ({string.Join(", ", header)}).");
            }

            var filterMels = reader.ReadInt32();
            var filterBins = reader.ReadInt32();
            if (filterMels is < 1 or > 1024 || filterBins is < 1 or > 4096)
            {
                throw new InvalidModelException(path, $"the mel filter table of {filterMels} x {filterBins} is out of range.");
            }

            stream.Seek((long)filterMels * filterBins * sizeof(float), SeekOrigin.Current);
            var count = reader.ReadInt32();
            var multilingual = header[0] >= 51865;
            var textTokens = multilingual ? 50257 : 50256;
            if (count < textTokens || count > header[0])
            {
                throw new InvalidModelException(path, $"the vocabulary holds {count} tokens; a model of {header[0]} needs at least {textTokens}.");
            }

            var tokens = new byte[textTokens][];
            for (var id = 0; id < count; id++)
            {
                var length = reader.ReadInt32();
                if (length is < 0 or > 1024)
                {
                    throw new InvalidModelException(path, $"token {id} claims {length} bytes.");
                }

                var bytes = reader.ReadBytes(length);
                if (bytes.Length != length)
                {
                    throw new InvalidModelException(path, $"the vocabulary is cut short at token {id}.");
                }

                if (id < textTokens)
                {
                    tokens[id] = bytes;
                }
            }

            return new GgmlModelFile
            {
                Path = System.IO.Path.GetFullPath(path),
                Bytes = stream.Length,
                VocabularySize = header[0],
                AudioContext = header[1],
                AudioState = header[2],
                AudioHeads = header[3],
                AudioLayers = header[4],
                TextContext = header[5],
                TextState = header[6],
                TextHeads = header[7],
                TextLayers = header[8],
                MelBins = header[9],
                FileType = header[10],
                Tokens = tokens,
                TensorsOffset = stream.Position,
            };
        }
        catch (EndOfStreamException)
        {
            throw new InvalidModelException(path, "the file ends inside its header or vocabulary.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidModelException(path, $"cannot be read ({ex.Message}).");
        }
    }
}
