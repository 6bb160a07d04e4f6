using Google.Protobuf;
using Onnx;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Rebuilds a sherpa-onnx Whisper decoder into a graph whose self-attention cache stays in the caller's buffers
/// and whose cross-attention keys and values come already split into heads.
/// </summary>
/// <remarks>
/// <para>
/// The sherpa layout passes the whole self-attention cache (layers x 448 positions x width, keys and values) into
/// every step, slices it per layer, rebuilds it by Concat or ScatterND and returns it; and every step reshapes and
/// transposes the encoder's cross-attention keys and values (layers x 1500 x width) into heads again. Profiled
/// at whisper-base size, those copies are about two thirds of a decoder step. The rebuilt graph computes the same
/// Whisper decoder from the same weights (the int8 MatMul pattern of onnxruntime's dynamic quantization is kept
/// as it is), but takes per layer:
/// </para>
/// <list type="bullet">
/// <item><c>self_k_{l}</c> and <c>self_v_{l}</c> [batch, heads, T, head_width]: the cache the caller keeps, of the
/// length the decoding needs, positions not yet filled masked by <c>cache_mask</c> [T] (0 or -inf);</item>
/// <item><c>cross_k_{l}</c> and <c>cross_v_{l}</c> [batch, heads, 1500, head_width]: laid out once per
/// window;</item>
/// </list>
/// <para>
/// plus <c>tokens</c> [batch, n], <c>positions</c> [n] and <c>new_mask</c> [n, n] (causal among the new tokens),
/// and returns <c>logits</c> [batch, n, vocabulary] with only the new tokens' keys and values
/// (<c>new_k_{l}</c>, <c>new_v_{l}</c> [batch, heads, n, head_width]), which the caller writes into its cache.
/// </para>
/// <para>
/// The keys the graph takes, cross-attention and cache alike, are already multiplied by the attention scale
/// 1/sqrt(head_width) (<see cref="AttentionScale"/>; openai's Whisper scales query and key by its square root
/// each): the query then meets them in a plain MatMul, which ONNX Runtime runs as a matrix-vector product, where a
/// scale fused into the MatMul (or a transposed key layout) takes the general matrix path at more than twice the cost
/// (measured at whisper-small size). The new tokens' own keys come out unscaled.
/// </para>
/// <para>
/// The decoder's parts are found by what they are, not by name: LayerNormalization nodes with constant scale and
/// bias (three per block and a final one), weight MatMuls in execution order (query, key, value, out, cross
/// query, cross out, two MLP layers per block; float or int8), the token embedding (the Gather on
/// <c>tokens</c>) and the positional embedding. A graph that does not have exactly these parts is not rebuilt;
/// the caller then keeps the original graph.
/// </para>
/// </remarks>
internal static class FilledCacheDecoderGraph
{
    /// <summary>The token input, [batch, n].</summary>
    public const string TokensInput = "tokens";

    /// <summary>The new tokens' positions, [n].</summary>
    public const string PositionsInput = "positions";

    /// <summary>0 for a filled cache position, -inf for one not yet filled, [t].</summary>
    public const string CacheMaskInput = "cache_mask";

    /// <summary>Causal mask among the new tokens, [n, n].</summary>
    public const string NewMaskInput = "new_mask";

    /// <summary>The logits output, [batch, n, vocabulary].</summary>
    public const string LogitsOutput = "logits";

    private const int FloatType = 1;

    /// <summary>Layer <paramref name="layer"/>'s cached self-attention keys (scaled), [batch, heads, t, head width].</summary>
    public static string SelfK(int layer) => $"self_k_{layer}";

    /// <summary>Layer <paramref name="layer"/>'s cached self-attention values, [batch, heads, t, head width].</summary>
    public static string SelfV(int layer) => $"self_v_{layer}";

    /// <summary>Layer <paramref name="layer"/>'s cross-attention keys (scaled), [batch, heads, audio positions, head width].</summary>
    public static string CrossK(int layer) => $"cross_k_{layer}";

