using System.Globalization;
using System.Text;

namespace QualityScan.Pipeline.Batch;

/// <summary>Counts and stage times of a scan, for the closing log lines and the benchmark figures.</summary>
public sealed class ScanStatistics
{
    private long _decodeTicks;
    private long _vadTicks;
    private long _transcribeTicks;
    private long _analyzeTicks;
    private long _audioMicroseconds;
    private int _transcribed;
    private int _reused;
    private int _failed;
    private int _cacheWriteFailed;

    /// <summary>Calls transcribed in this run.</summary>
    public int Transcribed => _transcribed;

    /// <summary>Calls whose transcript was reused from an earlier run.</summary>
    public int Reused => _reused;

    /// <summary>Calls that ended in errors.csv.</summary>
    public int Failed => _failed;

    /// <summary>Calls reported although their transcript could not be stored (they are transcribed again next run).</summary>
    public int CacheWriteFailed => _cacheWriteFailed;

    /// <summary>Audio seconds of the calls transcribed in this run.</summary>
    public double AudioSeconds => Interlocked.Read(ref _audioMicroseconds) / 1e6;

    /// <summary>Processor time spent decoding and resampling.</summary>
    public TimeSpan DecodeTime => TimeSpan.FromTicks(Interlocked.Read(ref _decodeTicks));

    /// <summary>Processor time spent on voice activity.</summary>
    public TimeSpan VadTime => TimeSpan.FromTicks(Interlocked.Read(ref _vadTicks));

    /// <summary>Time the workers spent transcribing (summed over workers).</summary>
    public TimeSpan TranscribeTime => TimeSpan.FromTicks(Interlocked.Read(ref _transcribeTicks));

    /// <summary>Time spent in the checks.</summary>
    public TimeSpan AnalyzeTime => TimeSpan.FromTicks(Interlocked.Read(ref _analyzeTicks));

    internal void AddPrepared(PreparedCall call)
    {
        Interlocked.Add(ref _decodeTicks, call.DecodeTime.Ticks);
        Interlocked.Add(ref _vadTicks, call.VadTime.Ticks);
    }

    internal void AddTranscribed(double audioSeconds, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _transcribed);
        Interlocked.Add(ref _audioMicroseconds, (long)(audioSeconds * 1e6));
        Interlocked.Add(ref _transcribeTicks, elapsed.Ticks);
    }

    internal void AddReused() => Interlocked.Increment(ref _reused);

    internal void AddFailed() => Interlocked.Increment(ref _failed);

    internal void AddCacheWriteFailed() => Interlocked.Increment(ref _cacheWriteFailed);

    internal void AddAnalyzed(TimeSpan elapsed) => Interlocked.Add(ref _analyzeTicks, elapsed.Ticks);

    /// <summary>A multi-line summary with the real-time factor over <paramref name="wall"/>.</summary>
    public string Describe(TimeSpan wall, Speech.Transcription.TranscriptionStats model)
    {
        var sb = new StringBuilder();
        var speed = wall.TotalSeconds > 0 ? AudioSeconds / wall.TotalSeconds : 0;
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"calls: {Transcribed} transcribed, {Reused} reused, {Failed} failed{(CacheWriteFailed > 0 ? $" ({CacheWriteFailed} transcript(s) could not be stored)" : "")}; audio transcribed {AudioSeconds / 60:0.0} min in {wall.TotalSeconds:0.0} s wall = {speed:0.0}x real time ({speed:0.0} audio hours per hour)"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"stages (summed over workers): decode+resample {DecodeTime.TotalSeconds:0.00} s, voice activity {VadTime.TotalSeconds:0.00} s, transcription {TranscribeTime.TotalSeconds:0.00} s [features {model.FeatureTime.TotalSeconds:0.00} s, encoder {model.EncoderTime.TotalSeconds:0.00} s in {model.EncoderCalls} calls, decoder {model.DecoderTime.TotalSeconds:0.00} s for {model.TokensDecoded} tokens = {model.DecoderMsPerToken:0.00} ms/token], checks {AnalyzeTime.TotalSeconds:0.00} s"));
        sb.AppendLine("decoding: " + model.DecisionSummary());
        return sb.ToString();
    }
}
