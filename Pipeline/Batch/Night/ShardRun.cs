using System.Globalization;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Batch.Sharding;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;
using Serilog;
using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Batch.Night;

/// <summary>
/// What <c>scan --shard K/N</c> does differently from a whole scan: it transcribes only its share of the night into the
/// shared transcript store and writes only its own result file; the reports, <c>run.json</c> and the history are
/// <c>qualityscan report</c>'s.
/// </summary>
/// <remarks>
/// Shards on different machines share the output folder over NFS or SMB, so a shard takes no lock (such mounts do
/// not honour them reliably, and the shards of one night must run at once), removes no temporary files (another
/// host's file in progress looks abandoned from here), and writes its log and result under
/// <c>shards/&lt;run id&gt;/</c> beside, never into, another shard's files. Transcripts are per call, written by the
/// one shard that owns the call, each atomically.
/// </remarks>
public sealed class ShardRun
{
    /// <summary>Options of <c>scan</c> whose value is a path, made absolute in the recorded arguments.</summary>
    private static readonly string[] PathOptions = ["out", "config", "history", "model", "rules"];

    private readonly ShardResult _result;

    private ShardRun(ShardAssignment assignment, ShardResult result, IReadOnlyList<CallJob> jobs)
    {
        Assignment = assignment;
        _result = result;
        Jobs = jobs;
    }

    /// <summary>Which shard and run this is.</summary>
    public ShardAssignment Assignment { get; }

    /// <summary>This shard's calls.</summary>
    public IReadOnlyList<CallJob> Jobs { get; }

    /// <summary>The shard's log file: <c>shards/&lt;run id&gt;/shard-K-of-N.log</c>.</summary>
    public static string LogPath(string output, ShardAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return Path.Combine(ShardResult.RunFolder(output, assignment.RunId), assignment.Shard.Stem + ".log");
    }

    /// <summary>
    /// The scan's command line as <c>report</c> replays it: without <c>--shard</c> and <c>--run-id</c>, paths absolute,
    /// and <c>--date</c> as the day it meant when the shard started (a shard after midnight must not mean another "yesterday").
    /// </summary>
    public static IReadOnlyList<string> ReplayArguments(CommandArguments commandLine, CommandSpec spec, string input, DateOnly? night)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(spec);
        var args = new List<string> { Path.GetFullPath(input) };
        foreach (var option in spec.Options.Where(o => o.Name is not ("shard" or "run-id")))
        {
            if (option.IsFlag)
            {
                if (commandLine.Has(option.Name))
                {
                    args.Add("--" + option.Name);
                }

                continue;
            }

            foreach (var value in commandLine.Values(option.Name))
            {
                args.Add("--" + option.Name);
                args.Add(option.Name == "date" && night is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : PathOptions.Contains(option.Name) ? Path.GetFullPath(value)
                    : value);
            }
        }

