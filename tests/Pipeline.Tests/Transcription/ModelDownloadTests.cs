using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Pipeline.Transcription;

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
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private int _rangeRequests;

    private string BaseUrl(string mode) => $"http://127.0.0.1:{((IPEndPoint)_listener!.LocalEndpoint).Port}/{mode}/";

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

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _stop = new CancellationTokenSource();
        _ = Task.Run(() => ServeAsync(_stop.Token));
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _stop?.Cancel();
        _stop?.Dispose();
        _listener?.Stop();
        _listener?.Dispose();
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
        var before = _rangeRequests;

        var (code, _, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("truncate"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("broke off").And.Contain("run the same command again"));
        Assert.That(Directory.Exists(Path.Combine(dir, "sherpa-onnx-whisper-tiny")), Is.False, "no half-unpacked model folder");
        Assert.That(Directory.GetDirectories(dir), Is.Empty, "no staging folder");
        var part = Path.Combine(dir, ".sherpa-onnx-whisper-tiny.tar.bz2.part");
        Assert.That(new FileInfo(part).Length, Is.EqualTo(_archive.Length / 2), "the bytes that arrived are kept for the re-run");

        (code, _, error) = await CliRun.RunAsync("models", "download", "tiny", "--dir", dir, "--base-url", BaseUrl("good"));

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(_rangeRequests, Is.EqualTo(before + 1), "the re-run asked only for the missing bytes");
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

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client), cancellationToken);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync() ?? string.Empty;
            long rangeStart = 0;
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
            {
                if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                {
                    rangeStart = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                    Interlocked.Increment(ref _rangeRequests);
                }
            }

            var path = requestLine.Split(' ') is [_, var p, ..] ? p : "/";
            var mode = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (mode == "missing" || !path.EndsWith("/sherpa-onnx-whisper-tiny.tar.bz2", StringComparison.Ordinal))
            {
                await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                return;
            }

            var body = mode switch { "corrupt" => Corrupt(), "hostile" => _hostile, _ => _archive };
            if (rangeStart > 0)
            {
                var rest = body[(int)rangeStart..];
                await Write(stream, $"HTTP/1.1 206 Partial Content\r\nContent-Length: {rest.Length}\r\nContent-Range: bytes {rangeStart}-{body.Length - 1}/{body.Length}\r\nConnection: close\r\n\r\n", rest);
                return;
            }

            var sent = mode == "truncate" ? body[..(body.Length / 2)] : body;
            await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n", sent);
        }
    }

    private byte[] Corrupt()
    {
        var bytes = (byte[])_archive.Clone();
        new Random(3).NextBytes(bytes.AsSpan(200, bytes.Length - 400));
        return bytes;
    }

    private static async Task Write(NetworkStream stream, string head, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{program} failed: {error}");
    }
}
