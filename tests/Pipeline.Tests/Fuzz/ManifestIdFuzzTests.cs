using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Fuzz;

/// <summary>
/// Ids with control characters and manifests that repeat themselves: generated from fixed seeds, run through discovery
/// and the real <c>scan</c>. No ESC, NUL, CR, LF or bidi override from an id reaches a report, the log or the terminal;
/// a manifest naming five files on thousands of rows gives five recordings, five error rows and a short log.
/// </summary>
[TestFixture]
[Category("fuzz")]
[NonParallelizable]
public sealed class ManifestIdFuzzTests
{
    private const int Seed = 21_2026;

    /// <summary>Characters an id must never carry into an output, chosen from the standards (not from the code under test).</summary>
    private static readonly char[] Hostile =
    [
        '\u0000', '\u0007', '\u0008', '\u001B', '\r', '\n', '\t', '\u007F', '\u0085', '\u009B', '\u200B', '\u200E', '\u200F', '\u2028', '\u2029',
        '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\uFEFF',
    ];

    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-idfuzz-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown()
    {
        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", _work]) { UseShellExecute = false })!;
        rm.WaitForExit();
    }

    [Test]
    public void Discover_GeneratedIdsWithControlCharacters_NoneReachesAJobOrErrorRowAndDistinctIdsStayDistinct()
    {
        var random = new Random(Seed);
        var rows = new StringBuilder("file,call_id,agent_id,agent_name,company\n");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
        {
            var id = HostileText(random, $"c{i}");
            ids.Add(id);
            var file = i % 3 == 0 ? $"missing{i}.wav" : $"r{i}.wav";
            if (i % 3 != 0)
            {
                File.WriteAllBytes(Path.Combine(_work, file), [0]);
            }

            rows.Append(file).Append(',').Append(Csv(id)).Append(',').Append(Csv(HostileText(random, "agent"))).Append(',')
                .Append(Csv(HostileText(random, "Anna"))).Append(',').Append(Csv(HostileText(random, "Telkom"))).Append('\n');
        }

        // A file name of its own with an ESC sequence and a bidi override (no manifest row: ids from the name).
        File.WriteAllBytes(Path.Combine(_work, "name\u001B[2J\u202Egpj.wav"), [0]);
        File.WriteAllText(Path.Combine(_work, "calls.csv"), rows.ToString(), new UTF8Encoding(false));

        var result = CallDiscovery.Discover(_work);

        Assert.That(result.Jobs, Has.Count.EqualTo(201), "200 listed recordings and the one named by its file");
        Assert.That(result.Errors, Has.Count.EqualTo(100), "every missing file is an error row");
        var shown = result.Jobs.SelectMany(j => new[] { j.CallId, j.AgentId, j.AgentName ?? "", j.Company ?? "", j.RelativePath })
            .Concat(result.Errors.SelectMany(e => new[] { e.File, e.CallId ?? "", e.AgentId ?? "", e.Reason }))
            .Concat(result.Warnings);
        foreach (var text in shown)
        {
            Assert.That(text.IndexOfAny(Hostile), Is.EqualTo(-1), $"'{text}' carries a control or bidi character");
        }

        Assert.That(result.Jobs.Select(j => j.CallId).Distinct().Count(), Is.EqualTo(result.Jobs.Count), "distinct ids stay distinct once escaped");
        Assert.That(result.Jobs.Single(j => j.RelativePath.StartsWith("name", StringComparison.Ordinal)).CallId, Is.EqualTo("name\\u001B[2J\\u202Egpj"),
            "an id from a file name is shown with visible escapes");
        Assert.That(result.Jobs.Single(j => j.AudioPath.EndsWith("gpj.wav", StringComparison.Ordinal)).AudioPath, Does.Contain("\u001B"), "the real path is kept for opening the file");
    }

    [Test]
    public void Discover_ManifestNamingFiveFilesOnThousandsOfRows_FiveRecordingsFiveErrorRowsFoldedWarnings()
    {
        for (var f = 0; f < 5; f++)
        {
            File.WriteAllBytes(Path.Combine(_work, $"f{f}.wav"), [0]);
        }

        for (var u = 0; u < 60; u++)
        {
            File.WriteAllBytes(Path.Combine(_work, $"unlisted{u}.wav"), [0]);
        }

        var rows = new StringBuilder("file,call_id,agent_id,agent_name,company\n");
        for (var i = 0; i < 20_000; i++)
        {
            rows.Append($"f{i % 5}.wav,call{i},a{i % 7},Anna,Telkom\n");
        }

        File.WriteAllText(Path.Combine(_work, "calls.csv"), rows.ToString());

        var result = CallDiscovery.Discover(_work);

        Assert.That(result.Jobs.Where(j => j.RelativePath.StartsWith('f')).Select(j => j.CallId), Is.EquivalentTo(new[] { "call0", "call1", "call2", "call3", "call4" }), "the first row of each file is used");
        Assert.That(result.Errors, Has.Count.EqualTo(5), "one error row per repeated file, not one per row");
        Assert.That(result.Errors[0].Reason, Does.Contain("listed again on 3999 more row(s)").And.Contain("and 3989 more").And.Contain("the first row is used"));
        Assert.That(result.Recordings, Is.EqualTo(65), "five listed recordings and 60 unlisted ones, each counted once");
        Assert.That(result.Warnings, Has.Count.EqualTo(WarningFolding.FirstOfEachKind + 1), "20 'no row' warnings, then one line counting the rest");
        Assert.That(result.Warnings[^1], Does.StartWith("... and 40 more like this: no row in calls.csv"));
    }

