using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using QualityScan.Models;

namespace QualityScan.Pipeline.Reports;

/// <summary>
/// Writes <c>report.xlsx</c>, the report people open: sheets for agents (with a team row), calls, failed findings
/// and errors, in the report language, with real numbers, dates, durations and percentages, a frozen header row,
/// filters, column widths and failed cells marked, worst first.
/// </summary>
/// <remarks>
/// Values are stored as numbers with a number format (never as text), so a spreadsheet in any locale shows them in
/// its own form ("66,7" in Polish Excel) and sorts them as numbers. Start times are the call's own clock time (the
/// time zone of <c>started_at</c>, shown in its own column). Written with the Open XML SDK, no Excel needed.
/// </remarks>
public static class WorkbookWriter
{
    /// <summary>The workbook's file name in the output folder.</summary>
    public const string FileName = "report.xlsx";

    /// <summary>Writes the workbook to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, TeamSummary team, IReadOnlyList<ErrorRow> errors, ReportText text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(text);
        var sheets = new[] { AgentsSheet(team, text), CallsSheet(team, text), FindingsSheet(team, text), ErrorsSheet(errors, text) };
        using var buffer = new MemoryStream();
        WriteWorkbook(buffer, sheets);
        AtomicFile.Write(path, stream => buffer.WriteTo(stream));
    }

    private static Sheet AgentsSheet(TeamSummary team, ReportText t)
    {
        var sheet = new Sheet(t.T("sheet_agents"),
        [
            t.T("col_agent_id"), t.T("col_agent_name"), t.T("col_calls"), t.T("col_judged_calls"), t.T("col_mean_score"),
            t.T("col_vs_team"), t.T("col_min_score"), t.T("col_worst_call"),
            .. team.Checks.Select(id => t.T("col_pass_rate", ("check", t.CheckName(id)))),
            t.T("col_interruptions"), t.T("col_overlap_s"), t.T("col_polite_phrases"), t.T("col_directive_phrases"),
            t.T("col_unresolved_dont_know"), t.T("col_audio_minutes"),
        ]);
        foreach (var agent in team.Agents)
        {
            var calls = agent.Calls;
            sheet.Rows.Add(
            [
                Cell.Text(agent.AgentId), Cell.Text(agent.AgentName), Cell.Integer(calls.Count), Cell.Integer(agent.JudgedCalls),
                Cell.Decimal(agent.MeanScore, marked: agent.MeanScore < team.MeanScore),
                Cell.Signed(agent.MeanScore - team.MeanScore, marked: agent.MeanScore < team.MeanScore),
                Cell.Decimal(agent.MinScore), Cell.Text(agent.WorstCall?.Metadata.CallId),
                .. team.Checks.Select(id => Cell.Percent(agent.PassRates[id], marked: agent.PassRates[id] < team.PassRates[id])),
                Cell.Integer(Sum(calls, ReportRows.CountNames.Interruptions)), Cell.Seconds(Sum(calls, ReportRows.CountNames.OverlapSeconds)),
                Cell.Integer(Sum(calls, ReportRows.CountNames.PolitePhrases)), Cell.Integer(Sum(calls, ReportRows.CountNames.DirectivePhrases)),
                Cell.Integer(Sum(calls, ReportRows.CountNames.UnresolvedDontKnow)), Cell.Decimal(Math.Round(calls.Sum(c => c.Metadata.DurationSeconds) / 60, 1)),
            ]);
        }

        var all = team.Calls;
        sheet.Total =
        [
            Cell.Text(t.T("team_row"), bold: true), Cell.Text(t.T("team_row_name", ("agents", team.Agents.Count.ToString(t.Culture))), bold: true),
            Cell.Integer(all.Count, bold: true), Cell.Integer(all.Count(c => c.IsJudged), bold: true), Cell.Decimal(team.MeanScore, bold: true),
            Cell.Signed(team.MeanScore is null ? null : 0, bold: true), Cell.Decimal(all.Where(c => c.IsJudged).Select(c => (double?)c.Score).Min(), bold: true),
            Cell.Text(all.FirstOrDefault(c => c.IsJudged)?.Metadata.CallId, bold: true),
            .. team.Checks.Select(id => Cell.Percent(team.PassRates[id], bold: true)),
            Cell.Integer(Sum(all, ReportRows.CountNames.Interruptions), bold: true), Cell.Seconds(Sum(all, ReportRows.CountNames.OverlapSeconds), bold: true),
            Cell.Integer(Sum(all, ReportRows.CountNames.PolitePhrases), bold: true), Cell.Integer(Sum(all, ReportRows.CountNames.DirectivePhrases), bold: true),
            Cell.Integer(Sum(all, ReportRows.CountNames.UnresolvedDontKnow), bold: true), Cell.Decimal(Math.Round(all.Sum(c => c.Metadata.DurationSeconds) / 60, 1), bold: true),
        ];
        return sheet;
    }

    private static Sheet CallsSheet(TeamSummary team, ReportText t)
    {
        var sheet = new Sheet(t.T("sheet_calls"),
        [
            t.T("col_call_id"), t.T("col_agent_id"), t.T("col_agent_name"), t.T("col_language"), t.T("col_started_at"),
            t.T("col_time_zone"), t.T("col_duration"), t.T("col_score"), t.T("col_not_judged"),
            .. team.Checks.Select(t.CheckName),
            t.T("col_failed_checks"), t.T("col_interruptions"), t.T("col_overlap_s"), t.T("col_customer_interruptions"),
            t.T("col_polite_phrases"), t.T("col_directive_phrases"), t.T("col_unresolved_dont_know"), t.T("col_source_file"),
        ]);
        foreach (var call in team.Calls)
        {
            var m = call.Metadata;
            sheet.Rows.Add(
            [
                Cell.Text(m.CallId), Cell.Text(m.AgentId), Cell.Text(m.AgentName), Cell.Text(m.Language),
                Cell.DateTime(m.StartedAt?.DateTime), Cell.Text(m.StartedAt is { } s ? Offset(s.Offset) : null),
                Cell.Duration(m.DurationSeconds), Cell.Decimal(call.IsJudged ? call.Score : null),
                Cell.Text(call.NotJudgedReason, marked: !call.IsJudged),
                .. team.Checks.Select(id =>
                {
                    var outcome = call.IsJudged ? call.ResultOf(id)?.Outcome ?? Outcome.NotApplicable : Outcome.NotApplicable;
                    return Cell.Text(t.OutcomeWord(outcome), marked: outcome == Outcome.Fail);
                }),
                Cell.Text(string.Join(", ", call.Results.Where(r => r.Outcome == Outcome.Fail && call.IsJudged).Select(r => t.CheckName(r.CheckId)))),
                Cell.Integer(call.Count(ReportRows.CountNames.Interruptions)), Cell.Seconds(call.Count(ReportRows.CountNames.OverlapSeconds)),
                Cell.Integer(call.Count(ReportRows.CountNames.CustomerInterruptions)), Cell.Integer(call.Count(ReportRows.CountNames.PolitePhrases)),
                Cell.Integer(call.Count(ReportRows.CountNames.DirectivePhrases)), Cell.Integer(call.Count(ReportRows.CountNames.UnresolvedDontKnow)),
                Cell.Text(m.SourceFile),
            ]);
        }

        return sheet;
    }

    private static Sheet FindingsSheet(TeamSummary team, ReportText t)
    {
        var sheet = new Sheet(t.T("sheet_failed_findings"),
        [
            t.T("col_agent_id"), t.T("col_agent_name"), t.T("col_call_id"), t.T("col_score"), t.T("col_check"),
            t.T("col_start"), t.T("col_end"), t.T("col_speaker"), t.T("col_quote"), t.T("col_reason"), t.T("col_moment_id"),
        ]);
        foreach (var call in team.Calls)
        {
            foreach (var finding in TeamSummary.FailedMoments(call))
            {
                sheet.Rows.Add(
                [
                    Cell.Text(call.Metadata.AgentId), Cell.Text(call.Metadata.AgentName), Cell.Text(call.Metadata.CallId), Cell.Decimal(call.Score),
                    Cell.Text(t.CheckName(finding.CheckId), marked: true), Cell.Moment(finding.Start), Cell.Moment(finding.End),
                    Cell.Text(t.SpeakerWord(finding.Speaker)), Cell.Text(t.Evidence(finding)), Cell.Text(t.Reason(finding)),
                    Cell.Text(TeamSummary.MomentId(call.Metadata.CallId, finding)),
                ]);
            }
        }

        return sheet;
    }

    private static Sheet ErrorsSheet(IReadOnlyList<ErrorRow> errors, ReportText t)
    {
        var sheet = new Sheet(t.T("sheet_errors"), [t.T("col_file"), t.T("col_call_id"), t.T("col_agent_id"), t.T("col_stage"), t.T("col_error")]);
        foreach (var e in errors)
        {
            sheet.Rows.Add([Cell.Text(e.File), Cell.Text(e.CallId), Cell.Text(e.AgentId), Cell.Text(e.Stage), Cell.Text(e.Reason, marked: true)]);
        }

        return sheet;
    }

    private static double Sum(IEnumerable<CallReport> calls, string count) => calls.Sum(c => c.Count(count));

    private static string Offset(TimeSpan offset) =>
        offset == TimeSpan.Zero ? "UTC" : $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";

    private static void WriteWorkbook(Stream stream, IReadOnlyList<Sheet> sheets)
    {
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
        stylesPart.Stylesheet = Styles.Build();
        var strings = new SharedStrings();
        var sheetList = new Sheets();
        var definedNames = new DefinedNames();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sheets.Count; i++)
        {
            var sheet = sheets[i];
            var name = SheetName(sheet.Name, names);
            var part = workbookPart.AddNewPart<WorksheetPart>();
            part.Worksheet = sheet.Build(strings, tabSelected: i == 0);
            sheetList.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet
            {
                Name = name,
                SheetId = (uint)(i + 1),
                Id = workbookPart.GetIdOfPart(part),
            });
            var quoted = $"'{name.Replace("'", "''", StringComparison.Ordinal)}'";
            definedNames.Append(new DefinedName($"{quoted}!{sheet.FilterRange(absolute: true)}")
            {
                Name = "_xlnm._FilterDatabase",
                LocalSheetId = (uint)i,
                Hidden = true,
            });
            definedNames.Append(new DefinedName($"{quoted}!$1:$1") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
        }

        var sharedPart = workbookPart.AddNewPart<SharedStringTablePart>();
        sharedPart.SharedStringTable = strings.Build();
        workbookPart.Workbook = new Workbook(new BookViews(new WorkbookView()), sheetList, definedNames);
    }

    private static string SheetName(string name, HashSet<string> taken)
    {
        var clean = new string(name.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? '_' : c).ToArray()).Trim('\'');
        clean = clean.Length > 31 ? clean[..31] : clean;
        var unique = clean;
        for (var n = 2; !taken.Add(unique); n++)
        {
            var suffix = $" ({n})";
            unique = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return unique;
    }

    /// <summary>One sheet's content before it becomes XML: a header, rows, and an optional team row after the filtered rows.</summary>
    private sealed class Sheet(string name, IReadOnlyList<string> headers)
    {
        public string Name { get; } = name;

        public List<Cell[]> Rows { get; } = [];

        public Cell[]? Total { get; set; }

        public string FilterRange(bool absolute)
        {
            var last = Column(headers.Count - 1);
            var lastRow = Math.Max(2, Rows.Count + 1);
            return absolute ? $"${Column(0)}$1:${last}${lastRow}" : $"{Column(0)}1:{last}{lastRow}";
        }

        public Worksheet Build(SharedStrings strings, bool tabSelected)
        {
            var data = new SheetData();
            var header = RowOf(1, headers.Select(h => Cell.Header(h)).ToArray(), strings);
            header.Height = 45;
            header.CustomHeight = true;
            data.Append(header);
            for (var i = 0; i < Rows.Count; i++)
            {
                data.Append(RowOf((uint)(i + 2), Rows[i], strings));
            }

            if (Total is not null)
            {
                // One empty row keeps the team row outside the filter, so sorting agents never moves it.
                data.Append(RowOf((uint)(Rows.Count + 3), Total, strings));
            }

            var columns = new Columns();
            for (var c = 0; c < headers.Count; c++)
            {
                var widest = Rows.Append(Total ?? []).Where(r => c < r.Length).Select(r => r[c].DisplayLength).DefaultIfEmpty(0).Max();
                // Long headers wrap (the header row is three lines high) rather than widen a column of short numbers.
                var width = Math.Clamp(Math.Max(Math.Min(headers[c].Length, 14) + 3, widest + 2), 8, 60);
                columns.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = width, CustomWidth = true });
            }

            var view = new SheetView(
                new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
            {
                WorkbookViewId = 0,
                TabSelected = tabSelected,
            };
            // Printed or exported to PDF: landscape, as wide as one page, header row repeated (Print_Titles).
            return new Worksheet(
                new SheetProperties(new PageSetupProperties { FitToPage = true }),
                new SheetViews(view),
                columns,
                data,
                new AutoFilter { Reference = FilterRange(absolute: false) },
                new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.5, Header = 0.3, Footer = 0.3 },
                new PageSetup { Orientation = OrientationValues.Landscape, PaperSize = 9, FitToWidth = 1, FitToHeight = 0 });
        }

        private static Row RowOf(uint index, Cell[] cells, SharedStrings strings)
        {
            var row = new Row { RowIndex = index };
            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c].ToXml(Column(c) + index, strings) is { } cell)
                {
                    row.Append(cell);
                }
            }

            return row;
        }
    }

    private static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>A cell value with its style: text, or a number shown through a number format.</summary>
    private readonly record struct Cell(string? TextValue, double? NumberValue, uint Style, int DisplayLength)
    {
        public static Cell Header(string text) => new(text, null, Styles.Header, text.Length);

        public static Cell Text(string? text, bool marked = false, bool bold = false) =>
            new(text, null, marked ? Styles.MarkedText : bold ? Styles.BoldText : Styles.Text, Math.Min(text?.Length ?? 0, 80));

        public static Cell Integer(double value, bool bold = false) => new(null, Math.Round(value), bold ? Styles.BoldInteger : Styles.Integer, 6);

        public static Cell Decimal(double? value, bool marked = false, bool bold = false) =>
            new(null, value, marked ? Styles.MarkedDecimal : bold ? Styles.BoldDecimal : Styles.Decimal, 7);

        public static Cell Signed(double? value, bool marked = false, bool bold = false) =>
            new(null, value is { } v ? Math.Round(v, 1) : null, marked ? Styles.MarkedSigned : bold ? Styles.BoldSigned : Styles.Signed, 7);

        public static Cell Seconds(double value, bool bold = false) => new(null, Math.Round(value, 2), bold ? Styles.BoldSeconds : Styles.Seconds, 8);

        public static Cell Percent(double? rate, bool marked = false, bool bold = false) =>
            new(null, rate, marked ? Styles.MarkedPercent : bold ? Styles.BoldPercent : Styles.Percent, 6);

        public static Cell DateTime(System.DateTime? time) =>
            new(null, time is { } t ? (t - new System.DateTime(1899, 12, 30)).TotalDays : null, Styles.DateTime, 17);

        public static Cell Duration(double seconds) => new(null, seconds / 86400, Styles.Duration, 7);

        public static Cell Moment(double seconds) => new(null, Math.Round(seconds, 1) / 86400, Styles.Moment, 8);

        public DocumentFormat.OpenXml.Spreadsheet.Cell? ToXml(string reference, SharedStrings strings)
        {
            if (NumberValue is { } number)
            {
                return new DocumentFormat.OpenXml.Spreadsheet.Cell
                {
                    CellReference = reference,
                    StyleIndex = Style,
                    CellValue = new CellValue(number),
                };
            }

            if (string.IsNullOrEmpty(TextValue))
            {
                return Style is Styles.MarkedText or Styles.BoldText or Styles.Header
                    ? new DocumentFormat.OpenXml.Spreadsheet.Cell { CellReference = reference, StyleIndex = Style }
                    : null;
            }

            return new DocumentFormat.OpenXml.Spreadsheet.Cell
            {
                CellReference = reference,
                StyleIndex = Style,
                DataType = CellValues.SharedString,
                CellValue = new CellValue(strings.IndexOf(TextValue)),
            };
        }
    }

    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<string> _items = [];

        public int IndexOf(string text)
        {
            if (!_index.TryGetValue(text, out var i))
            {
                i = _items.Count;
                _items.Add(text);
                _index[text] = i;
            }

            return i;
        }

        public SharedStringTable Build()
        {
            var table = new SharedStringTable { Count = (uint)_items.Count, UniqueCount = (uint)_items.Count };
            foreach (var item in _items)
            {
                table.Append(new SharedStringItem(new Text(XmlSafe(item)) { Space = SpaceProcessingModeValues.Preserve }));
            }

            return table;
        }

        private static string XmlSafe(string text) =>
            text.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r')
                ? new string(text.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r').ToArray())
                : text;
    }

    /// <summary>The cell formats (indexes into cellXfs) and the stylesheet that defines them.</summary>
    private static class Styles
    {
        public const uint Header = 1;
        public const uint Text = 2;
        public const uint Integer = 3;
        public const uint Decimal = 4;
        public const uint Percent = 5;
        public const uint DateTime = 6;
        public const uint Duration = 7;
        public const uint Moment = 8;
        public const uint MarkedText = 9;
        public const uint BoldText = 10;
        public const uint BoldInteger = 11;
        public const uint BoldDecimal = 12;
        public const uint BoldPercent = 13;
        public const uint MarkedDecimal = 14;
        public const uint MarkedPercent = 15;
        public const uint Seconds = 16;
        public const uint BoldSeconds = 17;
        public const uint Signed = 18;
        public const uint MarkedSigned = 19;
        public const uint BoldSigned = 20;

        private const uint DecimalFormat = 164;
        private const uint DateTimeFormat = 165;
        private const uint DurationFormat = 166;
        private const uint MomentFormat = 167;
        private const uint SecondsFormat = 168;
        private const uint SignedFormat = 169;
        private const uint IntegerFormat = 1;
        private const uint PercentFormat = 9;

        private const uint RegularFont = 0;
        private const uint BoldFont = 1;
        private const uint MarkedFont = 2;
        private const uint HeaderFill = 2;
        private const uint MarkedFill = 3;
        private const uint TeamFill = 4;

        public static Stylesheet Build()
        {
            var formats = new NumberingFormats(
                new NumberingFormat { NumberFormatId = DecimalFormat, FormatCode = "0.0" },
                new NumberingFormat { NumberFormatId = DateTimeFormat, FormatCode = "yyyy-mm-dd hh:mm" },
                new NumberingFormat { NumberFormatId = DurationFormat, FormatCode = "[m]:ss" },
                new NumberingFormat { NumberFormatId = MomentFormat, FormatCode = "[m]:ss.0" },
                new NumberingFormat { NumberFormatId = SecondsFormat, FormatCode = "0.00" },
                new NumberingFormat { NumberFormatId = SignedFormat, FormatCode = "+0.0;-0.0;0.0" })
            { Count = 6 };
            var fonts = new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new FontSize { Val = 11 }, new Color { Rgb = "FF9C0006" }, new FontName { Val = "Calibri" }))
            { Count = 3 };
            var fills = new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                Solid("FFD9E1F2"),
                Solid("FFFFC7CE"),
                Solid("FFF2F2F2"))
            { Count = 5 };
            var borders = new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 };
            var xfs = new CellFormats(
                Xf(0, RegularFont, 0),
                Xf(0, BoldFont, HeaderFill, wrap: true),
                Xf(0, RegularFont, 0),
                Xf(IntegerFormat, RegularFont, 0),
                Xf(DecimalFormat, RegularFont, 0),
                Xf(PercentFormat, RegularFont, 0),
                Xf(DateTimeFormat, RegularFont, 0),
                Xf(DurationFormat, RegularFont, 0),
                Xf(MomentFormat, RegularFont, 0),
                Xf(0, MarkedFont, MarkedFill),
                Xf(0, BoldFont, TeamFill),
                Xf(IntegerFormat, BoldFont, TeamFill),
                Xf(DecimalFormat, BoldFont, TeamFill),
                Xf(PercentFormat, BoldFont, TeamFill),
                Xf(DecimalFormat, MarkedFont, MarkedFill),
                Xf(PercentFormat, MarkedFont, MarkedFill),
                Xf(SecondsFormat, RegularFont, 0),
                Xf(SecondsFormat, BoldFont, TeamFill),
                Xf(SignedFormat, RegularFont, 0),
                Xf(SignedFormat, MarkedFont, MarkedFill),
                Xf(SignedFormat, BoldFont, TeamFill))
            { Count = 21 };
            return new Stylesheet(formats, fonts, fills, borders,
                new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                xfs);
        }

        private static Fill Solid(string argb) =>
            new(new PatternFill(new ForegroundColor { Rgb = argb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });

        private static CellFormat Xf(uint numberFormat, uint font, uint fill, bool wrap = false)
        {
            var format = new CellFormat
            {
                NumberFormatId = numberFormat,
                FontId = font,
                FillId = fill,
                BorderId = 0,
                FormatId = 0,
                ApplyNumberFormat = numberFormat != 0,
                ApplyFont = font != RegularFont,
                ApplyFill = fill != 0,
            };
            if (wrap)
            {
                format.Append(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top });
                format.ApplyAlignment = true;
            }

            return format;
        }
    }
}
