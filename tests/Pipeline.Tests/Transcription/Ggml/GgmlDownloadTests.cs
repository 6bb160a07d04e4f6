using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Pipeline.Transcription;
using QualityScan.Pipeline.Transcription.Ggml;

namespace QualityScan.Pipeline.Tests.Transcription.Ggml;

/// <summary>
/// ggml downloads through the same resumable, verified path as the archives, against a loopback server that serves the
/// shared ggml fixture (whole, cut in half, or with a byte changed).
/// </summary>
[TestFixture]
[Category("model")]
public sealed class GgmlDownloadTests
{
    private string _work = "";
    private byte[] _file = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private int _rangeRequests;

    private string BaseUrl(string mode) => $"http://127.0.0.1:{((IPEndPoint)_listener!.LocalEndpoint).Port}/{mode}/";

    private GgmlCatalogModel Entry => new("ggml-fixture", "15 MB", Convert.ToHexStringLower(SHA1.HashData(_file)), "test");

    [OneTimeSetUp]
    public void StartServer()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-ggml-dl-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_work);
        _file = File.ReadAllBytes(Path.Combine(TestData.SharedModels, "sherpa-random-v2-ggml", "ggml-random-f32.bin"));
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
    public async Task DownloadGgml_Whole_FileInPlaceWithTheListedSha1()
    {
        var dir = NewDir();
        using var http = new HttpClient();

        var path = await new ModelDownloader(http, BaseUrl("good")).DownloadGgmlAsync(Entry, dir, null, CancellationToken.None);

        Assert.That(path, Is.EqualTo(Path.Combine(dir, "ggml-fixture.bin")));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(_file));
        Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "no partial file left");
    }

    [Test]
    public async Task DownloadGgml_CutShort_ResumesFromThePartialFile()
    {
        var dir = NewDir();
        using var http = new HttpClient();
        var downloader = new ModelDownloader(http, BaseUrl("truncate"));

        Assert.That(() => downloader.DownloadGgmlAsync(Entry, dir, null, CancellationToken.None), Throws.TypeOf<ModelDownloadException>().With.Message.Contains("resume"));
        var before = Volatile.Read(ref _rangeRequests);
        var path = await new ModelDownloader(http, BaseUrl("good")).DownloadGgmlAsync(Entry, dir, null, CancellationToken.None);

        Assert.That(Volatile.Read(ref _rangeRequests), Is.GreaterThan(before), "the second run asked only for the rest");
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(_file));
    }

    [Test]
    public void DownloadGgml_WrongBytes_RefusedBySha1AndDeleted()
    {
        var dir = NewDir();
        using var http = new HttpClient();

        Assert.That(() => new ModelDownloader(http, BaseUrl("corrupt")).DownloadGgmlAsync(Entry, dir, null, CancellationToken.None),
            Throws.TypeOf<ModelDownloadException>().With.Message.Contains("SHA-1").And.Message.Contains(Entry.Sha1));
        Assert.That(Directory.GetFiles(dir, "*", SearchOption.AllDirectories), Is.Empty, "a bad download is not kept");
    }

    [Test]
    public async Task ModelsList_ShowsWhisperCppFilesWithTheirSha1()
    {
        var (code, output, _) = await CliRun.RunAsync("models", "list");

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        Assert.That(output, Does.Contain("ggml-small").And.Contain("55356645c2b361a969dfd0ef2c5a50d530afd8d5").And.Contain("466 MiB"));
        Assert.That(output, Does.Contain("ggml-large-v3-turbo-q5_0").And.Contain("e050f7970618a659205450ad97eb95a18d69c9ee"));
        Assert.That(output, Does.Not.Contain("ggml-tiny.en"), "English-only files cannot transcribe Polish or Czech");
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
            if (!path.EndsWith("/ggml-fixture.bin", StringComparison.Ordinal))
            {
                await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                return;
            }

            var body = _file;
            if (mode == "corrupt")
            {
                body = (byte[])_file.Clone();
                body[^100] ^= 0x55;
            }

            if (rangeStart > 0)
            {
                var rest = body[(int)rangeStart..];
                await Write(stream, $"HTTP/1.1 206 Partial Content\r\nContent-Length: {rest.Length}\r\nContent-Range: bytes {rangeStart}-{body.Length - 1}/{body.Length}\r\nConnection: close\r\n\r\n", rest);
                return;
            }

            var sent = mode == "truncate" ? body[..(body.Length / 2)] : body;
            await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n", sent);
        }
    }

    private static async Task Write(NetworkStream stream, string head, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