    [TestCase("file,call_id,agent_id,agent_name,company,call_id", "call_id", "columns 2, 6")]
    [TestCase("file;Agent_ID;call_id;agent_name;company; agent_id ", "agent_id", "columns 2, 6")]
    public void Discover_RepeatedManifestColumn_ErrorNamingTheColumn(string header, string column, string where)
    {
        File.WriteAllBytes(Path.Combine(_work, "a.wav"), [0]);
        File.WriteAllText(Path.Combine(_work, "calls.csv"), header + "\n" + string.Join(header.Contains(';') ? ';' : ',', ["a.wav", "x", "y", "Anna", "Telkom", "z"]) + "\n");

        var error = Assert.Throws<ManifestException>(() => CallDiscovery.Discover(_work))!;

        Assert.That(error.Message, Does.Contain("calls.csv").And.Contain($"column '{column}' appears 2 times").And.Contain(where));
    }

    [Test]
    [Category("model")]
    public async Task Scan_HostileIdsAndRepeatedRows_NoControlCharacterInAnyOutputOrTheTerminal()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        string[] ids = ["esc\u001B[31mRED\u001B[0m", "nul\u0000id", "cr\rid", "lf\nINJECTED row", "bidi\u202Eslx.exe", "iso\u2066late\u2069"];
        var rows = new StringBuilder("file,call_id,agent_id,agent_name,company\n");
        for (var i = 0; i < ids.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(input, $"c{i}.wav"), WavBuilder.Pcm16(8000, Signals.Sine(300 + 50 * i, 8000, 1.5, 0.3)));
            rows.Append($"c{i}.wav,{Csv(ids[i])},{Csv("agent\u001B]0;pwned\u0007" + (i % 2))},{Csv("Anna\u202EKowalska")},Telkom\n");
        }

        for (var i = 0; i < 3_000; i++)
        {
            rows.Append($"c{i % ids.Length}.wav,again{i},x,y,z\n");
        }

        File.WriteAllText(Path.Combine(input, "calls.csv"), rows.ToString(), new UTF8Encoding(false));
        var output = Path.Combine(_work, "out");

        var (code, terminal, terminalErrors) = await Cli.CliRun.RunAsync("scan", input, "--out", output, "--workers", "1");

        Assert.That(code, Is.EqualTo(ExitCodes.PartialFailure).Or.EqualTo(ExitCodes.Success), terminalErrors);
        var texts = new Dictionary<string, string> { ["terminal"] = terminal + terminalErrors };
        // Binary files: clips, the history, and the graphs and their lookup tables kept in decoder-cache/ (model weights, nothing from an id).
        string[] binary = [".wav", ".db", ".onnx", ".tables"];
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Where(f => !binary.Any(extension => f.EndsWith(extension, StringComparison.Ordinal))))
        {
            if (file.EndsWith(".xlsx", StringComparison.Ordinal))
            {
                using var zip = ZipFile.OpenRead(file);
                foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
                {
                    using var reader = new StreamReader(entry.Open());
                    texts[$"{file}!{entry.FullName}"] = reader.ReadToEnd();
                }
            }
            else
            {
                texts[file] = File.ReadAllText(file);
            }
        }

        char[] neverShown = [.. Hostile.Where(c => c is not ('\r' or '\n' or '\t'))];
        foreach (var (name, text) in texts)
        {
            Assert.That(text.IndexOfAny(neverShown), Is.EqualTo(-1), $"{name} holds a control or bidi character from an id");
            Assert.That(text.Split('\n').Any(line => line.TrimStart().StartsWith("INJECTED", StringComparison.Ordinal)), Is.False, $"{name}: a newline in an id split a row");
        }

        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(output, "calls.csv"));
        Assert.That(calls.Select(c => c.CallId), Does.Contain("esc\\u001B[31mRED\\u001B[0m").And.Contain("lf\\u000AINJECTED row"), "ids are shown with visible escapes");
        var errors = ReportWriter.Read<ErrorRow, ErrorRowMap>(Path.Combine(output, "errors.csv"));
        Assert.That(errors.Count(e => e.Stage == "manifest"), Is.EqualTo(ids.Length), "one error row per repeated file");
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json")));
        Assert.That(run.RootElement.GetProperty("counts").GetProperty("recordings").GetInt32(), Is.EqualTo(ids.Length), "run.json counts distinct recordings, not manifest rows");
        Assert.That(File.ReadAllLines(Path.Combine(output, "qualityscan.log")), Has.Length.LessThan(100), "the log does not grow with the repeated rows");
    }

    private static string HostileText(Random random, string stem)
    {
        var text = new StringBuilder(stem);
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            text.Append(Hostile[random.Next(Hostile.Length)]).Append((char)('a' + random.Next(26)));
        }

        return text.ToString();
    }

    private static string Csv(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
