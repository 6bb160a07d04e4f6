namespace QualityScan.Speech.Transcription;

/// <summary>Detects the loops greedy Whisper decoding falls into ("dziękuję dziękuję dziękuję …").</summary>
internal static class RepetitionGuard
{
    /// <summary>
    /// Where the looping tail of <paramref name="tokens"/> starts after its first occurrence, or -1 when the end
    /// does not loop: a single token repeated more than <paramref name="maxTokenRepeats"/> times, or a sequence of
    /// 2..<paramref name="maxSequenceLength"/> tokens (not all the same) repeated more than
    /// <paramref name="maxSequenceRepeats"/> times back to back at the end, the repeats covering at least
    /// <paramref name="minLoopTokens"/> tokens. Short conversational repetition ("tak, tak, tak, tak") is not a loop.
    /// </summary>
    public static int LoopStart(IReadOnlyList<int> tokens, int maxTokenRepeats, int maxSequenceRepeats, int maxSequenceLength, int minLoopTokens = 0)
    {
        var count = tokens.Count;
        if (count == 0)
        {
            return -1;
        }

        var run = 1;
        while (run < count && tokens[count - 1 - run] == tokens[count - 1])
        {
            run++;
        }

        if (run > maxTokenRepeats)
        {
            return count - run + 1;
        }

        var longest = Math.Min(maxSequenceLength, count / (maxSequenceRepeats + 1));
        for (var length = 2; length <= longest; length++)
        {
            if (IsConstant(tokens, count - length, length))
            {
                continue;
            }

            var repeats = 1;
            while ((repeats + 1) * length <= count && SameSequence(tokens, count - length, count - ((repeats + 1) * length), length))
            {
                repeats++;
            }

            if (repeats > maxSequenceRepeats && repeats * length >= minLoopTokens)
            {
                return count - ((repeats - 1) * length);
            }
        }

        return -1;
    }

    private static bool IsConstant(IReadOnlyList<int> tokens, int start, int length)
    {
        for (var i = 1; i < length; i++)
        {
            if (tokens[start + i] != tokens[start])
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameSequence(IReadOnlyList<int> tokens, int a, int b, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (tokens[a + i] != tokens[b + i])
            {
                return false;
            }
        }

        return true;
    }
}
