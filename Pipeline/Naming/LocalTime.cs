using System.Globalization;

namespace QualityScan.Pipeline.Naming;

/// <summary>Turns wall-clock times written without an offset (file names, Excel manifests) into instants, in an explicit time zone.</summary>
/// <remarks>
/// Telephony systems and Excel write local time. Across a change of clocks: a time in the hour skipped in spring
/// (02:30 on the last Sunday of March in Europe/Warsaw) is read with the offset in force before the change, as a
/// clock that was not yet adjusted would have written it; a time in the hour repeated in autumn is read as its
/// first occurrence (summer time). The default zone is <see cref="DefaultZoneId"/>.
/// </remarks>
public static class LocalTime
{
    /// <summary>The zone used when none is configured.</summary>
    public const string DefaultZoneId = "Europe/Warsaw";

    /// <summary>Finds a time zone by its IANA id ("Europe/Warsaw", "Europe/Prague", "UTC").</summary>
    /// <exception cref="ArgumentException">The id is not a time zone this machine knows.</exception>
    public static TimeZoneInfo Zone(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"unknown time zone '{id}' (use an IANA name such as Europe/Warsaw or Europe/Prague; on Debian the tzdata package provides them)", nameof(id), ex);
        }
    }

    /// <summary>The instant of wall-clock time <paramref name="local"/> in <paramref name="zone"/>.</summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var clock = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(clock))
        {
            offset = zone.GetUtcOffset(clock.AddHours(-3));
        }
        else if (zone.IsAmbiguousTime(clock))
        {
            offset = zone.GetAmbiguousTimeOffsets(clock).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(clock);
        }

        return new DateTimeOffset(clock, offset);
    }

    /// <summary>The calendar day of <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    /// <summary>
    /// Parses a time as a manifest or file name writes it: ISO 8601 with an offset is taken as is; ISO 8601 without
    /// one, <c>dd.MM.yyyy HH:mm[:ss]</c> (Polish and Czech Excel) and <c>yyyy-MM-dd HH:mm[:ss]</c> are local in <paramref name="zone"/>.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(zone);
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (HasOffset(trimmed) && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        if (DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            value = FromLocal(local, zone);
            return true;
        }

        return false;
    }

    /// <summary>Formats accepted by <see cref="TryParse"/> for local times.</summary>
    internal static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
        "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "d.M.yyyy H:mm:ss", "d.M.yyyy H:mm", "dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd",
    ];

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal) is var i and > 0 ? i : text.IndexOf(' ', StringComparison.Ordinal);
        if (t < 0)
        {
            return false;
        }

        var time = text[(t + 1)..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }
}
