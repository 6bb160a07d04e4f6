using System.Text;
using System.Text.Json;

namespace QualityScan.Pipeline.Tests.Transcription.Ggml;

/// <summary>One token entry of whisper-cli's full JSON output (<c>-ojf</c>): its text, the id of its first token and that token's probability.</summary>
internal sealed record CliToken(string Text, int Id, double Probability);

/// <summary>
/// Reads whisper-cli's full JSON output, and writes a token list the way it does, so that an engine's tokens can be
/// compared with it entry for entry.
/// </summary>
/// <remarks>
/// whisper-cli (v1.8.5 and later, <c>output_json</c>) merges adjacent tokens whose bytes together form one UTF-8
/// character into one entry, with the first token's id and probability and the joined text: a Polish letter or a CJK
/// character split over two tokens is one entry. <see cref="Merge"/> applies the same rule
/// (<c>utf8_trailing_bytes_needed</c>) to an engine's tokens.
/// </remarks>
internal static class WhisperCliJson
{
    /// <summary>The token entries of every segment, in order.</summary>
    public static List<CliToken> Read(string path)
    {
        // Token texts are not valid UTF-8 everywhere (a merge can stop at a malformed byte); read them as the replacement character.
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("transcription").EnumerateArray()
            .SelectMany(s => s.GetProperty("tokens").EnumerateArray())
            .Select(t => new CliToken(t.GetProperty("text").GetString()!, t.GetProperty("id").GetInt32(), t.GetProperty("p").GetDouble()))
            .ToList();
    }

    /// <summary>An engine's tokens as whisper-cli would print them.</summary>
    /// <param name="tokens">Every token (id and probability), special tokens included.</param>
    /// <param name="bytesOf">A token's bytes as whisper.cpp's <c>whisper_token_to_str</c> gives them.</param>
    public static List<CliToken> Merge(IReadOnlyList<(int Id, float Probability)> tokens, Func<int, byte[]> bytesOf)
    {
        var merged = new List<CliToken>();
        for (var j = 0; j < tokens.Count;)
        {
            var first = tokens[j];
            var bytes = new List<byte>(bytesOf(first.Id));
            j++;
            while (j < tokens.Count && TrailingBytesNeeded(bytes) > 0)
            {
                bytes.AddRange(bytesOf(tokens[j].Id));
                j++;
            }

            merged.Add(new CliToken(Encoding.UTF8.GetString(bytes.ToArray()), first.Id, first.Probability));
        }

        return merged;
    }

    /// <summary>Bytes missing to complete the last UTF-8 character; 0 when complete or malformed (whisper-cli's rule).</summary>
    private static int TrailingBytesNeeded(List<byte> s)
    {
        var i = s.Count - 1;
        while (i >= 0 && (s[i] & 0xC0) == 0x80)
        {
            i--;
        }

        if (i < 0)
        {
            return 0;
        }

        var c = s[i];
        var expected = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        var have = s.Count - i;
        return expected == 0 || have >= expected ? 0 : expected - have;
    }
}
