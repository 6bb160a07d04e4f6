using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Models;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// How the reports people open write dates, times, time zones, languages and what a night covers, in the report
/// language: <c>24.11.2026 09:15</c> and a decimal comma (<c>0:04,7</c>, <c>4,7 s</c>) for Polish and Czech.
/// </summary>
public static partial class ReportFormatting
{
    /// <summary>The date-time pattern of the report language (.NET form): <c>dd.MM.yyyy HH:mm</c> for pl and cs.</summary>
    public static string DateTimePattern(this ReportText text) => DatePattern(text) + " HH:mm";

    /// <summary>The date pattern of the report language (.NET form): <c>dd.MM.yyyy</c> for pl and cs, <c>dd/MM/yyyy</c> for en.</summary>
    public static string DatePattern(this ReportText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Language == "en" ? "dd/MM/yyyy" : "dd.MM.yyyy";
    }

    /// <summary>The same pattern as a spreadsheet number format (<c>dd.mm.yyyy hh:mm</c>).</summary>
    public static string SpreadsheetDateTimeFormat(this ReportText text) => SpreadsheetDateFormat(text) + " hh:mm";

    /// <summary>The date as a spreadsheet number format (<c>dd.mm.yyyy</c>).</summary>
    public static string SpreadsheetDateFormat(this ReportText text) => DatePattern(text).Replace("MM", "mm", StringComparison.Ordinal);

    /// <summary>A day as the report language writes it: <c>24.11.2026</c>.</summary>
    public static string Date(this ReportText text, DateOnly day) => day.ToString(DatePattern(text), CultureInfo.InvariantCulture);

    /// <summary>A call's start at its own clock time: <c>24.11.2026 09:15</c>.</summary>
    public static string DateTime(this ReportText text, DateTimeOffset time) => time.ToString(DateTimePattern(text), CultureInfo.InvariantCulture);

    /// <summary>Seconds as a player shows them, with the language's decimal separator: <c>1:05,3</c> in Polish.</summary>
    public static string Time(this ReportText text, double seconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tenths = (long)Math.Round(Math.Max(0, seconds) * 10);
        var minutes = tenths / 600;
        var rest = (tenths % 600) / 10.0;
        return minutes.ToString(CultureInfo.InvariantCulture) + ":" + rest.ToString("00.0", text.Culture);
    }

    /// <summary>A UTC offset in words: "czas środkowoeuropejski" for +01:00, "… letni" for +02:00, "UTC" for zero, else "UTC+05:30".</summary>
    /// <remarks>The centres QualityScan serves are in Central Europe, where +1 and +2 are the winter and summer clocks.</remarks>
    public static string ZoneWord(this ReportText text, TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        return offset.TotalMinutes switch
        {
            0 => text.T("zone_utc"),
            60 => text.T("zone_cet"),
            120 => text.T("zone_cest"),
            _ => text.T("zone_offset", ("offset", $"UTC{(offset < TimeSpan.Zero ? "−" : "+")}{offset:hh\\:mm}")),
        };
    }

    /// <summary>A language code in words ("polski" for pl); the code itself when the catalog has no word for it.</summary>
    public static string LanguageWord(this ReportText text, string code)
    {
        ArgumentNullException.ThrowIfNull(text);
        return !string.IsNullOrEmpty(code) && text.Catalog.Has("report.language_" + code) ? text.T("language_" + code) : code;
    }

    /// <summary>What an error row's stage means, in words ("Nagranie uszkodzone…"); the stage itself when unknown.</summary>
    public static string StageWord(this ReportText text, string stage)
    {
        ArgumentNullException.ThrowIfNull(text);
        return !string.IsNullOrEmpty(stage) && text.Catalog.Has("report.stage_" + stage) ? text.T("stage_" + stage) : stage;
    }

    /// <summary>
    /// What went wrong with <paramref name="error"/>, in the report language, the file named as <paramref name="file"/>
    /// (relative to the input folder); the program's English <see cref="ErrorRow.Reason"/> when there is no sentence for it.
    /// </summary>
    public static string ErrorDetail(this ReportText text, ErrorRow error, string file, Func<string, string> fallback)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(fallback);
        if (error.Detail is not { } detail || !text.Catalog.Has(detail.Key))
        {
            return fallback(error.Reason);
        }

        var args = new Dictionary<string, string>(detail.Args, StringComparer.Ordinal) { ["file"] = file };
        return text.Catalog.Format(detail.Key, args);
    }

    /// <summary>
    /// The night or days the reports cover, one line: "Noc 24.11.2026 (wtorek)" for <c>--date</c>, else the days of
    /// the calls' starts ("Rozmowy z dni 22.11.2026–24.11.2026"), else the day the reports were written.
    /// </summary>
    public static string Covers(this ReportText text, DateOnly? night, IEnumerable<CallReport> calls)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(calls);
        if (night is { } n)
        {
            return text.T("covers_night", ("date", text.Date(n)), ("weekday", text.Culture.DateTimeFormat.GetDayName(n.DayOfWeek)));
        }

        var days = calls.Where(c => c.Metadata.StartedAt is not null).Select(c => DateOnly.FromDateTime(c.Metadata.StartedAt!.Value.DateTime)).ToList();
        if (days.Count == 0)
        {
            return text.T("covers_undated", ("date", text.Date(DateOnly.FromDateTime(System.DateTime.Now))));
        }

        var (first, last) = (days.Min(), days.Max());
        return first == last
            ? text.T("covers_night", ("date", text.Date(first)), ("weekday", text.Culture.DateTimeFormat.GetDayName(first.DayOfWeek)))
            : text.T("covers_days", ("from", text.Date(first)), ("to", text.Date(last)));
    }

    /// <summary>
    /// A file name or message with the input folder's part of every path dropped (<c>/srv/rec/jan/a.wav</c> becomes
    /// <c>jan/a.wav</c>) and other absolute paths cut to their file name: the workbook names no server paths.
    /// </summary>
    public static string WithoutServerPaths(string text, string? inputFolder)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = string.IsNullOrEmpty(inputFolder) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(inputFolder)) + "/";
        return AbsolutePath().Replace(text, match =>
        {
            var path = match.Value;
            if (root is not null && path.StartsWith(root, StringComparison.Ordinal))
            {
                return path[root.Length..];
            }

            return root is not null && path == root[..^1] ? "." : Path.GetFileName(path);
        });
    }

    [GeneratedRegex(@"(?<![\w.])/[^\s'"":,;()]+")]
    private static partial Regex AbsolutePath();
}
