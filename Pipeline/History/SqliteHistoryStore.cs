using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace QualityScan.Pipeline.History;

/// <summary>The history cannot be used: not a history file, written by a newer version, or unreadable.</summary>
public sealed class HistoryException(string path, string reason, Exception? inner = null) : Exception($"{path}: {reason}", inner);

/// <summary>
/// The history in one SQLite file (default <c>&lt;output&gt;/history.db</c>): a <c>runs</c> table, a <c>calls</c> table
/// keyed by call id and day, and a <c>call_checks</c> table with one outcome per check.
/// </summary>
/// <remarks>
/// <para>The schema carries its version in <c>PRAGMA user_version</c>; opening a file applies the migrations it has not
/// seen, each in its own transaction, so a history kept since the first release opens in every later one. A file
/// from a newer release is refused rather than guessed at.</para>
/// <para>SQLite locks the file while writing, so several scans may share one history on a local disk (a writer waits
/// up to 30 s for another). On network storage SQLite's locking is not reliable: keep the file local.</para>
/// </remarks>
public sealed class SqliteHistoryStore : IHistoryStore
{
    /// <summary>The default file name inside an output folder.</summary>
    public const string DefaultFileName = "history.db";

    /// <summary>The migrations, in order; the schema version is the number applied.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            night TEXT,
            input TEXT NOT NULL,
            host TEXT NOT NULL,
            model TEXT NOT NULL,
            rules TEXT NOT NULL,
            calls INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            interrupted INTEGER NOT NULL);
        CREATE TABLE calls (
            call_id TEXT NOT NULL,
            day TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            agent_name TEXT,
            language TEXT NOT NULL,
            started_at TEXT,
            duration_s REAL NOT NULL,
            score REAL,
            not_judged_reason TEXT,
            counts TEXT NOT NULL,
            source_file TEXT,
            model TEXT NOT NULL,
            rules TEXT NOT NULL,
            run_id TEXT NOT NULL REFERENCES runs(run_id),
            PRIMARY KEY (call_id, day));
        CREATE INDEX calls_by_agent_day ON calls(agent_id, day);
        CREATE INDEX calls_by_day ON calls(day);
        CREATE TABLE call_checks (
            call_id TEXT NOT NULL,
            day TEXT NOT NULL,
            check_id TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'n/a')),
            PRIMARY KEY (call_id, day, check_id),
            FOREIGN KEY (call_id, day) REFERENCES calls(call_id, day) ON DELETE CASCADE);
        """,
    ];

    private readonly SqliteConnection _connection;

    private SqliteHistoryStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The schema version this release writes.</summary>
    public static int CurrentSchemaVersion => Migrations.Length;

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating when absent) the history at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <exception cref="HistoryException">The file is not a usable history.</exception>
    public static SqliteHistoryStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString());
            connection.Open();
            Execute(connection, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;");
            Migrate(connection, full);
            var store = new SqliteHistoryStore(full, connection);
            connection = null;
            return store;
        }
        catch (SqliteException ex)
        {
            throw new HistoryException(full, $"cannot open the history ({ex.Message})", ex);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>The schema version of the open file.</summary>
    public int SchemaVersion => UserVersion(_connection);

    /// <inheritdoc />
    public void Record(HistoryRun run, IReadOnlyList<HistoryCall> calls) => RecordIn(run, calls, null);

    /// <inheritdoc />
    public void Record(HistoryRun run, IReadOnlyList<HistoryCall> calls, HistoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        RecordIn(run, calls, scope);
    }

    /// <summary>The rows of <paramref name="scope"/>'s night from its input, that its run no longer has.</summary>
    /// <returns>Their (call id, agent id).</returns>
    public IReadOnlyList<(string CallId, string AgentId)> Withdrawn(HistoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Withdrawn(scope, null);
    }

    private List<(string CallId, string AgentId)> Withdrawn(HistoryScope scope, SqliteTransaction? transaction)
    {
        var rows = new List<(string, string)>();
        using var command = Command(_connection, transaction,
            "SELECT c.call_id, c.agent_id FROM calls c JOIN runs r ON r.run_id = c.run_id WHERE c.day = $day AND r.input = $input ORDER BY c.call_id",
            ("$day", scope.Night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("$input", scope.Input));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!scope.StillThere.Contains(reader.GetString(0)))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return rows;
    }

    private void RecordIn(HistoryRun run, IReadOnlyList<HistoryCall> calls, HistoryScope? scope)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(calls);
        using var transaction = _connection.BeginTransaction();
        var withdrawn = scope is null ? [] : Withdrawn(scope, transaction);
        foreach (var (callId, _) in withdrawn)
        {
            // The call's outcomes go with it (ON DELETE CASCADE).
            Execute(_connection, transaction, "DELETE FROM calls WHERE call_id = $call AND day = $day",
                ("$call", callId), ("$day", scope!.Night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        Execute(_connection, transaction,
            """
            INSERT INTO runs (run_id, started_at, finished_at, night, input, host, model, rules, calls, failed, interrupted)
            VALUES ($run, $started, $finished, $night, $input, $host, $model, $rules, $calls, $failed, $interrupted)
            ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, calls = excluded.calls, failed = excluded.failed, interrupted = excluded.interrupted
            """,
            ("$run", run.RunId), ("$started", Instant(run.StartedAt)), ("$finished", Instant(run.FinishedAt)), ("$night", run.Night?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("$input", run.Input), ("$host", run.Host), ("$model", run.Model), ("$rules", run.Rules), ("$calls", run.Calls), ("$failed", run.Failed), ("$interrupted", run.Interrupted ? 1 : 0));

        foreach (var call in calls)
        {
            var day = call.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // A re-run of the same day replaces the call and its outcomes, never adds to them.
            Execute(_connection, transaction, "DELETE FROM call_checks WHERE call_id = $call AND day = $day", ("$call", call.CallId), ("$day", day));
            Execute(_connection, transaction,
                """
                INSERT OR REPLACE INTO calls (call_id, day, agent_id, agent_name, language, started_at, duration_s, score, not_judged_reason, counts, source_file, model, rules, run_id)
                VALUES ($call, $day, $agent, $name, $language, $started, $duration, $score, $reason, $counts, $source, $model, $rules, $run)
                """,
                ("$call", call.CallId), ("$day", day), ("$agent", call.AgentId), ("$name", call.AgentName), ("$language", call.Language),
                ("$started", call.StartedAt is { } s ? Instant(s) : null), ("$duration", call.DurationSeconds), ("$score", call.Score),
                ("$reason", call.NotJudgedReason), ("$counts", JsonSerializer.Serialize(call.Counts)), ("$source", call.SourceFile),
                ("$model", call.Model), ("$rules", call.Rules), ("$run", call.RunId));
            foreach (var (check, outcome) in call.Outcomes)
            {
                Execute(_connection, transaction,
                    "INSERT INTO call_checks (call_id, day, check_id, outcome) VALUES ($call, $day, $check, $outcome)",
                    ("$call", call.CallId), ("$day", day), ("$check", check), ("$outcome", outcome));
            }
        }

        transaction.Commit();
    }

    /// <inheritdoc />
    public IReadOnlyList<HistoryCall> Calls(HistoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcomes = new Dictionary<(string, string), Dictionary<string, string>>();
        using (var command = Command(_connection, null,
            """
            SELECT k.call_id, k.day, k.check_id, k.outcome FROM call_checks k JOIN calls c ON c.call_id = k.call_id AND c.day = k.day
            WHERE ($agent IS NULL OR c.agent_id = $agent) AND ($from IS NULL OR c.day >= $from) AND ($to IS NULL OR c.day <= $to)
            """, Filter(query)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!outcomes.TryGetValue(key, out var map))
                {
                    outcomes[key] = map = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                map[reader.GetString(2)] = reader.GetString(3);
            }
        }

        var result = new List<HistoryCall>();
        using (var command = Command(_connection, null,
            """
            SELECT call_id, day, agent_id, agent_name, language, started_at, duration_s, score, not_judged_reason, counts, source_file, model, rules, run_id
            FROM calls WHERE ($agent IS NULL OR agent_id = $agent) AND ($from IS NULL OR day >= $from) AND ($to IS NULL OR day <= $to)
            ORDER BY day, agent_id, call_id
            """, Filter(query)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                result.Add(new HistoryCall
                {
                    CallId = key.Item1,
                    Day = DateOnly.ParseExact(key.Item2, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    AgentId = reader.GetString(2),
                    AgentName = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Language = reader.GetString(4),
                    StartedAt = reader.IsDBNull(5) ? null : DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                    DurationSeconds = reader.GetDouble(6),
                    Score = reader.IsDBNull(7) ? null : reader.GetDouble(7),
                    NotJudgedReason = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Counts = JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(9)) ?? [],
                    SourceFile = reader.IsDBNull(10) ? null : reader.GetString(10),
                    Model = reader.GetString(11),
                    Rules = reader.GetString(12),
                    RunId = reader.GetString(13),
                    Outcomes = outcomes.GetValueOrDefault(key) ?? new Dictionary<string, string>(StringComparer.Ordinal),
                });
            }
        }

        return result;
    }

    /// <inheritdoc />
    public IReadOnlyList<HistoryRun> Runs()
    {
        var result = new List<HistoryRun>();
        using var command = Command(_connection, null, "SELECT run_id, started_at, finished_at, night, input, host, model, rules, calls, failed, interrupted FROM runs ORDER BY started_at, run_id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new HistoryRun(
                reader.GetString(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? null : DateOnly.ParseExact(reader.GetString(3), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetInt32(8),
                reader.GetInt32(9),
                reader.GetInt32(10) != 0));
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private static void Migrate(SqliteConnection connection, string path)
    {
        var version = UserVersion(connection);
        if (version > Migrations.Length)
        {
            throw new HistoryException(path, $"the history has schema version {version}, written by a newer qualityscan; this one knows up to {Migrations.Length}");
        }

        if (version == 0 && TableCount(connection) > 0)
        {
            throw new HistoryException(path, "the file is an SQLite database but not a qualityscan history");
        }

        for (var i = version; i < Migrations.Length; i++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Migrations[i]);
            Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {i + 1}"));
            transaction.Commit();
        }
    }

    private static int UserVersion(SqliteConnection connection)
    {
        using var command = Command(connection, null, "PRAGMA user_version");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static long TableCount(SqliteConnection connection)
    {
        using var command = Command(connection, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
        return (long)command.ExecuteScalar()!;
    }

    private static (string, object?)[] Filter(HistoryQuery query) =>
    [
        ("$agent", query.AgentId),
        ("$from", query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("$to", query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
    ];

    private static string Instant(DateTimeOffset value) => value.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
