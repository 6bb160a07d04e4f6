using QualityScan.Speech.Tests.Transcription;
using System.Net;
using System.Security.Cryptography;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Cli;
using QualityScan.Speech.Transcription;
using QualityScan.Speech.Transcription.Ggml;

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
    private LoopbackDownloadServer? _server;

    private string BaseUrl(string mode) => _server!.BaseUrl(mode);

    private GgmlCatalogModel Entry => new("ggml-fixture", "15 MB", Convert.ToHexStringLower(SHA1.HashData(_file)), "test");

    [OneTimeSetUp]
    public void StartServer()
    {
        _work = Path.Combine(Path.GetTempPath(), $"qs-ggml-dl-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_work);
        _file = File.ReadAllBytes(Path.Combine(TestData.SharedModels, "sherpa-random-v2-ggml", "ggml-random-f32.bin"));
        _server = new LoopbackDownloadServer((mode, file) => file != "ggml-fixture.bin" ? null : mode == "corrupt" ? Corrupt() : _file);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _server?.Dispose();
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
        var before = _server!.RangeRequests;
        var path = await new ModelDownloader(http, BaseUrl("good")).DownloadGgmlAsync(Entry, dir, null, CancellationToken.None);

        Assert.That(_server.RangeRequests, Is.GreaterThan(before), "the second run asked only for the rest");
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

    /// <summary>The fixture with one byte near its end changed: the same length, the wrong SHA-1.</summary>
    private byte[] Corrupt()
    {
        var body = (byte[])_file.Clone();
        body[^100] ^= 0x55;
        return body;
    }
}
