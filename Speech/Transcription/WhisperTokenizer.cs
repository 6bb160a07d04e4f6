using System.Globalization;
using System.Text;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Turns Whisper text token ids into text. Reads <c>tokens.txt</c>: one line per token, <c>base64(token bytes) id</c>.
/// </summary>
/// <remarks>
/// Byte-level BPE tokens are pieces of UTF-8, and one Polish or Czech letter can be split over two tokens, so
/// <see cref="Decode"/> joins the bytes of all tokens first and decodes UTF-8 once. Immutable and thread-safe.
/// </remarks>
public sealed class WhisperTokenizer
{
    private readonly byte[][] _tokens;
    private readonly int _endOfText;

    private WhisperTokenizer(byte[][] tokens, int endOfText)
    {
        _tokens = tokens;
        _endOfText = endOfText;
    }

    /// <summary>Number of text tokens (ids 0 .. Count − 1).</summary>
    public int Count => _tokens.Length;

    /// <summary>Reads a token table.</summary>
    /// <param name="path">The <c>tokens.txt</c> file.</param>
    /// <param name="endOfText">The model's end-of-text id: the table must hold exactly the ids below it.</param>
    /// <exception cref="InvalidModelException">A line is malformed, an id is duplicated or missing, or the table does not fit the model.</exception>
    public static WhisperTokenizer Load(string path, int endOfText)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(endOfText, 1);

        var tokens = new byte[endOfText][];
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var separator = line.LastIndexOf(' ');
            if (separator < 0 || !int.TryParse(line.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new InvalidModelException(path, $"line {lineNumber} is not 'base64 id': '{line}'.");
            }

            if (id >= endOfText)
            {
                throw new InvalidModelException(path, $"line {lineNumber} has id {id}, but the model's end-of-text token is {endOfText}: the token table does not belong to this model.");
            }

            if (tokens[id] is not null)
            {
                throw new InvalidModelException(path, $"line {lineNumber} repeats id {id}.");
            }

            tokens[id] = DecodeBase64(line.AsSpan(0, separator).Trim(), path, lineNumber);
        }

        var missing = Array.FindIndex(tokens, t => t is null);
        if (missing >= 0)
        {
            throw new InvalidModelException(path, $"token {missing} is missing; the model's {endOfText} text tokens (ids below end-of-text) must all be listed.");
        }

        return new WhisperTokenizer(tokens, endOfText);
    }

    /// <summary>A tokenizer over token bytes read elsewhere (a ggml file's vocabulary): ids 0 .. <paramref name="endOfText"/> − 1.</summary>
    internal static WhisperTokenizer FromBytes(byte[][] tokens, int endOfText)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNotEqual(tokens.Length, endOfText);
        return new WhisperTokenizer(tokens, endOfText);
    }

    /// <summary>The bytes of text token <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> GetBytes(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Length);
        return _tokens[id];
    }

    /// <summary>
    /// The text of a token sequence. Ids at or above end-of-text (special and timestamp tokens) are skipped;
    /// invalid UTF-8 (a sequence cut in the middle of a letter) becomes U+FFFD.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id >= 0 && id < _endOfText)
            {
                bytes.AddRange(_tokens[id]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static byte[] DecodeBase64(ReadOnlySpan<char> text, string path, int lineNumber)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            return buffer[..written];
        }

        // Some exports write a token whose bytes are empty as a lone padding character.
        var unpadded = text.TrimEnd('=');
        if (unpadded.Length == 0)
        {
            return [];
        }

        var repadded = unpadded.ToString().PadRight(unpadded.Length + ((4 - (unpadded.Length % 4)) % 4), '=');
        return Convert.TryFromBase64String(repadded, buffer, out written)
            ? buffer[..written]
            : throw new InvalidModelException(path, $"line {lineNumber} does not start with base64 token bytes: '{text}'.");
    }
}
