using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using QualityScan.Analyzers;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Reports;
using QualityScan.Speech.Transcription;
using Serilog;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline.Batch;

/// <summary>The outcome of a scan: reports of the calls done, the calls that failed, and whether it was interrupted.</summary>
public sealed record ScanResult(IReadOnlyList<CallReport> Reports, IReadOnlyList<ErrorRow> Errors, bool Interrupted);

/// <summary>
/// Runs a batch of calls through a bounded pipeline: one stage decodes and finds voice activity (processor work)
/// while transcription workers run Whisper on the calls already prepared; each finished transcript is stored at
/// once, so nothing done is lost if the run stops.
/// </summary>
/// <remarks>
/// The channel between the stages holds at most one prepared call per worker, so memory stays flat however
/// large the batch is. One bad recording becomes an error row and a log line, never the end of the batch.
/// </remarks>
public sealed class ScanRunner
{
    private readonly IReadOnlyList<CallProcessor> _workers;
    private readonly RuleBook _rules;
    private readonly TranscriptCache _cache;
    private readonly ScanSettings _settings;
    private readonly bool _force;
    private readonly ILogger _log;

    /// <summary>Creates a runner with one <see cref="CallProcessor"/> per transcription worker.</summary>
    public ScanRunner(IReadOnlyList<CallProcessor> workers, RuleBook rules, TranscriptCache cache, ScanSettings settings, bool force, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentOutOfRangeException.ThrowIfZero(workers.Count);
        _workers = workers;
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _force = force;
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>Shortest recording judged, in seconds: a shorter one is an error row ("too short to judge"), never a perfect call.</summary>
    public const double MinimumCallSeconds = 1.0;

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The recordings being read, decoded or transcribed now (relative paths), for a message if the run dies.</summary>
    public IReadOnlyCollection<string> InFlight => _inFlight.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Counts and stage times of the run so far.</summary>
    public ScanStatistics Statistics { get; } = new();

    /// <summary>Processes <paramref name="jobs"/>; on cancellation, stops taking new calls and returns what is finished.</summary>
    public async Task<ScanResult> RunAsync(IReadOnlyList<CallJob> jobs, ScanProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(progress);
        var reports = new ConcurrentBag<CallReport>();
        var errors = new ConcurrentBag<ErrorRow>();
        var prepared = Channel.CreateBounded<(PreparedCall Call, string Hash, string Settings)>(new BoundedChannelOptions(_workers.Count)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // If a worker dies, the producer must not wait forever for room in the channel: stop it too.
        using var workerFault = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(jobs, prepared.Writer, reports, errors, progress, workerFault.Token), CancellationToken.None);
        var consumers = _workers.Select(worker => Task.Run(async () =>
        {
            try
            {
                await ConsumeAsync(worker, prepared.Reader, reports, errors, progress, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await workerFault.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(consumers.Append(producer)).ConfigureAwait(false);

        return new ScanResult(reports.ToList(), errors.OrderBy(e => e.File, StringComparer.Ordinal).ToList(), cancellationToken.IsCancellationRequested);
    }

    private async Task ProduceAsync(
        IReadOnlyList<CallJob> jobs,
        ChannelWriter<(PreparedCall, string, string)> writer,
        ConcurrentBag<CallReport> reports,
        ConcurrentBag<ErrorRow> errors,
        ScanProgress progress,
        CancellationToken cancellationToken)
    {
        var preparer = _workers[0];
        try
        {
            foreach (var job in jobs)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                string stage = "read";
                _inFlight[job.RelativePath] = 0;
                try
                {
                    var hash = TranscriptCache.HashFile(job.AudioPath);
                    var settingsKey = _settings.CacheKey(preparer.LanguageFor(job), preparer.AgentChannelFor(job));
                    string? unreadable = null;
                    var cached = _force ? null : _cache.TryGet(job.CallId, hash, settingsKey, out unreadable);
                    if (unreadable is not null)
                    {
                        _log.Warning("Stored transcript of {CallId} is unreadable, transcribing the call again: {Reason}", job.CallId, unreadable);
                    }

                    if (cached is not null && cached.Transcript.Metadata.DurationSeconds < MinimumCallSeconds)
                    {
                        throw TooShort(job, cached.Transcript.Metadata.DurationSeconds);
                    }

                    if (cached is not null)
                    {
                        Statistics.AddReused();
                        // The manifest may have changed since (a corrected agent name): today's metadata, the stored words.
                        var metadata = job.ToMetadata(cached.Transcript.Metadata.Language, cached.Transcript.Metadata.DurationSeconds);
                        Analyze(cached.Transcript with { Metadata = metadata }, job, reports, errors);
                        progress.CallDone(metadata.DurationSeconds, transcribed: false);
                        continue;
                    }

                    stage = "decode";
                    var call = preparer.Prepare(job, cancellationToken);
                    if (call.DurationSeconds < MinimumCallSeconds)
                    {
                        throw TooShort(job, call.DurationSeconds);
                    }

                    Statistics.AddPrepared(call);
                    await writer.WriteAsync((call, hash, settingsKey), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever one recording does to the decoder, it costs that call only, never the batch.
                    Fail(job, stage, ex, errors, progress);
                }
                finally
                {
                    _inFlight.TryRemove(job.RelativePath, out _);
                }
            }
        }
        finally
        {
            writer.Complete();
        }
    }

    private async Task ConsumeAsync(
        CallProcessor worker,
        ChannelReader<(PreparedCall Call, string Hash, string Settings)> reader,
        ConcurrentBag<CallReport> reports,
        ConcurrentBag<ErrorRow> errors,
        ScanProgress progress,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (call, hash, settingsKey) in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var watch = Stopwatch.StartNew();
                _inFlight[call.Job.RelativePath] = 0;
                try
                {
                    var inCall = new Progress<double>(done => progress.InCall(call.Job.CallId, done, call.DurationSeconds));
                    var transcript = await worker.TranscribeAsync(call, call.DurationSeconds >= ScanProgress.LongCallSeconds ? inCall : null, cancellationToken).ConfigureAwait(false);
                    Store(transcript, hash, settingsKey, call.Job);
                    Statistics.AddTranscribed(call.DurationSeconds, watch.Elapsed);
                    _log.Debug("Transcribed {CallId} ({Seconds:0.0} s of audio) in {Elapsed:0.0} s", call.Job.CallId, call.DurationSeconds, watch.Elapsed.TotalSeconds);
                    Analyze(AsStored(transcript, call.Job), call.Job, reports, errors);
                    progress.CallDone(call.DurationSeconds, transcribed: true);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Fail(call.Job, "transcribe", ex, errors, progress);
                }
                finally
                {
                    _inFlight.TryRemove(call.Job.RelativePath, out _);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped on request: transcripts already stored are kept; the call in progress is redone next run.
        }
    }

    /// <summary>Stores a transcript; when that fails (disk full, folder gone) the call is still checked and reported, and only redone next run.</summary>
    private void Store(CallTranscript transcript, string hash, string settingsKey, CallJob job)
    {
        try
        {
            _cache.Store(transcript, hash, settingsKey, job.RelativePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Statistics.AddCacheWriteFailed();
            _log.Warning("Could not store the transcript of {CallId} in {Path} ({Reason}); the call is reported, and transcribed again next run", job.CallId, _cache.PathFor(job.CallId), ex.Message);
        }
    }

    /// <summary>
    /// The transcript as the store keeps it (times rounded as stored) with the job's metadata, as a reused transcript is
    /// judged: a call judged now, judged again from its stored transcript on a re-run, or by <c>report</c> after shards,
    /// gets the same findings, times and clips.
    /// </summary>
    private static CallTranscript AsStored(CallTranscript transcript, CallJob job)
    {
        var stored = Transcripts.TranscriptJson.Parse(System.Text.Encoding.UTF8.GetBytes(Transcripts.TranscriptJson.ToJson(new Transcripts.TranscriptDocument(transcript))), job.RelativePath).Transcript;
        return stored with { Metadata = job.ToMetadata(stored.Metadata.Language, stored.Metadata.DurationSeconds) };
    }

    private static UnsupportedAudioException TooShort(CallJob job, double seconds) =>
        new(job.AudioPath, string.Create(CultureInfo.InvariantCulture, $"too short to judge: {seconds:0.00} s of audio (a call needs at least {MinimumCallSeconds:0} s)"))
        {
            Problem = AudioProblem.TooShort,
            Seconds = seconds,
        };

    private void Analyze(CallTranscript transcript, CallJob job, ConcurrentBag<CallReport> reports, ConcurrentBag<ErrorRow> errors)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            reports.Add(_rules.Analyze(transcript));
        }
        catch (UnsupportedLanguageException ex)
        {
            Statistics.AddFailed();
            _log.Warning("Cannot check {File}: {Reason}", job.RelativePath, ex.Message);
            errors.Add(new ErrorRow { File = job.RelativePath, CallId = job.CallId, AgentId = job.AgentId, Stage = "analyze", Reason = $"{job.RelativePath}: {ex.Message}", Detail = ErrorDetails.Of("analyze", ex) });
        }
        finally
        {
            Statistics.AddAnalyzed(watch.Elapsed);
        }
    }

    private void Fail(CallJob job, string stage, Exception ex, ConcurrentBag<ErrorRow> errors, ScanProgress progress)
    {
        Statistics.AddFailed();
        var reason = ex is UnsupportedAudioException ? ex.Message : $"{job.RelativePath}: {ex.Message}";
        _log.Warning("Skipped {File} ({Stage}): {Reason}", job.RelativePath, stage, reason);
        errors.Add(new ErrorRow { File = job.RelativePath, CallId = job.CallId, AgentId = job.AgentId, Stage = stage, Reason = reason, Detail = ErrorDetails.Of(stage, ex) });
        progress.CallFailed();
    }
}
