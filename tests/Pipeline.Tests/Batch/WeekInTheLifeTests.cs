using System.Globalization;
using System.Text;
using System.Text.Json;
using QualityScan.Analyzers.Rules;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.History;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Pipeline.Tests.Reports;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>
/// A week as the QA team lives it: seven nights (Monday 23 to Sunday 29 November 2026) scanned by the real program with
/// the demo model on the sample calls, into one output root (<c>--out root/{date}</c>) and one history, driven by a
/// manifest saved the way Polish Excel saves CSV (<c>;</c>, Windows-1250, CRLF, <c>dd.MM.yyyy HH:mm</c>). On the way: a
/// coach reviewing Monday in both forms of the review sheet (the CSV saved by LibreOffice as Polish Excel does, and the
/// .xlsx), <c>learn</c> reading both, and Monday re-run keeping the coach's words; an agent absent one night, a night
/// whose report folder cannot be written (re-run once fixed), an empty Sunday, and a past night re-run with a call
/// withdrawn (whose review sheets are kept). Every step checks the exit code, <c>run.json</c>, the history rows, the coach
/// pages, the <c>latest</c> link, and that no earlier night's reports were lost.
/// </summary>
[TestFixture]
[Category("model")]
[Category("libreoffice")]
[NonParallelizable]
public sealed class WeekInTheLifeTests
{
    // The agents and one sample call each (the shortest ones), with the names a manifest gives them.
    private static readonly Dictionary<string, (string Sample, string Name, string Language)> Agents = new(StringComparer.Ordinal)
    {
        ["kkowalska"] = ("kkowalska/pl01-all-pass.wav", "Katarzyna Kowalska", "pl"),
        ["polszewski"] = ("polszewski/pl09-worst.wav", "Paweł Olszewski", "pl"),
        ["jvesely"] = ("jvesely/cs01-all-pass.wav", "Jan Veselý", "cs"),
    };

    // Who took a call each night. Wednesday: Olszewski and Veselý are absent; Sunday: nobody (the centre is closed).
    private static readonly Dictionary<DateOnly, string[]> Week = new()
    {
        [new DateOnly(2026, 11, 23)] = ["kkowalska", "polszewski"],
        [new DateOnly(2026, 11, 24)] = ["kkowalska", "jvesely"],
        [new DateOnly(2026, 11, 25)] = ["kkowalska"],
        [new DateOnly(2026, 11, 26)] = ["polszewski", "jvesely"],
        [new DateOnly(2026, 11, 27)] = ["kkowalska", "polszewski"],
        [new DateOnly(2026, 11, 28)] = ["kkowalska", "jvesely"],
        [new DateOnly(2026, 11, 29)] = [],
    };

    private const string XlsxComment = "pożegnanie jest; „Do widzenia” słychać wyraźnie";
    private const string CsvComment = "słusznie: klient czekał bez słowa";

