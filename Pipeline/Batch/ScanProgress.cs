using System.Diagnostics;
using System.Globalization;
using Serilog;

namespace QualityScan.Pipeline.Batch;

/// <summary>
/// Shows how far a scan is: on a terminal, one line redrawn in place (calls done, audio hours, ETA); otherwise a
/// log line every <see cref="LogInterval"/> and at the end.
/// </summary>
public sealed class ScanProgress
{
    /// <summary>How often progress is logged when standard error is not a terminal.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(15);

    private readonly int _total;
    private readonly ILogger _log;
    private readonly bool _interactive;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private int _done;
    private int _failed;
    private int _transcribed;
    private double _audioSeconds;
    private double _transcribedSeconds;
    private TimeSpan? _lastShown;
    private TimeSpan? _lastInCall;
    private int _lastShownDone = -1;

    /// <summary>Creates progress for <paramref name="total"/> calls.</summary>
    public ScanProgress(int total, ILogger log, bool interactive)
    {
        _total = total;
        _log = log;
        _interactive = interactive;
    }

    /// <summary>A call finished (transcribed now, or reused).</summary>
    public void CallDone(double audioSeconds, bool transcribed)
    {
        lock (_gate)
        {
            _done++;
            _audioSeconds += audioSeconds;
            if (transcribed)
            {
                _transcribed++;
                _transcribedSeconds += audioSeconds;
            }

            Show(force: false);
        }
    }

    /// <summary>Calls at least this long (seconds) report progress while they are transcribed.</summary>
    public const double LongCallSeconds = 600;

    /// <summary>
    /// Progress within one long call (<paramref name="fraction"/> of it transcribed), shown at most every
    /// <see cref="LogInterval"/>, so a two-hour call does not look like a stalled batch.
    /// </summary>
    public void InCall(string callId, double fraction, double audioSeconds)
    {
        lock (_gate)
        {
            var now = _watch.Elapsed;
            if (_lastInCall is { } last && now - last < LogInterval)
            {
                return;
            }

            _lastInCall = now;
            _log.Information("Transcribing {CallId}: {Percent:0}% of {Minutes:0.0} min of audio", callId, fraction * 100, audioSeconds / 60);
        }
    }

    /// <summary>A call ended in an error.</summary>
    public void CallFailed()
    {
        lock (_gate)
        {
            _done++;
            _failed++;
            Show(force: false);
        }
    }

    /// <summary>Prints the final state (and ends the redrawn line on a terminal).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_done != _lastShownDone)
            {
                Show(force: true);
            }

            if (_interactive)
            {
                Console.Error.WriteLine();
            }
        }
    }

    private void Show(bool force)
    {
        var now = _watch.Elapsed;
        var interval = _interactive ? TimeSpan.FromMilliseconds(250) : LogInterval;
        if (!force && _lastShown is { } last && now - last < interval && _done < _total)
        {
            return;
        }

        _lastShown = now;
        _lastShownDone = _done;
        var remaining = _total - _done;
        var eta = _transcribed > 0 && remaining > 0 ? TimeSpan.FromSeconds(now.TotalSeconds / _done * remaining) : TimeSpan.Zero;
        var speed = now.TotalSeconds > 0 ? _transcribedSeconds / now.TotalSeconds : 0;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{_done}/{_total} calls ({_failed} failed), {_audioSeconds / 3600:0.00} h audio, {speed:0.0}x real time, ETA {eta:hh\\:mm\\:ss}");
        if (_interactive)
        {
            Console.Error.Write("\r" + text.PadRight(90));
        }
        else
        {
            _log.Information("Progress: {Progress}", text);
        }
    }
}
