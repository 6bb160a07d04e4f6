using QualityScan.Models.IO;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace QualityScan.Pipeline.Reports;

/// <summary>The .xlsx form of the review sheet (<see cref="ReviewSheet"/>): written with drop-down lists, read back cell by cell.</summary>
/// <remarks>
/// One sheet named in the report language ("Omówienie"), the header frozen and filtered, quote, reason and comment
/// wrapped, the coach's columns shaded, and a list (data validation) on the verdict and correct-outcome columns with
/// the words of the report language. A word from the list is the expected input; another accepted word ("agree") only
/// draws a warning, so Excel never throws away what a coach typed.
/// </remarks>
internal static class ReviewWorkbook
{
    private const uint HeaderStyle = 1;
    private const uint WrapStyle = 2;
    private const uint SecondsStyle = 3;
    private const uint CoachStyle = 4;

    /// <summary>Rows the drop-down lists reach: tonight's rows and room for many more.</summary>
    private const int ListRows = 5000;

    private static readonly double[] Widths = [26, 16, 14, 13, 9, 9, 48, 48, 16, 22, 18, 40];

    public static void Write(string path, IReadOnlyList<ReviewRow> rows, ReportText text)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Stylesheet();
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            sheetPart.Worksheet = Worksheet(rows, text);
            var name = text.T("sheet_review");
            workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Name = name.Length > 31 ? name[..31] : name, SheetId = 1, Id = workbookPart.GetIdOfPart(sheetPart) }));
        }

        AtomicFile.Write(path, stream => buffer.WriteTo(stream));
    }

    /// <summary>The first sheet's cells as text, row by row with the row numbers; numbers in the invariant form.</summary>
    /// <exception cref="ReviewSheetException">Not an .xlsx file, or no sheet.</exception>
    public static List<(int Line, string[] Cells)> ReadTable(string path)
    {
        try
        {
            using var document = SpreadsheetDocument.Open(path, isEditable: false);
            var workbookPart = document.WorkbookPart ?? throw new ReviewSheetException(path, "is not a workbook (no workbook part)");
            var first = workbookPart.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault()
                ?? throw new ReviewSheetException(path, "has no sheet");
            var part = (WorksheetPart)workbookPart.GetPartById(first.Id?.Value ?? "");
            var strings = workbookPart.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
            var table = new List<(int, string[])>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
                    while (cells.Count <= column)
                    {
                        cells.Add("");
                    }

                    cells[column] = ValueOf(cell, strings);
                }

                table.Add(((int)(row.RowIndex?.Value ?? (uint)(table.Count + 1)), cells.ToArray()));
            }

            return table;
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or IOException or FormatException or XmlException
            or InvalidOperationException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ReviewSheetException(path, $"cannot be read as an .xlsx workbook ({ex.Message})");
        }
    }

    private static string ValueOf(Cell cell, List<string> strings)
    {
        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(raw, out var index) && index >= 0 && index < strings.Count ? strings[index] : "";
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        return raw;
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return Math.Max(0, index - 1);
    }

    private static Worksheet Worksheet(IReadOnlyList<ReviewRow> rows, ReportText text)
    {
        var columns = ReviewSheet.Columns;
        var data = new SheetData();
        data.Append(new Row(columns.Select((c, i) => TextCell(i, 1, text.T(c.HeaderKey), HeaderStyle))) { RowIndex = 1 });
        for (var r = 0; r < rows.Count; r++)
        {
            var index = (uint)(r + 2);
            var cells = ReviewSheet.Cells(rows[r]);
            var row = new Row { RowIndex = index };
            for (var i = 0; i < cells.Length; i++)
            {
                var style = columns[i].ByCoach ? CoachStyle : columns[i].Id is "quote" or "reason" ? WrapStyle : 0u;
                if (cells[i] is double seconds)
                {
                    row.Append(new Cell { CellReference = Reference(i, index), StyleIndex = SecondsStyle, CellValue = new CellValue(seconds) });
                }
                else
                {
                    row.Append(TextCell(i, index, (string?)cells[i] ?? "", style));
                }
            }

            data.Append(row);
        }

        var last = Reference(columns.Count - 1, (uint)Math.Max(1, rows.Count + 1));
        var verdict = Letter(IndexOf("verdict"));
        var outcome = Letter(IndexOf("correct_outcome"));
        return new Worksheet(
            new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
            {
                TabSelected = true,
                WorkbookViewId = 0,
            }),
            new Columns(Widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true })),
            data,
            new AutoFilter { Reference = $"A1:{last}" },
            new DataValidations(
                List($"{verdict}2:{verdict}{ListRows}", ReviewWords.VerdictChoices(text), text.T("col_verdict")),
                List($"{outcome}2:{outcome}{ListRows}", ReviewWords.OutcomeChoices(text), text.T("col_correct_outcome")))
            { Count = 2 });
    }

    private static DataValidation List(string range, IReadOnlyList<string> words, string title) => new()
    {
        Type = DataValidationValues.List,
        AllowBlank = true,
        ShowInputMessage = true,
        ShowErrorMessage = true,
        ErrorStyle = DataValidationErrorStyleValues.Warning,
        PromptTitle = title.Length > 32 ? title[..32] : title,
        Prompt = string.Join(" / ", words),
        ErrorTitle = title.Length > 32 ? title[..32] : title,
        Error = string.Join(" / ", words),
        SequenceOfReferences = new ListValue<StringValue> { InnerText = range },
        Formula1 = new Formula1("\"" + string.Join(",", words).Replace("\"", "\"\"", StringComparison.Ordinal) + "\""),
    };

    private static int IndexOf(string id) => ReviewSheet.Columns.ToList().FindIndex(c => c.Id == id);

    private static Cell TextCell(int column, uint row, string value, uint style) => new()
    {
        CellReference = Reference(column, row),
        DataType = CellValues.InlineString,
        StyleIndex = style,
        InlineString = new InlineString(new Text(XmlSafe(value)) { Space = SpaceProcessingModeValues.Preserve }),
    };

    private static string Reference(int column, uint row) => Letter(column) + row;

    private static string Letter(int column) => column < 26 ? ((char)('A' + column)).ToString() : Letter(column / 26 - 1) + (char)('A' + column % 26);

    private static string XmlSafe(string text) =>
        text.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r') ? new string(text.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r').ToArray()) : text;

    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }), new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFD9E1F2" }) { PatternType = PatternValues.Solid }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFF2CC" }) { PatternType = PatternValues.Solid }))
        { Count = 4 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat { FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true, ApplyAlignment = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true },
            new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Top }) { NumberFormatId = 2, ApplyNumberFormat = true, ApplyAlignment = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FillId = 3, ApplyFill = true, ApplyAlignment = true })
        { Count = 5 });
}
