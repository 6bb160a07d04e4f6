using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Runs the sherpa-onnx Whisper decoder graph as exported: the whole self-attention cache (layers x text context x
/// width, keys and values) passes in and out of every call, and the cross-attention keys and values are laid out
/// [layers, batch, audio positions, width].
/// </summary>
/// <remarks>
/// The caches are two preallocated pairs used in turn: a call reads one pair and writes the other, so no cache is
/// copied or allocated per token. A batch of one is encoded straight into the decoder's cross buffers; a larger
/// batch is encoded a window at a time into a one-window buffer and copied into its place. This class owns the
/// graph's input and output names.
/// </remarks>
internal sealed class SherpaDecoder : IDecoderBackend
{
    /// <summary>The graph's token input (the original graph's token embedding gathers by it).</summary>
    internal const string TokensInput = "tokens";

    /// <summary>The graph's logits output, [batch, n, vocabulary].</summary>
    internal const string LogitsOutput = "logits";

    /// <summary>The self-attention key cache input, [layers, batch, text context, width].</summary>
    internal const string SelfKIn = "in_n_layer_self_k_cache";

    private const string SelfVIn = "in_n_layer_self_v_cache";
    private const string OffsetInput = "offset";
    private const string SelfKOut = "out_n_layer_self_k_cache";
    private const string SelfVOut = "out_n_layer_self_v_cache";

    /// <summary>The decoder's inputs, in the order every call passes them.</summary>
    internal static readonly string[] DecoderInputs = [TokensInput, SelfKIn, SelfVIn, WhisperInference.CrossKOutput, WhisperInference.CrossVOutput, OffsetInput];

    /// <summary>The decoder's outputs, in the order every call binds them.</summary>
    internal static readonly string[] DecoderOutputs = [LogitsOutput, SelfKOut, SelfVOut];

    private readonly InferenceSession _session;
    private readonly WhisperModelInfo _info;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _offset = new long[1];
    private readonly OrtValue _offsetValue;
    private readonly Dictionary<int, BatchValues> _batchValues = [];

    private int _capacity;
    private float[] _crossK = [];
    private float[] _crossV = [];
    private float[][] _selfK = [[], []];
    private float[][] _selfV = [[], []];
    private float[] _singleK = [];
    private float[] _singleV = [];
    private OrtValue? _singleCrossK;
    private OrtValue? _singleCrossV;
    private BatchValues? _current;
    private int _ping;
    private bool _disposed;

    public SherpaDecoder(InferenceSession session, WhisperModelInfo info)
    {
        _session = session;
        _info = info;
        _offsetValue = OrtValue.CreateTensorValueFromMemory(_offset, [1]);
    }

    private int CrossLength => _info.TextLayers * _info.AudioContext * _info.TextState;

    private int CacheLength => _info.TextLayers * _info.TextContext * _info.TextState;

    public void EnsureCapacity(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch <= _capacity)
        {
            return;
        }

        DisposeBatchValues();
        if (batch > 1 && _singleCrossK is null)
        {
            long[] shape = [_info.TextLayers, 1, _info.AudioContext, _info.TextState];
            _singleK = new float[CrossLength];
            _singleV = new float[CrossLength];
            _singleCrossK = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _singleK.AsMemory(), shape);
            _singleCrossV = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _singleV.AsMemory(), shape);
        }

        _capacity = batch;
        _crossK = new float[batch * CrossLength];
        _crossV = new float[batch * CrossLength];
        _selfK = [new float[batch * CacheLength], new float[batch * CacheLength]];
        _selfV = [new float[batch * CacheLength], new float[batch * CacheLength]];
    }

    public (OrtValue Keys, OrtValue Values) CrossTarget(int item, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, batch);
        if (batch == 1)
        {
            var values = ValuesFor(1);
            return (values.CrossK, values.CrossV);
        }

        EnsureCapacity(batch);
        return (_singleCrossK!, _singleCrossV!);
    }

    public void StoreCross(int item, int batch)
    {
        if (batch == 1)
        {
            return;
        }

        var block = _info.AudioContext * _info.TextState;
        for (var layer = 0; layer < _info.TextLayers; layer++)
        {
            _singleK.AsSpan(layer * block, block).CopyTo(_crossK.AsSpan(((layer * batch) + item) * block, block));
            _singleV.AsSpan(layer * block, block).CopyTo(_crossV.AsSpan(((layer * batch) + item) * block, block));
        }
    }

    public void Begin(int batch, int length)
    {
        _current = ValuesFor(batch);
        _ping = 0;
    }

    public void Run(OrtValue tokens, int count, long offset, OrtValue logits)
    {
        var values = _current ?? throw new InvalidOperationException("Begin a decoding before running the decoder.");
        _offset[0] = offset;
        var pong = 1 - _ping;
        _session.Run(
            _runOptions,
            DecoderInputs,
            [tokens, values.SelfK[_ping], values.SelfV[_ping], values.CrossK, values.CrossV, _offsetValue],
            DecoderOutputs,
            [logits, values.SelfK[pong], values.SelfV[pong]]);
        _ping = pong;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeBatchValues();
        _singleCrossK?.Dispose();
        _singleCrossV?.Dispose();
        _offsetValue.Dispose();
        _runOptions.Dispose();
    }

    private BatchValues ValuesFor(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureCapacity(batch);
        if (!_batchValues.TryGetValue(batch, out var values))
        {
            values = new BatchValues(this, batch);
            _batchValues[batch] = values;
        }

        return values;
    }

    private void DisposeBatchValues()
    {
        foreach (var values in _batchValues.Values)
        {
            values.Dispose();
        }

        _batchValues.Clear();
        _current = null;
    }

    /// <summary>ONNX Runtime views of the shared buffers with the shapes of one batch size.</summary>
    private sealed class BatchValues : IDisposable
    {
        public BatchValues(SherpaDecoder owner, int batch)
        {
            var info = owner._info;
            long[] cross = [info.TextLayers, batch, info.AudioContext, info.TextState];
            long[] cache = [info.TextLayers, batch, info.TextContext, info.TextState];
            CrossK = Create(owner._crossK, owner.CrossLength * batch, cross);
            CrossV = Create(owner._crossV, owner.CrossLength * batch, cross);
            SelfK = [Create(owner._selfK[0], owner.CacheLength * batch, cache), Create(owner._selfK[1], owner.CacheLength * batch, cache)];
            SelfV = [Create(owner._selfV[0], owner.CacheLength * batch, cache), Create(owner._selfV[1], owner.CacheLength * batch, cache)];
        }

        public OrtValue CrossK { get; }

        public OrtValue CrossV { get; }

        public OrtValue[] SelfK { get; }

        public OrtValue[] SelfV { get; }

        public void Dispose()
        {
            CrossK.Dispose();
            CrossV.Dispose();
            foreach (var value in SelfK.Concat(SelfV))
            {
                value.Dispose();
            }
        }

        private static OrtValue Create(float[] buffer, int length, long[] shape) =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), shape);
    }
}
