using QualityScan.Models.IO;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using QualityScan.Models;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Reports;

/// <summary>One column of the review sheet.</summary>
/// <param name="Id">The column id (<c>verdict</c>), accepted as a header in every language.</param>
/// <param name="HeaderKey">The report message key of its header (<c>col_verdict</c>: "Czy zgadzasz się z oceną?").</param>
/// <param name="ByCoach">True for the columns the coach types in; QualityScan never changes what is typed there.</param>
/// <param name="Aliases">Older header names still read (<c>evidence</c> for <c>quote</c>).</param>
public sealed record ReviewColumn(string Id, string HeaderKey, bool ByCoach, params string[] Aliases);

/// <summary>The problems met reading one review sheet form, for an error row and a log line.</summary>
/// <param name="File">The file, relative to the output folder (<c>coach/akowalska-review.csv</c>).</param>
/// <param name="AgentId">The agent whose sheet it is.</param>
/// <param name="Reason">What is wrong and what QualityScan did about it.</param>
/// <param name="Detail">The reason as a sentence of the report messages (its <c>{file}</c> is <paramref name="File"/>).</param>
public sealed record ReviewSheetProblem(string File, string AgentId, string Reason, MessageRef? Detail = null)
{
    /// <summary>The problem as a row of <c>errors.csv</c> (stage <c>review</c>).</summary>
    public ErrorRow ToErrorRow() => new() { File = File, AgentId = AgentId, Stage = "review", Reason = Reason, Detail = Detail };
}

/// <summary>
/// The coach review sheet, defined once: its columns, the rows a night writes, the two forms coaches get
/// (<c>coach/&lt;agent&gt;-review.xlsx</c> with drop-down lists, and <c>coach/&lt;agent&gt;-review.csv</c>), the reader
/// <c>learn</c> and <c>evaluate --reviews</c> use, and the carry-over of what the coach typed when a night is re-run.
/// </summary>
/// <remarks>
/// <para>Columns (header in the report language; the ids and every language's headers are read):
/// <c>moment_id, call_id, agent_id, check, start_s, end_s, quote, reason, outcome</c> (QualityScan) and
/// <c>verdict, correct_outcome, comment</c> (the coach).</para>
/// <para>CSV: for Polish and Czech reports <c>;</c>-separated with decimal commas, because Excel set to those languages
/// splits a double-clicked CSV at its list separator, which is <c>;</c> there; for English <c>,</c>. Always UTF-8 with a
/// byte-order mark (without it Excel reads Windows-1250 and breaks "ą"), CRLF line ends, and cells that would start a
/// formula escaped with an apostrophe. Read like a manifest: <c>,</c>, <c>;</c> or tab; UTF-8 or Windows-1250 (what
/// Excel's "CSV (rozdzielany przecinkami)" saves); CRLF or LF; decimal point or comma.</para>
/// </remarks>
public static class ReviewSheet
{
    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<ReviewColumn> Columns { get; } =
    [
        new("moment_id", "col_moment_id", false),
        new("call_id", "col_call_id", false),
        new("agent_id", "col_agent_id", false),
        new("check", "col_check", false),
        new("start_s", "col_start_s", false),
        new("end_s", "col_end_s", false),
        new("quote", "col_quote", false, "evidence"),
        new("reason", "col_reason", false),
        new("outcome", "col_tool_outcome", false),
        new("verdict", "col_verdict", true),
        new("correct_outcome", "col_correct_outcome", true),
        new("comment", "col_comment", true),
    ];

    /// <summary>The columns a file must have to be read as a review sheet.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = ["call_id", "check", "verdict"];

    /// <summary>The CSV form's file name for an agent: <c>&lt;agent&gt;-review.csv</c>.</summary>
    public static string CsvFileName(string agentId) => ReportWriter.SafeFileName(agentId) + "-review.csv";

    /// <summary>The .xlsx form's file name for an agent: <c>&lt;agent&gt;-review.xlsx</c>.</summary>
    public static string XlsxFileName(string agentId) => ReportWriter.SafeFileName(agentId) + "-review.xlsx";

    /// <summary>
    /// The quoted words of a moment as the sheet (and the coach page) shows them: the one place quotes are rendered, so
    /// that masking personal data applies to every form.
    /// </summary>
    public static string Quote(ReportText text, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Evidence(finding);
    }