    /// <summary>Layer <paramref name="layer"/>'s cross-attention values, [batch, heads, audio positions, head width].</summary>
    public static string CrossV(int layer) => $"cross_v_{layer}";

    /// <summary>Layer <paramref name="layer"/>'s keys of the new tokens (unscaled), [batch, heads, n, head width].</summary>
    public static string NewK(int layer) => $"new_k_{layer}";

    /// <summary>Layer <paramref name="layer"/>'s values of the new tokens, [batch, heads, n, head width].</summary>
    public static string NewV(int layer) => $"new_v_{layer}";

    /// <summary>
    /// In the compact layout, layer <paramref name="layer"/>'s scale of each key ([batch, heads, 1, audio positions]):
    /// a key is its int8 codes (<see cref="CrossK"/>, then [batch, heads, head width, audio positions]) times this.
    /// </summary>
    public static string CrossKScale(int layer) => $"cross_k_scale_{layer}";

    /// <summary>In the compact layout, 128 times the sum of each key's int8 codes, [batch, heads, 1, audio positions].</summary>
    public static string CrossKSum(int layer) => $"cross_k_sum_{layer}";

    /// <summary>
    /// In the compact layout, layer <paramref name="layer"/>'s scale of each value ([batch, heads, 1, audio
    /// positions]): a value is its int8 codes (<see cref="CrossV"/>, [batch, heads, audio positions, head width]) times this.
    /// </summary>
    public static string CrossVScale(int layer) => $"cross_v_scale_{layer}";

    /// <summary>Layer <paramref name="layer"/>'s cross-attention inputs: keys and values, or in the compact layout keys, their scales and sums, values and their scales.</summary>
    public static string[] CrossNames(int layer, bool compact) =>
        compact ? [CrossK(layer), CrossKScale(layer), CrossKSum(layer), CrossV(layer), CrossVScale(layer)] : [CrossK(layer), CrossV(layer)];

    /// <summary>Every input in the order <see cref="FilledCacheDecoder"/> passes them: the four shared ones, then per layer self k, self v and the cross-attention inputs (<see cref="CrossNames"/>).</summary>
    public static string[] InputNames(int layers, bool compact = false) =>
        [TokensInput, PositionsInput, CacheMaskInput, NewMaskInput, .. Enumerable.Range(0, layers).SelectMany(l => new[] { SelfK(l), SelfV(l) }.Concat(CrossNames(l, compact)))];

    /// <summary>
    /// A window's float keys and values from this size up (32 MiB, whisper-base's 37 MB) make the compact layout the
    /// default; below it (tiny's 18 MB, the demo model's 9 MB) the float layout stays.
    /// </summary>
    public const long CompactFromBytes = 32L << 20;

    /// <summary>
    /// Whether the compact int8 cross-attention layout is the default for a model: for int8 models (whose
    /// activations are quantized at every MatMul already) whose window of float keys and values is at least
    /// <see cref="CompactFromBytes"/>. There a decoder step waits on memory: reading a quarter of the bytes, and the
    /// room it leaves for more windows per batch, took the decoder of a 4-minute call at whisper-small from 7.7 s (2
    /// windows per batch) to 3.4 s (its 9 windows together). The int8
    /// codes move the logits a little (the sherpa fixture's reference vectors: the same tokens, log-probabilities
    /// within 0.015 per window), and on the demo model they change one hallucinated segment of a sample call into
    /// one that fails a check; a small model decodes fast either way, so it keeps the float layout.
    /// </summary>
    public static bool CompactPays(WhisperModelInfo info, bool quantized) =>
        quantized && 2L * info.TextLayers * info.AudioContext * info.TextState * sizeof(float) >= CompactFromBytes;

    /// <summary>Whether <paramref name="session"/> is a rebuilt graph that takes the compact (int8) cross-attention layout.</summary>
    public static bool IsCompact(Microsoft.ML.OnnxRuntime.InferenceSession session) => session.InputMetadata.ContainsKey(CrossKScale(0));

