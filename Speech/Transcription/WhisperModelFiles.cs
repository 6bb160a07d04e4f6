using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// The files of one Whisper model in a folder, found by the names a user gets when unpacking an export as published:
/// plain (<c>encoder.int8.onnx</c>, <c>decoder.int8.onnx</c>, <c>tokens.txt</c>) or sherpa-onnx's prefixed form
/// (<c>small-encoder.int8.onnx</c>, <c>small-decoder.int8.onnx</c>, <c>small-tokens.txt</c>), with the external-data
/// sidecars large float32 graphs keep their weights in (<c>*.weights</c>, <c>*.onnx_data</c>, <c>*.data</c>).
/// </summary>
/// <param name="Folder">The model folder (full path).</param>
/// <param name="Prefix">The sherpa-onnx prefix (<c>small</c>, <c>turbo</c>, …), or empty for plain names.</param>
/// <param name="Precision">Which encoder/decoder pair was chosen.</param>
/// <param name="Encoder">The encoder graph.</param>
/// <param name="Decoder">The decoder graph.</param>
/// <param name="Tokens">The token table.</param>
/// <param name="Sidecars">External-data files beside the graphs (weights of large float32 exports); may be empty.</param>
public sealed record WhisperModelFiles(
    string Folder,
    string Prefix,
    WhisperPrecision Precision,
    string Encoder,
    string Decoder,
    string Tokens,
    IReadOnlyList<string> Sidecars)
{
    /// <summary>Files up to this size are hashed whole for the model's identity; larger ones are sampled.</summary>
    internal const long WholeHashLimit = 8L << 20;

    private const int SampleBytes = 1 << 20;

    private static readonly Regex GraphName = new(@"^(?:(?<prefix>.+)-)?(?<role>encoder|decoder)(?<int8>\.int8)?\.onnx$", RegexOptions.CultureInvariant);
    private static readonly Regex TokensName = new(@"^(?:(?<prefix>.+)-)?tokens\.txt$", RegexOptions.CultureInvariant);
    private static readonly string[] SidecarEndings = [".weights", ".onnx_data", ".onnx.data", ".data"];

    /// <summary>Every file the model consists of: graphs, token table and sidecars.</summary>
    public IEnumerable<string> All => new[] { Encoder, Decoder, Tokens }.Concat(Sidecars);

    /// <summary>Total size in bytes of <see cref="All"/>.</summary>
    public long TotalBytes => All.Sum(f => new FileInfo(f).Length);

    /// <summary>File names of the encoder and decoder of a precision, with an optional sherpa-onnx prefix.</summary>
    public static (string Encoder, string Decoder) FileNames(WhisperPrecision precision, string prefix = "")
    {
        var p = prefix.Length == 0 ? string.Empty : prefix + "-";
        return precision switch
        {
            WhisperPrecision.Int8 => ($"{p}encoder.int8.onnx", $"{p}decoder.int8.onnx"),
            WhisperPrecision.Float32 => ($"{p}encoder.onnx", $"{p}decoder.onnx"),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
        };
    }

    /// <summary>Finds the model files of <paramref name="precision"/> in <paramref name="folder"/>.</summary>
    /// <exception cref="ModelNotFoundException">The folder does not exist or lacks a file of the chosen pair.</exception>
    /// <exception cref="InvalidModelException">The folder holds the files of several models (several prefixes).</exception>
    public static WhisperModelFiles Find(string folder, WhisperPrecision precision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new ModelNotFoundException(full, full, $"The model folder '{full}' does not exist. Pass --model <folder> with a Whisper export in sherpa-onnx's layout; 'qualityscan models download <name>' gets one (see 'qualityscan models list').");
        }

        var names = Directory.EnumerateFiles(full).Select(Path.GetFileName).OfType<string>().ToList();
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var graph = GraphName.Match(name);
            var tokens = TokensName.Match(name);
            if (graph.Success)
            {
                prefixes.Add(graph.Groups["prefix"].Value);
            }
            else if (tokens.Success)
            {
                prefixes.Add(tokens.Groups["prefix"].Value);
            }
        }

        if (prefixes.Count > 1)
        {
            var listed = string.Join(", ", prefixes.Select(p => p.Length == 0 ? "(plain names)" : $"'{p}-'"));
            throw new InvalidModelException(full, $"the folder holds the files of several models ({listed}); keep one model per folder.");
        }

        var prefix = prefixes.Count == 1 ? prefixes.Min! : string.Empty;
        var (encoderName, decoderName) = FileNames(precision, prefix);
        var tokensName = prefix.Length == 0 ? "tokens.txt" : $"{prefix}-tokens.txt";
        foreach (var name in new[] { encoderName, decoderName, tokensName })
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                throw new ModelNotFoundException(full, Path.Combine(full, name), MissingFileMessage(full, names, name, tokensName, precision, prefix));
            }
        }

        var stem = prefix.Length == 0 ? string.Empty : prefix + "-";
        var sidecars = names
            .Where(n => n.StartsWith(stem, StringComparison.Ordinal) && SidecarEndings.Any(e => n.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .Select(n => Path.Combine(full, n))
            .ToArray();
        return new WhisperModelFiles(full, prefix, precision, Path.Combine(full, encoderName), Path.Combine(full, decoderName), Path.Combine(full, tokensName), sidecars);
    }

    /// <summary>
    /// A short, stable identity of the model's content, for the transcript cache: the folder name and a SHA-256 over
    /// every file's name and size, the whole bytes of files up to 8 MB, and three 1 MB samples (start, middle, end)
    /// of larger ones.
    /// </summary>
    /// <remarks>
    /// Sampling keeps start-up fast for multi-gigabyte exports (about 3 MB read per file) while any re-export,
    /// quantization or fine-tune changes the weights everywhere and so the samples; copying the model to another
    /// machine keeps the identity, so shards of one night share their transcripts.
    /// </remarks>
    public string Identity()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[SampleBytes];
        foreach (var file in All.OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var length = stream.Length;
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}\n{length}\n"));
            if (length <= WholeHashLimit)
            {
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer.AsSpan(0, read));
                }

                continue;
            }

            foreach (var offset in new[] { 0, (length / 2) - (SampleBytes / 2), length - SampleBytes })
            {
                stream.Position = offset;
                stream.ReadExactly(buffer);
                hash.AppendData(buffer);
            }
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Folder));
        return $"{name}@{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
    }

    private static string MissingFileMessage(string folder, IReadOnlyList<string> names, string missing, string tokensName, WhisperPrecision precision, string prefix)
    {
        if (missing == tokensName)
        {
            return $"The model folder '{folder}' has no {tokensName} (the token table, 'base64 id' per line) beside the graphs, as sherpa-onnx's exports have.";
        }

        var other = precision == WhisperPrecision.Int8 ? WhisperPrecision.Float32 : WhisperPrecision.Int8;
        var (otherEncoder, otherDecoder) = FileNames(other, prefix);
        if (names.Contains(otherEncoder) && names.Contains(otherDecoder))
        {
            return $"The model folder '{folder}' has no {missing}: the {Describe(precision)} pair is missing, but the {Describe(other)} pair " +
                $"({otherEncoder}, {otherDecoder}) is there; choose precision {other} (--precision {other.ToString().ToLowerInvariant()}) to use it.";
        }

        var (encoder, decoder) = FileNames(precision);
        return $"The model folder '{folder}' has no {missing}. A Whisper model folder holds {encoder}, {decoder} and tokens.txt, or the same names " +
            $"with one prefix as sherpa-onnx publishes them (small-{encoder}, small-{decoder}, small-tokens.txt); " +
            "pass --model <folder> with such a model, or get one with 'qualityscan models download <name>' (see 'qualityscan models list').";
    }

    private static string Describe(WhisperPrecision precision) => precision == WhisperPrecision.Int8 ? "int8" : "float32";
}
