using Microsoft.Data.Sqlite;
using QualityScan.Models;
using QualityScan.Pipeline.History;

namespace QualityScan.Pipeline.Tests.History;

/// <summary>The history on a real SQLite file.</summary>
[TestFixture]
public sealed class SqliteHistoryStoreTests
{
    private string _folder = "";
    private string _path = "";

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"qs-history-{Guid.NewGuid():N}");
        _path = Path.Combine(_folder, "history.db");
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Open_NewFile_CreatesTheCurrentSchema()
    {
        using var store = SqliteHistoryStore.Open(_path);

        Assert.That(File.Exists(_path), Is.True);
        Assert.That(store.SchemaVersion, Is.EqualTo(SqliteHistoryStore.CurrentSchemaVersion));
        Assert.That(store.Calls(new HistoryQuery()), Is.Empty);
    }

    [Test]
    public void Record_SameCallAndDayTwice_OneRowWithTheLatestResult()
    {
        using (var store = SqliteHistoryStore.Open(_path))
        {
            var run1 = Run("r1");
            store.Record(run1, [Call("c1", "anna", new DateOnly(2026, 11, 29), 60, "fail", run1)]);
            var run2 = Run("r2");
            store.Record(run2, [Call("c1", "anna", new DateOnly(2026, 11, 29), 90, "pass", run2)]);
        }

        using var reopened = SqliteHistoryStore.Open(_path);
        var calls = reopened.Calls(new HistoryQuery());
        Assert.That(calls, Has.Count.EqualTo(1), "a re-run updates, it does not duplicate");
        Assert.That(calls[0].Score, Is.EqualTo(90));
        Assert.That(calls[0].Outcomes[CheckIds.Greeting], Is.EqualTo("pass"));
        Assert.That(calls[0].RunId, Is.EqualTo("r2"));
        Assert.That(reopened.Runs().Select(r => r.RunId), Is.EqualTo(new[] { "r1", "r2" }), "both runs are kept");
        Assert.That(Count("SELECT count(*) FROM call_checks"), Is.EqualTo(CheckIds.All.Count), "no outcome rows of the first analysis are left");
    }

    [Test]
    public void Record_NightReRunWithACallWithdrawn_TheWithdrawnCallLeavesThatNightOnly()
    {
        var (night, before) = (new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 22));
        using (var store = SqliteHistoryStore.Open(_path))
        {
            var first = Run("r1", night);
            store.Record(first, [Call("c1", "anna", night, 60, "fail", first), Call("c2", "piotr", night, 70, "fail", first)],
                new HistoryScope(night, "/in", new HashSet<string> { "c1", "c2" }));
            var earlier = Run("r0", before);
            store.Record(earlier, [Call("c0", "piotr", before, 50, "fail", earlier)], new HistoryScope(before, "/in", new HashSet<string> { "c0" }));
            var elsewhere = Run("rx", night) with { Input = "/other-centre" };
            store.Record(elsewhere, [Call("x1", "ewa", night, 80, "pass", elsewhere)], new HistoryScope(night, "/other-centre", new HashSet<string> { "x1" }));

            // The night again, c2 withdrawn from the manifest; c3 failed tonight but is still in the input (no row of its own yet).
            var rerun = Run("r2", night);
            var scope = new HistoryScope(night, "/in", new HashSet<string> { "c1", "c3" });
            Assert.That(store.Withdrawn(scope), Is.EqualTo(new[] { ("c2", "piotr") }), "what the re-run will remove, for the log");
            store.Record(rerun, [Call("c1", "anna", night, 90, "pass", rerun)], scope);
        }

        using var reopened = SqliteHistoryStore.Open(_path);
        var calls = reopened.Calls(new HistoryQuery());
        Assert.That(calls.Select(c => (c.CallId, c.Day)), Is.EquivalentTo(new[] { ("c1", night), ("c0", before), ("x1", night) }),
            "the withdrawn call leaves the night; other nights and another input folder's calls of the same night stay");
        Assert.That(calls.Single(c => c.CallId == "c1").Score, Is.EqualTo(90));
        Assert.That(Count("SELECT count(*) FROM call_checks WHERE call_id = 'c2'"), Is.Zero, "its outcomes go with it");
    }

    [Test]
    public void Record_WithoutAScope_DeletesNothing()
    {
        var night = new DateOnly(2026, 11, 23);
        using (var store = SqliteHistoryStore.Open(_path))
        {
            var first = Run("r1", night);
            store.Record(first, [Call("c1", "anna", night, 60, "fail", first), Call("c2", "piotr", night, 70, "fail", first)]);
            var shardless = Run("r2", night);
            store.Record(shardless, [Call("c1", "anna", night, 90, "pass", shardless)]);
        }

        using var reopened = SqliteHistoryStore.Open(_path);
        Assert.That(reopened.Calls(new HistoryQuery()).Select(c => c.CallId), Is.EquivalentTo(new[] { "c1", "c2" }),
            "a run that did not cover the night whole (no --date, interrupted) replaces only its own calls");
    }

    [Test]
    public void Calls_FilteredByAgentAndDays_OnlyThoseRows()
    {
        using var store = SqliteHistoryStore.Open(_path);
        var run = Run("r1");
        store.Record(run,
        [
            Call("a1", "anna", new DateOnly(2026, 11, 27), 50, "fail", run),
            Call("a2", "anna", new DateOnly(2026, 11, 28), 70, "pass", run),
            Call("b1", "piotr", new DateOnly(2026, 11, 28), 80, "pass", run),
            Call("a3", "anna", new DateOnly(2026, 11, 30), 90, "pass", run),
        ]);

        var calls = store.Calls(new HistoryQuery("anna", new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 29)));

        Assert.That(calls.Select(c => c.CallId), Is.EqualTo(new[] { "a2" }));
    }

    [Test]
    public void Record_NotJudgedCall_StoredWithoutScoreAndLeftOutOfTheMean()
    {
        using var store = SqliteHistoryStore.Open(_path);
        var run = Run("r1");
        var day = new DateOnly(2026, 11, 29);
        store.Record(run, [Call("a1", "anna", day, 80, "pass", run), Call("a2", "anna", day, null, "n/a", run) with { NotJudgedReason = "no agent speech" }]);

        var rows = Trends.Compute(store.Calls(new HistoryQuery()), TrendPeriod.Day);

        var anna = rows.Single(r => r.AgentId == "anna");
        Assert.That((anna.Calls, anna.JudgedCalls, anna.MeanScore), Is.EqualTo((2, 1, (double?)80)), "a call that could not be heard is not a perfect call");
        Assert.That(store.Calls(new HistoryQuery()).Single(c => c.CallId == "a2").NotJudgedReason, Is.EqualTo("no agent speech"));
    }

    [Test]
    public void Open_FileFromANewerRelease_RefusedWithTheVersions()
    {
        using (var store = SqliteHistoryStore.Open(_path))
        {
            Assert.That(store.SchemaVersion, Is.EqualTo(1));
        }

        Execute("PRAGMA user_version = 99");

        var ex = Assert.Throws<HistoryException>(() => SqliteHistoryStore.Open(_path));
        Assert.That(ex!.Message, Does.Contain("schema version 99").And.Contain(_path));
    }

    [Test]
    public void Open_SomeOtherSqliteDatabase_Refused()
    {
        Directory.CreateDirectory(_folder);
        Execute("CREATE TABLE invoices (id INTEGER)");

        var ex = Assert.Throws<HistoryException>(() => SqliteHistoryStore.Open(_path));
        Assert.That(ex!.Message, Does.Contain("not a qualityscan history"));
    }

    [Test]
    public void Trends_ByWeek_TeamAndAgentRowsPerIsoWeek()
    {
        var run = Run("r1");
        var calls = new[]
        {
            Call("a1", "anna", new DateOnly(2026, 11, 23), 100, "pass", run), // Monday, week 48
            Call("a2", "anna", new DateOnly(2026, 11, 29), 50, "fail", run),  // Sunday, week 48
            Call("b1", "piotr", new DateOnly(2026, 11, 30), 80, "pass", run), // Monday, week 49
        };

        var rows = Trends.Compute(calls, TrendPeriod.Week);

        Assert.That(rows.Select(r => (r.Period, r.AgentId, r.Calls)), Is.EqualTo(new[] { ("2026-W48", "", 2), ("2026-W48", "anna", 2), ("2026-W49", "", 1), ("2026-W49", "piotr", 1) }));
        var anna = rows[1];
        Assert.That(anna.MeanScore, Is.EqualTo(75));
        Assert.That(anna.PassRates[CheckIds.Greeting], Is.EqualTo(0.5));
        Assert.That(anna.PeriodStart, Is.EqualTo(new DateOnly(2026, 11, 23)));
    }

    private static HistoryRun Run(string id, DateOnly? night = null) =>
        new(id, DateTimeOffset.Now, DateTimeOffset.Now, night, "/in", "host", "model@1", "pl:abc", 1, 0, false);

    private static HistoryCall Call(string id, string agent, DateOnly day, double? score, string greeting, HistoryRun run) => new()
    {
        CallId = id,
        Day = day,
        AgentId = agent,
        Language = "pl",
        DurationSeconds = 60,
        Score = score,
        Outcomes = CheckIds.All.ToDictionary(c => c, c => c == CheckIds.Greeting ? greeting : "pass"),
        Counts = new Dictionary<string, double> { ["interruptions"] = 1 },
        Model = run.Model,
        Rules = run.Rules,
        RunId = run.RunId,
    };

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
