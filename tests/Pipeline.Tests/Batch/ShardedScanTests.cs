using System.Diagnostics;
using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Data.Sqlite;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>
/// The sample calls scanned as 4 shards by separate <c>qualityscan</c> processes (shuffled order, one killed while it
/// transcribes and run again), merged by <c>qualityscan report</c>, against one single-machine scan of the same calls.
/// </summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class ShardedScanTests
{
    private const int Shards = 4;
    private const string RunId = "night-test";
    private string _work = "";

    [SetUp]
    public void SetUp() => _work = Directory.CreateTempSubdirectory("qs-shards-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task ShardsThenReport_OneShardKilledAndRerun_SameReportsAsOneScan()
    {
        var samples = RepositoryPaths.SampleAudio;
        var single = Path.Combine(_work, "single");
        var sharded = Path.Combine(_work, "sharded");

        // The single-machine scan runs beside the shards (one worker each: 2 cores for 2 processes at a time).
        var singleScan = RunAsync(["scan", samples, "--out", single, "--workers", "1"]);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var order = Enumerable.Range(1, Shards).OrderBy(_ => random.Next()).ToList();
        var victim = order[0];
        TestContext.Out.WriteLine($"shard order {string.Join(", ", order)} (seed {seed}); shard {victim} is killed while it transcribes");

        var killed = await KillWhileTranscribingAsync(samples, sharded, victim);
        foreach (var number in order.Skip(1))
        {
            var (code, _, error) = await RunAsync(ShardArgs(samples, sharded, number));
            Assert.That(code, Is.EqualTo(ExitCodes.Success), $"shard {number}/{Shards}: {error}");
        }

        var (incompleteCode, incompleteOut, incompleteError) = await RunAsync(["report", sharded, "--run-id", RunId]);
        Assert.That(incompleteCode, Is.Not.EqualTo(ExitCodes.Success), "report refuses while the killed shard has not finished");
        Assert.That(incompleteError, Does.Contain($"shard {victim}/{Shards} is running"), "names the shard that did not finish");
        Assert.That(killed.Unfinished.Where(call => !incompleteError.Contains(call, StringComparison.Ordinal)), Is.Empty, "names the calls of that shard");
        Assert.That(File.Exists(Path.Combine(sharded, ReportWriter.CallsFile)), Is.False, "writes no reports for an incomplete night");

        var (rerunCode, _, rerunError) = await RunAsync(ShardArgs(samples, sharded, victim));
        Assert.That(rerunCode, Is.EqualTo(ExitCodes.Success), rerunError);
        var rerun = ShardResult.Read(ShardResult.PathFor(sharded, RunId, new ShardSpec(victim, Shards)));
        Assert.That(rerun.Counts["reused"], Is.EqualTo(killed.Stored.Count), "the re-run reuses what the killed shard stored");
        Assert.That(rerun.Counts["transcribed"], Is.GreaterThan(0), "and really transcribes the rest");

        var (reportCode, reportOut, reportError) = await RunAsync(["report", sharded, "--run-id", RunId]);
        Assert.That(reportCode, Is.EqualTo(ExitCodes.Success), reportOut + reportError);
        var (singleCode, _, singleError) = await singleScan;
        Assert.That(singleCode, Is.EqualTo(ExitCodes.Success), singleError);

        var transcribedByShards = Enumerable.Range(1, Shards).Sum(n => ShardResult.Read(ShardResult.PathFor(sharded, RunId, new ShardSpec(n, Shards))).Counts["transcribed"]);
        Assert.That(transcribedByShards + killed.Stored.Count, Is.EqualTo(CountCalls(samples)), "every call was transcribed by a shard, none by the report");
        AssertSameReports(single, sharded);
    }

    private static int CountCalls(string samples) => File.ReadAllLines(Path.Combine(samples, "calls.csv")).Length - 1;

    private static string[] ShardArgs(string samples, string output, int number) =>
        ["scan", samples, "--out", output, "--workers", "1", "--shard", $"{number}/{Shards}", "--run-id", RunId];

    /// <summary>Starts the shard, kills it as soon as its first transcript is stored, and returns what it stored and left undone.</summary>
    private static async Task<(IReadOnlyList<string> Stored, IReadOnlyList<string> Unfinished)> KillWhileTranscribingAsync(string samples, string output, int number)
    {
        using var process = Start(ShardArgs(samples, output, number));
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var resultPath = ShardResult.PathFor(output, RunId, new ShardSpec(number, Shards));
        var watch = Stopwatch.StartNew();
        IReadOnlyList<string> stored = [];
        List<string> mine = [];
        while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (mine.Count == 0 && File.Exists(resultPath))
            {
                mine = ShardResult.Read(resultPath).Plan.Where(p => p.Shard == number).Select(p => p.CallId).ToList();
            }

            stored = mine.Where(id => File.Exists(Path.Combine(output, "transcripts", id + ".json"))).ToList();
            if (stored.Count > 0)
            {
                process.Kill(entireProcessTree: true);
                break;
            }

            await Task.Delay(50);
        }

        await process.WaitForExitAsync();
        await drained;
        Assert.That(mine, Has.Count.GreaterThanOrEqualTo(2), "the killed shard has calls to leave undone");
        Assert.That(stored, Has.Count.InRange(1, mine.Count - 1), "the shard was killed after storing its first transcript and before its last");
        Assert.That(ShardResult.Read(resultPath).Status, Is.EqualTo(RunStatus.Running), "a killed shard's result still says running");
        return (stored, mine.Except(stored).ToList());
    }

    private static void AssertSameReports(string single, string sharded)
    {
        var files = Directory.EnumerateFiles(single, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(single, f))
            .Where(f => !f.StartsWith("transcripts", StringComparison.Ordinal) && !f.StartsWith(ModelLoading.DecoderCacheFolderName, StringComparison.Ordinal) && f is not ("qualityscan.log" or "history.db" or RunRecord.FileName))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(files, Does.Contain(WorkbookWriter.FileName).And.Contain(ReportWriter.CallsFile).And.Contain(Path.Combine("coach", "index.html")));
        Assert.That(files.Count(f => f.StartsWith(Path.Combine("coach", "clips"), StringComparison.Ordinal)), Is.GreaterThan(0), "the scan cut coach clips");
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                var other = Path.Combine(sharded, file);
                if (!File.Exists(other))
                {
                    Assert.Fail($"{file} is missing from the sharded output");
                    continue;
                }

                switch (Path.GetExtension(file))
                {
                    case ".csv":
                        Assert.That(Cells(other), Is.EqualTo(Cells(Path.Combine(single, file))), file);
                        break;
                    case ".xlsx":
                        Assert.That(WorkbookCells(other), Is.EqualTo(WorkbookCells(Path.Combine(single, file))), file);
                        break;
                    default:
                        Assert.That(File.ReadAllBytes(other), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, file))), file);
                        break;
                }
            }

            var extra = Directory.EnumerateFiles(sharded, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(sharded, f))
                .Where(f => !f.StartsWith("transcripts", StringComparison.Ordinal) && !f.StartsWith(ShardResult.Folder, StringComparison.Ordinal) && !f.StartsWith(ModelLoading.DecoderCacheFolderName, StringComparison.Ordinal)
                    && f is not ("qualityscan.log" or "history.db" or RunRecord.FileName) && !files.Contains(f));
            Assert.That(extra, Is.Empty, "the sharded output has no report the single scan lacks");
            Assert.That(HistoryRows(Path.Combine(sharded, "history.db")), Is.EqualTo(HistoryRows(Path.Combine(single, "history.db"))), "history rows, run ids aside");
            Assert.That(HistoryRunIds(Path.Combine(sharded, "history.db")), Is.EqualTo(new[] { RunId }), "the history knows the night by the shards' run id");
            var singleRun = File.ReadAllText(Path.Combine(single, RunRecord.FileName));
            var shardedRun = File.ReadAllText(Path.Combine(sharded, RunRecord.FileName));
            var calls = CountCalls(RepositoryPaths.SampleAudio);
            foreach (var key in new[] { "\"status\": \"complete\"", $"\"recordings\": {calls}", $"\"reported\": {calls}", "\"errors\": 0" })
            {
                Assert.That(singleRun, Does.Contain(key), "single run.json");
                Assert.That(shardedRun, Does.Contain(key), "sharded run.json");
            }
        });
    }

    private static List<List<string>> Cells(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        // The review sheets are in the report language's form (';' for Polish Excel); the files for programs use ','.
        using var csv = new CsvHelper.CsvReader(reader, ReportWriter.Configuration with { DetectDelimiter = true });
        var rows = new List<List<string>>();
        while (csv.Read())
        {
            rows.Add(Enumerable.Range(0, csv.Parser.Count).Select(i => csv.GetField(i) ?? "").ToList());
        }

        return rows;
    }

    /// <summary>Every sheet's cells as a spreadsheet shows them: reference, shared strings resolved, numbers as written.</summary>
    private static List<string> WorkbookCells(string path)
    {
        using var document = SpreadsheetDocument.Open(path, isEditable: false);
        var part = document.WorkbookPart!;
        var strings = part.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var cells = new List<string>();
        foreach (var sheet in part.Workbook.Sheets!.Elements<Sheet>())
        {
            var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet;
            foreach (var cell in worksheet.Descendants<Cell>())
            {
                var value = cell.DataType?.Value == CellValues.SharedString ? strings[int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)]
                    : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText
                    : cell.CellValue?.Text;
                cells.Add($"{sheet.Name}!{cell.CellReference}={value}|style {cell.StyleIndex?.Value}");
            }
        }

        return cells;
    }

    private static List<string> HistoryRows(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.call_id, c.day, c.agent_id, c.agent_name, c.language, c.started_at, c.duration_s, c.score, c.not_judged_reason, c.counts, c.source_file, c.model, c.rules,
                   (SELECT group_concat(k.check_id || '=' || k.outcome, ',') FROM (SELECT * FROM call_checks k WHERE k.call_id = c.call_id AND k.day = c.day ORDER BY k.check_id) k)
            FROM calls c ORDER BY c.call_id, c.day
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        Assert.That(rows, Has.Count.EqualTo(CountCalls(RepositoryPaths.SampleAudio)), $"{path}: one history row per sample call");
        return rows;
    }

    private static List<string> HistoryRunIds(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT run_id FROM calls UNION SELECT run_id FROM runs";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The qualityscan program built beside the tests (the Pipeline project's apphost).</summary>
    private static Process Start(IReadOnlyList<string> args)
    {
        var program = Path.Combine(TestContext.CurrentContext.TestDirectory, OperatingSystem.IsWindows() ? "qualityscan.exe" : "qualityscan");
        if (!File.Exists(program))
        {
            Assert.Ignore($"{program} was not built beside the tests");
        }

        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The shards take their number from the command line here, not from a scheduler this test may run under.
        foreach (var name in new[] { ShardEnvironment.ShardVariable, ShardEnvironment.RunIdVariable, ShardEnvironment.KubernetesIndexVariable, ShardEnvironment.SlurmTaskIdVariable, ShardEnvironment.SlurmArrayJobIdVariable })
        {
            start.Environment.Remove(name);
        }

        return Process.Start(start)!;
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(IReadOnlyList<string> args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A guard against a hung process, not a speed limit: the single scan of all sample calls runs beside the shards
        // on a shared 2-core machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
