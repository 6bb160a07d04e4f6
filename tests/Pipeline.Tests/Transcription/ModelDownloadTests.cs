using QualityScan.Speech.Tests.Transcription;
using System.Diagnostics;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Tests.Transcription;

/// <summary>
/// <c>models download</c> against an HTTP server on 127.0.0.1 that this fixture runs, serving a release archive made
/// by the system's own tar and bzip2 in sherpa-onnx's layout: a good download, a broken-off one that a re-run
/// resumes, a corrupt archive and a missing one. Nothing half-unpacked is ever left behind.
/// </summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class ModelDownloadTests
{
    private string _work = "";
    private byte[] _archive = [];
    private byte[] _hostile = [];
    private LoopbackDownloadServer? _server;

    private string BaseUrl(string mode) => _server!.BaseUrl(mode);

    [OneTimeSetUp]
    public void StartServer()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-download-{Guid.NewGuid():N}");
        var source = Path.Combine(_work, "src", "sherpa-onnx-whisper-tiny");
        Directory.CreateDirectory(source);
        File.Copy(Path.Combine(TestData.DemoModel, "encoder.int8.onnx"), Path.Combine(source, "tiny-encoder.int8.onnx"));
        File.Copy(Path.Combine(TestData.DemoModel, "decoder.int8.onnx"), Path.Combine(source, "tiny-decoder.int8.onnx"));
        File.Copy(Path.Combine(TestData.DemoModel, "tokens.txt"), Path.Combine(source, "tiny-tokens.txt"));
        Directory.CreateDirectory(Path.Combine(source, "test_wavs"));
        File.Copy(Path.Combine(TestData.DemoVectors, "utt0.wav"), Path.Combine(source, "test_wavs", "0.wav"));
        var archive = Path.Combine(_work, "sherpa-onnx-whisper-tiny.tar.bz2");
        Run("tar", "-cjf", archive, "-C", Path.Combine(_work, "src"), "sherpa-onnx-whisper-tiny");
        _archive = File.ReadAllBytes(archive);

        // The same model plus an entry that climbs out of the folder it is unpacked in (tar -P keeps the "../").
        File.WriteAllText(Path.Combine(_work, "escaped.txt"), "written outside the model folder");
        var hostile = Path.Combine(_work, "hostile.tar.bz2");
        Run("tar", "-cjPf", hostile, "-C", Path.Combine(_work, "src"), "sherpa-onnx-whisper-tiny", "../escaped.txt");
        _hostile = File.ReadAllBytes(hostile);

        _server = new LoopbackDownloadServer((mode, file) => mode == "missing" || file != "sherpa-onnx-whisper-tiny.tar.bz2" ? null
            : mode switch { "corrupt" => Corrupt(), "hostile" => _hostile, _ => _archive });
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _server?.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task Download_GoodArchive_UnpacksChecksAndLeavesNothingElse()
    {
        var dir = NewDir();

        var (code, output, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("good"));

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        var folder = Path.Combine(dir, "sherpa-onnx-whisper-tiny");
        Assert.That(output, Does.Contain("unpacked and checked in " + folder));
        Assert.That(Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "sherpa-onnx-whisper-tiny" }), "no partial download or staging folder is left");
        using var model = WhisperModel.Load(folder);
        Assert.That(model.Files.Prefix, Is.EqualTo("tiny"));
        Assert.That(File.Exists(Path.Combine(folder, "test_wavs", "0.wav")), Is.True, "the archive's other files come along");
    }

    [Test]
    public async Task Download_BrokenOffThenRerun_ResumesAndSucceeds()
    {
        var dir = NewDir();
        var before = _server!.RangeRequests;

        var (code, _, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("truncate"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("broke off").And.Contain("run the same command again"));
        Assert.That(Directory.Exists(Path.Combine(dir, "sherpa-onnx-whisper-tiny")), Is.False, "no half-unpacked model folder");
        Assert.That(Directory.GetDirectories(dir), Is.Empty, "no staging folder");
        var part = Path.Combine(dir, ".sherpa-onnx-whisper-tiny.tar.bz2.part");
        Assert.That(new FileInfo(part).Length, Is.EqualTo(_archive.Length / 2), "the bytes that arrived are kept for the re-run");

        (code, _, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("good"));

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(_server.RangeRequests, Is.EqualTo(before + 1), "the re-run asked only for the missing bytes");
        Assert.That(File.Exists(part), Is.False);
        using var model = WhisperModel.Load(Path.Combine(dir, "sherpa-onnx-whisper-tiny"));
    }

    [Test]
    public async Task Download_CorruptArchive_ClearErrorAndNothingLeft()
    {
        var dir = NewDir();

        var (code, _, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("corrupt"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("sherpa-onnx-whisper-tiny.tar.bz2 is damaged").And.Contain("run the download again"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir), Is.Empty, "no model folder, no staging folder, no partial archive");
    }

    [Test]
    public async Task Download_ArchiveEntryClimbingOutOfTheFolder_RefusedAndNothingWrittenOutside()
    {
        var dir = NewDir();
        var outside = Path.Combine(Path.GetDirectoryName(dir)!, "escaped.txt");
        File.Delete(outside);

        var (code, _, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("hostile"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("outside the model folder"));
        Assert.That(File.Exists(outside), Is.False, "nothing is written outside the download folder");
        Assert.That(Directory.EnumerateFileSystemEntries(dir), Is.Empty, "no model folder, no staging folder, no partial archive");
    }

    [Test]
    public async Task Download_MissingArchive_ErrorNames404()
    {
        var dir = NewDir();

        var (code, _, error) = await CliRun.RunAsync("models", "download", "small", "--dir", dir, "--base-url", BaseUrl("missing"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("404").And.Contain("sherpa-onnx-whisper-small.tar.bz2"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir), Is.Empty);
    }

    [Test]
    public async Task Download_EnglishOnlyName_RefusedAsUsage()
    {
        var (code, _, error) = await CliRun.RunAsync("models", "download", "tiny.en", "--dir", NewDir(), "--base-url", BaseUrl("good"));

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("English-only"));
    }

    private string NewDir()
    {
        var dir = Path.Combine(_work, "dl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private byte[] Corrupt()
    {
        var bytes = (byte[])_archive.Clone();
        new Random(3).NextBytes(bytes.AsSpan(200, bytes.Length - 400));
        return bytes;
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{program} failed: {error}");
    }
}
