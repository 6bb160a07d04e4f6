using QualityScan.Models.IO;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using QualityScan.Models;
using QualityScan.Pipeline.Batch.Night;

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
public static partial class WorkbookWriter
{
    /// <summary>The workbook's file name in the output folder.</summary>
    public const string FileName = "report.xlsx";

    /// <summary>Writes the workbook to <paramref name="path"/> atomically (no trend sheet, the calls' days named).</summary>
    public static void Write(string path, TeamSummary team, IReadOnlyList<ErrorRow> errors, ReportText text) =>
        Write(path, team, errors, new PeopleReports(text, CoachSources.None));

    /// <summary>
    /// Writes the workbook to <paramref name="path"/> atomically: the night covered on the first sheet, and a trend
    /// sheet with charts when <see cref="PeopleReports.Trend"/> is given.
    /// </summary>
    public static void Write(string path, TeamSummary team, IReadOnlyList<ErrorRow> errors, PeopleReports people)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(people);
        var text = people.Text;
        var covers = text.Covers(people.Night, team.Calls);
        var agents = AgentsSheet(team, text);
        agents.Notes.Add(covers);
        if (people.Banner is { } banner)
        {
            agents.Notes.Add(banner);
        }
        List<Sheet> sheets = [agents];
        if (people.Trend is { } trend)
        {
            sheets.Add(TrendSheet(trend, team, text));
        }

        sheets.AddRange([CallsSheet(team, text), FindingsSheet(team, text), ErrorsSheet(errors, text, people.InputFolder)]);
        using var buffer = new MemoryStream();
        WriteWorkbook(buffer, sheets, text, covers);
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

