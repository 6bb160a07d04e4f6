using QualityScan.Models.IO;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace QualityScan.Pipeline;

/// <summary>
/// Turns a call or agent id into a file name: readable, one-to-one (two different ids never share a name),
/// bounded in length, and safe on any file system.
/// </summary>
/// <remarks>
/// <para>Letters, digits, <c>-</c>, <c>_</c> and inner dots are kept as they are, so <c>kkowalska</c> and
/// <c>pl04-greeting</c> stay readable and transcripts made by earlier versions are found again. Every other
/// character (path separators, spaces, control characters, escape sequences, <c>%</c> and <c>~</c> themselves, a
/// leading or trailing dot) is written as <c>%XX</c> (a UTF-16 unit below 256) or <c>%uXXXX</c>, which can be
/// decoded, so the mapping is one-to-one. A name longer than <see cref="MaxLength"/> UTF-8 bytes is cut and
/// given <c>~</c> and 16 hex digits of the id's SHA-256; <c>~</c> appears in no other name, so cut names
/// cannot meet uncut ones. Windows device names (<c>CON</c>, <c>NUL</c>, ...) get the hash too.</para>
/// <para>With the longest extension and the temporary-file decoration of <see cref="AtomicFile"/> the
/// name stays well below the 255-byte limit of common file systems.</para>
/// </remarks>
public static class IdFileName
{
    /// <summary>Longest name returned, in UTF-8 bytes (before an extension is added).</summary>
    public const int MaxLength = 120;

    private const int HashHexDigits = 16;

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>The file name (without extension) for <paramref name="id"/>.</summary>
    public static string For(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var escaped = Escape(id);
        var stem = escaped.Split('.')[0];
        var isDevice = DeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase);
        if (!isDevice && Encoding.UTF8.GetByteCount(escaped) <= MaxLength)
        {
            return escaped;
        }

        // Cut between escapes, never inside one, and leave room for the hash.
        var budget = MaxLength - 1 - HashHexDigits;
        var cut = new StringBuilder();
        var bytes = 0;
        for (var i = 0; i < escaped.Length;)
        {
            var length = escaped[i] != '%' || i + 1 == escaped.Length ? 1 : escaped[i + 1] == 'u' ? 6 : 3;
            var size = Encoding.UTF8.GetByteCount(escaped.AsSpan(i, length));
            if (bytes + size > budget)
            {
                break;
            }

            cut.Append(escaped, i, length);
            bytes += size;
            i += length;
        }

        return $"{cut}~{Hash(id)}";
    }

    private static string Escape(string id)
    {
        if (id.Length == 0)
        {
            // A lone % is no escape, so it cannot be the name of any other id.
            return "%";
        }

        var sb = new StringBuilder(id.Length);
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            var keep = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_'
                || (c == '.' && i > 0 && i < id.Length - 1)
                || (c >= 0x80 && !char.IsSurrogate(c) && char.IsLetterOrDigit(c));
            if (keep)
            {
                sb.Append(c);
            }
            else if (c < 0x100)
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("%u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string Hash(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(id.AsSpan())))[..HashHexDigits];
}