    /// <summary>The rows a night writes for an agent: one per failed moment, the coach's columns empty.</summary>
    public static IReadOnlyList<ReviewRow> RowsFor(AgentSummary agent, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(text);
        return agent.Calls.SelectMany(c => TeamSummary.FailedMoments(c).Select(f => new ReviewRow
        {
            MomentId = TeamSummary.MomentId(c.Metadata.CallId, f),
            CallId = c.Metadata.CallId,
            AgentId = agent.AgentId,
            Check = f.CheckId,
            StartSeconds = Math.Round(f.Start, 2),
            EndSeconds = Math.Round(f.End, 2),
            Quote = Quote(text, f),
            Reason = text.Reason(f),
            ToolOutcome = text.OutcomeWord(f.Outcome),
        })).ToList();
    }

    /// <summary>
    /// The night's rows with the coach's words of <paramref name="typed"/> carried over by <see cref="ReviewRow.Key"/>, exactly
    /// as typed; typed rows whose moment is gone tonight are kept at the end.
    /// </summary>
    public static IReadOnlyList<ReviewRow> Merge(IReadOnlyList<ReviewRow> fresh, IEnumerable<ReviewRow> typed)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        ArgumentNullException.ThrowIfNull(typed);
        var filled = typed.Where(r => r.HasCoachInput).GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var rows = fresh.Select(r => filled.TryGetValue(r.Key, out var old) ? r.WithCoachInput(old) : r).ToList();
        var present = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(filled.Values.Where(r => !present.Contains(r.Key)).Select(r => r with { Line = 0 }));
        return rows;
    }

    /// <summary>Reads a review sheet, <c>.xlsx</c> or CSV (told by the extension).</summary>
    /// <remarks>Only a regular file is opened: a FIFO named like a sheet would block the night, a device never end.</remarks>
    /// <exception cref="ReviewSheetException">The file is not a regular file, cannot be read, or lacks a required column (the message names the file).</exception>
    public static IReadOnlyList<ReviewRow> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (NotRegular(path) is { } problem)
        {
            throw new ReviewSheetException(path, problem);
        }

        var table = IsXlsx(path) ? ReviewWorkbook.ReadTable(path) : ReadCsvTable(path);
        return FromTable(path, table);
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a sheet without opening it (a folder, a FIFO, socket or device, or
    /// nothing there), or null for a regular file.
    /// </summary>
    public static string? NotRegular(string path) => FileKinds.Of(path) switch
    {
        FileKind.Regular => null,
        FileKind.Missing => "does not exist",
        FileKind.Directory => "is a folder, not a review sheet",
        _ => "is not a regular file (a FIFO, socket or device), so it is not opened",
    };

    /// <summary>True for a path of the .xlsx form.</summary>
    public static bool IsXlsx(string path) => Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the CSV form atomically (see the remarks of <see cref="ReviewSheet"/> for the format).</summary>
    public static void WriteCsv(string path, IReadOnlyList<ReviewRow> rows, ReportText text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(text);
        var semicolon = text.Language is "pl" or "cs";
        var culture = semicolon ? text.Culture : CultureInfo.InvariantCulture;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = semicolon ? ";" : ",",
            NewLine = "\r\n",
            InjectionOptions = InjectionOptions.Escape,
        };
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
            using var csv = new CsvWriter(writer, config);
            foreach (var column in Columns)
            {
                csv.WriteField(text.T(column.HeaderKey));
            }

            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var cell in Cells(row))
                {
                    csv.WriteField(cell is double number ? number.ToString("0.##", culture) : (string?)cell ?? "");
                }

                csv.NextRecord();
            }
        });
    }

    /// <summary>Writes the .xlsx form atomically: header in the report language, drop-down lists for the coach's verdict and correct outcome.</summary>
    public static void WriteXlsx(string path, IReadOnlyList<ReviewRow> rows, ReportText text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(text);
        ReviewWorkbook.Write(path, rows, text);
    }

    /// <summary>
    /// Writes both forms of an agent's sheet into <paramref name="folder"/>, keeping what the coach typed in either
    /// form. A form that cannot be read is left untouched and reported; a moment filled differently in the two forms
    /// leaves both untouched (nothing typed is ever overwritten).
    /// </summary>
    /// <param name="folder">The coach folder.</param>
    /// <param name="relativeFolder">The folder as named in problems (<c>coach</c>).</param>
    /// <param name="agentId">The agent.</param>
    /// <param name="fresh">Tonight's rows (<see cref="RowsFor"/>).</param>
    /// <param name="text">The report language.</param>
    /// <returns>The problems met; empty when both forms were written.</returns>
    public static IReadOnlyList<ReviewSheetProblem> Update(string folder, string relativeFolder, string agentId, IReadOnlyList<ReviewRow> fresh, ReportText text)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(fresh);
        var forms = new[] { Path.Combine(folder, XlsxFileName(agentId)), Path.Combine(folder, CsvFileName(agentId)) };
        var problems = new List<ReviewSheetProblem>();
        var readable = new List<string>();
        var typed = new List<(string Path, ReviewRow Row)>();
        foreach (var form in forms)
        {
            if (FileKinds.Of(form, followLinks: false) == FileKind.Missing)
            {
                readable.Add(form);
                continue;
            }

            try
            {
                typed.AddRange(Read(form).Where(r => r.HasCoachInput).Select(r => (form, r)));
                readable.Add(form);
            }
            catch (ReviewSheetException ex)
            {
                var key = NotRegular(form) is null ? "report.error_review_unreadable" : "report.error_review_not_a_file";
                problems.Add(new ReviewSheetProblem(Relative(relativeFolder, form), agentId,
                    $"{Relative(relativeFolder, form)}: {ex.Problem}; the file is left untouched and not updated tonight (fix it, or delete it to get a new one){OtherForm(forms, form)}",
                    MessageRef.Of(key, ("other", OtherName(forms, form)))));
            }
        }

        var combined = new List<ReviewRow>();
        var conflicts = new List<string>();
        foreach (var moment in typed.GroupBy(t => t.Row.Key, StringComparer.Ordinal))
        {
            if (Combine(moment.Select(t => t.Row).ToList()) is { } row)
            {
                combined.Add(row);
            }
            else
            {
                conflicts.Add(moment.Key);
            }
        }

        if (conflicts.Count > 0)
        {
            problems.Add(new ReviewSheetProblem(Relative(relativeFolder, forms[0]), agentId,
                $"{Relative(relativeFolder, forms[0])} and {Relative(relativeFolder, forms[1])} say different things for moment(s) {string.Join(", ", conflicts.Take(5))}; " +
                "both are left untouched and not updated tonight (make them agree, or delete the one that is wrong)",
                MessageRef.Of("report.error_review_conflict", ("other", Relative(relativeFolder, forms[1])), ("moments", string.Join(", ", conflicts.Take(5))))));
            return problems;
        }

        var rows = Merge(fresh, combined);
        foreach (var form in readable)
        {
            try
            {
                if (IsXlsx(form))
                {
                    WriteXlsx(form, rows, text);
                }
                else
                {
                    WriteCsv(form, rows, text);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A coach may have the file open on a share that locks it: the rest of the night goes on.
                problems.Add(new ReviewSheetProblem(Relative(relativeFolder, form), agentId,
                    $"{Relative(relativeFolder, form)}: cannot be written ({ex.Message}); the previous file is kept{OtherForm(forms, form)}",
                    MessageRef.Of("report.error_review_not_written", ("other", OtherName(forms, form)))));
            }
        }

        return problems;
    }

    /// <summary>The cells of a row in column order: strings, or doubles for the times.</summary>
    internal static object?[] Cells(ReviewRow row) =>
    [
        row.MomentId, row.CallId, row.AgentId, row.Check, row.StartSeconds, row.EndSeconds, row.Quote, row.Reason, row.ToolOutcome,
        row.Verdict, row.CorrectOutcome, row.Comment,
    ];

    /// <summary>
    /// One moment's typed cells from both forms, cell by cell: a cell typed in one form only is taken from it; the same
    /// words in both (case, diacritics and line ends aside) are fine; different words are a conflict (null).
    /// </summary>
    private static ReviewRow? Combine(IReadOnlyList<ReviewRow> rows)
    {
        string? Cell(Func<ReviewRow, string> column, Func<string, string?> meaning)
        {
            var typed = rows.Select(column).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            return typed.Select(t => meaning(t) ?? ReviewWords.Fold(t.ReplaceLineEndings("\n"))).Distinct(StringComparer.Ordinal).Count() > 1
                ? null
                : typed.FirstOrDefault() ?? "";
        }

        var verdict = Cell(r => r.Verdict, t => ReviewWords.ParseVerdict(t)?.ToString());
        var outcome = Cell(r => r.CorrectOutcome, t => ReviewWords.ParseOutcome(t)?.ToString());
        var comment = Cell(r => r.Comment, _ => null);
        return verdict is null || outcome is null || comment is null ? null : rows[0] with { Verdict = verdict, CorrectOutcome = outcome, Comment = comment };
    }

    private static string Relative(string relativeFolder, string path) => $"{relativeFolder}/{Path.GetFileName(path)}";

    private static string OtherForm(string[] forms, string form) => $"; tonight's moments are in {OtherName(forms, form)}";

    private static string OtherName(string[] forms, string form) => Path.GetFileName(forms.First(f => f != form));

    private static List<(int Line, string[] Cells)> ReadCsvTable(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReviewSheetException(path, $"cannot be read ({ex.Message})");
        }

        var decoded = ManifestReader.Decode(bytes);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = decoded.Delimiter,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        };
        var table = new List<(int, string[])>();
        using var reader = new StringReader(decoded.Text);
        using var parser = new CsvParser(reader, config);
        while (parser.Read())
        {
            table.Add((parser.RawRow, parser.Record ?? []));
        }

        return table;
    }

    private static IReadOnlyList<ReviewRow> FromTable(string path, IReadOnlyList<(int Line, string[] Cells)> table)
    {
        var headerAt = -1;
        for (var i = 0; i < table.Count && headerAt < 0; i++)
        {
            headerAt = table[i].Cells.Any(c => !string.IsNullOrWhiteSpace(c)) ? i : -1;
        }

        if (headerAt < 0)
        {
            throw new ReviewSheetException(path, $"is empty; a review sheet has a header row with the columns {string.Join(", ", Columns.Select(c => c.Id))}");
        }

        var header = table[headerAt].Cells.Select(h => ReviewWords.Fold(h)).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            var names = ReviewWords.HeadersOf(column).Select(ReviewWords.Fold).ToHashSet(StringComparer.Ordinal);
            var at = header.FindIndex(names.Contains);
            if (at >= 0)
            {
                index[column.Id] = at;
            }
        }

        var missing = RequiredColumns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ReviewSheetException(path,
                $"is not a review sheet: no column {string.Join(", ", missing)} in the header ({string.Join(", ", table[headerAt].Cells.Take(14))}); " +
                $"expected the columns {string.Join(", ", Columns.Select(c => c.Id))} or their names in the report language");
        }

        var rows = new List<ReviewRow>();
        foreach (var (line, cells) in table.Skip(headerAt + 1))
        {
            string Get(string id) => index.TryGetValue(id, out var at) && at < cells.Length ? Unescape(cells[at]) : "";
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(new ReviewRow
            {
                MomentId = Get("moment_id").Trim(),
                CallId = Get("call_id").Trim(),
                AgentId = Get("agent_id").Trim(),
                Check = Get("check").Trim().ToLowerInvariant(),
                StartSeconds = Seconds(Get("start_s")),
                EndSeconds = Seconds(Get("end_s")),
                Quote = Get("quote"),
                Reason = Get("reason"),
                ToolOutcome = Get("outcome").Trim(),
                Verdict = Get("verdict"),
                CorrectOutcome = Get("correct_outcome"),
                Comment = Get("comment"),
                Line = line,
            });
        }

        return rows;
    }

    /// <summary>Undoes the apostrophe the writer put before a cell that would start a formula.</summary>
    private static string Unescape(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;

    private static double? Seconds(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Contains(',', StringComparison.Ordinal) && !trimmed.Contains('.', StringComparison.Ordinal))
        {
            trimmed = trimmed.Replace(',', '.');
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

/// <summary>A review sheet that cannot be read: the message names the file and the problem.</summary>
public sealed class ReviewSheetException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ReviewSheetException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
