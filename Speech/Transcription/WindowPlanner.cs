using QualityScan.Models;
using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Transcription;

/// <summary>How a track's speech is laid into 30 s windows.</summary>
public enum Windowing
{
    /// <summary>Each speech chunk is its own window, its text one segment with the chunk's times (for models without timestamps).</summary>
    Chunk,

    /// <summary>
    /// Consecutive speech chunks of a track share a window until 30 s would be exceeded, long silences cut out; the
    /// model's timestamp tokens cut the window into segments, whose times are mapped back to the recording.
    /// </summary>
    Packed,
}

/// <summary>A stretch of the recording placed in a window: track samples [<see cref="RecordingSample"/>, +<see cref="Count"/>) at <see cref="WindowSample"/>.</summary>
internal readonly record struct WindowPiece(int WindowSample, int RecordingSample, int Count)
{
    public int WindowEnd => WindowSample + Count;

    public int RecordingEnd => RecordingSample + Count;
}

/// <summary>One 30 s window of one track: the pieces of the recording it holds, in order, and how much of it is speech.</summary>
/// <param name="Track">Index of the track (speaker) the audio comes from.</param>
/// <param name="Pieces">The recording's stretches, back to back from window sample 0.</param>
/// <param name="SpeechSeconds">Seconds of detected speech in the window (the rest is kept silence).</param>
internal sealed record PlannedWindow(int Track, IReadOnlyList<WindowPiece> Pieces, double SpeechSeconds)
{
    private const double Rate = LogMelSpectrogram.SampleRate;

    /// <summary>True for the rest of a window decoded again from its last closing timestamp (<see cref="Tail"/>).</summary>
    public bool IsRemainder { get; init; }

    /// <summary>Samples of audio in the window (the rest of the 30 s is zero padding).</summary>
    public int ContentSamples => Pieces.Count == 0 ? 0 : Pieces[^1].WindowEnd;

    /// <summary>Where the window's audio starts in the recording, in seconds.</summary>
    public double Start => Pieces[0].RecordingSample / Rate;

    /// <summary>Where the window's audio ends in the recording, in seconds.</summary>
    public double End => Pieces[^1].RecordingEnd / Rate;

    /// <summary>The recording time of a time inside the window (seconds from the window's start).</summary>
    /// <remarks>A time inside a piece maps into that piece; a time past the content maps to the end of the last piece.</remarks>
    public double ToRecordingTime(double windowSeconds)
    {
        var sample = windowSeconds * Rate;
        foreach (var piece in Pieces)
        {
            if (sample < piece.WindowEnd)
            {
                return (piece.RecordingSample + Math.Max(0, sample - piece.WindowSample)) / Rate;
            }
        }

        return End;
    }

    /// <summary>Copies the window's audio from <paramref name="track"/> into <paramref name="destination"/> (zero padded).</summary>
    public void CopyAudio(SampleTrack track, Span<float> destination)
    {
        destination.Clear();
        foreach (var piece in Pieces)
        {
            var count = Math.Min(piece.Count, destination.Length - piece.WindowSample);
            if (count > 0)
            {
                track.CopyTo(piece.RecordingSample, destination.Slice(piece.WindowSample, count));
            }
        }
    }

    /// <summary>The part of this window from window sample <paramref name="from"/> on, as a window of its own (what openai's seek decodes next).</summary>
    public PlannedWindow Tail(int from)
    {
        var pieces = new List<WindowPiece>();
        foreach (var piece in Pieces)
        {
            if (piece.WindowEnd <= from)
            {
                continue;
            }

            var skip = Math.Max(0, from - piece.WindowSample);
            pieces.Add(new WindowPiece(piece.WindowSample + skip - from, piece.RecordingSample + skip, piece.Count - skip));
        }

        var share = ContentSamples == 0 ? 0 : (ContentSamples - from) / (double)ContentSamples;
        return new PlannedWindow(Track, pieces, SpeechSeconds * Math.Clamp(share, 0, 1)) { IsRemainder = true };
    }
}

/// <summary>Lays each track's speech chunks into windows, one per chunk or packed.</summary>
internal static class WindowPlanner
{
    /// <summary>Silence between two packed chunks kept whole when it is at most this long (seconds).</summary>
    public const double MaxKeptGap = 0.6;

    /// <summary>Of a longer silence, this much after the first chunk and before the next is kept (seconds).</summary>
    public const double KeptEdge = 0.2;

    private const int Rate = LogMelSpectrogram.SampleRate;
    private const int WindowSamples = LogMelSpectrogram.WindowSamples;

