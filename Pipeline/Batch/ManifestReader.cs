using System.Text;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Batch;

/// <summary>The text of a manifest and how it was read.</summary>
/// <param name="Text">The decoded text.</param>
/// <param name="Delimiter">The field separator found in the header: <c>,</c>, <c>;</c> or a tab.</param>
/// <param name="EncodingName">"utf-8" or "windows-1250".</param>
public sealed record ManifestText(string Text, string Delimiter, string EncodingName);

/// <summary>
/// Reads a <c>calls.csv</c> manifest the way contact centres save it: from Polish or Czech Excel too, which writes
/// <c>;</c>-separated Windows-1250 text with dates like <c>29.11.2026 10:15</c>.
/// </summary>
/// <remarks>
/// <para>Encoding: UTF-8 (with or without a byte-order mark) when the bytes are valid UTF-8, else Windows-1250
/// (Central European: ą ę ł ś ż ź ć ń ó, č ř š ž ů). Valid UTF-8 is almost never produced by accident from
/// Windows-1250 text with Polish or Czech letters, so the guess is safe for these languages.</para>
/// <para>Delimiter: whichever of <c>;</c>, tab and <c>,</c> occurs most often in the header row (outside quotes);
/// <c>,</c> on a tie.</para>
/// <para>Times (<c>started_at</c>): see <see cref="LocalTime.TryParse"/> — ISO 8601 with an offset as written, local times
/// (ISO without offset, <c>dd.MM.yyyy HH:mm</c>) in the configured zone.</para>
/// </remarks>
public static class ManifestReader
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and decodes <paramref name="path"/>.</summary>
    /// <exception cref="ManifestException">The file cannot be read.</exception>
    public static ManifestText Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException(path, $"cannot read the manifest ({ex.Message})");
        }

        return Decode(bytes);
    }

    /// <summary>Decodes manifest bytes: UTF-8 when valid, else Windows-1250; finds the delimiter.</summary>
    public static ManifestText Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text;
        string encoding;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
            encoding = "utf-8";
        }
        catch (DecoderFallbackException)
        {
            text = Windows1250.GetString(bytes);
            encoding = "windows-1250";
        }

        return new ManifestText(text, DetectDelimiter(text), encoding);
    }

    /// <summary>The delimiter of the header row: the most frequent of <c>;</c>, tab and <c>,</c> outside quotes; <c>,</c> on a tie.</summary>
    public static string DetectDelimiter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int comma = 0, semicolon = 0, tab = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted)
            {
                comma += c == ',' ? 1 : 0;
                semicolon += c == ';' ? 1 : 0;
                tab += c == '\t' ? 1 : 0;
            }
        }

        return semicolon > comma && semicolon >= tab ? ";" : tab > comma ? "\t" : ",";
    }

    /// <summary>Parses a <c>started_at</c> cell; see <see cref="LocalTime.TryParse"/>.</summary>
    public static bool TryParseStartedAt(string text, TimeZoneInfo zone, out DateTimeOffset value) => LocalTime.TryParse(text, zone, out value);

    private static Encoding Windows1250
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1250);
        }
    }
}
