namespace QualityScan.Models;

/// <summary>A closed time span in seconds from the start of the recording.</summary>
public readonly record struct TimeInterval
{
    /// <summary>Creates a span; <paramref name="start"/> must not be negative or after <paramref name="end"/>.</summary>
    public TimeInterval(double start, double end)
    {
        if (double.IsNaN(start) || start < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "Start must be a non-negative number of seconds.");
        }

        if (double.IsNaN(end) || end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, "End must not be before start.");
        }

        Start = start;
        End = end;
    }

    /// <summary>Start in seconds.</summary>
    public double Start { get; }

    /// <summary>End in seconds.</summary>
    public double End { get; }

    /// <summary>Length in seconds.</summary>
    public double Duration => End - Start;

    /// <summary>Length of the overlap with <paramref name="other"/>, zero when they do not meet.</summary>
    public double OverlapWith(TimeInterval other) => Math.Max(0, Math.Min(End, other.End) - Math.Max(Start, other.Start));
}
