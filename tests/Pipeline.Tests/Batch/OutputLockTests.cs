using System.Diagnostics;
using System.Globalization;
using QualityScan.Pipeline.Batch;

namespace QualityScan.Pipeline.Tests.Batch;

[TestFixture]
public sealed class OutputLockTests
{
    private string _out = "";

    [SetUp]
    public void SetUp() => _out = Path.Combine(Path.GetTempPath(), $"qs-lock-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Test]
    public void Acquire_WhileAnotherScanHoldsIt_RefusesNamingTheOwner()
    {
        using var first = OutputLock.Acquire(_out, "scan /srv/calls");

        var ex = Assert.Throws<OutputLockedException>(() => OutputLock.Acquire(_out, "scan /srv/other"));

        Assert.That(ex!.Message, Does.Contain(_out).And.Contain($"pid {Environment.ProcessId}").And.Contain(Environment.MachineName).And.Contain("scan /srv/calls"));
        Assert.That(ex.Message, Does.Contain(OutputLock.FileName), "says which file to delete if the owner is dead");
    }

    [Test]
    public void Acquire_AfterTheFirstIsReleased_Succeeds()
    {
        OutputLock.Acquire(_out, "first").Dispose();

        using var second = OutputLock.Acquire(_out, "second");

        Assert.That(File.ReadAllText(second.Path), Does.Contain("what=second"));
    }

    [Test]
    public void Dispose_RemovesTheLockFile()
    {
        var held = OutputLock.Acquire(_out, "scan");
        Assert.That(File.Exists(held.Path), Is.True);

        held.Dispose();

        Assert.That(File.Exists(held.Path), Is.False);
    }

    [Test]
    public void Acquire_LockOfADeadProcessOnThisHost_TakenOver()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        WriteLock(process.Id, Environment.MachineName, DateTime.UtcNow);

        using var taken = OutputLock.Acquire(_out, "scan");

        Assert.That(File.ReadAllText(taken.Path), Does.Contain($"pid={Environment.ProcessId}"));
    }

    [Test]
    public void Acquire_LockFromAnotherHostWithAnOldHeartbeat_TakenOver()
    {
        WriteLock(4242, "other-host", DateTime.UtcNow - OutputLock.StaleAfter - TimeSpan.FromMinutes(1));

        using var taken = OutputLock.Acquire(_out, "scan");

        Assert.That(File.ReadAllText(taken.Path), Does.Contain($"host={Environment.MachineName}"));
    }

    [Test]
    public void Acquire_LockFromAnotherHostAliveRecently_Refused()
    {
        WriteLock(4242, "other-host", DateTime.UtcNow - TimeSpan.FromMinutes(2));

        var ex = Assert.Throws<OutputLockedException>(() => OutputLock.Acquire(_out, "scan"));

        Assert.That(ex!.Message, Does.Contain("pid 4242 on other-host"));
        Assert.That(File.ReadAllText(Path.Combine(_out, OutputLock.FileName)), Does.Contain("host=other-host"), "the other host's lock is left alone");
    }

    private void WriteLock(int pid, string host, DateTime heartbeat)
    {
        Directory.CreateDirectory(_out);
        var path = Path.Combine(_out, OutputLock.FileName);
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"pid={pid}\nhost={host}\nstarted={DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}\ntoken=old\nwhat=scan /old\n"));
        File.SetLastWriteTimeUtc(path, heartbeat);
    }
}