    /// <summary>Every output in the order <see cref="FilledCacheDecoder"/> binds them: logits, then per layer new k, new v.</summary>
    public static string[] OutputNames(int layers) =>
        [LogitsOutput, .. Enumerable.Range(0, layers).SelectMany(l => new[] { NewK(l), NewV(l) })];

    /// <summary>1/sqrt(head width): what the keys are multiplied by before the graph sees them.</summary>
    public static float AttentionScale(WhisperModelInfo info) => 1.0f / MathF.Sqrt(info.TextState / info.TextHeads);

    private const int UInt8Type = 2;
    private const int Int8Type = 3;
    private const int Int64Type = 7;

    /// <summary>
    /// Reads <paramref name="decoderPath"/> and returns the rebuilt graph, or null with the reason it cannot be rebuilt.
    /// The graph shares the parsed weights of the original (nothing is copied); write it out with
    /// <see cref="Google.Protobuf.MessageExtensions.WriteTo(IMessage, Stream)"/> or turn it into bytes.
    /// </summary>
    /// <param name="decoderPath">The sherpa-layout decoder.</param>
    /// <param name="info">The model's dimensions, from the encoder's metadata.</param>
    /// <param name="quantized">Whether the graph has int8 weight MatMuls (its activations are quantized per call, so rounding differs a little from the original's).</param>
    /// <param name="reason">Why the graph cannot be rebuilt; empty when it can.</param>
    /// <param name="compact">Whether the cross-attention keys and values come in the compact int8 layout; null: when
    /// <see cref="CompactPays"/> (int8 weights, whisper-base size and up).</param>
    public static ModelProto? TryBuild(string decoderPath, WhisperModelInfo info, out bool quantized, out string reason, bool? compact = null)
    {
        quantized = false;
        if (info.TextHeads <= 0 || info.TextState % info.TextHeads != 0)
        {
            reason = "the model's metadata does not give n_text_head";
            return null;
        }

        ModelProto model;
        using (var stream = File.OpenRead(decoderPath))
        {
            if (stream.Length >= int.MaxValue)
            {
                reason = "the decoder file is larger than 2 GB";
                return null;
            }

            model = ModelProto.Parser.ParseFrom(stream);
        }

        var parts = DecoderParts.Find(model.Graph, info, out reason);
        if (parts is null)
        {
            return null;
        }

        quantized = parts.Blocks.Any(b => b.Query.Quantized) || parts.Logits is { Quantized: true };
        return new Builder(parts, info, compact ?? CompactPays(info, quantized)).Build(model);
    }

    /// <summary>A weight MatMul with its optional bias: float, or int8 with per-tensor scale and zero point.</summary>
    private sealed record Linear(TensorProto Weight, TensorProto? Scale, TensorProto? ZeroPoint, TensorProto? Bias)
    {
        public bool Quantized => Scale is not null;

        public long Inputs => Weight.Dims[0];

        public long Outputs => Weight.Dims[1];
    }

    private sealed record LayerNorm(TensorProto Scale, TensorProto Bias, float Epsilon);

    private sealed record Block(LayerNorm AttentionNorm, Linear Query, Linear Key, Linear Value, Linear Out, LayerNorm CrossNorm, Linear CrossQuery, Linear CrossOut, LayerNorm MlpNorm, Linear Mlp1, Linear Mlp2);

    private sealed class DecoderParts
    {
        public required TensorProto TokenEmbedding { get; init; }

        public required TensorProto PositionalEmbedding { get; init; }

        public required IReadOnlyList<Block> Blocks { get; init; }

        public required LayerNorm FinalNorm { get; init; }

        /// <summary>The logits projection when the graph has one as a weight MatMul (int8 exports); null: the token embedding, transposed.</summary>
        public Linear? Logits { get; init; }

