using System.Text;

namespace QualityScan.Speech.Transcription.Ggml;

/// <summary>
/// whisper.cpp's non-speech token rule (<c>suppress_nst</c>, whisper-cli's <c>-sns</c>) written as a suppression
/// regular expression, the only way to set it through Whisper.net 1.9.1 (its builder has no option for
/// <c>suppress_nst</c>, but passes <c>suppress_regex</c>).
/// </summary>
/// <remarks>
/// whisper.cpp 1.8.5 (<c>whisper_process_logits</c>) suppresses every vocabulary entry spelled exactly as one of
/// <see cref="Symbols"/>, with or without a leading space, plus <c>" -"</c> and <c>" '"</c>; its
/// <c>suppress_regex</c> suppresses every vocabulary entry the expression matches whole (<c>std::regex_match</c>).
/// An alternation of those exact spellings therefore suppresses the same ids. It is slow: whisper.cpp compiles the
/// expression and runs it over the whole vocabulary at every decoding step.
/// </remarks>
internal static class NonSpeechTokens
{
    /// <summary>whisper.cpp 1.8.5's <c>non_speech_tokens</c> (openai's tokenizer list), in its order.</summary>
    public static IReadOnlyList<string> Symbols { get; } =
    [
        "\"", "#", "(", ")", "*", "+", "/", ":", ";", "<", "=", ">", "@", "[", "\\", "]", "^",
        "_", "`", "{", "|", "}", "~", "「", "」", "『", "』", "<<", ">>", "<<<", ">>>", "--",
        "---", "-(", "-[", "('", "(\"", "((", "))", "(((", ")))", "[[", "]]", "{{", "}}", "♪♪",
        "♪♪♪", "♩", "♪", "♫", "♬", "♭", "♮", "♯",
    ];

    /// <summary>An ECMAScript expression matching exactly the vocabulary entries <c>suppress_nst</c> suppresses.</summary>
    public static string Regex { get; } = Build();

    private static string Build()
    {
        var pattern = new StringBuilder(" ?(?:");
        for (var i = 0; i < Symbols.Count; i++)
        {
            if (i > 0)
            {
                pattern.Append('|');
            }

            foreach (var c in Symbols[i])
            {
                if ("\\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal))
                {
                    pattern.Append('\\');
                }

                pattern.Append(c);
            }
        }

        return pattern.Append(")| -| '").ToString();
    }
}
