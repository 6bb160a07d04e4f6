using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Pipeline.Batch;

namespace QualityScan.Pipeline.Naming;

/// <summary>
/// Reads what a telephony system writes into a recording's path (when, which agent, which call, which direction),
/// from a regular expression with named groups, for recordings that have no manifest row.
/// </summary>
/// <remarks>
/// <para>The pattern is matched against the path relative to the input folder, with <c>/</c> separators. Groups:
/// <c>date</c> (<c>yyyy-MM-dd</c>, <c>yyyyMMdd</c>, <c>dd.MM.yyyy</c>), <c>time</c> (<c>HHmmss</c>, <c>HH:mm:ss</c>,
/// <c>HH-mm-ss</c>, <c>HHmm</c>), <c>datetime</c> (<c>yyyyMMdd-HHmmss</c>, <c>yyyyMMdd_HHmmss</c>,
/// <c>yyyyMMddHHmmss</c>, ISO 8601), <c>agent</c>, <c>call</c> (the call id; default: the file name without
/// extension), <c>phone</c> (the customer's number, masked in the call id and the shown path),
/// <c>direction</c> (<c>in</c>/<c>out</c>) and <c>ext</c>. All are optional; other group names are an error.</para>
/// <para>Times are wall-clock times in the configured zone (see <see cref="LocalTime"/>). A path the pattern does
/// not match falls back to the folder-name rule (agent id = parent folder, call id = file name).</para>
/// <para>Example, for <c>2026-11-29/agent_1043/20261129-093012_48601234567_in.wav</c>:
/// <c>^(?&lt;date&gt;\d{4}-\d{2}-\d{2})/agent_(?&lt;agent&gt;[^/]+)/(?&lt;datetime&gt;\d{8}-\d{6})_(?&lt;phone&gt;\d+)_(?&lt;direction&gt;in|out)\.(?&lt;ext&gt;\w+)$</c>
/// gives agent <c>1043</c>, call id <c>20261129-093012_xxxxxxxx567_in</c> and a start of 09:30:12 Warsaw time.</para>
/// </remarks>
public sealed class FileNameConvention
{
    /// <summary>The group names a pattern may use.</summary>
    public static IReadOnlyList<string> GroupNames { get; } = ["date", "time", "datetime", "agent", "call", "phone", "direction", "ext"];

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd", "dd.MM.yyyy", "yyyy_MM_dd"];
    private static readonly string[] TimeFormats = ["HHmmss", "HH:mm:ss", "HH-mm-ss", "HH_mm_ss", "HHmm", "HH:mm", "HH-mm"];

    private static readonly string[] DateTimeFormats =
    [
        "yyyyMMdd-HHmmss", "yyyyMMdd_HHmmss", "yyyyMMddHHmmss", "yyyyMMdd'T'HHmmss", "yyyy-MM-dd_HH-mm-ss", "yyyy-MM-dd'T'HH-mm-ss",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd_HHmmss",
    ];

    private readonly Regex? _pattern;

    /// <summary>Creates a convention; <paramref name="pattern"/> null means folder-name rule only.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression or uses an unknown group.</exception>
    public FileNameConvention(string? pattern, TimeZoneInfo zone, PhoneNumberMasking masking)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(masking);
        Zone = zone;
        Masking = masking;
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return;
        }

        try
        {
            _pattern = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"not a valid regular expression: {ex.Message}", nameof(pattern), ex);
        }

        var unknown = _pattern.GetGroupNames().Where(g => !int.TryParse(g, out _) && !GroupNames.Contains(g)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown group(s) {string.Join(", ", unknown.Select(g => $"(?<{g}>)"))}; a pattern may name {string.Join(", ", GroupNames)}", nameof(pattern));
        }
    }

    /// <summary>The convention used without configuration: no pattern, Europe/Warsaw, phone numbers masked.</summary>
    public static FileNameConvention Default { get; } = new(null, LocalTime.Zone(LocalTime.DefaultZoneId), PhoneNumberMasking.Default);

    /// <summary>The zone wall-clock times are read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>How phone numbers are hidden.</summary>
    public PhoneNumberMasking Masking { get; }

    /// <summary>The job for recording <paramref name="relativePath"/> (relative to <paramref name="root"/>, <c>/</c>-separated).</summary>
    public CallJob Describe(string root, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(relativePath);
        var full = Path.Combine(root, relativePath);
        var folder = Path.GetDirectoryName(relativePath.Replace('/', Path.DirectorySeparatorChar));
        var agent = string.IsNullOrEmpty(folder) ? "unknown" : Path.GetFileName(folder);
        var callId = Path.GetFileNameWithoutExtension(relativePath);
        var match = _pattern?.Match(relativePath);
        if (match is not { Success: true })
        {
            var shown = Masking.MaskDigitRuns(relativePath);
            return new CallJob(full, shown, Masking.MaskDigitRuns(callId), agent, null, null, null, null, null);
        }

        string? Group(string name) => match.Groups[name] is { Success: true, Value.Length: > 0 } g ? g.Value : null;
        var phone = Group("phone");
        string Hide(string text) => phone is null ? Masking.MaskDigitRuns(text) : Masking.MaskDigitRuns(text.Replace(phone, Masking.MaskNumber(phone), StringComparison.Ordinal));

        return new CallJob(full, Hide(relativePath), Hide(Group("call") ?? callId), Group("agent") ?? agent, null, null, null, null, StartOf(match))
        {
            Direction = Group("direction")?.ToLowerInvariant(),
            Day = DayOf(match),
        };
    }

    private static DateOnly? DayOf(Match match) =>
        match.Groups["date"] is { Success: true } d && DateOnly.TryParseExact(d.Value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    private DateTimeOffset? StartOf(Match match)
    {
        if (match.Groups["datetime"] is { Success: true } dt)
        {
            if (DateTime.TryParseExact(dt.Value, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return LocalTime.FromLocal(local, Zone);
            }

            return LocalTime.TryParse(dt.Value, Zone, out var parsed) ? parsed : null;
        }

        if (match.Groups["date"] is not { Success: true } d
            || !DateTime.TryParseExact(d.Value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return null;
        }

        if (match.Groups["time"] is { Success: true } t
            && DateTime.TryParseExact(t.Value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.NoCurrentDateDefault, out var time))
        {
            return LocalTime.FromLocal(day.Date + time.TimeOfDay, Zone);
        }

        return null;
    }
}