        public static DecoderParts? Find(GraphProto graph, WhisperModelInfo info, out string reason)
        {
            var constants = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            foreach (var tensor in graph.Initializer)
            {
                constants[tensor.Name] = tensor;
            }

            var alias = new Dictionary<string, string>(StringComparer.Ordinal);
            var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                if (node.OpType == "Identity" && node.Input.Count == 1)
                {
                    alias[node.Output[0]] = node.Input[0];
                }
                else if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value })
                {
                    value.Name = node.Output[0];
                    constants[node.Output[0]] = value;
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

            TensorProto? Const(string name)
            {
                for (var hops = 0; hops < 8 && alias.TryGetValue(name, out var source); hops++)
                {
                    name = source;
                }

                return constants.GetValueOrDefault(name);
            }

            IReadOnlyList<NodeProto> Users(string name) => consumers.TryGetValue(name, out var list) ? list : [];

            TensorProto? BiasAfter(ref string output, long width)
            {
                if (Users(output) is [{ OpType: "Add" } add])
                {
                    var other = add.Input[0] == output ? add.Input[1] : add.Input[0];
                    if (Const(other) is { DataType: FloatType, Dims: [var size] } bias && size == width)
                    {
                        output = add.Output[0];
                        return bias;
                    }
                }

                return null;
            }

            var norms = new List<LayerNorm>();
            var linears = new List<Linear>();
            TensorProto? embedding = null;
            TensorProto? positional = null;
            var embeddingOnTheLeft = false;
            foreach (var node in graph.Node)
            {
                switch (node.OpType)
                {
                    case "LayerNormalization" when node.Input.Count == 3:
                        if (Const(node.Input[1]) is not { } scale || Const(node.Input[2]) is not { } shift)
                        {
                            reason = $"the LayerNormalization '{node.Name}' has no constant scale and bias";
                            return null;
                        }

                        var epsilon = node.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
                        norms.Add(new LayerNorm(scale, shift, epsilon));
                        break;
                    case "Gather" when node.Input.Count == 2 && Const(node.Input[0]) is { Dims.Count: 2 } table:
                        if (node.Input[1] == SherpaDecoder.TokensInput)
                        {
                            embedding = table;
                        }
                        else if (table.Dims[0] == info.TextContext && table.Dims[1] == info.TextState)
                        {
                            positional = table;
                        }

                        break;
                    case "Slice" when Const(node.Input[0]) is { Dims.Count: 2 } table && table.Dims[0] == info.TextContext && table.Dims[1] == info.TextState:
                        positional = table;
                        break;
                    case "MatMul" when Const(node.Input[1]) is { DataType: FloatType, Dims.Count: 2 } weight:
                    {
                        var output = node.Output[0];
                        var bias = BiasAfter(ref output, weight.Dims[1]);
                        linears.Add(new Linear(weight, null, null, bias));
                        break;
                    }

                    case "MatMul" when Const(node.Input[0]) is { DataType: FloatType, Dims.Count: 2 } left && left.Dims[0] == info.VocabularySize:
                        embeddingOnTheLeft = true;
                        embedding ??= left;
                        break;
                    case "MatMulInteger" when node.Input.Count == 4 && Const(node.Input[1]) is { DataType: Int8Type, Dims.Count: 2 } weight:
                    {
                        if (Const(node.Input[3]) is not { } zeroPoint
                            || Users(node.Output[0]) is not [{ OpType: "Cast" } cast]
                            || Users(cast.Output[0]) is not [{ OpType: "Mul" } mul])
                        {
                            reason = $"the MatMulInteger '{node.Name}' is not followed by Cast and Mul as dynamic quantization writes it";
                            return null;
                        }

                        var scales = mul.Input[0] == cast.Output[0] ? mul.Input[1] : mul.Input[0];
                        var scaleNode = graph.Node.FirstOrDefault(n => n.Output.Contains(scales));
                        var weightScale = scaleNode is { OpType: "Mul" } ? (Const(scaleNode.Input[1]) ?? Const(scaleNode.Input[0])) : null;
                        if (weightScale is not { DataType: FloatType })
                        {
                            reason = $"the scale of the MatMulInteger '{node.Name}' is not a constant";
                            return null;
                        }

                        var output = mul.Output[0];
                        var bias = BiasAfter(ref output, weight.Dims[1]);
                        linears.Add(new Linear(weight, weightScale, zeroPoint, bias));
                        break;
                    }
                }
            }

            var layers = info.TextLayers;
            var width = info.TextState;
            if (embedding is null || embedding.Dims[0] != info.VocabularySize || embedding.Dims[1] != width || embedding.DataType != FloatType)
            {
                reason = "no token embedding [n_vocab, n_text_state] gathered by 'tokens'";
                return null;
            }

            if (positional is null || positional.DataType != FloatType)
            {
                reason = "no positional embedding [n_text_ctx, n_text_state]";
                return null;
            }

            if (norms.Count != (3 * layers) + 1)
            {
                reason = $"{norms.Count} LayerNormalization nodes, expected {(3 * layers) + 1} for {layers} layers";
                return null;
            }

            Linear? logits = null;
            if (!embeddingOnTheLeft && linears.Count == (8 * layers) + 1 && linears[^1].Outputs == info.VocabularySize)
            {
                logits = linears[^1];
                linears.RemoveAt(linears.Count - 1);
            }
            else if (!embeddingOnTheLeft)
            {
                reason = "no logits projection found";
                return null;
            }

            if (linears.Count != 8 * layers)
            {
                reason = $"{linears.Count} weight MatMuls in the blocks, expected {8 * layers}";
                return null;
            }

            var blocks = new List<Block>();
            for (var layer = 0; layer < layers; layer++)
            {
                var l = linears.Skip(8 * layer).Take(8).ToArray();
                var n = norms.Skip(3 * layer).Take(3).ToArray();
                var square = l.Take(6).All(x => x.Inputs == width && x.Outputs == width);
                if (!square || l[6].Inputs != width || l[7].Outputs != width || l[6].Outputs != l[7].Inputs)
                {
                    reason = $"the weight MatMuls of block {layer} do not have Whisper's shapes";
                    return null;
                }

                blocks.Add(new Block(n[0], l[0], l[1], l[2], l[3], n[1], l[4], l[5], n[2], l[6], l[7]));
            }

            reason = string.Empty;
            return new DecoderParts
            {
                TokenEmbedding = embedding,
                PositionalEmbedding = positional,
                Blocks = blocks,
                FinalNorm = norms[^1],
                Logits = logits,
            };
        }
    }

    private sealed class Builder(DecoderParts parts, WhisperModelInfo info, bool compact)
    {
        private readonly GraphProto _graph = new() { Name = "qualityscan_filled_cache_decoder" };
        private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (string Quantized, string Scale, string ZeroPoint)> _quantizedActivations = new(StringComparer.Ordinal);
        private int _counter;

        private int Heads => info.TextHeads;

        private int HeadWidth => info.TextState / info.TextHeads;

        public ModelProto Build(ModelProto source)
        {
            Input(TokensInput, Int64Type, "batch", "n");
            Input(PositionsInput, Int64Type, "n");
            Input(CacheMaskInput, FloatType, "t");
            Input(NewMaskInput, FloatType, "n", "n");
            for (var layer = 0; layer < parts.Blocks.Count; layer++)
            {
                Input(SelfK(layer), FloatType, "batch", Heads, "t", HeadWidth);
                Input(SelfV(layer), FloatType, "batch", Heads, "t", HeadWidth);
                if (compact)
                {
                    Input(CrossK(layer), Int8Type, "batch", Heads, HeadWidth, info.AudioContext);
                    Input(CrossKScale(layer), FloatType, "batch", Heads, 1, info.AudioContext);
                    Input(CrossKSum(layer), FloatType, "batch", Heads, 1, info.AudioContext);
                    Input(CrossV(layer), Int8Type, "batch", Heads, info.AudioContext, HeadWidth);
                    Input(CrossVScale(layer), FloatType, "batch", Heads, 1, info.AudioContext);
                }
                else
                {
                    Input(CrossK(layer), FloatType, "batch", Heads, info.AudioContext, HeadWidth);
                    Input(CrossV(layer), FloatType, "batch", Heads, info.AudioContext, HeadWidth);
                }
            }

            var headShape = Constant("head_shape", [0, 0, Heads, HeadWidth]);
            var mergedShape = Constant("merged_shape", [0, 0, info.TextState]);
            var scale = FloatConstant("attention_scale", AttentionScale(info));
            var t = Node("Shape", [CacheMaskInput]);
            var n = Node("Shape", [NewMaskInput], attributes: [IntAttribute("end", 1)]);
            var splits = Node("Concat", [t, n], attributes: [IntAttribute("axis", 0)]);

            var x = Node("Add", [Node("Gather", [Weight(parts.TokenEmbedding), TokensInput]), Node("Gather", [Weight(parts.PositionalEmbedding), PositionsInput])]);
            for (var layer = 0; layer < parts.Blocks.Count; layer++)
            {
                var block = parts.Blocks[layer];
                var h = Norm(x, block.AttentionNorm);
                var q = Node("Transpose", [Node("Reshape", [Apply(block.Query, h), headShape])], attributes: [Perm(0, 2, 1, 3)]);
                var k = Node("Transpose", [Node("Reshape", [Apply(block.Key, h), headShape])], NewK(layer), [Perm(0, 2, 1, 3)]);
                var v = Node("Transpose", [Node("Reshape", [Apply(block.Value, h), headShape])], NewV(layer), [Perm(0, 2, 1, 3)]);
                var cached = Node("Add", [Node("MatMul", [q, Node("Transpose", [SelfK(layer)], attributes: [Perm(0, 1, 3, 2)])]), CacheMaskInput]);
                var fresh = Node("Add", [Node("Mul", [Node("MatMul", [q, Node("Transpose", [k], attributes: [Perm(0, 1, 3, 2)])]), scale]), NewMaskInput]);
                var scores = Node("Concat", [cached, fresh], attributes: [IntAttribute("axis", -1)]);
                var split = NodeOutputs("Split", [Node("Softmax", [scores], attributes: [IntAttribute("axis", -1)]), splits], 2, [IntAttribute("axis", -1)]);
                var attended = Node("Add", [Node("MatMul", [split[0], SelfV(layer)]), Node("MatMul", [split[1], v])]);
                x = Node("Add", [x, Apply(block.Out, Merge(attended, mergedShape))]);

                h = Norm(x, block.CrossNorm);
                q = Node("Transpose", [Node("Reshape", [Apply(block.CrossQuery, h), headShape])], attributes: [Perm(0, 2, 1, 3)]);
                var crossAttended = compact ? CompactCrossAttention(q, layer) : Node("MatMul", [Node("Softmax", [Node("MatMul", [q, Node("Transpose", [CrossK(layer)], attributes: [Perm(0, 1, 3, 2)])])], attributes: [IntAttribute("axis", -1)]), CrossV(layer)]);
                x = Node("Add", [x, Apply(block.CrossOut, Merge(crossAttended, mergedShape))]);

                h = Norm(x, block.MlpNorm);
                var hidden = Node("Gelu", [Apply(block.Mlp1, h)], domain: "com.microsoft");
                x = Node("Add", [x, Apply(block.Mlp2, hidden)]);
            }

            var last = Norm(x, parts.FinalNorm);
            if (parts.Logits is { } logits)
            {
                Node("Identity", [Apply(logits, last)], LogitsOutput);
            }
            else
            {
                var transposed = Node("Transpose", [last], attributes: [Perm(0, 2, 1)]);
                Node("Transpose", [Node("MatMul", [Weight(parts.TokenEmbedding), transposed])], LogitsOutput, [Perm(0, 2, 1)]);
            }

            Output(LogitsOutput, "batch", "n", info.VocabularySize);
            for (var layer = 0; layer < parts.Blocks.Count; layer++)
            {
                Output(NewK(layer), "batch", Heads, "n", HeadWidth);
                Output(NewV(layer), "batch", Heads, "n", HeadWidth);
            }

            var model = new ModelProto
            {
                IrVersion = Math.Max(8, source.IrVersion),
                ProducerName = "qualityscan",
                Graph = _graph,
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
            return model;
        }

        /// <summary>
        /// Cross-attention of the queries <paramref name="q"/> ([batch, heads, n, head width]) over int8 keys and
        /// values: the same softmax(q k) v, reading a quarter of the bytes the float layout reads at every step (at
        /// whisper-small 28 MB per window instead of 110, and memory, not arithmetic, is what a decoder step waits for).
        /// Each query row is quantized to int8 with its own scale, offset by 128 as MatMulInteger takes unsigned
        /// codes (the keys' <see cref="CrossKSum"/> takes the offset back out), and meets the key codes in one
        /// MatMulInteger. The attention weights, multiplied by each value's scale (<see cref="CrossVScale"/>), are
        /// quantized per row to two unsigned bytes (a high code and the residual's, so a weight keeps 16 bits of its
        /// row's largest), each meeting the value codes in a MatMulInteger.
        /// </summary>
        private string CompactCrossAttention(string q, int layer)
        {
            var lastAxis = IntsAttribute("axes", -1);
            var tiny = FloatConstant("compact_tiny", 1e-30f);
            var codeRange = FloatConstant("compact_code_range", 127f);
            var byteRange = FloatConstant("compact_byte_range", 255f);
            var offset = FloatConstant("compact_offset", 128f);
            var queryScale = Node("Div", [Node("Max", [Node("ReduceMax", [Node("Abs", [q])], attributes: [lastAxis, IntAttribute("keepdims", 1)]), tiny]), codeRange]);
            var queryCodes = Node("Cast", [Node("Add", [Node("Round", [Node("Div", [q, queryScale])]), offset])], attributes: [IntAttribute("to", UInt8Type)]);
            // Cast then Sub (not Mul): onnxruntime fuses MatMulInteger, Cast and Mul into MatMulIntegerToFloat, whose
            // per-position scale takes a path three times slower here (measured at whisper-small).
            var dots = Node("Sub", [Node("Cast", [Node("MatMulInteger", [queryCodes, CrossK(layer)])], attributes: [IntAttribute("to", FloatType)]), CrossKSum(layer)]);
            var scores = Node("Mul", [Node("Mul", [dots, CrossKScale(layer)]), queryScale]);
            var weights = Node("Mul", [Node("Softmax", [scores], attributes: [IntAttribute("axis", -1)]), CrossVScale(layer)]);
            var weightScale = Node("Div", [Node("ReduceMax", [weights], attributes: [lastAxis, IntAttribute("keepdims", 1)]), byteRange]);
            var scaled = Node("Div", [weights, weightScale]);
            var high = Node("Floor", [scaled]);
            var low = Node("Round", [Node("Mul", [Node("Sub", [scaled, high]), byteRange])]);
            // Two products of one row each, not one of two rows: MatMulInteger has a matrix-vector path for a single
            // row, three times faster than its general one at two (measured at whisper-small, 9 windows).
            var highSums = Node("Cast", [Node("MatMulInteger", [Node("Cast", [high], attributes: [IntAttribute("to", UInt8Type)]), CrossV(layer)])], attributes: [IntAttribute("to", FloatType)]);
            var lowSums = Node("Cast", [Node("MatMulInteger", [Node("Cast", [low], attributes: [IntAttribute("to", UInt8Type)]), CrossV(layer)])], attributes: [IntAttribute("to", FloatType)]);
            var combined = Node("Add", [highSums, Node("Div", [lowSums, byteRange])]);
            return Node("Mul", [combined, weightScale]);
        }

        private static AttributeProto IntsAttribute(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.Add(values);
            return attribute;
        }

        private static AttributeProto IntAttribute(string name, long value) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static AttributeProto Perm(params long[] order)
        {
            var attribute = new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.Add(order);
            return attribute;
        }

        private string Merge(string heads, string mergedShape) =>
            Node("Reshape", [Node("Transpose", [heads], attributes: [Perm(0, 2, 1, 3)]), mergedShape]);

        private string Norm(string x, LayerNorm norm) =>
            Node("LayerNormalization", [x, Weight(norm.Scale), Weight(norm.Bias)], attributes:
            [
                IntAttribute("axis", -1),
                new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = norm.Epsilon },
            ]);

        private string Apply(Linear linear, string activation)
        {
            string product;
            if (linear.Quantized)
            {
                if (!_quantizedActivations.TryGetValue(activation, out var quantized))
                {
                    var outputs = NodeOutputs("DynamicQuantizeLinear", [activation], 3, []);
                    quantized = (outputs[0], outputs[1], outputs[2]);
                    _quantizedActivations[activation] = quantized;
                }

                var integer = Node("MatMulInteger", [quantized.Quantized, Weight(linear.Weight), quantized.ZeroPoint, Weight(linear.ZeroPoint!)]);
                var scales = Node("Mul", [quantized.Scale, Weight(linear.Scale!)]);
                product = Node("Mul", [Node("Cast", [integer], attributes: [IntAttribute("to", FloatType)]), scales]);
            }
            else
            {
                product = Node("MatMul", [activation, Weight(linear.Weight)]);
            }

            return linear.Bias is { } bias ? Node("Add", [product, Weight(bias)]) : product;
        }

        private string Weight(TensorProto tensor)
        {
            if (string.IsNullOrEmpty(tensor.Name))
            {
                tensor.Name = $"qs_weight_{_counter++}";
            }

            if (_initializers.Add(tensor.Name))
            {
                _graph.Initializer.Add(tensor);
            }

            return tensor.Name;
        }

        private string Constant(string name, long[] values)
        {
            var tensor = new TensorProto { Name = name, DataType = Int64Type };
            tensor.Dims.Add(values.Length);
            tensor.Int64Data.Add(values);
            return Weight(tensor);
        }

        private string FloatConstant(string name, float value)
        {
            var tensor = new TensorProto { Name = name, DataType = FloatType };
            tensor.FloatData.Add(value);
            return Weight(tensor);
        }

        private string Node(string op, string[] inputs, string? output = null, AttributeProto[]? attributes = null, string domain = "") =>
            NodeOutputs(op, inputs, 1, attributes ?? [], domain, output)[0];

        private string[] NodeOutputs(string op, string[] inputs, int count, AttributeProto[] attributes, string domain = "", string? output = null)
        {
            var id = _counter++;
            var node = new NodeProto { OpType = op, Name = $"{op}_{id}", Domain = domain };
            node.Input.Add(inputs);
            var outputs = Enumerable.Range(0, count).Select(i => count == 1 && output is not null ? output : $"{op}_{id}_out{i}").ToArray();
            node.Output.Add(outputs);
            node.Attribute.Add(attributes);
            _graph.Node.Add(node);
            return outputs;
        }

        private void Input(string name, int type, params object[] dims) => _graph.Input.Add(Value(name, type, dims));

        private void Output(string name, params object[] dims) => _graph.Output.Add(Value(name, FloatType, dims));

        private static ValueInfoProto Value(string name, int type, object[] dims)
        {
            var shape = new TensorShapeProto();
            foreach (var dim in dims)
            {
                shape.Dim.Add(dim is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } },
            };
        }
    }
}
