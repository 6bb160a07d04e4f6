using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Runs the sherpa-onnx Whisper decoder graph as exported: the whole self-attention cache (layers x text context x
/// width, keys and values) passes in and out of every call, and the cross-attention keys and values are laid out
/// [layers, batch, audio positions, width].
/// </summary>
/// <remarks>
/// The caches are two preallocated pairs used in turn: a call reads one pair and writes the other, so no cache is
/// copied or allocated per token. The encoder writes each window's keys and values straight into the batch's cross
/// buffer, window after window; a batch of more than one is then put into the graph's [layers, batch] order in place
/// (<see cref="CrossSlots"/>) when its last window is stored. This class owns the graph's input and output names.
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
    private float[] _slotScratch = [];
    private OrtValue? _targetK;
    private OrtValue? _targetV;
    private int _stored;
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
        DisposeTargets();
        _capacity = batch;
        _stored = 0;
        _crossK = [];
        _crossV = [];
        _selfK = [[], []];
        _selfV = [[], []];
        _slotScratch = batch > 1 ? new float[_info.AudioContext * _info.TextState] : [];
        _crossK = new float[batch * CrossLength];
        _crossV = new float[batch * CrossLength];
        _selfK = [new float[batch * CacheLength], new float[batch * CacheLength]];
        _selfV = [new float[batch * CacheLength], new float[batch * CacheLength]];
    }

    public IReadOnlyList<string> CrossOutputs { get; } = [WhisperInference.CrossKOutput, WhisperInference.CrossVOutput];

    public IReadOnlyList<OrtValue> CrossTarget(int item, int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, batch);
        EnsureCapacity(batch);
        DisposeTargets();
        long[] shape = [_info.TextLayers, 1, _info.AudioContext, _info.TextState];
        _targetK = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _crossK.AsMemory(item * CrossLength, CrossLength), shape);
        _targetV = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _crossV.AsMemory(item * CrossLength, CrossLength), shape);
        return [_targetK, _targetV];
    }

    public void StoreCross(int item, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, batch);
        DisposeTargets();
        _stored = CrossSlots.StoredAfter(_stored, item);
        if (_stored == batch && batch > 1)
        {
            var slot = _info.AudioContext * _info.TextState;
            CrossSlots.ToLayerOrder(_crossK, batch, _info.TextLayers, slot, _slotScratch, static (source, target) => source.CopyTo(target));
            CrossSlots.ToLayerOrder(_crossV, batch, _info.TextLayers, slot, _slotScratch, static (source, target) => source.CopyTo(target));
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
        DisposeTargets();
        _offsetValue.Dispose();
        _runOptions.Dispose();
    }

    private void DisposeTargets()
    {
        _targetK?.Dispose();
        _targetV?.Dispose();
        _targetK = null;
        _targetV = null;
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
