namespace QualityScan.Speech.Transcription;

/// <summary>One segment cut from a window's timestamp tokens, with times relative to the window's start.</summary>
/// <param name="Start">Start, seconds from the window's start.</param>
/// <param name="End">End, seconds from the window's start.</param>
/// <param name="Tokens">The segment's tokens, its timestamp tokens included.</param>
public sealed record TimedTokens(double Start, double End, IReadOnlyList<int> Tokens);

/// <summary>
/// How openai-whisper's transcribe.py cuts one window's tokens into segments and where the next window starts.
/// </summary>
public static class TimestampSegments
{
    /// <summary>Seconds per timestamp token step (openai's <c>time_precision</c>).</summary>
    public const double SecondsPerTimestamp = 0.02;

    /// <summary>Mel frames per timestamp step (openai's <c>input_stride</c>: two frames per audio position).</summary>
    public const int FramesPerTimestamp = 2;

    /// <summary>Cuts <paramref name="tokens"/> (sampled after the prompt, end-of-text excluded) into segments.</summary>
    /// <param name="tokens">The window's tokens.</param>
    /// <param name="timestampBegin">The first timestamp token (<c>&lt;|0.00|&gt;</c>).</param>
    /// <param name="contentFrames">Mel frames of real audio in the window (at most 3000): the seek step when the window is done.</param>
    /// <returns>
    /// The segments, and how many mel frames the window consumed: all of them when the tokens end with a single
    /// timestamp (or hold no pair), else up to the last closing timestamp (an unfinished last segment is dropped and
    /// decoded again from there in the next window).
    /// </returns>
    public static (IReadOnlyList<TimedTokens> Segments, int ConsumedFrames) Cut(IReadOnlyList<int> tokens, int timestampBegin, int contentFrames)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        bool IsTimestamp(int i) => tokens[i] >= timestampBegin;
        double Time(int token) => (token - timestampBegin) * SecondsPerTimestamp;

        var count = tokens.Count;
        var singleTimestampEnding = count >= 2 && !IsTimestamp(count - 2) && IsTimestamp(count - 1);
        var slices = new List<int>();
        for (var i = 1; i < count; i++)
        {
            if (IsTimestamp(i - 1) && IsTimestamp(i))
            {
                slices.Add(i);
            }
        }

        var segments = new List<TimedTokens>();
        if (slices.Count > 0)
        {
            if (singleTimestampEnding)
            {
                slices.Add(count);
            }

            var last = 0;
            foreach (var slice in slices)
            {
                var part = tokens.Skip(last).Take(slice - last).ToArray();
                segments.Add(new TimedTokens(Time(part[0]), Time(part[^1]), part));
                last = slice;
            }

            var consumed = singleTimestampEnding ? contentFrames : (tokens[last - 1] - timestampBegin) * FramesPerTimestamp;
            return (segments, consumed);
        }

        var duration = contentFrames / 100.0;
        var lastTimestamp = -1;
        for (var i = count - 1; i >= 0; i--)
        {
            if (IsTimestamp(i))
            {
                lastTimestamp = tokens[i];
                break;
            }
        }

        if (lastTimestamp > timestampBegin)
        {
            duration = Time(lastTimestamp);
        }

        if (count > 0)
        {
            segments.Add(new TimedTokens(0, duration, tokens.ToArray()));
        }

        return (segments, contentFrames);
    }
}