    private readonly Dictionary<DateOnly, byte[]> _reportsOf = [];
    private string _work = "";
    private string _input = "";
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _work = Path.Combine(Path.GetTempPath(), $"qs-week-{Guid.NewGuid():N}");
        _input = Path.Combine(_work, "recordings");
        _root = Path.Combine(_work, "qa");
        Directory.CreateDirectory(_input);
        var samples = RepositoryPaths.SampleAudio;
        foreach (var (day, agents) in Week)
        {
            foreach (var agent in agents)
            {
                var target = Path.Combine(_input, agent, CallId(day, agent) + ".wav");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(samples, Agents[agent].Sample), target);
            }
        }

        WriteManifest(Week.SelectMany(n => n.Value.Select(a => (n.Key, a))).ToList());
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task Week_SevenNightsOneRootOneHistory_EveryNightTrueAndNoNightLost()
    {
        var (mon, tue, wed, thu, fri, sat, sun) = (D(23), D(24), D(25), D(26), D(27), D(28), D(29));

        await NightWithCalls(mon, latest: mon);
        // The review loop between nights: a coach types Polish words into Olszewski's sheet, one moment in the CSV form Polish
        // Excel writes and one in the .xlsx; `learn` reads both; re-running Monday keeps both moments in both forms.
        var typed = await CoachReviews(mon);
        _reportsOf.Remove(mon);
        await NightWithCalls(mon, latest: mon);
        AssertCoachWordsKept(mon, typed);

        await NightWithCalls(tue, latest: tue);

        // Wednesday: only Kowalska works; the others have no page, no agent file and no history row that night.
        await NightWithCalls(wed, latest: wed);

        await NightWithCalls(thu, latest: thu);

        // Friday: the night's report folder cannot be written (calls.csv is taken by a folder: a stand-in for a full or
        // broken disk that holds for root too). Exit 4, run.json failed with the reason, no history rows, latest stays.
        var friday = Path.Combine(_root, Day(fri));
        Directory.CreateDirectory(Path.Combine(friday, ReportWriter.CallsFile));
        var (code, _, error) = await Scan(fri);
        Assert.That(code, Is.EqualTo(ExitCodes.ReportsNotWritten), error);
        var record = Record(fri);
        Assert.That((record.Status, record.ExitCode), Is.EqualTo(("failed", ExitCodes.ReportsNotWritten)));
        Assert.That(record.Reason, Does.Contain("could not be written"));
        Assert.That(HistoryDays(), Does.Not.Contain(fri), "a night whose reports failed is not in the history");
        AssertLatest(thu);
        AssertEarlierNightsKept();

        await NightWithCalls(sat, latest: sat);

        // Sunday: no calls. Exit 5, run.json empty, one line, no reports written, latest stays on Saturday.
        (code, _, error) = await Scan(sun);
        Assert.That(code, Is.EqualTo(ExitCodes.EmptyNight), error);
        record = Record(sun);
        Assert.That((record.Status, record.ExitCode, record.Night), Is.EqualTo(("empty", ExitCodes.EmptyNight, Day(sun))));
        Assert.That(error.Split('\n').Count(l => l.Contains("Empty night", StringComparison.Ordinal)), Is.EqualTo(1), "one line says so:\n" + error);
        Assert.That(File.Exists(Path.Combine(_root, Day(sun), ReportWriter.CallsFile)), Is.False, "an empty night writes no reports");
        Assert.That(HistoryDays(), Does.Not.Contain(sun));
        AssertLatest(sat);
        AssertEarlierNightsKept();

        // Monday morning: the disk is fixed and Friday is run again; latest does not go back from Saturday.
        Directory.Delete(Path.Combine(friday, ReportWriter.CallsFile));
        await NightWithCalls(fri, latest: sat);

        // A past night re-run: Olszewski's Monday call is withdrawn (removed from the manifest and the share). His page,
        // agent file and clips leave Monday's folder; the re-run replaces Monday's rows in the history: Kowalska's call
        // once, not twice, and the withdrawn call's row gone (its other nights stay).
        File.Delete(Path.Combine(_input, "polszewski", CallId(mon, "polszewski") + ".wav"));
        WriteManifest(Week.SelectMany(n => n.Value.Select(a => (n.Key, a))).Where(c => !(c.Key == mon && c.a == "polszewski")).ToList());
        Week[mon] = ["kkowalska"];
        _reportsOf.Remove(mon);
        await NightWithCalls(mon, latest: sat);
        Assert.That(History().Count(c => c.Day == mon && c.AgentId == "kkowalska"), Is.EqualTo(1), "a re-run replaces the night's rows");
        Assert.That(History().Where(c => c.AgentId == "polszewski").Select(c => c.Day), Is.EquivalentTo(new[] { thu, fri }), "the withdrawn call leaves Monday only");
        Assert.That(File.ReadAllText(Path.Combine(_root, Day(mon), "qualityscan.log")), Does.Contain(CallId(mon, "polszewski")).And.Contain("no longer in the input"),
            "the log names the row removed from the history");
        AssertCoachWordsKept(mon, typed); // the sheets of an agent with no call that night are kept: they hold a coach's words

        Assert.That(HistoryDays(), Is.EquivalentTo(new[] { mon, tue, wed, thu, fri, sat }), "six nights with calls in the one history");
    }

    /// <summary>Scans <paramref name="day"/> and checks what a night with calls must leave.</summary>
    private async Task NightWithCalls(DateOnly day, DateOnly latest)
    {
        var (code, output, error) = await Scan(day);
        var agents = Week[day];
        Assert.That(code, Is.EqualTo(ExitCodes.Success), $"{Day(day)}:\n{error}");
        Assert.That(output, Does.Contain("status: complete"), "the summary agrees with the exit code");
        var record = Record(day);
        Assert.That((record.Status, record.ExitCode, record.Night), Is.EqualTo(("complete", ExitCodes.Success, Day(day))), $"{Day(day)}: run.json");
        Assert.That(record.Warnings, Has.Some.Contains("DEMO MODEL"), "run.json warns that the demo model cannot transcribe human voices");

        var folder = Path.Combine(_root, Day(day));
        var calls = ReportWriter.Read<CallRow, CallRowMap>(Path.Combine(folder, ReportWriter.CallsFile));
        Assert.That(calls.Select(c => c.CallId), Is.EquivalentTo(agents.Select(a => CallId(day, a))), $"{Day(day)}: calls.csv is that night's calls");
        Assert.That(calls.Select(c => c.AgentName), Is.EquivalentTo(agents.Select(a => Agents[a].Name)), "names read from the Windows-1250 manifest");
        var coach = Path.Combine(folder, CoachPackWriter.Folder);
        Assert.That(Directory.GetFiles(coach, "*.html").Select(Path.GetFileName), Is.EquivalentTo(agents.Select(a => a + ".html").Append("index.html")), $"{Day(day)}: a page for each agent of the night, none for the absent");
        Assert.That(File.ReadAllText(Path.Combine(coach, "index.html")), Does.Match("MODEL DEMONSTRACYJNY: .* nie rozpoznaje ludzkich głosów|DEMO MODEL: .* lidské hlasy nerozpozná"),
            "the coach index warns about the demo model, in the report language (Polish, or Czech on a night of more Czech calls)");
        Assert.That(Directory.GetFiles(Path.Combine(folder, ReportWriter.AgentsFolder)).Select(Path.GetFileName), Is.EquivalentTo(agents.Select(a => a + ".csv")));
        Assert.That(History().Where(c => c.Day == day).Select(c => c.AgentId), Is.EquivalentTo(agents), $"{Day(day)}: the history holds the night's calls");
        AssertLatest(latest);
        AssertEarlierNightsKept();
        _reportsOf[day] = File.ReadAllBytes(Path.Combine(folder, ReportWriter.CallsFile));
    }

    /// <summary>
    /// A coach reviews Olszewski's <paramref name="day"/> (Kowalska's calls passed: her sheet has no moment) in both forms:
    /// one moment in the CSV form, saved from a copy of the workbook the way Polish Excel saves CSV (<c>;</c>, Windows-1250,
    /// CRLF), another in the .xlsx form, saved again by LibreOffice; then <c>learn</c> reads both sheets. Returns the
    /// moments as the coach filled them.
    /// </summary>
    private async Task<ReviewRow[]> CoachReviews(DateOnly day)
    {
        var coach = Path.Combine(_root, Day(day), CoachPackWriter.Folder);
        var (xlsx, csv) = (Path.Combine(coach, ReviewSheet.XlsxFileName("polszewski")), Path.Combine(coach, ReviewSheet.CsvFileName("polszewski")));
        var moments = ReviewSheet.Read(xlsx);
        Assert.That(moments, Has.Count.GreaterThanOrEqualTo(2), "guard: the night gave Olszewski two moments to review");
        var (inXlsx, inCsv) = (moments[0], moments[1]);

        var copy = Path.Combine(_work, ReviewSheet.XlsxFileName("polszewski"));
        File.Copy(xlsx, copy);
        CoachTyping.FillXlsx(copy, "Id momentu", inCsv.MomentId, ("Czy zgadzasz się z oceną?", "zgadzam się"), ("Komentarz", CsvComment));
        LibreOffice.SaveAsPolishExcelCsv(copy, csv, _work);
        var saved = File.ReadAllBytes(csv);
        Assert.That(saved, Does.Contain((byte)0xEA), "guard: the CSV is Windows-1250 as Polish Excel saves it (ę = 0xEA)");
        Assert.That(Encoding.Latin1.GetString(saved), Does.Contain("\r\n").And.Contain(";"), "guard: CRLF and ;");
        CoachTyping.FillXlsx(xlsx, "Id momentu", inXlsx.MomentId,
            ("Czy zgadzasz się z oceną?", "nie zgadzam się"), ("Poprawna ocena", "zaliczone"), ("Komentarz", XlsxComment));
        LibreOffice.Resave(xlsx, xlsx, _work);

        var model = Path.Combine(_work, "pl.model.json");
        var (code, output, error) = await CliRun.RunAsync("learn", "--rules", Path.Combine(RulePackLoader.DefaultDirectory, "pl.yaml"),
            "--reviews", xlsx, "--reviews", csv, "--out", model);
        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.Contain("reviews: 2 moment(s)"), "learn reads the moment typed in each form:\n" + output);
        Assert.That(output, Does.Contain($"model: {model} "), "it says where it wrote the model");
        Assert.That(File.ReadAllBytes(model), Is.Not.Empty, "and the model is there");

        return [inXlsx with { Verdict = "nie zgadzam się", CorrectOutcome = "zaliczone", Comment = XlsxComment },
            inCsv with { Verdict = "zgadzam się", Comment = CsvComment }];
    }

    /// <summary>Both forms of Olszewski's <paramref name="day"/> sheet hold every moment the coach filled, as typed.</summary>
    private void AssertCoachWordsKept(DateOnly day, ReviewRow[] typed)
    {
        var coach = Path.Combine(_root, Day(day), CoachPackWriter.Folder);
        foreach (var form in new[] { ReviewSheet.XlsxFileName("polszewski"), ReviewSheet.CsvFileName("polszewski") })
        {
            var rows = ReviewSheet.Read(Path.Combine(coach, form));
            foreach (var moment in typed)
            {
                var kept = rows.Where(r => r.Key == moment.Key).Select(r => (r.Verdict, r.CorrectOutcome, r.Comment));
                Assert.That(kept, Is.EqualTo(new[] { (moment.Verdict, moment.CorrectOutcome, moment.Comment) }), $"{Day(day)} coach/{form}: the coach's words are kept");
            }
        }
    }

    private Task<(int Code, string Out, string Error)> Scan(DateOnly day) =>
        CliRun.RunAsync("scan", _input, "--out", Path.Combine(_root, NightFolder.Placeholder), "--date", Day(day), "--workers", "1");

    /// <summary>Every night reported so far still has its own reports, byte for byte.</summary>
    private void AssertEarlierNightsKept()
    {
        foreach (var (day, calls) in _reportsOf)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(_root, Day(day), ReportWriter.CallsFile)), Is.EqualTo(calls), $"the reports of {Day(day)} are kept");
            Assert.That(File.Exists(Path.Combine(_root, Day(day), WorkbookWriter.FileName)), Is.True);
        }
    }

    private void AssertLatest(DateOnly day)
    {
        var link = new FileInfo(Path.Combine(_root, NightFolder.LatestLink));
        Assert.That(link.LinkTarget, Is.EqualTo(Day(day)), "latest points at the newest night with reports");
        Assert.That(File.Exists(Path.Combine(_root, NightFolder.LatestLink, ReportWriter.CallsFile)), Is.True, "and a reader following it finds them");
    }

    private (string? Status, int? ExitCode, string? Night, string? Reason, List<string> Warnings) Record(DateOnly day)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_root, Day(day), RunRecord.FileName)));
        var root = json.RootElement;
        string? Get(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var warnings = root.TryGetProperty("warnings", out var w) ? w.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        return (Get("status"), root.TryGetProperty("exitCode", out var code) ? code.GetInt32() : null, Get("night"), Get("reason"), warnings);
    }

    private IReadOnlyList<HistoryCall> History()
    {
        using var store = SqliteHistoryStore.Open(Path.Combine(_root, SqliteHistoryStore.DefaultFileName));
        return store.Calls(new HistoryQuery());
    }

    private List<DateOnly> HistoryDays() => History().Select(c => c.Day).Distinct().Order().ToList();

    /// <summary>The manifest as Polish Excel saves "CSV (rozdzielany średnikami)": ';', Windows-1250, CRLF, local dates.</summary>
    private void WriteManifest(IReadOnlyList<(DateOnly Key, string a)> calls)
    {
        var text = new StringBuilder("file;call_id;agent_id;agent_name;company;language;agent_channel;started_at\r\n");
        foreach (var (day, agent) in calls.OrderBy(c => c.Key).ThenBy(c => c.a, StringComparer.Ordinal))
        {
            var (_, name, language) = Agents[agent];
            text.Append(CultureInfo.InvariantCulture, $"{agent}/{CallId(day, agent)}.wav;{CallId(day, agent)};{agent};{name};Teleplus Sp. z o.o.;{language};left;{day:dd.MM.yyyy} 10:15\r\n");
        }

        File.WriteAllBytes(Path.Combine(_input, "calls.csv"), Encoding.GetEncoding(1250).GetBytes(text.ToString()));
    }

    private static string CallId(DateOnly day, string agent) => $"{day:MMdd}-{agent}";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly D(int november) => new(2026, 11, november);
}
