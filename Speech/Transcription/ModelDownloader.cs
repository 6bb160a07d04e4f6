using System.Diagnostics;
using System.Globalization;
using SharpCompress.Readers;

namespace QualityScan.Speech.Transcription;

/// <summary>A model download or unpack that failed; the message says what to do.</summary>
public sealed class ModelDownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Gets a sherpa-onnx Whisper release archive (<c>sherpa-onnx-whisper-&lt;name&gt;.tar.bz2</c>), unpacks it and
/// checks that it loads, without ever leaving a half-unpacked model folder behind.
/// </summary>
/// <remarks>
/// The archive is downloaded to <c>&lt;dir&gt;/.&lt;archive&gt;.part</c> (resumed with an HTTP range request when
/// a previous run was interrupted and the server supports it), unpacked into a hidden temporary folder beside the
/// target, loaded once as a check, and only then renamed to <c>&lt;dir&gt;/sherpa-onnx-whisper-&lt;name&gt;</c>.
/// Entries that would land outside the folder (absolute paths, <c>..</c>) and links are refused.
/// </remarks>
public sealed class ModelDownloader(HttpClient http, string baseUrl)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Downloads, unpacks and checks <paramref name="model"/> into <paramref name="directory"/>.</summary>
    /// <param name="model">The catalog entry.</param>
    /// <param name="directory">Where the model folder goes.</param>
    /// <param name="progress">Receives (bytes so far, total or null) now and then; null for none.</param>
    /// <param name="cancellationToken">Stops the download (the partial file is kept for a resume).</param>
    /// <returns>The model folder.</returns>
    /// <exception cref="ModelDownloadException">The download, the archive or the model is bad.</exception>
    public async Task<string> DownloadAsync(CatalogModel model, string directory, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var target = Path.Combine(full, model.FolderName);
        if (Directory.Exists(target))
        {
            throw new ModelDownloadException($"{target} already exists; remove it first to download {model.Name} again, or check it with 'qualityscan models info {target}'.");
        }

        var part = Path.Combine(full, $".{model.ArchiveName}.part");
        await FetchAsync(new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), model.ArchiveName), part, progress, cancellationToken).ConfigureAwait(false);

        var staging = Path.Combine(full, $".unpack-{model.Name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Unpack(part, staging, cancellationToken);
            var unpacked = Path.Combine(staging, model.FolderName);
            if (!Directory.Exists(unpacked))
            {
                var top = Directory.EnumerateFileSystemEntries(staging).Select(Path.GetFileName).ToList();
                throw new ModelDownloadException($"{model.ArchiveName} does not hold the folder {model.FolderName} (it holds: {string.Join(", ", top)}).");
            }

            Verify(unpacked);
            Directory.Move(unpacked, target);
            File.Delete(part);
            return target;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ModelDownloadException and not OutOfMemoryException)
        {
            // A corrupt archive: keeping it would make every re-run fail the same way.
            File.Delete(part);
            throw new ModelDownloadException($"{model.ArchiveName} is damaged ({ex.Message}); it was deleted, run the download again.", ex);
        }
        catch (ModelDownloadException)
        {
            File.Delete(part);
            throw;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Downloads the ggml file <paramref name="model"/> into <paramref name="directory"/> through the same resumable
    /// path as the archives, checks its SHA-1 against whisper.cpp's list and its ggml header, then moves it into place.
    /// </summary>
    /// <returns>The model file.</returns>
    /// <exception cref="ModelDownloadException">The download is bad, its SHA-1 differs, or it is not a ggml model.</exception>
    public async Task<string> DownloadGgmlAsync(Ggml.GgmlCatalogModel model, string directory, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var target = Path.Combine(full, model.FileName);
        if (File.Exists(target))
        {
            throw new ModelDownloadException($"{target} already exists; remove it first to download {model.Name} again, or check it with 'qualityscan models info {target}'.");
        }

        var part = Path.Combine(full, $".{model.FileName}.part");
        await FetchAsync(new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), model.FileName), part, progress, cancellationToken).ConfigureAwait(false);
        string sha1;
        await using (var stream = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true))
        {
            sha1 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA1.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        if (!string.Equals(sha1, model.Sha1, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new ModelDownloadException($"{model.FileName} has SHA-1 {sha1}, not {model.Sha1} as whisper.cpp lists it; it was deleted, run the download again.");
        }

        try
        {
            Ggml.GgmlModelFile.Read(part);
        }
        catch (InvalidModelException ex)
        {
            File.Delete(part);
            throw new ModelDownloadException($"{model.FileName} is not a usable ggml model ({ex.Reason}); it was deleted.", ex);
        }

        File.Move(part, target);
        return target;
    }

    /// <summary>Loads the model in <paramref name="folder"/> once (int8 pair if present, else float32).</summary>
    /// <exception cref="ModelDownloadException">It does not load.</exception>
    public static void Verify(string folder)
    {
        try
        {
            using var model = WhisperModel.Load(folder, new WhisperModelOptions { Precision = PreferredPrecision(folder), IntraOpThreads = 1 });
        }
        catch (Exception ex) when (ex is ModelNotFoundException or InvalidModelException)
        {
            throw new ModelDownloadException($"the unpacked model does not load: {ex.Message}", ex);
        }
    }

    /// <summary>The int8 pair when the folder has one, else float32.</summary>
    public static WhisperPrecision PreferredPrecision(string folder)
    {
        try
        {
            WhisperModelFiles.Find(folder, WhisperPrecision.Int8);
            return WhisperPrecision.Int8;
        }
        catch (ModelNotFoundException)
        {
            return WhisperPrecision.Float32;
        }
    }

    private async Task FetchAsync(Uri uri, string part, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        var existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (existing > 0)
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(existing, null);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelDownloadException($"cannot reach {uri.Host}: {ex.Message}. Without internet access, download {Path.GetFileName(uri.LocalPath)} elsewhere and unpack it; --model <folder> loads it.", ex);
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(part);
                throw new ModelDownloadException($"the partial download of {Path.GetFileName(uri.LocalPath)} did not match the server's file; it was deleted, run the download again.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ModelDownloadException($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}; check the model name ('qualityscan models list').");
            }

            var resumed = response.StatusCode == System.Net.HttpStatusCode.PartialContent;
            var offset = resumed ? existing : 0;
            var total = response.Content.Headers.ContentLength is long length ? length + offset : (long?)null;
            await using var input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var output = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
            var buffer = new byte[BufferSize];
            var done = offset;
            var lastReport = Stopwatch.StartNew();
            progress?.Invoke(done, total);
            int read;
            try
            {
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    done += read;
                    if (lastReport.ElapsedMilliseconds >= 500)
                    {
                        progress?.Invoke(done, total);
                        lastReport.Restart();
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw new ModelDownloadException(string.Create(CultureInfo.InvariantCulture,
                    $"the download broke off after {done} bytes ({ex.Message}); run the same command again to resume."), ex);
            }

            progress?.Invoke(done, total);
            if (total is long expected && done != expected)
            {
                throw new ModelDownloadException(string.Create(CultureInfo.InvariantCulture,
                    $"the download stopped after {done} of {expected} bytes; run the same command again to resume."));
            }
        }
    }

    private static void Unpack(string archive, string staging, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(staging);
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        using var stream = File.OpenRead(archive);
        using var reader = ReaderFactory.OpenReader(stream);
        var buffer = new byte[BufferSize];
        while (reader.MoveToNextEntry())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = reader.Entry;
            var key = entry.Key ?? string.Empty;
            if (entry.IsDirectory || key.Length == 0)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(entry.LinkTarget))
            {
                throw new InvalidDataException($"the archive holds a link ({key}); model archives hold plain files only");
            }

            var destination = Path.GetFullPath(Path.Combine(staging, key));
            if (Path.IsPathRooted(key) || !destination.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"the entry '{key}' would be written outside the model folder");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var entryStream = reader.OpenEntryStream();
            using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
            int read;
            while ((read = entryStream.Read(buffer)) > 0)
            {
                output.Write(buffer.AsSpan(0, read));
            }
        }
    }
}
