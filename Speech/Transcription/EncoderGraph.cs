using Google.Protobuf;
using Onnx;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Rewrites a sherpa-onnx Whisper encoder so that a window needs less memory while it runs, computing the same
/// values from the same weights.
/// </summary>
/// <remarks>
/// <para>Two changes, each made only where the graph has the expected shape:</para>
/// <list type="bullet">
/// <item>Self-attention in query chunks: every <c>MatMul(Q, K) → Softmax → MatMul(·, V)</c> runs as
/// <see cref="AttentionChunks"/> slices of the 1500 query positions, concatenated. Each row of the attention is
/// computed exactly as before (a dot product over the head width, a softmax over the 1500 keys), but only a quarter of
/// the 12 x 1500 x 1500 scores and probabilities exists at a time: at whisper-small 2 x 108 MB become 2 x 27 MB, which
/// was the encoder's peak (measured: the process's peak on a 4-minute call 1.55 → 1.30 GB, encoder time unchanged).</item>
/// <item>With <c>decoderLayout</c>, the cross-attention keys and values leave the encoder per decoder layer, already
/// in the rebuilt decoder's layout (<see cref="FilledCacheDecoderGraph"/>: <c>cross_k_{l}</c> and <c>cross_v_{l}</c>
/// [n_audio, heads, 1500, head_width], keys multiplied by <see cref="FilledCacheDecoderGraph.AttentionScale"/>), instead
/// of as two [layers, n_audio, 1500, width] tensors: the caller binds them straight into the decoder's buffers for
/// the window, so neither the encoder's concatenation of the 24 per-layer tensors nor a window-sized copy between
/// encoder and decoder is held (at whisper-small 2 x 55 MB each).</item>
/// <item>With <c>compact</c> as well, they leave in the rebuilt decoder's compact int8 layout (see
/// <see cref="CrossQuantizer"/>, which computes the same codes and scales on the host): each key's codes and scale
/// and each value channel's, a quarter of the float layout's bytes.</item>
/// </list>
/// </remarks>
internal static class EncoderGraph
{
    /// <summary>How many slices of query positions the encoder's self-attention runs in.</summary>
    public const int AttentionChunks = 4;

    private const int Int64Type = 7;
    private const int FloatType = 1;
    private const int Int8Type = 3;

    /// <summary>Reads the encoder at <paramref name="path"/> and rewrites it; null with the reason when it has not the expected shape.</summary>
    /// <param name="path">The sherpa-layout encoder.</param>
    /// <param name="info">The model's dimensions (from the encoder's own metadata).</param>
    /// <param name="decoderLayout">Whether the cross-attention keys and values should leave per layer in the rebuilt decoder's layout.</param>
    /// <param name="reason">What was changed, or why nothing could be.</param>
    /// <param name="compact">With <paramref name="decoderLayout"/>: the decoder takes the compact int8 layout.</param>
    public static ModelProto? TryRewrite(string path, WhisperModelInfo info, bool decoderLayout, out string reason, bool compact = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        ModelProto model;
        using (var stream = File.OpenRead(path))
        {
            if (stream.Length >= int.MaxValue)
            {
                reason = "the encoder file is larger than 2 GB";
                return null;
            }

            model = ModelProto.Parser.ParseFrom(stream);
        }

        var chunked = ChunkAttention(model.Graph, info);
        var split = false;
        var splitReason = string.Empty;
        if (decoderLayout)
        {
            var opset = model.OpsetImport.FirstOrDefault(o => string.IsNullOrEmpty(o.Domain))?.Version ?? 0;
            split = compact && opset is < 13 or > 17
                ? Refuse($"opset {opset}: the compact layout's reductions are written for opsets 13-17", out splitReason)
                : SplitCrossOutputs(model.Graph, info, compact, out splitReason);
        }

        if (chunked == 0 && !split)
        {
            reason = decoderLayout ? $"no self-attention of the expected shape, and {splitReason}" : "no self-attention of the expected shape";
            return null;
        }

        if (decoderLayout && !split)
        {
            reason = splitReason;
            return null;
        }

        RemoveUnused(model.Graph);
        reason = string.Join(", ", new[]
        {
            chunked > 0 ? $"attention of {chunked} layers in {AttentionChunks} slices" : "attention as it was (not of the expected shape)",
            split ? (compact ? "keys and values per layer in the decoder's compact int8 layout" : "keys and values per layer in the decoder's layout") : string.Empty,
        }.Where(part => part.Length > 0));
        return model;
    }

