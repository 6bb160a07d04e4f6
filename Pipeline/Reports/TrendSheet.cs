using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using QualityScan.Models;
using QualityScan.Pipeline.History;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace QualityScan.Pipeline.Reports;

/// <summary>The trend sheet of <c>report.xlsx</c>: two line charts over a table of the nights (or weeks) of the last weeks.</summary>
/// <remarks>
/// The table has one row per period: its first day (a date), the calls, the team's mean score, each agent's mean score
/// (empty when the agent had no call), and the team's pass rate per check. The charts are DrawingML chart parts whose
/// series refer to the table's cells (with the values cached, so a viewer that does not recalculate draws them too): the
/// first draws the team and every agent, the second the pass rate of every check.
/// </remarks>
public static partial class WorkbookWriter
{
    /// <summary>Rows left above the table for the charts (about 8 cm at the default row height; the charts are 7.2 cm high).</summary>
    private const int ChartRows = 18;

    private const long ChartWidthEmu = 16L * 360000;
    private const long ChartHeightEmu = 72L * 36000;

    private static Sheet TrendSheet(NightTrend trend, TeamSummary team, ReportText t)
    {
        var agents = TrendAgents(trend, team);
        var checks = team.Checks;
        var period = trend.By == TrendPeriod.Day ? t.T("trend_by_night") : t.T("trend_by_week");
        var sheet = new Sheet(t.T("sheet_trend"),
        [
            trend.By == TrendPeriod.Day ? t.T("col_night") : t.T("col_week"), t.T("col_calls"), t.T("team_row"),
            .. agents.Select(a => a.Name),
            .. checks.Select(id => t.T("col_pass_rate", ("check", t.CheckName(id)))),
        ])
        {
            Gap = ChartRows,
            Filtered = false,
        };
        sheet.Notes.Add(t.T("trend_title", ("weeks", NightTrend.Weeks.ToString(t.Culture)), ("from", t.Date(trend.From)), ("to", t.Date(trend.Until))));
        foreach (var start in trend.Periods)
        {
            var teamRow = trend.Team(start);
            sheet.Rows.Add(
            [
                Cell.Date(start), Cell.Integer(teamRow?.Calls ?? 0), Cell.Decimal(teamRow?.MeanScore, bold: false),
                .. agents.Select(a => Cell.Decimal(trend.Agent(a.Id, start)?.MeanScore)),
                .. checks.Select(id => Cell.Percent(teamRow?.PassRates.GetValueOrDefault(id))),
            ]);
        }

        var scoreColumns = Enumerable.Range(2, agents.Count + 1).ToList();
        var rateColumns = Enumerable.Range(3 + agents.Count, checks.Count).ToList();
        sheet.Charts.Add(new TrendChart(t.T("chart_scores", ("period", period)), scoreColumns, Percent: false, Beside: null));
        sheet.Charts.Add(new TrendChart(t.T("chart_pass_rates", ("period", period)), rateColumns, Percent: true, Beside: 0));
        return sheet;
    }