    /// <summary>Plans the windows of one track.</summary>
    /// <param name="track">Index of the track, carried into the windows.</param>
    /// <param name="samples">The track's 16 kHz samples (for finding quiet split points).</param>
    /// <param name="chunks">Speech chunks (seconds).</param>
    /// <param name="mode">One window per chunk, or packed.</param>
    /// <param name="minChunkSeconds">Shorter chunks are left out.</param>
    /// <param name="mergeGapSeconds">Chunk mode: chunks this close are joined into one window (with the pause).</param>
    public static List<PlannedWindow> Plan(int track, SampleTrack samples, IReadOnlyList<TimeInterval> chunks, Windowing mode, double minChunkSeconds, double mergeGapSeconds = 0)
    {
        var spans = Spans(samples.Length, chunks, minChunkSeconds, mode == Windowing.Chunk ? mergeGapSeconds : 0);
        var parts = new List<(int Start, int End)>();
        foreach (var (start, end) in spans)
        {
            SplitLong(samples, start, end, parts);
        }

        return mode == Windowing.Chunk
            ? parts.Select(p => new PlannedWindow(track, [new WindowPiece(0, p.Start, p.End - p.Start)], (p.End - p.Start) / (double)Rate)).ToList()
            : Pack(track, parts);
    }

    /// <summary>Chunks as sample spans: sorted, clipped, too-short ones dropped, overlapping (and, with a merge gap, close) ones joined while they fit.</summary>
    private static List<(int Start, int End)> Spans(int sampleCount, IReadOnlyList<TimeInterval> chunks, double minChunkSeconds, double mergeGapSeconds)
    {
        var spans = new List<(int Start, int End)>();
        foreach (var chunk in chunks.OrderBy(c => c.Start).ThenBy(c => c.End))
        {
            var start = (int)Math.Round(Math.Clamp(chunk.Start, 0, sampleCount / (double)Rate) * Rate);
            var end = (int)Math.Round(Math.Clamp(chunk.End, 0, sampleCount / (double)Rate) * Rate);
            if (end <= start || (end - start) / (double)Rate < minChunkSeconds)
            {
                continue;
            }

            if (spans.Count > 0)
            {
                var last = spans[^1];
                var close = mergeGapSeconds > 0 && (start - last.End) / (double)Rate <= mergeGapSeconds && Math.Max(end, last.End) - last.Start <= WindowSamples;
                if (start < last.End || close)
                {
                    spans[^1] = (last.Start, Math.Max(end, last.End));
                    continue;
                }
            }

            spans.Add((start, end));
        }

        return spans;
    }

    /// <summary>
    /// Splits a span longer than 30 s at its quietest 100 ms between 15 and 30 s from its start (again for the rest),
    /// so a cut falls in a pause rather than in a word.
    /// </summary>
    private static void SplitLong(SampleTrack samples, int start, int end, List<(int Start, int End)> parts)
    {
        const int Frame = Rate / 10;
        float[]? searched = null;
        while (end - start > WindowSamples)
        {
            var best = start + WindowSamples;
            var bestEnergy = double.MaxValue;
            var from = start + (WindowSamples / 2);
            searched ??= new float[WindowSamples - (WindowSamples / 2)];
            samples.CopyTo(from, searched);
            for (var frame = from; frame + Frame <= start + WindowSamples; frame += Frame / 2)
            {
                var energy = 0.0;
                for (var i = frame - from; i < frame - from + Frame; i++)
                {
                    energy += searched[i] * (double)searched[i];
                }

                if (energy < bestEnergy)
                {
                    bestEnergy = energy;
                    best = frame + (Frame / 2);
                }
            }

            parts.Add((start, best));
            start = best;
        }

        parts.Add((start, end));
    }

    /// <summary>Consecutive spans into windows of at most 30 s, short pauses kept whole, long ones cut to their edges.</summary>
    private static List<PlannedWindow> Pack(int track, List<(int Start, int End)> spans)
    {
        var windows = new List<PlannedWindow>();
        var pieces = new List<WindowPiece>();
        var length = 0;
        var speech = 0;
        var previousEnd = -1;
        var maxGap = (int)(MaxKeptGap * Rate);
        var edge = (int)(KeptEdge * Rate);

        void Close()
        {
            if (pieces.Count > 0)
            {
                windows.Add(new PlannedWindow(track, pieces.ToArray(), speech / (double)Rate));
            }

            pieces.Clear();
            length = 0;
            speech = 0;
            previousEnd = -1;
        }

        void Add(int recordingStart, int count)
        {
            if (pieces.Count > 0 && pieces[^1].RecordingEnd == recordingStart)
            {
                var last = pieces[^1];
                pieces[^1] = last with { Count = last.Count + count };
            }
            else
            {
                pieces.Add(new WindowPiece(length, recordingStart, count));
            }

            length += count;
        }

        foreach (var (start, end) in spans)
        {
            var chunk = end - start;
            var gap = previousEnd < 0 ? 0 : start - previousEnd;
            var kept = previousEnd < 0 ? 0 : gap <= maxGap ? gap : 2 * edge;
            if (pieces.Count > 0 && length + kept + chunk > WindowSamples)
            {
                Close();
                kept = 0;
            }

            if (previousEnd >= 0)
            {
                if (gap <= maxGap)
                {
                    Add(previousEnd, gap);
                }
                else
                {
                    Add(previousEnd, edge);
                    Add(start - edge, edge);
                }
            }

            Add(start, chunk);
            speech += chunk;
            previousEnd = end;
        }

        Close();
        return windows;
    }
}