    /// <summary>The metadata of the ONNX model at <paramref name="path"/> (its <c>metadata_props</c>), read without loading the graph.</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        const int MetadataField = 14;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var input = new CodedInputStream(stream, leaveOpen: true);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == MetadataField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var entry = new StringStringEntryProto();
                input.ReadMessage(entry);
                metadata[entry.Key] = entry.Value;
            }
            else
            {
                input.SkipLastField();
            }
        }

        return metadata;
    }

    private static int ChunkAttention(GraphProto graph, WhisperModelInfo info)
    {
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }

            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        var bounds = Enumerable.Range(0, AttentionChunks + 1).Select(i => (long)i * info.AudioContext / AttentionChunks).ToArray();
        AddInt64(graph, "qs_chunk_axes", [2]);
        for (var i = 0; i < AttentionChunks; i++)
        {
            AddInt64(graph, $"qs_chunk_start_{i}", [bounds[i]]);
            AddInt64(graph, $"qs_chunk_end_{i}", [bounds[i + 1]]);
        }

        var replaced = new Dictionary<NodeProto, List<NodeProto>>();
        var removed = new HashSet<NodeProto>();
        // openai's later code casts the scores and the probabilities to float around the softmax (float to float in
        // these exports: no-ops, left out of the slices).
        NodeProto? FloatCast(NodeProto? node) =>
            node is { OpType: "Cast" } && node.Attribute.FirstOrDefault(a => a.Name == "to")?.I == FloatType ? node : null;

        foreach (var softmax in graph.Node.Where(n => n.OpType == "Softmax"))
        {
            var axis = softmax.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? -1;
            var castIn = FloatCast(producers.GetValueOrDefault(softmax.Input[0]));
            var castOut = consumers.GetValueOrDefault(softmax.Output[0]) is [var only] ? FloatCast(only) : null;
            var probabilities = castOut?.Output[0] ?? softmax.Output[0];
            if ((axis != -1 && axis != 3)
                || (castIn is not null && consumers.GetValueOrDefault(castIn.Output[0])?.Count != 1)
                || !producers.TryGetValue(castIn?.Input[0] ?? softmax.Input[0], out var scores) || scores.OpType != "MatMul"
                || consumers.GetValueOrDefault(probabilities) is not [{ OpType: "MatMul" } weighted] || weighted.Input[0] != probabilities
                || consumers.GetValueOrDefault(scores.Output[0])?.Count != 1
                || !QueriesOnAxisTwo(scores.Input[0], producers))
            {
                continue;
            }

            var nodes = new List<NodeProto>();
            var pieces = new List<string>();
            for (var i = 0; i < AttentionChunks; i++)
            {
                var p = $"{softmax.Name}_qs_chunk{i}";
                nodes.Add(Node("Slice", [scores.Input[0], $"qs_chunk_start_{i}", $"qs_chunk_end_{i}", "qs_chunk_axes"], p + "_q"));
                nodes.Add(Node("MatMul", [p + "_q", scores.Input[1]], p + "_scores"));
                var chunk = Node("Softmax", [p + "_scores"], p + "_p");
                chunk.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
                nodes.Add(chunk);
                nodes.Add(Node("MatMul", [p + "_p", weighted.Input[1]], p + "_out"));
                pieces.Add(p + "_out");
            }

            var concat = Node("Concat", [.. pieces], weighted.Output[0]);
            concat.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
            nodes.Add(concat);
            replaced[softmax] = nodes;
            removed.Add(scores);
            removed.Add(weighted);
            if (castIn is not null)
            {
                removed.Add(castIn);
            }

            if (castOut is not null)
            {
                removed.Add(castOut);
            }
        }

        if (replaced.Count == 0)
        {
            return 0;
        }

        var order = graph.Node.ToList();
        graph.Node.Clear();
        foreach (var node in order)
        {
            if (replaced.TryGetValue(node, out var nodes))
            {
                graph.Node.Add(nodes);
            }
            else if (!removed.Contains(node))
            {
                graph.Node.Add(node);
            }
        }

        return replaced.Count;
    }

    /// <summary>Whether <paramref name="queries"/> is [n, heads, positions, head_width]: a Transpose (0, 2, 1, 3), maybe scaled by a Mul.</summary>
    private static bool QueriesOnAxisTwo(string queries, Dictionary<string, NodeProto> producers)
    {
        if (!producers.TryGetValue(queries, out var node))
        {
            return false;
        }

        if (node.OpType == "Mul")
        {
            var transposed = node.Input.Select(i => producers.GetValueOrDefault(i)).FirstOrDefault(p => p?.OpType == "Transpose");
            if (transposed is null)
            {
                return false;
            }

            node = transposed;
        }

        return node.OpType == "Transpose" && node.Attribute.FirstOrDefault(a => a.Name == "perm") is { } perm && perm.Ints.SequenceEqual([0L, 2, 1, 3]);
    }

    private static bool Refuse(string why, out string reason)
    {
        reason = why;
        return false;
    }

    private static bool SplitCrossOutputs(GraphProto graph, WhisperModelInfo info, bool compact, out string reason)
    {
        var heads = info.TextHeads;
        var headWidth = info.TextState / Math.Max(1, heads);
        var concats = new[] { WhisperInference.CrossKOutput, WhisperInference.CrossVOutput }
            .Select(name => graph.Node.FirstOrDefault(n => n.OpType == "Concat" && n.Output.Count == 1 && n.Output[0] == name))
            .ToArray();
        if (concats.Any(c => c is null || c.Input.Count != info.TextLayers))
        {
            reason = $"the outputs {WhisperInference.CrossKOutput} and {WhisperInference.CrossVOutput} are not a concatenation of {info.TextLayers} layers";
            return false;
        }

        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var perLayer = new string[2][];
        for (var kind = 0; kind < 2; kind++)
        {
            perLayer[kind] = new string[info.TextLayers];
            for (var layer = 0; layer < info.TextLayers; layer++)
            {
                if (!producers.TryGetValue(concats[kind]!.Input[layer], out var unsqueeze) || unsqueeze.OpType != "Unsqueeze")
                {
                    reason = $"layer {layer} of {concats[kind]!.Output[0]} is not an Unsqueeze of the layer's tensor";
                    return false;
                }

                if (!producers.ContainsKey(unsqueeze.Input[0]))
                {
                    reason = $"layer {layer} of {concats[kind]!.Output[0]} is not computed by the graph";
                    return false;
                }

                perLayer[kind][layer] = unsqueeze.Input[0];
            }
        }

        AddInt64(graph, "qs_head_shape", [0, 0, heads, headWidth]);
        AddFloat(graph, "qs_attention_scale", FilledCacheDecoderGraph.AttentionScale(info));
        if (compact)
        {
            AddFloat(graph, "qs_compact_tiny", CrossQuantizer.Tiny);
            AddFloat(graph, "qs_compact_code_range", CrossQuantizer.CodeRange);
            AddFloat(graph, "qs_compact_offset", CrossQuantizer.QueryOffset);
            AddInt64(graph, "qs_compact_one", [1]);
            var positions = info.AudioContext;
            AddInt64(graph, "qs_compact_rows", [positions * heads, headWidth]);
            AddInt64(graph, "qs_compact_key_heads", [1, positions, heads, headWidth]);
            AddInt64(graph, "qs_compact_key_scale_shape", [1, 1, positions, heads]);
            AddZeros(graph, "qs_compact_zero", positions * heads);

        }

        foreach (var concat in concats)
        {
            graph.Node.Remove(concat);
        }

        var unused = graph.Node.Where(n => n.OpType == "Unsqueeze" && concats.Any(c => c!.Input.Contains(n.Output[0]))).ToList();
        foreach (var node in unused)
        {
            graph.Node.Remove(node);
        }

        foreach (var output in graph.Output.Where(o => o.Name is WhisperInference.CrossKOutput or WhisperInference.CrossVOutput).ToList())
        {
            graph.Output.Remove(output);
        }

        // Each layer's nodes go right after the node that makes its tensor, so the tensor is written out and freed at
        // once instead of all 24 waiting for the end of the graph.
        var after = new Dictionary<NodeProto, List<NodeProto>>();
        for (var layer = 0; layer < info.TextLayers; layer++)
        {
            var keys = Node("Reshape", [perLayer[0][layer], "qs_head_shape"], $"qs_cross_k_{layer}_heads");
            var scaled = Node("Mul", [keys.Output[0], "qs_attention_scale"], $"qs_cross_k_{layer}_scaled");
            var values = Node("Reshape", [perLayer[1][layer], "qs_head_shape"], $"qs_cross_v_{layer}_heads");
            if (compact)
            {
                InsertAfter(producers[perLayer[0][layer]], [keys, scaled, .. CompactKeys(scaled.Output[0], layer)]);
                InsertAfter(producers[perLayer[1][layer]], [.. CompactValues(perLayer[1][layer], layer)]);
                graph.Output.Add(Output(FilledCacheDecoderGraph.CrossK(layer), Int8Type, heads, headWidth, info.AudioContext));
                graph.Output.Add(Output(FilledCacheDecoderGraph.CrossKScale(layer), FloatType, heads, 1, info.AudioContext));
                graph.Output.Add(Output(FilledCacheDecoderGraph.CrossKSum(layer), FloatType, heads, 1, info.AudioContext));
                graph.Output.Add(Output(FilledCacheDecoderGraph.CrossV(layer), Int8Type, heads, info.AudioContext, headWidth));
                graph.Output.Add(Output(FilledCacheDecoderGraph.CrossVScale(layer), FloatType, heads, 1, info.AudioContext));
                continue;
            }

            InsertAfter(producers[perLayer[0][layer]], [keys, scaled, Transposed(scaled.Output[0], FilledCacheDecoderGraph.CrossK(layer))]);
            InsertAfter(producers[perLayer[1][layer]], [values, Transposed(values.Output[0], FilledCacheDecoderGraph.CrossV(layer))]);
            graph.Output.Add(Output(FilledCacheDecoderGraph.CrossK(layer), FloatType, heads, info.AudioContext, headWidth));
            graph.Output.Add(Output(FilledCacheDecoderGraph.CrossV(layer), FloatType, heads, info.AudioContext, headWidth));
        }

        var order = graph.Node.ToList();
        graph.Node.Clear();
        foreach (var node in order)
        {
            graph.Node.Add(node);
            if (after.TryGetValue(node, out var nodes))
            {
                graph.Node.Add(nodes);
            }
        }

        reason = string.Empty;
        return true;

        void InsertAfter(NodeProto producer, NodeProto[] nodes)
        {
            if (!after.TryGetValue(producer, out var list))
            {
                after[producer] = list = [];
            }

            list.AddRange(nodes);
        }
    }

    /// <summary>
    /// Keys [1, positions, heads, head width] (scaled) into the compact layout, as <see cref="CrossQuantizer.Keys"/>
    /// computes them: per head and position a scale (largest magnitude / 127), the codes (QuantizeLinear: divided by
    /// the scale, rounded half to even), 128 times their sum, and the codes transposed to [1, heads, head width, positions].
    /// </summary>
    private static IEnumerable<NodeProto> CompactKeys(string scaled, int layer)
    {
        var name = $"qs_cross_k_{layer}";
        foreach (var node in QuantizedRows(scaled, name))
        {
            yield return node;
        }

        yield return Cast($"{name}_codes", FloatType, $"{name}_codes_float");
        yield return Node("ReduceSum", [$"{name}_codes_float", "qs_compact_one"], $"{name}_sum_raw");
        yield return Node("Mul", [$"{name}_sum_raw", "qs_compact_offset"], $"{name}_sum");
        yield return Node("Reshape", [$"{name}_codes", "qs_compact_key_heads"], $"{name}_codes_heads");
        yield return Permuted($"{name}_codes_heads", FilledCacheDecoderGraph.CrossK(layer), 0, 2, 3, 1);
        yield return Node("Reshape", [$"{name}_scale", "qs_compact_key_scale_shape"], $"{name}_scale_grid");
        yield return Permuted($"{name}_scale_grid", FilledCacheDecoderGraph.CrossKScale(layer), 0, 3, 1, 2);
        yield return Node("Reshape", [$"{name}_sum", "qs_compact_key_scale_shape"], $"{name}_sum_grid");
        yield return Permuted($"{name}_sum_grid", FilledCacheDecoderGraph.CrossKSum(layer), 0, 3, 1, 2);
    }

    /// <summary>
    /// Values [1, positions, width] into the compact layout, as <see cref="CrossQuantizer.Values"/>: per head and
    /// position a scale (largest magnitude / 127) and the codes, [1, heads, positions, head width].
    /// </summary>
    private static IEnumerable<NodeProto> CompactValues(string values, int layer)
    {
        var name = $"qs_cross_v_{layer}";
        foreach (var node in QuantizedRows(values, name))
        {
            yield return node;
        }

        yield return Node("Reshape", [$"{name}_codes", "qs_compact_key_heads"], $"{name}_codes_heads");
        yield return Permuted($"{name}_codes_heads", FilledCacheDecoderGraph.CrossV(layer), 0, 2, 1, 3);
        yield return Node("Reshape", [$"{name}_scale", "qs_compact_key_scale_shape"], $"{name}_scale_grid");
        yield return Permuted($"{name}_scale_grid", FilledCacheDecoderGraph.CrossVScale(layer), 0, 3, 1, 2);
    }

    /// <summary>
    /// <paramref name="input"/> [1, positions, width] as rows of one head and position ([positions x heads, head
    /// width]), each with its scale (<c>{name}_scale</c>: largest magnitude / 127) and int8 codes (<c>{name}_codes</c>).
    /// </summary>
    private static IEnumerable<NodeProto> QuantizedRows(string input, string name)
    {
        yield return Node("Reshape", [input, "qs_compact_rows"], $"{name}_rows");
        yield return Node("Abs", [$"{name}_rows"], $"{name}_abs");
        yield return Reduce("ReduceMax", $"{name}_abs", 1, $"{name}_max");
        yield return Node("Max", [$"{name}_max", "qs_compact_tiny"], $"{name}_bounded");
        yield return Node("Div", [$"{name}_bounded", "qs_compact_code_range"], $"{name}_scale");
        yield return WithAxis(Node("QuantizeLinear", [$"{name}_rows", $"{name}_scale", "qs_compact_zero"], $"{name}_codes"), 0);
    }

    private static NodeProto WithAxis(NodeProto node, long axis)
    {
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
        return node;
    }

    private static NodeProto Permuted(string input, string output, params long[] order)
    {
        var node = Node("Transpose", [input], output);
        var perm = new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints };
        perm.Ints.Add(order);
        node.Attribute.Add(perm);
        return node;
    }

    private static NodeProto Reduce(string op, string input, long axis, string output)
    {
        var node = Node(op, [input], output);
        var axes = new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints };
        axes.Ints.Add(axis);
        node.Attribute.Add(axes);
        node.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        return node;
    }

    private static NodeProto Cast(string input, int type, string output)
    {
        var node = Node("Cast", [input], output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = type });
        return node;
    }

    private static void AddZeros(GraphProto graph, string name, int count)
    {
        var tensor = new TensorProto { Name = name, DataType = Int8Type, RawData = ByteString.CopyFrom(new byte[count]) };
        tensor.Dims.Add(count);
        graph.Initializer.Add(tensor);
    }

    private static void AddFloat(GraphProto graph, string name, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = FloatType };
        tensor.FloatData.Add(value);
        graph.Initializer.Add(tensor);
    }

    /// <summary>Drops the constants only the removed nodes used (ONNX Runtime warns of every unused initializer).</summary>
    private static void RemoveUnused(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(tensor);
        }

        foreach (var node in graph.Node.Where(n => n.OpType == "Constant" && n.Output.All(o => !used.Contains(o))).ToList())
        {
            graph.Node.Remove(node);
        }
    }

    private static NodeProto Transposed(string input, string output)
    {
        var node = Node("Transpose", [input], output);
        var perm = new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints };
        perm.Ints.Add([0L, 2, 1, 3]);
        node.Attribute.Add(perm);
        return node;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static void AddInt64(GraphProto graph, string name, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = Int64Type };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        graph.Initializer.Add(tensor);
    }

    private static ValueInfoProto Output(string name, int type, int heads, int rows, int columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "n_audio" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = heads });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = rows });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } },
        };
    }
}
