using System.Globalization;
using QualityScan.Pipeline.Reports;
using Serilog;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// The one place a run's end is recorded, however it ends: a normal end, an unexpected exception (the last-resort
/// handler), or a second Ctrl-C that stops the process at once. It holds the run's <c>run.json</c> record, output
/// folder, lock and log file, and what the run is working on, so each of those ends can leave a true <c>run.json</c>
/// (status, exit code, reason), release the lock and say in the log what happened.
/// </summary>
/// <remarks>
/// <see cref="Program.Main"/> makes one per process and installs it as <see cref="Current"/>; a command run directly
/// (in tests) gets a detached one. Every write of the final record goes through one gate, so a second Ctrl-C and the
/// normal end never both write: the first to end the run wins.
/// </remarks>
public sealed class RunSession
{
    private readonly Lock _gate = new();
    private RunRecord? _record;
    private string? _output;
    private IDisposable? _outputLock;
    private string? _logFile;
    private Func<string>? _working;
    private bool _writingReports;
    private bool _ended;

    /// <summary>The session of the running process, or null outside <see cref="Program.Main"/>.</summary>
    public static RunSession? Current { get; set; }

    /// <summary>The session to use: <see cref="Current"/>, or a detached one.</summary>
    public static RunSession Get() => Current ?? new RunSession();

    /// <summary>The log the session also writes to, once the command has made it.</summary>
    public ILogger? Log { get; set; }

    /// <summary>Whether the run has been ended (its final record written, or the attempt made).</summary>
    public bool Ended
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    /// <summary>Registers the run: its record (already written as running), output folder, lock (released on an abrupt end) and log file.</summary>
    public void Begin(RunRecord record, string output, IDisposable? outputLock, string? logFile)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(output);
        lock (_gate)
        {
            _record = record;
            _output = output;
            _outputLock = outputLock;
            _logFile = logFile;
        }
    }

    /// <summary>Registers <paramref name="record"/> unless a run is registered already (<c>report</c> begins at the reports).</summary>
    public void EnsureBegun(RunRecord record, string output)
    {
        lock (_gate)
        {
            if (_record is null)
            {
                _record = record;
                _output = output;
            }
        }
    }

    /// <summary>Says what the run is doing now (e.g. the files being transcribed), for the last-resort handler's message.</summary>
    public void Working(Func<string> what) => _working = what;

    /// <summary>Marks that the report files are being replaced (a stop now leaves a partial set) or that they are done.</summary>
    public void WritingReports(bool writing)
    {
        lock (_gate)
        {
            _writingReports = writing;
        }
    }

    /// <summary>
    /// Ends the run: sets the record's status, exit code and reason and writes <c>run.json</c>. When the folder refuses
    /// it, deletes the stale record (which would say "running") and tries once more.
    /// </summary>
    /// <returns>False when <c>run.json</c> could not be written (logged), or the run had already been ended (a second Ctrl-C came first).</returns>
    public bool End(RunStatus status, int exitCode, string? reason, string? reports = null)
    {
        lock (_gate)
        {
            if (_ended || _record is null || _output is null)
            {
                // Already ended (a second Ctrl-C came first), or never begun (the run stopped before its record existed).
                return false;
            }

            _ended = true;
            _record.Status = status;
            _record.ExitCode = exitCode;
            _record.Problem = reason;
            _record.Reports = reports ?? _record.Reports;
            _record.EndedAt = DateTimeOffset.Now;
            return WriteRecord(_record, _output);
        }
    }

    /// <summary>
    /// The last-resort handler: logs <paramref name="exception"/> with what the run was working on, writes <c>run.json</c>
    /// as failed (exit 1) and releases the lock.
    /// </summary>
    /// <returns><see cref="ExitCodes.Failure"/>.</returns>
    public int Crash(Exception exception, string command)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var working = Describe();
        var reason = $"unexpected error{(working is null ? "" : " while " + working)}: {exception.GetType().Name}: {exception.Message}";
        Console.Error.WriteLine($"qualityscan {command}: {reason}");
        AppendToLog("FTL", $"{reason}{Environment.NewLine}{exception}");
        EndAtOnce(RunStatus.Failed, ExitCodes.Failure, reason);
        return ExitCodes.Failure;
    }

    /// <summary>
    /// A second Ctrl-C: records the run as interrupted at once (saying whether the report files are a partial set),
    /// releases the lock. The caller then ends the process with <see cref="ExitCodes.Interrupted"/>.
    /// </summary>
    public void Abort()
    {
        var working = Describe();
        var reason = $"stopped at once by a second Ctrl-C{(working is null ? "" : " while " + working)}";
        AppendToLog("WRN", reason);
        EndAtOnce(RunStatus.Interrupted, ExitCodes.Interrupted, reason);
    }

    /// <summary>Records the run as ended with <paramref name="status"/> unless it already ended (saying whether the report files are a partial set), and releases the lock.</summary>
    private void EndAtOnce(RunStatus status, int exitCode, string reason)
    {
        lock (_gate)
        {
            if (!_ended && _record is not null && _output is not null)
            {
                _ended = true;
                _record.Status = status;
                _record.ExitCode = exitCode;
                _record.Problem = reason;
                _record.Reports = _writingReports ? PartialReports : _record.Reports ?? "earlier run";
                _record.EndedAt = DateTimeOffset.Now;
                WriteRecord(_record, _output);
            }

            ReleaseLock();
        }
    }

    /// <summary>What <c>run.json</c> says of the report files when writing them was stopped midway.</summary>
    public const string PartialReports = "partial: writing the reports was stopped midway; each file is whole, but some are this run's and some an earlier run's (run again)";

    private string? Describe()
    {
        try
        {
            return _working?.Invoke();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void ReleaseLock()
    {
        _outputLock?.Dispose();
        _outputLock = null;
    }

    private bool WriteRecord(RunRecord record, string output)
    {
        try
        {
            record.Write(output);
            return true;
        }
        catch (Exception first) when (first is IOException or UnauthorizedAccessException)
        {
            // Disk full: the record saying "running" must not stay. Deleting it frees room for the small new one.
            try
            {
                File.Delete(Path.Combine(output, RunRecord.FileName));
                record.Write(output);
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                var message = $"Could not write {RunRecord.FileName} in {output} ({ex.Message}): the run's status ({record.Status.ToString().ToLowerInvariant()}, exit {record.ExitCode}) is only in this log";
                if (Log is not null)
                {
                    Log.Error("{Message}", message);
                }
                else
                {
                    AppendToLog("ERR", message);
                }

                Console.Error.WriteLine($"qualityscan: {message}");
                return false;
            }
        }
    }

    private void AppendToLog(string level, string message)
    {
        if (_logFile is null)
        {
            return;
        }

        try
        {
            File.AppendAllText(_logFile, string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss.fff} {level} {message}{Environment.NewLine}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"qualityscan: could not write to the log {_logFile} ({ex.Message})");
        }
    }
}
