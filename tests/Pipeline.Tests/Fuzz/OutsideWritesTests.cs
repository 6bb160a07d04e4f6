using System.Diagnostics;
using QualityScan.Speech.Tests.Audio;

namespace QualityScan.Pipeline.Tests.Fuzz;

/// <summary>
/// A real scan in a child process (the model loaded, calls transcribed, reports written) with HOME and TMPDIR pointing
/// at read-only folders: nothing may appear there, nor anywhere else outside the output folder. ONNX Runtime's
/// telemetry database (<c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c>) and .NET's diagnostic pipes in the
/// temporary folder were written before.
/// </summary>
/// <remarks>
/// The child gets the production environment documented in docs/reliability.md (<c>DOTNET_EnableDiagnostics=0</c>),
/// and none of the CI variables that would switch ONNX Runtime's telemetry off by themselves, so the test shows what an
/// operator's machine does. Tests run as root in CI, where a read-only mode does not stop a write, so the folders are
/// also listed before and after.
/// </remarks>
[TestFixture]
[Category("fuzz")]
[Category("model")]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutsideWritesTests
{
    private static readonly string[] CiVariables =
    [
        "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL", "CODEBUILD_BUILD_ID", "BUILDKITE",
        "TEAMCITY_VERSION", "APPVEYOR", "BITBUCKET_BUILD_NUMBER", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI", "ORT_RUNNING_UNIT_TESTS",
        "ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED", "XDG_CACHE_HOME", "DOTNET_EnableDiagnostics",
    ];

    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-outside-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown()
    {
        foreach (var folder in Directory.EnumerateDirectories(_work))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", _work]) { UseShellExecute = false })!;
        rm.WaitForExit();
    }

    [Test]
    public void Scan_ReadOnlyHomeAndTemporaryFolder_NothingWrittenOutsideTheOutputFolder()
    {
        var input = Path.Combine(_work, "in", "akowalska");
        Directory.CreateDirectory(input);
        for (var i = 0; i < 2; i++)
        {
            File.WriteAllBytes(Path.Combine(input, $"call{i}.wav"), WavBuilder.Pcm16(8000, Signals.Sine(220 + 110 * i, 8000, 2.0, 0.3)));
        }

        var home = ReadOnlyFolder("home");
        var temporary = ReadOnlyFolder("tmp");
        var output = Path.Combine(_work, "out");
        var before = Listing(_work);

        var start = new ProcessStartInfo(Path.Combine(TestContext.CurrentContext.TestDirectory, "qualityscan"),
            ["scan", Path.Combine(_work, "in"), "--out", output, "--workers", "1", "--no-clips"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in CiVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = temporary;
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        using var scan = Process.Start(start)!;
        var stdout = scan.StandardOutput.ReadToEndAsync();
        var stderr = scan.StandardError.ReadToEndAsync();
        Assert.That(scan.WaitForExit(TimeSpan.FromMinutes(5)), Is.True, "the scan ends");

        Assert.That(scan.ExitCode, Is.EqualTo(0), stdout.Result + stderr.Result);
        Assert.That(File.Exists(Path.Combine(output, "calls.csv")), Is.True, "the scan ran to its reports");
        Assert.That(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories), Is.Empty, "nothing in HOME (ONNX Runtime's ~/.cache/Microsoft/DeveloperTools)");
        Assert.That(Directory.EnumerateFileSystemEntries(temporary, "*", SearchOption.AllDirectories), Is.Empty, "nothing in TMPDIR (.NET's dotnet-diagnostic socket, clr-debug-pipe)");
        Assert.That(Listing(_work).Where(p => !p.StartsWith(output, StringComparison.Ordinal)), Is.EquivalentTo(before), "nothing else outside the output folder");
    }

    private string ReadOnlyFolder(string name)
    {
        var folder = Path.Combine(_work, name);
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return folder;
    }

    private static List<string> Listing(string folder) => Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToList();
}
