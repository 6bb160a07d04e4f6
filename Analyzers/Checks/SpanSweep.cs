using QualityScan.Models;

namespace QualityScan.Analyzers.Checks;

/// <summary>
/// Finds the utterances that overlap each of a series of time spans with a sweep line, so that a crowded call (thousands
/// of utterances all overlapping one another) costs time and memory in proportion to its utterances, not their pairs.
/// </summary>
/// <remarks>
/// Spans are expected in time order (starts and ends never going back), as the overlaps of merged turns come; an
/// utterance enters the sweep when a span ends after its start and leaves once it ends before a span starts. A span out
/// of order restarts the sweep, which stays correct but reads the call again. An utterance overlaps a span when the two
/// share a positive length of time (as <see cref="TimeInterval.OverlapWith"/>).
/// </remarks>
internal sealed class SpanSweep
{
    /// <summary>Most utterances returned for quoting per span; the count says how many overlap in all.</summary>
    public const int MaxQuoted = 5;

    private readonly IReadOnlyList<Utterance> _utterances;
    private readonly Func<int, bool> _isPlain;
    private readonly int[] _byStart;
    private readonly SortedSet<int> _active;
    private readonly PriorityQueue<int, double> _byEnd = new();
    private int _next;
    private int _others;
    private double _lastStart = double.NegativeInfinity;
    private double _lastEnd = double.NegativeInfinity;

    /// <summary>Sweeps the utterances chosen by <paramref name="include"/>; <paramref name="isPlain"/> marks those counted apart (e.g. listening signals).</summary>
    public SpanSweep(IReadOnlyList<Utterance> utterances, Func<int, bool> include, Func<int, bool> isPlain)
    {
        _utterances = utterances;
        _isPlain = isPlain;
        _byStart = Enumerable.Range(0, utterances.Count)
            .Where(i => include(i) && utterances[i].End > utterances[i].Start)
            .OrderBy(i => utterances[i].Start).ThenBy(i => i)
            .ToArray();
        _active = new SortedSet<int>(Comparer<int>.Create((a, b) =>
        {
            var byStart = utterances[a].Start.CompareTo(utterances[b].Start);
            return byStart != 0 ? byStart : a.CompareTo(b);
        }));
    }

    /// <summary>
    /// The utterances overlapping <paramref name="span"/>: the first <see cref="MaxQuoted"/> by start (utterance indices),
    /// how many overlap in all, and how many of those are not plain.
    /// </summary>
    public (IReadOnlyList<int> Quoted, int Count, int NotPlain) Take(TimeInterval span)
    {
        if (span.Duration <= 0)
        {
            return ([], 0, 0);
        }

        if (span.Start < _lastStart || span.End < _lastEnd)
        {
            Restart();
        }

        _lastStart = span.Start;
        _lastEnd = span.End;
        while (_next < _byStart.Length && _utterances[_byStart[_next]].Start < span.End)
        {
            var index = _byStart[_next++];
            _active.Add(index);
            _byEnd.Enqueue(index, _utterances[index].End);
            _others += _isPlain(index) ? 0 : 1;
        }

        while (_byEnd.TryPeek(out var index, out var end) && end <= span.Start)
        {
            _byEnd.Dequeue();
            _active.Remove(index);
            _others -= _isPlain(index) ? 0 : 1;
        }

        return (_active.Take(MaxQuoted).ToArray(), _active.Count, _others);
    }

    private void Restart()
    {
        _active.Clear();
        _byEnd.Clear();
        _next = 0;
        _others = 0;
    }
}
