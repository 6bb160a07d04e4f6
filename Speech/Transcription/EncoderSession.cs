using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Opens the encoder as <see cref="EncoderGraph"/> rewrites it (kept in the decoder cache like the rebuilt decoder, so
/// a later load opens the rewritten file at once), or as it is when the rewrite does not apply.
/// </summary>
internal static class EncoderSession
{
    /// <summary>The opened encoder: whether it gives its keys and values per layer in the rebuilt decoder's layout, and how it runs, for the log.</summary>
    internal sealed record Choice(InferenceSession Session, bool SplitOutputs, string Description);

    /// <summary>Opens the encoder at <paramref name="path"/>.</summary>
    /// <param name="path">The encoder file.</param>
    /// <param name="info">The model's dimensions (from the encoder's metadata).</param>
    /// <param name="cache">Where rewritten graphs are kept; null: rewrite at every load.</param>
    /// <param name="decoderLayout">Whether the rebuilt decoder runs, so the keys and values may leave in its layout.</param>
    /// <param name="open">Opens a session from a file (the original or the rewritten one).</param>
    /// <param name="openBytes">Opens a session from a graph held in memory (no cache).</param>
    /// <param name="compact">With <paramref name="decoderLayout"/>: the rebuilt decoder takes the compact int8 layout (<see cref="FilledCacheDecoderGraph.IsCompact"/>).</param>
    public static Choice Open(string path, WhisperModelInfo info, DecoderGraphCache? cache, bool decoderLayout, Func<string, InferenceSession> open, Func<byte[], InferenceSession> openBytes, bool compact = false)
    {
        compact &= decoderLayout;
        string? key = null;
        if (cache is not null)
        {
            try
            {
                key = $"{DecoderGraphCache.Key(path, info)}-{(compact ? "split8" : decoderLayout ? "split" : "chunked")}";
                if (cache.Find(key) is { } entry)
                {
                    if (entry.GraphPath is null)
                    {
                        return new Choice(open(path), false, entry.Description);
                    }

                    try
                    {
                        return new Choice(open(entry.GraphPath), decoderLayout, $"{entry.Description}, kept in {cache.Folder}");
                    }
                    catch (InvalidModelException)
                    {
                        cache.Forget(key);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                key = null;
            }
        }

        var (bytes, graphPath, reason) = Rewrite(path, info, decoderLayout, compact, cache, ref key);
        if (bytes is null && graphPath is null)
        {
            return Remember(new Choice(open(path), false, $"original graph ({reason})"), false);
        }

        try
        {
            var session = graphPath is not null ? open(graphPath) : openBytes(bytes!);
            return Remember(new Choice(session, decoderLayout, reason), true);
        }
        catch (InvalidModelException e)
        {
            return Remember(new Choice(open(path), false, $"original graph (the rewritten one did not open: {e.Message})"), false);
        }

        Choice Remember(Choice choice, bool rewritten)
        {
            if (cache is not null && key is not null)
            {
                try
                {
                    cache.Record(key, path, rewritten && graphPath is not null, choice.Description, "encoder");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    cache.Forget(key);
                }
            }

            return choice;
        }
    }

    /// <summary>Rewrites the encoder into the cache or into bytes; a method of its own so the parsed graph is garbage when it returns.</summary>
    private static (byte[]? Bytes, string? GraphPath, string Reason) Rewrite(string path, WhisperModelInfo info, bool decoderLayout, bool compact, DecoderGraphCache? cache, ref string? key)
    {
        try
        {
            var graph = EncoderGraph.TryRewrite(path, info, decoderLayout, out var reason, compact);
            if (graph is null)
            {
                return (null, null, reason);
            }

            if (key is not null)
            {
                try
                {
                    cache!.WriteGraph(key, graph);
                    return (null, cache.GraphPath(key), reason);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    key = null;
                }
            }

            return (graph.ToByteArray(), null, reason);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, null, $"not rewritten: {e.GetType().Name}: {e.Message}");
        }
    }
}
