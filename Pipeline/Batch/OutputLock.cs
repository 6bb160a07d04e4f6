using System.Diagnostics;
using System.Globalization;

namespace QualityScan.Pipeline.Batch;

/// <summary>Another scan holds the output folder.</summary>
public sealed class OutputLockedException(string message) : Exception(message);

/// <summary>
/// Keeps two scans out of one output folder: <c>.qualityscan.lock</c> is created with an exclusive create (which
/// works on local disks and NFS alike, unlike advisory locks) and holds the owner's pid, host and start time.
/// </summary>
/// <remarks>
/// <para>While the scan runs, the lock's modification time is refreshed every <see cref="HeartbeatInterval"/>. A lock
/// left by a scan that died is taken over: on the same host when its process no longer exists, from another host
/// when its heartbeat is older than <see cref="StaleAfter"/>. Anything else refuses with a message naming the owner.</para>
/// <para>Dispose releases the lock (deletes the file, if it is still ours).</para>
/// </remarks>
public sealed class OutputLock : IDisposable
{
    /// <summary>The lock's file name inside the output folder.</summary>
    public const string FileName = ".qualityscan.lock";

    /// <summary>How often a running scan refreshes its lock.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(1);

    /// <summary>How old another host's heartbeat must be for its lock to count as abandoned.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private readonly string _token;
    private readonly Timer _heartbeat;
    private int _released;

    private OutputLock(string path, string token)
    {
        Path = path;
        _token = token;
        _heartbeat = new Timer(_ => Touch(), null, HeartbeatInterval, HeartbeatInterval);
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock of <paramref name="outputFolder"/> for <paramref name="what"/> (e.g. "scan of /srv/calls").</summary>
    /// <exception cref="OutputLockedException">Another live scan holds it.</exception>
    public static OutputLock Acquire(string outputFolder, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        Directory.CreateDirectory(outputFolder);
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(outputFolder), FileName);
        var token = Guid.NewGuid().ToString("N");
        var content = string.Create(CultureInfo.InvariantCulture,
            $"pid={Environment.ProcessId}\nhost={Environment.MachineName}\nstarted={DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\ntoken={token}\nwhat={what.ReplaceLineEndings(" ")}\n");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(content);
                }

                return new OutputLock(path, token);
            }
            catch (IOException) when (File.Exists(path))
            {
                var owner = Owner.Read(path);
                if (owner is null || !owner.IsAbandoned())
                {
                    throw new OutputLockedException(Describe(outputFolder, path, owner));
                }

                // Move the dead owner's lock aside under a unique name; if it turns out not to be the lock judged (another
                // scan replaced it meanwhile), put it back and refuse.
                var aside = $"{path}.stale-{token}";
                try
                {
                    File.Move(path, aside);
                }
                catch (IOException)
                {
                    continue;
                }

                if (Owner.Read(aside)?.Token != owner.Token)
                {
                    TryMoveBack(aside, path);
                    throw new OutputLockedException(Describe(outputFolder, path, Owner.Read(path)));
                }

                File.Delete(aside);
            }
        }

        throw new OutputLockedException(Describe(outputFolder, path, Owner.Read(path)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        _heartbeat.Dispose();
        try
        {
            if (Owner.Read(Path)?.Token == _token)
            {
                File.Delete(Path);
            }
        }
        catch (IOException)
        {
            // The lock is gone or unreachable; nothing of ours to release.
        }
    }

    private void Touch()
    {
        try
        {
            File.SetLastWriteTimeUtc(Path, DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A missed heartbeat only matters after StaleAfter; the next tick tries again.
        }
    }

    private static void TryMoveBack(string aside, string path)
    {
        try
        {
            File.Move(aside, path);
        }
        catch (IOException)
        {
            File.Delete(aside);
        }
    }

    private static string Describe(string outputFolder, string path, Owner? owner)
    {
        var who = owner is null
            ? "another scan (its lock file cannot be read)"
            : string.Create(CultureInfo.InvariantCulture, $"another scan (pid {owner.Pid} on {owner.Host}, started {owner.Started:yyyy-MM-dd HH:mm} UTC, alive {(DateTime.UtcNow - owner.Heartbeat).TotalMinutes:0} min ago: {owner.What})");
        return $"output folder {outputFolder} is in use by {who}. Wait for it to finish or use another --out; if that scan is dead, delete {path}.";
    }

    private sealed record Owner(int Pid, string Host, DateTimeOffset Started, string Token, string What, DateTime Heartbeat)
    {
        public static Owner? Read(string path)
        {
            try
            {
                var fields = File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
                return new Owner(
                    int.Parse(fields["pid"], CultureInfo.InvariantCulture),
                    fields["host"],
                    DateTimeOffset.Parse(fields["started"], CultureInfo.InvariantCulture),
                    fields["token"],
                    fields.GetValueOrDefault("what", "?"),
                    File.GetLastWriteTimeUtc(path));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or KeyNotFoundException or OverflowException)
            {
                return null;
            }
        }

        public bool IsAbandoned()
        {
            if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
            {
                return DateTime.UtcNow - Heartbeat > StaleAfter;
            }

            try
            {
                using var process = Process.GetProcessById(Pid);
                // A process that started after the lock was written only reuses the dead owner's pid.
                return process.HasExited || process.StartTime.ToUniversalTime() > Started.UtcDateTime.AddSeconds(5);
            }
            catch (ArgumentException)
            {
                return true;
            }
        }
    }
}
