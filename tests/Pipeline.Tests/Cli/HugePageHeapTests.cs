using System.Diagnostics;
using QualityScan.Pipeline.Cli;
using QualityScan.Speech.Tests.Audio;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>
/// The program starts itself once more with glibc's malloc asking for huge pages (<see cref="HugePageHeap"/>): the
/// real binary, started as an operator starts it, runs the command it was given (arguments with spaces and Polish
/// letters intact) on a heap that says so, and an operator's own setting of the tunable is left alone.
/// </summary>
[TestFixture]
public sealed class HugePageHeapTests
{
    private const string KernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";
    private string _work = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-hugepages-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_work);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [TestCase(null, "always [madvise] never", true)]
    [TestCase(null, "[always] madvise never", true)]
    [TestCase(null, "always madvise [never]", false)]
    [TestCase(null, null, false)]
    [TestCase("glibc.malloc.hugetlb=0", "always [madvise] never", false)]
    [TestCase("glibc.malloc.check=3", "always [madvise] never", true)]
    public void Wanted_FollowsTheKernelAndLeavesTheOperatorsSettingAlone(string? tunables, string? kernel, bool wanted) =>
        Assert.That(HugePageHeap.Wanted(tunables, kernel), Is.EqualTo(wanted));

    [Test]
    public void WithTunable_KeepsTheOperatorsOtherTunables()
    {
        Assert.That(HugePageHeap.WithTunable(null), Is.EqualTo("glibc.malloc.hugetlb=1"));
        Assert.That(HugePageHeap.WithTunable("glibc.malloc.check=3"), Is.EqualTo("glibc.malloc.check=3:glibc.malloc.hugetlb=1"));
    }

    [Test]
    [Category("model")]
    public void RealProgram_ModelCommand_RunsAgainOnHugePagesWithItsArgumentsIntact()
    {
        var audio = Path.Combine(_work, "nagranie zażółć 1.wav");
        File.WriteAllBytes(audio, WavBuilder.Pcm16(16000, Signals.Sine(440, 16000, 2.0, 0.3)));
        var offered = File.Exists(KernelSetting) && HugePageHeap.Wanted(null, File.ReadAllText(KernelSetting));

        var (code, output) = Run(audio, tunables: null);

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("bench transcribe nagranie zażółć 1.wav:"), "the file name with a space and Polish letters reached the command whole");
        Assert.That(output, offered ? Does.Contain(" cores, huge pages,") : Does.Contain("4 KB pages (the kernel offers no transparent huge pages)"),
            "on a kernel that offers them, the run's heap is on huge pages without the operator setting anything");
    }

    [Test]
    [Category("model")]
    public void RealProgram_OperatorTurnedItOff_StaysOnSmallPages()
    {
        var audio = Path.Combine(_work, "call.wav");
        File.WriteAllBytes(audio, WavBuilder.Pcm16(16000, Signals.Sine(440, 16000, 2.0, 0.3)));
        if (!File.Exists(KernelSetting) || File.ReadAllText(KernelSetting).Contains("[always]", StringComparison.Ordinal))
        {
            Assert.Ignore("with the kernel's huge pages on for every process (or none), the tunable changes nothing to observe");
        }

        var (code, output) = Run(audio, tunables: "glibc.malloc.hugetlb=0");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("4 KB pages"), "GLIBC_TUNABLES=glibc.malloc.hugetlb=0 is the operator's: the program does not override it");
    }

    private static (int Code, string Output) Run(string audio, string? tunables)
    {
        var start = new ProcessStartInfo(Path.Combine(TestContext.CurrentContext.TestDirectory, "qualityscan"),
            ["bench", "transcribe", audio, "--runs", "1", "--no-vad"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove(HugePageHeap.TunablesVariable);
        if (tunables is not null)
        {
            start.Environment[HugePageHeap.TunablesVariable] = tunables;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "the benchmark ends");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
