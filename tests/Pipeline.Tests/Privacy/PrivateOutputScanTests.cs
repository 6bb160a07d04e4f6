using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Batch;

namespace QualityScan.Pipeline.Tests.Privacy;

/// <summary>
/// Real scans by the built <c>qualityscan</c> program as a child process started under <c>umask 0000</c> (the worst a
/// service account can have): what is left behind, read with <c>find -printf</c>, is private; retention over three dated
/// night folders deletes the oldest night's words and keeps the history's scores.
/// </summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateOutputScanTests
{
    private string _work = "";

    [SetUp]
    public void SetUp() => _work = Directory.CreateTempSubdirectory("qs-private-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Scan_UnderUmask0000_NoFileOrFolderOpenToOthers()
    {
        var input = CopySmallestSampleCall();
        var group = (await RunTool("id", "-gn")).Trim();
        var gid = (await RunTool("id", "-g")).Trim();
        File.WriteAllText(Path.Combine(input, "qualityscan.yaml"), $"output_group: {group}\n");
        var output = Path.Combine(_work, "out");
        var earlier = Path.Combine(output, "shared-by-hand");
        Directory.CreateDirectory(earlier);
        File.SetUnixFileMode(earlier, (UnixFileMode)Convert.ToInt32("777", 8));

        var (code, _, error) = await RunScan(["scan", input, "--out", output]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        var entries = (await RunTool("find", output, "-printf", "%y %m %G %p\\n")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 4)).Where(e => e[3] != earlier).ToList();
        Assert.That(entries.Select(e => e[3]), Has.Some.EndsWith("history.db").And.Some.EndsWith("qualityscan.log").And.Some.EndsWith(".wav").And.Some.EndsWith(".json"),
            "the scan wrote its history, log, clips and transcripts");
        Assert.Multiple(() =>
        {
            foreach (var entry in entries)
            {
                Assert.That(entry[1], Is.EqualTo(entry[0] == "d" ? "2750" : "640"), $"{entry[3]}: folders 0750 with the group's set-group-id bit, files 0640");
                Assert.That(entry[2], Is.EqualTo(gid), $"{entry[3]} belongs to output_group");
            }
        });
        var log = File.ReadAllLines(Path.Combine(output, "qualityscan.log"));
        Assert.That(log.Count(l => l.Contains("Output permissions", StringComparison.Ordinal)), Is.EqualTo(1), "the wider folder is reported once");
        Assert.That(log.Single(l => l.Contains("Output permissions", StringComparison.Ordinal)), Does.Contain(earlier).And.Contain("0777"));
    }

    [Test]
    public async Task Scan_ThreeDatedNightsKeepDaysSeven_OldestNightsWordsDeletedScoresKept()
    {
        var input = CopySmallestSampleCall();
        var root = Path.Combine(_work, "qa");
        var history = Path.Combine(root, "history.db");
        var last = new DateOnly(2026, 11, 30);
        string Date(int daysAgo) => last.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Night(int daysAgo) => Path.Combine(root, Date(daysAgo));

        // Night after night: the call is re-dated to each night and scanned with --date, as a nightly job would.
        var manifest = Path.Combine(input, "calls.csv");
        var lines = File.ReadAllLines(manifest);
        foreach (var daysAgo in new[] { 10, 5, 0 })
        {
            File.WriteAllLines(manifest, [lines[0], lines[1][..lines[1].LastIndexOf(',')] + "," + Date(daysAgo) + "T10:15:00+01:00"]);
            var (code, _, error) = await RunScan(["scan", input, "--out", Night(daysAgo), "--date", Date(daysAgo), "--history", history, "--keep-days", "7"]);
            Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
            Assert.That(Directory.Exists(Night(10)), Is.EqualTo(daysAgo > 0), $"after the night of {Date(daysAgo)}: the night of {Date(10)} is deleted only once it is more than 7 days old");
        }

                Assert.That(File.Exists(Path.Combine(Night(5), "transcripts", "pl03-bare-dontknow.json")), Is.True, "5 days ago is within 7 days");
        Assert.That(File.Exists(Path.Combine(Night(0), "coach", "index.html")), Is.True);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Night(0), "run.json")));
        Assert.That(run.RootElement.GetProperty("deleted").GetProperty("nightFolders").GetInt32(), Is.EqualTo(1), "run.json counts the deletion");
        Assert.That(File.ReadAllText(Path.Combine(Night(0), "qualityscan.log")), Does.Contain("Retention 7 day(s)").And.Contain("1 night folder(s)"));
        using var db = new SqliteConnection($"Data Source={history};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM runs";
        Assert.That(Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture), Is.EqualTo(3), "the history keeps every night's run and scores");
    }

    private string CopySmallestSampleCall()
    {
        var samples = RepositoryPaths.SampleAudio;
        var lines = File.ReadAllLines(Path.Combine(samples, "calls.csv"));
        var row = lines.Skip(1).Single(l => l.StartsWith("kkowalska/pl03-bare-dontknow.wav,", StringComparison.Ordinal));
        var input = Path.Combine(_work, "in");
        var file = row.Split(',')[0];
        Directory.CreateDirectory(Path.Combine(input, Path.GetDirectoryName(file)!));
        File.Copy(Path.Combine(samples, file), Path.Combine(input, file));
        File.WriteAllLines(Path.Combine(input, "calls.csv"), [lines[0], row]);
        return input;
    }

    /// <summary>Runs the built program through <c>sh -c 'umask 0000; exec …'</c>.</summary>
    private static async Task<(int Code, string Out, string Error)> RunScan(IReadOnlyList<string> args)
    {
        var program = Path.Combine(TestContext.CurrentContext.TestDirectory, "qualityscan");
        if (!File.Exists(program))
        {
            Assert.Ignore($"{program} was not built beside the tests");
        }

        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "umask 0000 && exec \"$0\" \"$@\"", program }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<string> RunTool(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{tool} {string.Join(' ', args)}");
        return text;
    }
}
