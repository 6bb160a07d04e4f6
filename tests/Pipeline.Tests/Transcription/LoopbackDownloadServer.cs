using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QualityScan.Pipeline.Tests.Transcription;

/// <summary>
/// An HTTP server on 127.0.0.1 for the download tests. <c>GET /&lt;mode&gt;/&lt;file&gt;</c> answers with the body
/// <c>content(mode, file)</c> gives (null: 404); a <c>Range: bytes=N-</c> request gets the rest with 206 and is counted;
/// mode <c>truncate</c> announces the whole body but sends half of it and closes, as a broken-off download does.
/// </summary>
internal sealed class LoopbackDownloadServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, string, byte[]?> _content;
    private int _rangeRequests;

    public LoopbackDownloadServer(Func<string, string, byte[]?> content)
    {
        _content = content;
        _listener.Start();
        _ = Task.Run(() => ServeAsync(_stop.Token));
    }

    /// <summary>How many requests asked for the rest of a file (a resumed download).</summary>
    public int RangeRequests => Volatile.Read(ref _rangeRequests);

    /// <summary>The base address whose files are served in <paramref name="mode"/>.</summary>
    public string BaseUrl(string mode) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{mode}/";

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _listener.Stop();
        _listener.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
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
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var mode = segments.FirstOrDefault() ?? "";
            var body = _content(mode, segments.LastOrDefault() ?? "");
            if (body is null)
            {
                await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                return;
            }

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

    private static async Task Write(NetworkStream stream, string head, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