        // On paper: who, how many, how well and each check's pass rate; the counters stay on screen.
        sheet.PrintColumns = sheet.ColumnOf(t.T("col_interruptions"));
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
            t.T("col_call_id"), t.T("col_agent_name"), t.T("col_started_at"), t.T("col_duration"), t.T("col_score"), t.T("col_not_judged"),
            .. team.Checks.Select(t.CheckName),
            t.T("col_failed_checks"), t.T("col_agent_id"), t.T("col_language"), t.T("col_time_zone"), t.T("col_interruptions"), t.T("col_overlap_s"), t.T("col_customer_interruptions"),
            t.T("col_polite_phrases"), t.T("col_directive_phrases"), t.T("col_unresolved_dont_know"), t.T("col_source_file"),
        ]);
        foreach (var call in team.Calls)
        {
            var m = call.Metadata;
            sheet.Rows.Add(
            [
                Cell.Text(m.CallId), Cell.Text(m.AgentName), Cell.DateTime(m.StartedAt?.DateTime),
                Cell.Duration(m.DurationSeconds), Cell.Decimal(call.IsJudged ? call.Score : null),
                Cell.Text(call.NotJudgedReason, marked: !call.IsJudged),
                .. team.Checks.Select(id =>
                {
                    var outcome = call.IsJudged ? call.ResultOf(id)?.Outcome ?? Outcome.NotApplicable : Outcome.NotApplicable;
                    return Cell.Text(t.OutcomeWord(outcome), marked: outcome == Outcome.Fail);
                }),
                Cell.Text(string.Join(", ", call.Results.Where(r => r.Outcome == Outcome.Fail && call.IsJudged).Select(r => t.CheckName(r.CheckId)))),
                Cell.Text(m.AgentId), Cell.Text(t.LanguageWord(m.Language)), Cell.Text(m.StartedAt is { } s ? t.ZoneWord(s.Offset) : null),
                Cell.Integer(call.Count(ReportRows.CountNames.Interruptions)), Cell.Seconds(call.Count(ReportRows.CountNames.OverlapSeconds)),
                Cell.Integer(call.Count(ReportRows.CountNames.CustomerInterruptions)), Cell.Integer(call.Count(ReportRows.CountNames.PolitePhrases)),
                Cell.Integer(call.Count(ReportRows.CountNames.DirectivePhrases)), Cell.Integer(call.Count(ReportRows.CountNames.UnresolvedDontKnow)),
                Cell.Text(m.SourceFile),
            ]);
        }

        // On paper: which call, whose, when, how it scored and each check; the failed checks, ids and counters stay on screen.
        sheet.PrintColumns = sheet.ColumnOf(t.T("col_failed_checks"));
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
                    Cell.Text(t.CheckName(finding.CheckId)), Cell.Moment(finding.Start), Cell.Moment(finding.End),
                    Cell.Text(t.SpeakerWord(finding.Speaker)), Cell.Wrapped(t.Evidence(finding)), Cell.Wrapped(t.Reason(finding)),
                    Cell.Text(TeamSummary.MomentId(call.Metadata.CallId, finding)),
                ]);
            }
        }

        sheet.PrintColumns = sheet.ColumnOf(t.T("col_moment_id"));
        return sheet;
    }

    private static Sheet ErrorsSheet(IReadOnlyList<ErrorRow> errors, ReportText t, string? inputFolder)
    {
        var sheet = new Sheet(t.T("sheet_errors"), [t.T("col_file"), t.T("col_call_id"), t.T("col_agent_id"), t.T("col_error"), t.T("col_error_details")]);
        foreach (var e in errors)
        {
            var file = ReportFormatting.WithoutServerPaths(e.File, inputFolder);
            sheet.Rows.Add(
            [
                Cell.Text(file), Cell.Text(e.CallId), Cell.Text(e.AgentId),
                Cell.Wrapped(t.StageWord(e.Stage)), Cell.Wrapped(t.ErrorDetail(e, file, reason => ReportFormatting.WithoutServerPaths(reason, inputFolder))),
            ]);
        }

        return sheet;
    }

    private static double Sum(IEnumerable<CallReport> calls, string count) => calls.Sum(c => c.Count(count));

    private static void WriteWorkbook(Stream stream, IReadOnlyList<Sheet> sheets, ReportText text, string covers)
    {
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
        stylesPart.Stylesheet = Styles.Build(text);
        // Header codes start with '&': a literal one in the night's line is doubled.
        var printHeader = text.T("print_header", ("covers", covers.Replace("&", "&&", StringComparison.Ordinal)));
        var strings = new SharedStrings();
        var sheetList = new Sheets();
        var definedNames = new DefinedNames();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sheets.Count; i++)
        {
            var sheet = sheets[i];
            var name = SheetName(sheet.Name, names);
            var part = workbookPart.AddNewPart<WorksheetPart>();
            part.Worksheet = sheet.Build(strings, tabSelected: i == 0, printHeader, text.T("print_footer"));
            sheetList.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet
            {
                Name = name,
                SheetId = (uint)(i + 1),
                Id = workbookPart.GetIdOfPart(part),
            });
            var quoted = $"'{name.Replace("'", "''", StringComparison.Ordinal)}'";
            if (sheet.Charts.Count > 0)
            {
                TrendCharts.AddTo(part, quoted, sheet, text);
            }

            if (sheet.Filtered)
            {
                definedNames.Append(new DefinedName($"{quoted}!{sheet.FilterRange(absolute: true)}")
                {
                    Name = "_xlnm._FilterDatabase",
                    LocalSheetId = (uint)i,
                    Hidden = true,
                });
            }

            if (sheet.PrintRange() is { } printArea)
            {
                definedNames.Append(new DefinedName($"{quoted}!{printArea}") { Name = "_xlnm.Print_Area", LocalSheetId = (uint)i });
            }

            if (sheet.Filtered)
            {
                definedNames.Append(new DefinedName($"{quoted}!$1:${sheet.HeaderRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
            }
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

    /// <summary>
    /// One sheet's content before it becomes XML: lines above the table (the night covered), a header, rows, an
    /// optional team row after the filtered rows, and charts drawn above the table.
    /// </summary>
    private sealed class Sheet(string name, IReadOnlyList<string> headers)
    {
        public string Name { get; } = name;

        public IReadOnlyList<string> Headers { get; } = headers;

        /// <summary>Bold lines above the table, one per row (the night covered; a banner).</summary>
        public List<string> Notes { get; } = [];

        /// <summary>Empty rows between the notes and the table, where charts are drawn.</summary>
        public int Gap { get; set; }

        /// <summary>False for a sheet that is read, not sorted: no filter, nothing frozen.</summary>
        public bool Filtered { get; set; } = true;

        /// <summary>Columns printed (the first ones; those a QA lead needs on paper); null: all.</summary>
        public int? PrintColumns { get; set; }

        public List<TrendChart> Charts { get; } = [];

        public List<Cell[]> Rows { get; } = [];

        public Cell[]? Total { get; set; }

        /// <summary>The row of the column headers (1-based).</summary>
        public int HeaderRow => Notes.Count + Gap + 1;

        /// <summary>The index of the column with this header (the first column not printed), or null.</summary>
        public int? ColumnOf(string header)
        {
            var index = Headers.ToList().IndexOf(header);
            return index < 0 ? null : index;
        }

        public string FilterRange(bool absolute)
        {
            var last = Column(Headers.Count - 1);
            var lastRow = Math.Max(HeaderRow + 1, Rows.Count + HeaderRow);
            return absolute ? $"${Column(0)}${HeaderRow}:${last}${lastRow}" : $"{Column(0)}{HeaderRow}:{last}{lastRow}";
        }

        /// <summary>The printed range when not every column is printed: from A1 to the last printed column of the team row.</summary>
        public string? PrintRange()
        {
            if (PrintColumns is not { } count || count >= Headers.Count || count < 1)
            {
                return null;
            }

            var lastRow = Total is null ? Math.Max(HeaderRow + 1, Rows.Count + HeaderRow) : Rows.Count + HeaderRow + 2;
            return $"$A$1:${Column(count - 1)}${lastRow}";
        }

        public Worksheet Build(SharedStrings strings, bool tabSelected, string printHeader, string printFooter)
        {
            var data = new SheetData();
            for (var n = 0; n < Notes.Count; n++)
            {
                var note = RowOf((uint)(n + 1), [Cell.Note(Notes[n])], strings);
                note.Height = 20;
                note.CustomHeight = true;
                data.Append(note);
            }

            var header = RowOf((uint)HeaderRow, Headers.Select(h => Cell.Header(h)).ToArray(), strings);
            header.Height = 45;
            header.CustomHeight = true;
            data.Append(header);
            for (var i = 0; i < Rows.Count; i++)
            {
                var row = RowOf((uint)(i + HeaderRow + 1), Rows[i], strings);
                if (WrappedLines(Rows[i]) is > 1 and var lines)
                {
                    // Spreadsheets do not all fit a row to wrapped text on opening: the row is made as high as its longest text.
                    row.Height = 15 * lines;
                    row.CustomHeight = true;
                }

                data.Append(row);
            }

            if (Total is not null)
            {
                // One empty row keeps the team row outside the filter, so sorting agents never moves it.
                data.Append(RowOf((uint)(Rows.Count + HeaderRow + 2), Total, strings));
            }

            var columns = new Columns();
            for (var c = 0; c < Headers.Count; c++)
            {
                columns.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = ColumnWidth(c), CustomWidth = true });
            }

            var firstData = $"A{HeaderRow + 1}";
            var view = Filtered
                ? new SheetView(
                    new Pane { VerticalSplit = HeaderRow, TopLeftCell = firstData, ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                    new Selection { Pane = PaneValues.BottomLeft, ActiveCell = firstData, SequenceOfReferences = new ListValue<StringValue> { InnerText = firstData } })
                : new SheetView();
            view.WorkbookViewId = 0;
            view.TabSelected = tabSelected;

            // Printed or exported to PDF: A4 landscape, as wide as one page, the header rows repeated (Print_Titles), the
            // night covered in the page header and the page number in the footer.
            var worksheet = new Worksheet(
                new SheetProperties(new PageSetupProperties { FitToPage = true }),
                new SheetViews(view),
                columns,
                data);
            if (Filtered)
            {
                worksheet.Append(new AutoFilter { Reference = FilterRange(absolute: false) });
            }

            worksheet.Append(
                new PrintOptions { GridLines = Charts.Count == 0 },
                new PageMargins { Left = 0.4, Right = 0.4, Top = 0.6, Bottom = 0.5, Header = 0.3, Footer = 0.3 },
                new PageSetup { Orientation = OrientationValues.Landscape, PaperSize = 9, FitToWidth = 1, FitToHeight = 0 },
                new HeaderFooter(new OddHeader("&L" + printHeader + "&R&A"), new OddFooter("&C" + printFooter)));
            return worksheet;
        }

        private int WrappedLines(Cell[] row)
        {
            var lines = 1;
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c].Style == Styles.Wrapped && row[c].TextValue is { } text)
                {
                    // A proportional font fits a little more than one character per width unit (measured in LibreOffice's PDF).
                    lines = Math.Max(lines, (int)Math.Ceiling(text.Length / Math.Max(1, ColumnWidth(c) * 1.2)));
                }
            }

            return Math.Min(lines, 12);
        }

        /// <summary>The width of a column in characters: its widest value, the header up to 14 characters (longer ones wrap); 8.43 past the table.</summary>
        public double ColumnWidth(int c)
        {
            if (c >= Headers.Count)
            {
                return 8.43;
            }

            var widest = Rows.Append(Total ?? []).Where(r => c < r.Length).Select(r => r[c].DisplayLength).DefaultIfEmpty(0).Max();
            return Math.Clamp(Math.Max(Math.Min(Headers[c].Length, 14) + 3, widest + 2), 8, 60);
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

        /// <summary>A line above a table (the night covered), bold; it runs on over the empty cells to its right.</summary>
        public static Cell Note(string text) => new(text, null, Styles.Note, 0);

        /// <summary>Long text (a quote, a reason) wrapped in a column of bounded width, so the whole of it shows and prints.</summary>
        public static Cell Wrapped(string? text) => new(text, null, Styles.Wrapped, Math.Min(text?.Length ?? 0, 48));

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

        public static Cell Date(DateOnly day) => new(null, day.DayNumber - new DateOnly(1899, 12, 30).DayNumber, Styles.Date, 11);

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
        public const uint Date = 21;
        public const uint Wrapped = 22;
        public const uint Note = 23;

        private const uint DecimalFormat = 164;
        private const uint DateTimeFormat = 165;
        private const uint DurationFormat = 166;
        private const uint MomentFormat = 167;
        private const uint SecondsFormat = 168;
        private const uint SignedFormat = 169;
        private const uint DateFormat = 170;
        private const uint IntegerFormat = 1;
        private const uint PercentFormat = 9;

        private const uint RegularFont = 0;
        private const uint BoldFont = 1;
        private const uint MarkedFont = 2;
        private const uint NoteFont = 3;
        private const uint HeaderFill = 2;
        private const uint MarkedFill = 3;
        private const uint TeamFill = 4;

        public static Stylesheet Build(ReportText text)
        {
            var formats = new NumberingFormats(
                new NumberingFormat { NumberFormatId = DecimalFormat, FormatCode = "0.0" },
                new NumberingFormat { NumberFormatId = DateTimeFormat, FormatCode = text.SpreadsheetDateTimeFormat() },
                new NumberingFormat { NumberFormatId = DurationFormat, FormatCode = "[m]:ss" },
                new NumberingFormat { NumberFormatId = MomentFormat, FormatCode = "[m]:ss.0" },
                new NumberingFormat { NumberFormatId = SecondsFormat, FormatCode = "0.00" },
                new NumberingFormat { NumberFormatId = SignedFormat, FormatCode = "+0.0;-0.0;0.0" },
                new NumberingFormat { NumberFormatId = DateFormat, FormatCode = text.SpreadsheetDateFormat() })
            { Count = 7 };
            var fonts = new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                new Font(new FontSize { Val = 11 }, new Color { Rgb = "FF9C0006" }, new FontName { Val = "Calibri" }),
                new Font(new Bold(), new FontSize { Val = 13 }, new FontName { Val = "Calibri" }))
            { Count = 4 };
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
                Xf(SignedFormat, BoldFont, TeamFill),
                Xf(DateFormat, RegularFont, 0),
                Xf(0, RegularFont, 0, wrap: true),
                Xf(0, NoteFont, 0))
            { Count = 24 };
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
            // Top-aligned, so a row made high by a wrapped quote reads from its first line across.
            format.Append(new Alignment { WrapText = wrap ? true : null, Vertical = VerticalAlignmentValues.Top });
            format.ApplyAlignment = true;

            return format;
        }
    }
}