    /// <summary>Tonight's agents in the order of the agents sheet, then those seen only on earlier nights.</summary>
    private static List<(string Id, string Name)> TrendAgents(NightTrend trend, TeamSummary team)
    {
        var agents = team.Agents.Select(a => (a.AgentId, Name: a.DisplayName)).ToList();
        var known = agents.Select(a => a.AgentId).ToHashSet(StringComparer.Ordinal);
        foreach (var row in trend.Rows.Where(r => !r.IsTeam).GroupBy(r => r.AgentId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (known.Add(row.Key))
            {
                agents.Add((row.Key, row.Last().AgentName is { Length: > 0 } name ? name : row.Key));
            }
        }

        return agents;
    }

    /// <summary>A line chart over the table of a sheet: series from the given columns, categories from the first.</summary>
    /// <param name="Title">The chart's title.</param>
    /// <param name="SeriesColumns">0-based columns, one series each (its header names it).</param>
    /// <param name="Percent">Values are rates 0-1 shown as percentages; else scores 0-100.</param>
    /// <param name="Beside">Null: at the top left; else to the right of the chart with this index.</param>
    private sealed record TrendChart(string Title, IReadOnlyList<int> SeriesColumns, bool Percent, int? Beside);

    /// <summary>Writes a sheet's charts as one drawing part with a chart part per chart.</summary>
    private static class TrendCharts
    {
        private const string ChartUri = "http://schemas.openxmlformats.org/drawingml/2006/chart";

        // The team first (dark, thick), then distinct colours for agents or checks.
        private static readonly string[] Palette = ["1F4E79", "C00000", "2E8B57", "ED7D31", "7030A0", "0097A7", "BF9000", "5B9BD5", "A5A5A5", "8B4513", "FF66CC", "70AD47"];

        public static void AddTo(WorksheetPart part, string quotedSheet, Sheet sheet, ReportText text)
        {
            var drawings = part.AddNewPart<DrawingsPart>();
            var drawing = new Xdr.WorksheetDrawing();
            drawing.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
            drawing.AddNamespaceDeclaration("c", ChartUri);
            for (var i = 0; i < sheet.Charts.Count; i++)
            {
                var chart = sheet.Charts[i];
                var chartPart = drawings.AddNewPart<ChartPart>();
                chartPart.ChartSpace = Chart(chart, quotedSheet, sheet, text);
                var column = chart.Beside is null ? 0 : ColumnAfter(sheet, ChartWidthEmu + 360000);
                drawing.Append(new Xdr.OneCellAnchor(
                    new Xdr.FromMarker(new Xdr.ColumnId(column.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"), new Xdr.RowId("1"), new Xdr.RowOffset("0")),
                    new Xdr.Extent { Cx = ChartWidthEmu, Cy = ChartHeightEmu },
                    new Xdr.GraphicFrame(
                        new Xdr.NonVisualGraphicFrameProperties(
                            new Xdr.NonVisualDrawingProperties { Id = (uint)(i + 2), Name = chart.Title },
                            new Xdr.NonVisualGraphicFrameDrawingProperties()),
                        new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
                        new A.Graphic(new A.GraphicData(new C.ChartReference { Id = drawings.GetIdOfPart(chartPart) }) { Uri = ChartUri }))
                    { Macro = "" },
                    new Xdr.ClientData()));
            }

            drawings.WorksheetDrawing = drawing;
            part.Worksheet.Append(new DocumentFormat.OpenXml.Spreadsheet.Drawing { Id = part.GetIdOfPart(drawings) });
        }

        /// <summary>The first column that starts at least <paramref name="emu"/> from the sheet's left edge.</summary>
        private static int ColumnAfter(Sheet sheet, long emu)
        {
            long x = 0;
            for (var c = 0; c < 200; c++)
            {
                if (x >= emu)
                {
                    return c;
                }

                // A column of width w (characters of Calibri 11) is w * 7 + 5 pixels of 9525 EMU.
                x += (long)((sheet.ColumnWidth(c) * 7 + 5) * 9525);
            }

            return 200;
        }

        private static C.ChartSpace Chart(TrendChart chart, string quotedSheet, Sheet sheet, ReportText text)
        {
            var firstRow = sheet.HeaderRow + 1;
            var lastRow = sheet.HeaderRow + Math.Max(1, sheet.Rows.Count);
            var categories = sheet.Rows.Select(r => r[0].NumberValue).ToList();
            var line = new C.LineChart(new C.Grouping { Val = C.GroupingValues.Standard }, new C.VaryColors { Val = false });
            for (var s = 0; s < chart.SeriesColumns.Count; s++)
            {
                var column = chart.SeriesColumns[s];
                var letter = Column(column);
                var colour = Palette[s % Palette.Length];
                var width = s == 0 && !chart.Percent ? 44450 : 22225;
                var values = sheet.Rows.Select(r => column < r.Length ? r[column].NumberValue : null).ToList();
                line.Append(new C.LineChartSeries(
                    new C.Index { Val = (uint)s },
                    new C.Order { Val = (uint)s },
                    new C.SeriesText(new C.StringReference(
                        new C.Formula($"{quotedSheet}!${letter}${sheet.HeaderRow}"),
                        new C.StringCache(new C.PointCount { Val = 1 }, new C.StringPoint(new C.NumericValue(sheet.Headers[column])) { Index = 0 }))),
                    new C.ChartShapeProperties(new A.Outline(new A.SolidFill(new A.RgbColorModelHex { Val = colour }), new A.Round()) { Width = width }),
                    new C.Marker(
                        new C.Symbol { Val = C.MarkerStyleValues.Circle },
                        new C.Size { Val = 5 },
                        new C.ChartShapeProperties(new A.SolidFill(new A.RgbColorModelHex { Val = colour }), new A.Outline(new A.SolidFill(new A.RgbColorModelHex { Val = colour })))),
                    new C.CategoryAxisData(Numbers($"{quotedSheet}!$A${firstRow}:$A${lastRow}", categories, text.SpreadsheetDateFormat())),
                    new C.Values(Numbers($"{quotedSheet}!${letter}${firstRow}:${letter}${lastRow}", values, chart.Percent ? "0%" : "0.0")),
                    new C.Smooth { Val = false }));
            }

            line.Append(new C.ShowMarker { Val = true }, new C.AxisId { Val = 1 }, new C.AxisId { Val = 2 });
            var categoryAxis = new C.CategoryAxis(
                new C.AxisId { Val = 1 },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Bottom },
                new C.NumberingFormat { FormatCode = text.SpreadsheetDateFormat()[..5], SourceLinked = false },
                new C.MajorTickMark { Val = C.TickMarkValues.Outside },
                new C.MinorTickMark { Val = C.TickMarkValues.None },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = 2 },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.AutoLabeled { Val = true },
                new C.LabelAlignment { Val = C.LabelAlignmentValues.Center },
                new C.LabelOffset { Val = 100 },
                new C.NoMultiLevelLabels { Val = true });
            var valueAxis = new C.ValueAxis(
                new C.AxisId { Val = 2 },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }, new C.MaxAxisValue { Val = chart.Percent ? 1 : 100 }, new C.MinAxisValue { Val = 0 }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Left },
                new C.MajorGridlines(new C.ChartShapeProperties(new A.Outline(new A.SolidFill(new A.RgbColorModelHex { Val = "D9D9D9" })))),
                new C.NumberingFormat { FormatCode = chart.Percent ? "0%" : "0", SourceLinked = false },
                new C.MajorTickMark { Val = C.TickMarkValues.Outside },
                new C.MinorTickMark { Val = C.TickMarkValues.None },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = 1 },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.CrossBetween { Val = C.CrossBetweenValues.Between },
                new C.MajorUnit { Val = chart.Percent ? 0.25 : 25 });
            return new C.ChartSpace(
                new C.EditingLanguage { Val = text.Culture.Name },
                new C.RoundedCorners { Val = false },
                new C.Chart(
                    new C.Title(
                        new C.ChartText(new C.RichText(
                            new A.BodyProperties(),
                            new A.ListStyle(),
                            new A.Paragraph(new A.ParagraphProperties(new A.DefaultRunProperties { FontSize = 1200, Bold = true }), new A.Run(new A.RunProperties { Language = text.Culture.Name, FontSize = 1200, Bold = true }, new A.Text(chart.Title))))),
                        new C.Overlay { Val = false }),
                    new C.AutoTitleDeleted { Val = false },
                    new C.PlotArea(new C.Layout(), line, categoryAxis, valueAxis),
                    new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }),
                    new C.PlotVisibleOnly { Val = true },
                    new C.DisplayBlanksAs { Val = C.DisplayBlanksAsValues.Span }));
        }

        /// <summary>A reference to cells with their values cached; empty cells are points left out of the cache.</summary>
        private static C.NumberReference Numbers(string formula, IReadOnlyList<double?> values, string format)
        {
            var cache = new C.NumberingCache(new C.FormatCode(format), new C.PointCount { Val = (uint)values.Count });
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is { } v)
                {
                    cache.Append(new C.NumericPoint(new C.NumericValue(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) { Index = (uint)i });
                }
            }

            return new C.NumberReference(new C.Formula(formula), cache);
        }
    }
}
