using System.Globalization;
using System.Text;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Batch;

/// <summary>
/// Makes ids and names from manifests and file names safe to show: control and formatting characters are written as
/// visible escapes (<c>\u001B</c>), so they reach no terminal, log line, CSV row, workbook cell or coach page as
/// themselves.
/// </summary>
/// <remarks>
/// Escaped: control characters (C0, DEL, C1: ESC sequences, NUL, CR, LF, tab), formatting characters (bidi overrides
/// and isolates such as U+202E, zero-width characters, the byte-order mark), line and paragraph separators, and lone
/// surrogates. An ESC sequence could recolour or rewrite the operator's terminal, a newline splits a printed or logged
/// row, and a right-to-left override shows a name backwards. Escaping happens once, where the ids enter the batch, so
/// every output shows the same text.
/// </remarks>
public static class ControlCharacters
{
    /// <summary>True when <paramref name="text"/> holds a character that <see cref="Escape(string)"/> changes.</summary>
    public static bool Any(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="text"/> with each unsafe character written as <c>\uXXXX</c>; unchanged (the same instance) when there is none.</summary>
    public static string Escape(string text)
    {
        if (!Any(text))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
            }
            else
            {
                escaped.Append(text[i]);
            }
        }

        return escaped.ToString();
    }

    /// <summary>The job with its ids, names and path escaped (the audio path, only opened, is kept).</summary>
    public static CallJob Escape(CallJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job with
        {
            RelativePath = Escape(job.RelativePath),
            CallId = Escape(job.CallId),
            AgentId = Escape(job.AgentId),
            AgentName = job.AgentName is null ? null : Escape(job.AgentName),
            Company = job.Company is null ? null : Escape(job.Company),
        };
    }

    /// <summary>The error row with its file, ids and reason escaped.</summary>
    public static ErrorRow Escape(ErrorRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row with
        {
            File = Escape(row.File),
            CallId = row.CallId is null ? null : Escape(row.CallId),
            AgentId = row.AgentId is null ? null : Escape(row.AgentId),
            Reason = Escape(row.Reason),
        };
    }

    private static bool IsUnsafe(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }

        return char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }
}
