using System.Diagnostics;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using QualityScan.Speech.Tests.Audio;

namespace QualityScan.Pipeline.Tests.Reports;

/// <summary>
/// What a coach does to a review sheet, for tests (the review loop, the week-in-the-life test): types words into the
/// .xlsx cells found by their header, and saves the workbook again the way Polish Excel does, with LibreOffice.
/// </summary>
internal static class CoachTyping
{
    /// <summary>
    /// Types <paramref name="words"/> (header text → cell text) into the row whose cell under <paramref name="keyHeader"/>
    /// is <paramref name="key"/>, in the first sheet of <paramref name="xlsx"/>, as a coach types into cells; the rest
    /// of the file (lists, styles) is kept. Fails the test when the header or the row is missing.
    /// </summary>
    public static void FillXlsx(string xlsx, string keyHeader, string key, params (string Header, string Text)[] words)
    {
        using var document = SpreadsheetDocument.Open(xlsx, isEditable: true);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var rows = part.Worksheet.Descendants<Row>().ToList();
        string TextOf(Cell c) => c.DataType?.Value == CellValues.SharedString ? strings[int.Parse(c.CellValue!.Text)]
            : c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "";
        string ColumnOf(Cell c) => new(c.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).ToArray());
        var header = rows[0].Elements<Cell>().ToDictionary(TextOf, ColumnOf);
        Assert.That(header, Does.ContainKey(keyHeader), $"{xlsx}: no column '{keyHeader}' in the header");
        var row = rows.Skip(1).FirstOrDefault(r => r.Elements<Cell>().Any(c => ColumnOf(c) == header[keyHeader] && TextOf(c) == key));
        Assert.That(row, Is.Not.Null, $"{xlsx}: no row with {keyHeader} = {key}");
        foreach (var (name, text) in words)
        {
            Assert.That(header, Does.ContainKey(name), $"{xlsx}: no column '{name}' in the header");
            var reference = header[name] + row!.RowIndex!.Value;
            var cell = row.Elements<Cell>().FirstOrDefault(c => c.CellReference?.Value == reference);
            if (cell is null)
            {
                cell = new Cell { CellReference = reference };
                var after = row.Elements<Cell>().LastOrDefault(c => string.CompareOrdinal(Pad(ColumnOf(c)), Pad(header[name])) < 0);
                if (after is null)
                {
                    row.PrependChild(cell);
                }
                else
                {
                    after.InsertAfterSelf(cell);
                }
            }

            cell.CellValue = null;
            cell.DataType = CellValues.InlineString;
            cell.InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        }

        part.Worksheet.Save();
    }

    private static string Pad(string column) => column.PadLeft(3);
}

/// <summary>LibreOffice Calc run headless: the independent spreadsheet program that saves sheets as Polish Excel does.</summary>
internal static class LibreOffice
{
    /// <summary>The CSV export of Polish Excel: <c>;</c> (59), text in <c>"</c> (34), Windows-1250 (LibreOffice's encoding 33), from line 1.</summary>
    public const string PolishExcelCsvFilter = "csv:Text - txt - csv (StarCalc):59,34,33,1";

    /// <summary>Saves the first sheet of <paramref name="xlsx"/> as <paramref name="csv"/> the way Polish Excel's "CSV (rozdzielany przecinkami)" does: <c>;</c>, Windows-1250, decimal commas, CRLF.</summary>
    public static void SaveAsPolishExcelCsv(string xlsx, string csv, string work)
    {
        var converted = Convert(xlsx, PolishExcelCsvFilter, "csv", work);

        // LibreOffice ends lines as the system does (LF); Excel on Windows writes CRLF.
        var bytes = File.ReadAllBytes(converted).ToList();
        var crlf = new List<byte>(bytes.Count + 64);
        for (var i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] == (byte)'\n' && (i == 0 || bytes[i - 1] != (byte)'\r'))
            {
                crlf.Add((byte)'\r');
            }

            crlf.Add(bytes[i]);
        }

        File.WriteAllBytes(csv, crlf.ToArray());
    }

    /// <summary>Opens <paramref name="xlsx"/> and saves it again as .xlsx (Calc's own writer: shared strings, its styles) into <paramref name="target"/>.</summary>
    public static void Resave(string xlsx, string target, string work) => File.Copy(Convert(xlsx, "xlsx:Calc MS Excel 2007 XML", "xlsx", work), target, overwrite: true);

    /// <summary>
    /// Every sheet of <paramref name="xlsx"/> as LibreOffice Calc reads it, exported as UTF-8 CSV (one file per sheet,
    /// LibreOffice 7.2's sheet option -1), parsed into rows of cells; keyed by the sheet's name.
    /// </summary>
    public static Dictionary<string, List<string[]>> Sheets(string xlsx, string work)
    {
        var outDir = Run(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", work);
        var prefix = Path.GetFileNameWithoutExtension(xlsx) + "-";
        var sheets = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(outDir, "*.csv"))
        {
            using var reader = new StreamReader(file, System.Text.Encoding.UTF8);
            using var csv = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
            var rows = new List<string[]>();
            while (csv.Read())
            {
                rows.Add(csv.Record ?? []);
            }

            sheets[Path.GetFileNameWithoutExtension(file)[prefix.Length..]] = rows;
        }

        Assert.That(sheets, Is.Not.Empty, $"soffice exported no sheet of {xlsx}");
        return sheets;
    }

    private static string Convert(string source, string filter, string extension, string work)
    {
        var outDir = Run(source, filter, work);
        var result = Path.Combine(outDir, Path.GetFileNameWithoutExtension(source) + "." + extension);
        Assert.That(File.Exists(result), Is.True, $"soffice --convert-to {filter} {source} wrote nothing");
        return result;
    }

    private static string Run(string source, string filter, string work)
    {
        var soffice = ExternalTools.Require("soffice", "libreoffice-calc");
        var outDir = Path.Combine(work, "lo-out-" + Guid.NewGuid().ToString("N"));
        var profile = Path.Combine(work, "lo-profile");
        Directory.CreateDirectory(outDir);
        var start = new ProcessStartInfo(soffice)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-env:UserInstallation=" + new Uri(profile + "/").AbsoluteUri, "--headless", "--norestore", "--convert-to", filter, "--outdir", outDir, source })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "pl_PL.UTF-8";
        start.Environment["HOME"] = work;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"soffice --convert-to {filter} {source} did not finish in 3 minutes");
        }

        Assert.That(process.ExitCode, Is.Zero, $"soffice --convert-to {filter} {source}: {output.Result} {error.Result}");
        return outDir;
    }
}
