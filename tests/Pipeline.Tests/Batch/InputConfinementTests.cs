using System.Diagnostics;
using QualityScan.Pipeline.Batch;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>Nothing outside the input folder is read, only regular files are read, and manifest rows in error keep their recording out.</summary>
[NonParallelizable]
public sealed class InputConfinementTests
{
    private string _work = "";
    private string _root = "";
    private string _outside = "";

    [SetUp]
    public void SetUp()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-confine-{Guid.NewGuid():N}");
        _root = Path.Combine(_work, "in");
        _outside = Path.Combine(_work, "elsewhere");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        File.WriteAllBytes(Path.Combine(_outside, "secret.wav"), [1, 2, 3]);
    }

    /// <summary><c>rm -rf</c>: .NET cannot delete a file whose name is not valid UTF-8.</summary>
    [TearDown]
    public void TearDown() => Run("rm", "-rf", _work);

    [Test]
    public void Discover_ManifestPathsLeavingTheFolder_ErrorRowsNamingTheRowAndNothingRead()
    {
        Touch("a/good.wav");
        File.CreateSymbolicLink(Path.Combine(_root, "a", "link.wav"), Path.Combine(_outside, "secret.wav"));
        Manifest(
            "a/good.wav,good,anowak,,",
            "../elsewhere/secret.wav,up,anowak,,",
            "/etc/passwd,abs,anowak,,",
            $"{Path.Combine(_root, "a", "good.wav")},abs-inside,anowak,,",
            "a/link.wav,linked,anowak,,",
            "a/../../elsewhere/secret.wav,sneaky,anowak,,");

        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => j.CallId), Is.EqualTo(new[] { "good" }), "only the recording inside the folder is a call");
        Assert.That(result.Jobs.Select(j => j.AudioPath), Has.All.StartWith(_root + "/"));
        string Reason(string callId) => result.Errors.Single(e => e.CallId == callId).Reason;
        Assert.That(Reason("up"), Does.Contain("calls.csv:3").And.Contain("outside the input folder"));
        Assert.That(Reason("abs"), Does.Contain("calls.csv:4").And.Contain("absolute path"));
        Assert.That(Reason("abs-inside"), Does.Contain("calls.csv:5").And.Contain("absolute path").And.Not.Contain("listed twice"));
        Assert.That(Reason("linked"), Does.Contain("calls.csv:6").And.Contain("outside the input folder"));
        Assert.That(Reason("sneaky"), Does.Contain("calls.csv:7").And.Contain("outside the input folder"));
        Assert.That(result.Errors.Count(e => e.File == "a/link.wav"), Is.EqualTo(1), "the link is reported once, for its row");
    }

    [Test]
    public void Discover_LinksFifosAndDevicesInTheTree_RefusedWithTheReason()
    {
        Touch("a/good.wav");
        File.CreateSymbolicLink(Path.Combine(_root, "a", "secret.wav"), Path.Combine(_outside, "secret.wav"));
        File.CreateSymbolicLink(Path.Combine(_root, "a", "zero.wav"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(_root, "a", "alias.wav"), "good.wav");
        Run("mkfifo", Path.Combine(_root, "a", "pipe.wav"));

        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => j.RelativePath), Is.EquivalentTo(new[] { "a/good.wav", "a/alias.wav" }), "a link to a recording inside the folder is fine");
        Assert.That(result.Jobs.Single(j => j.RelativePath == "a/alias.wav").AudioPath, Is.EqualTo(Path.Combine(_root, "a", "good.wav")));
        string Reason(string file) => result.Errors.Single(e => e.File == file).Reason;
        Assert.That(Reason("a/secret.wav"), Does.Contain("outside the input folder"));
        Assert.That(Reason("a/zero.wav"), Does.Contain("outside the input folder"));
        Assert.That(Reason("a/pipe.wav"), Does.Contain("not a regular file"));
    }

    [Test]
    public void Discover_FolderLinksLoopAndOutside_NotFollowedAndEachRecordingOnce()
    {
        Touch("agentA/call.wav");
        Directory.CreateSymbolicLink(Path.Combine(_root, "agentA", "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(_root, "agentB"), _outside);

        var watch = Stopwatch.StartNew();
        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => j.RelativePath), Is.EqualTo(new[] { "agentA/call.wav" }), "the loop is not walked and the outside folder is not read");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Has.Some.Contain("agentA/loop").And.Some.Contain("not followed"));
        Assert.That(result.Warnings, Has.Some.Contain("agentB"));
    }

    [Test]
    public void Discover_ManifestRowsInError_RecordingExcludedAndCountedOnce()
    {
        foreach (var name in new[] { "ok", "no-call", "no-agent", "bad-time", "bad-channel", "bad-quote" })
        {
            Touch($"a/{name}.wav");
        }

        Manifest(
            "a/ok.wav,ok,anowak,,",
            "a/no-call.wav,,anowak,,",
            "a/no-agent.wav,c2,,,",
            "a/bad-time.wav,c3,anowak,,,,,yesterday",
            "a/bad-channel.wav,c4,anowak,,,,middle,",
            "a/bad-quote.wav,c\"5,anowak,,");

        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => j.RelativePath), Is.EqualTo(new[] { "a/ok.wav" }), "no recording of a row in error is processed under a guessed agent");
        Assert.That(result.Errors.Select(e => e.File), Is.EquivalentTo(new[] { "a/no-call.wav", "a/no-agent.wav", "a/bad-time.wav", "a/bad-channel.wav", "a/bad-quote.wav" }), "each once");
        Assert.That(result.Errors.Single(e => e.File == "a/bad-quote.wav").Reason, Does.Contain("calls.csv:7").And.Contain("quoting"));
    }

    [Test]
    public void Discover_SideFilesOfFileSharesAndExports_SkippedSilentlyAndListed()
    {
        Touch("a/call.wav");
        Touch("a/Thumbs.db");
        Touch("a/desktop.ini");
        Touch("a/.DS_Store");
        Touch("a/._call.wav");
        Touch("a/notes.docx");

        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => j.RelativePath), Is.EqualTo(new[] { "a/call.wav" }));
        Assert.That(result.Errors, Is.Empty, "side files are not error rows");
        Assert.That(result.Skipped, Is.EquivalentTo(new[] { "a/Thumbs.db", "a/desktop.ini", "a/.DS_Store", "a/._call.wav", "a/notes.docx" }));
    }

    [Test]
    public void Discover_FileNameNotUtf8_ErrorRowSaysSo()
    {
        Touch("a/call.wav");
        Directory.CreateDirectory(Path.Combine(_root, "b"));
        Run("sh", "-c", $"printf x > \"$(printf '{Path.Combine(_root, "b")}/nagranie-\\263.wav')\"");

        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => j.RelativePath), Is.EqualTo(new[] { "a/call.wav" }));
        Assert.That(result.Errors.Single().Reason, Does.Contain("not valid UTF-8").And.Contain("rename"));
    }

    private void Touch(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
    }

    private void Manifest(params string[] rows) =>
        File.WriteAllText(Path.Combine(_root, "calls.csv"), "file,call_id,agent_id,agent_name,company,language,agent_channel,started_at\n" + string.Join("\n", rows) + "\n");

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', args)}");
    }
}