        return args;
    }

    /// <summary>Plans the night over the shards, takes this shard's calls, logs the split and writes the result file with status <c>running</c>.</summary>
    /// <exception cref="IOException">The result file cannot be written.</exception>
    public static ShardRun Start(ShardAssignment assignment, DiscoveryResult night, IReadOnlyList<ErrorRow> discoveryErrors, IReadOnlyList<string> replayArguments, string modelId, string output, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(night);
        ArgumentNullException.ThrowIfNull(log);
        var plan = ShardPlanner.Plan(night.Jobs, assignment.Shard.Count);
        var jobs = plan.JobsOf(assignment.Shard.Number);
        var seconds = plan.SecondsPerShard();
        log.Information("Shard {Shard} of run {RunId} (from {Source}): {Calls} of {Total} call(s), {Minutes:0.0} of {TotalMinutes:0.0} audio minutes (shards range {MinMinutes:0.0}-{MaxMinutes:0.0}); plan {Fingerprint}",
            assignment.Shard.ToString(), assignment.RunId, assignment.Source, jobs.Count, night.Jobs.Count, seconds[assignment.Shard.Number - 1] / 60, seconds.Sum() / 60, seconds.Min() / 60, seconds.Max() / 60, plan.Fingerprint);
        var result = new ShardResult
        {
            RunId = assignment.RunId,
            Shard = assignment.Shard.Number,
            ShardCount = assignment.Shard.Count,
            ScanArguments = replayArguments,
            Model = modelId,
            PlanFingerprint = plan.Fingerprint,
            Plan = plan.Placements.Select(p => new PlannedCall(p.Job.CallId, p.Job.RelativePath, p.Shard)).ToList(),
            DiscoveryErrors = discoveryErrors,
        };
        result.Counts["skippedFiles"] = night.Skipped.Count;
        result.Write(output);
        return new ShardRun(assignment, result, jobs);
    }

    /// <summary>
    /// Records what the shard finished (each reported call with the stored transcript it was judged from) and writes the
    /// result file; returns the exit code: 0 when the shard is complete (calls that could not be processed are error rows
    /// <c>report</c> reports), 130 when interrupted, 1 when the result could not be written.
    /// </summary>
    public int Finish(ScanResult scan, ScanStatistics statistics, IReadOnlyList<ErrorRow> errors, TranscriptCache cache, string output, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(log);
        var reported = scan.Reports.Select(r => r.Metadata.CallId).ToHashSet(StringComparer.Ordinal);
        var calls = new List<ShardCall>();
        foreach (var job in Jobs.Where(j => reported.Contains(j.CallId)))
        {
            // The report judges the stored transcript, so a call counts as done only when its transcript is on the shared store.
            try
            {
                var source = TranscriptJson.Read(cache.PathFor(job.CallId)).Source;
                if (source?.GetValueOrDefault(TranscriptCache.AudioHashKey) is { } hash && source.GetValueOrDefault(TranscriptCache.SettingsKey) is { } settings)
                {
                    calls.Add(new ShardCall(job, hash, settings));
                    continue;
                }
            }
            catch (Exception ex) when (ex is TranscriptFormatException or IOException or UnauthorizedAccessException)
            {
                log.Warning("Transcript of {CallId} cannot be read back ({Reason}); run this shard again", job.CallId, ex.Message);
            }
        }

        _result.Calls = calls;
        _result.Errors = errors;
        _result.Counts["transcribed"] = statistics.Transcribed;
        _result.Counts["reused"] = statistics.Reused;
        _result.Counts["transcriptsNotStored"] = statistics.CacheWriteFailed;
        _result.EndedAt = DateTimeOffset.Now;
        var missing = Jobs.Count - calls.Count - errors.Count;
        _result.Status = scan.Interrupted ? RunStatus.Interrupted : missing > 0 ? RunStatus.Failed : RunStatus.Complete;
        try
        {
            _result.Write(output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Error("Could not write the shard result {File}: {Reason}; run this shard again", ShardResult.PathFor(output, Assignment.RunId, Assignment.Shard), ex.Message);
            return ExitCodes.Failure;
        }

        log.Information("Shard {Shard} of run {RunId} {Status}: {Done} call(s) stored ({Transcribed} transcribed, {Reused} reused), {Errors} could not be processed, {Missing} not done; result {File}",
            Assignment.Shard.ToString(), Assignment.RunId, _result.Status.ToString().ToLowerInvariant(), calls.Count, statistics.Transcribed, statistics.Reused, errors.Count, missing,
            ShardResult.PathFor(output, Assignment.RunId, Assignment.Shard));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {Assignment.Shard} of run {Assignment.RunId}: {_result.Status.ToString().ToLowerInvariant()}, {calls.Count} call(s) stored, {errors.Count} error(s), {missing} not done; when every shard is complete: qualityscan report {output} --run-id {Assignment.RunId}"));
        return _result.Status switch
        {
            RunStatus.Complete => ExitCodes.Success,
            RunStatus.Interrupted => ExitCodes.Interrupted,
            _ => ExitCodes.Failure,
        };
    }
}
