using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// Runs the decoder graph of <see cref="FilledCacheDecoderGraph"/> for one worker: keeps the self-attention cache in
/// place in its own buffers (the graph returns only the new tokens' keys and values, which are written into the
/// cache here), and holds each window's cross-attention keys and values already split into heads.
/// </summary>
/// <remarks>
/// The cache of a decoding is as long as that decoding can get (prompt plus token budget), not the model's 448
/// positions, and positions not yet filled are masked, so a step reads and writes no more than it needs; its buffers
/// grow to the longest decoding seen, not the model's context. The encoder writes each window's keys and values
/// straight into the batch's buffer, one window after the other ([batch][layers] slots); the batch's last
/// <see cref="StoreCross"/> then moves the slots into the graph's per-layer order ([layers][batch]) and splits them into heads in place, through a
/// scratch of one slot, so no second copy of a window is held. Not thread-safe: one per <see cref="WhisperInference"/>. The graph's names are
/// <see cref="FilledCacheDecoderGraph"/>'s.
/// </remarks>
internal sealed class FilledCacheDecoder : IDecoderBackend
{
    private readonly InferenceSession _session;
    private readonly WhisperModelInfo _info;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _heads;
    private readonly int _headWidth;
    private readonly float _scale;
    private readonly long[] _stepPosition = new long[1];
    private readonly OrtValue _stepPositionValue;
    private readonly OrtValue _stepMaskValue;
    private readonly List<OrtValue> _callValues = [];
    private readonly bool _splitEncoder;
    private readonly bool _compact;
    private readonly List<OrtValue> _targets = [];

    private int _capacity;
    private float[] _crossK = [];
    private float[] _crossV = [];
    private float[] _slotScratch = [];
    private sbyte[] _keyCodes = [];
    private float[] _keyScales = [];
    private float[] _keySums = [];
    private sbyte[] _valueCodes = [];
    private float[] _valueScales = [];
    private float[][] _selfK = [];
    private float[][] _selfV = [];
    private float[][] _newK = [];
    private float[][] _newV = [];
    private float[][] _promptK = [];
    private float[][] _promptV = [];
    private float[] _cacheMask = [];
    private OrtValue[] _stepInputs = [];
    private OrtValue[] _stepOutputs = [];
    private OrtValue? _targetK;
    private OrtValue? _targetV;
    private int _stored;
    private int _batch;
    private int _length;
    private bool _disposed;

    /// <param name="session">The rebuilt decoder graph.</param>
    /// <param name="info">The model's dimensions.</param>
    /// <param name="splitEncoder">Whether the encoder gives its keys and values per layer in this graph's layout
    /// (<see cref="EncoderGraph"/>): then each window is written straight into its final place and nothing is laid out
    /// afterwards.</param>
    public FilledCacheDecoder(InferenceSession session, WhisperModelInfo info, bool splitEncoder = false)
    {
        _session = session;
        _info = info;
        _splitEncoder = splitEncoder;
        _compact = FilledCacheDecoderGraph.IsCompact(session);
        CrossOutputs = !splitEncoder
            ? [WhisperInference.CrossKOutput, WhisperInference.CrossVOutput]
            : _compact
                ? [.. Enumerable.Range(0, info.TextLayers).SelectMany(l => FilledCacheDecoderGraph.CrossNames(l, compact: true))]
                : [.. Enumerable.Range(0, info.TextLayers).Select(FilledCacheDecoderGraph.CrossK), .. Enumerable.Range(0, info.TextLayers).Select(FilledCacheDecoderGraph.CrossV)];
        _heads = info.TextHeads;
        _headWidth = info.TextState / info.TextHeads;
        _scale = FilledCacheDecoderGraph.AttentionScale(info);
        _inputNames = FilledCacheDecoderGraph.InputNames(info.TextLayers, _compact);
        _outputNames = FilledCacheDecoderGraph.OutputNames(info.TextLayers);
        _stepPositionValue = OrtValue.CreateTensorValueFromMemory(_stepPosition, [1]);
        _stepMaskValue = OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1]);
    }

    private int CrossLength => _info.AudioContext * _info.TextState;

    /// <summary>Per window and layer in the compact layout: one key scale (and sum) and one value scale per head and position.</summary>
    private int KeyScaleLength => _heads * _info.AudioContext;

    /// <summary>Makes room for batches of up to <paramref name="batch"/> windows.</summary>
    public void EnsureCapacity(int batch)
    {
        if (batch <= _capacity)
        {
            return;
        }

        DisposeCallValues();
        _capacity = batch;
        var layers = _info.TextLayers;
        _crossK = [];
        _crossV = [];
        _keyCodes = [];
        _valueCodes = [];
        if (_compact)
        {
            // The graph reads int8 codes; a float copy of the windows exists only for an encoder that writes the
            // stacked layout, to be quantized when the batch is complete.
            _keyCodes = new sbyte[layers * batch * CrossLength];
            _valueCodes = new sbyte[layers * batch * CrossLength];
            _keyScales = new float[layers * batch * KeyScaleLength];
            _keySums = new float[layers * batch * KeyScaleLength];
            _valueScales = new float[layers * batch * KeyScaleLength];
        }

        if (!_compact || !_splitEncoder)
        {
            _crossK = new float[layers * batch * CrossLength];
            _crossV = new float[layers * batch * CrossLength];
        }

        // Only an encoder that writes its stacked layout into the float layout needs the batch laid out afterwards (LayOut).
        _slotScratch = _splitEncoder || _compact ? [] : new float[CrossLength];
        _selfK = [];
        _selfV = [];
        _stored = 0;
        _newK = Arrays(layers, batch * _info.TextState);
        _newV = Arrays(layers, batch * _info.TextState);
        _batch = 0;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> CrossOutputs { get; }

    /// <summary>
    /// Window <paramref name="item"/>'s slots of the batch's buffer: from a split encoder, one per layer in its final
    /// place; otherwise as the encoder writes them ([layers, 1, audio positions, width]), and <see cref="StoreCross"/>
    /// of the batch's last window lays them out for the graph.
    /// </summary>
    public IReadOnlyList<OrtValue> CrossTarget(int item, int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, batch);
        EnsureCapacity(batch);
        DisposeTargets();
        if (_splitEncoder && _compact)
        {
            // Straight into the slots the graph reads for (layer, item), in the order of CrossNames.
            for (var layer = 0; layer < _info.TextLayers; layer++)
            {
                var slot = (layer * batch) + item;
                _targets.Add(Create(_keyCodes, slot * CrossLength, CrossLength, [1, _heads, _headWidth, _info.AudioContext]));
                _targets.Add(Create(_keyScales, slot * KeyScaleLength, KeyScaleLength, [1, _heads, 1, _info.AudioContext]));
                _targets.Add(Create(_keySums, slot * KeyScaleLength, KeyScaleLength, [1, _heads, 1, _info.AudioContext]));
                _targets.Add(Create(_valueCodes, slot * CrossLength, CrossLength, [1, _heads, _info.AudioContext, _headWidth]));
                _targets.Add(Create(_valueScales, slot * KeyScaleLength, KeyScaleLength, [1, _heads, 1, _info.AudioContext]));
            }

            return _targets;
        }

        if (_splitEncoder)
        {
            // Straight into the slot the graph reads for (layer, item): [layers][batch] slots of [heads, positions, head width].
            long[] slotShape = [1, _heads, _info.AudioContext, _headWidth];
            foreach (var buffer in new[] { _crossK, _crossV })
            {
                for (var layer = 0; layer < _info.TextLayers; layer++)
                {
                    _targets.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(((layer * batch) + item) * CrossLength, CrossLength), slotShape));
                }
            }

            return _targets;
        }

        var window = _info.TextLayers * CrossLength;
        long[] shape = [_info.TextLayers, 1, _info.AudioContext, _info.TextState];
        _targetK = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _crossK.AsMemory(item * window, window), shape);
        _targetV = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _crossV.AsMemory(item * window, window), shape);
        return [_targetK, _targetV];
    }

    /// <summary>Notes that window <paramref name="item"/> is written; with the batch's last window, lays the batch out for the graph.</summary>
    public void StoreCross(int item, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, _capacity);
        DisposeTargets();
        _stored = CrossSlots.StoredAfter(_stored, item);
        if (_stored == batch && !_splitEncoder && _compact)
        {
            Quantize(batch);
        }
        else if (_stored == batch && !_splitEncoder)
        {
            LayOut(_crossK, batch, _scale);
            LayOut(_crossV, batch, 1f);
        }
    }

    /// <summary>A self-attention cache smaller than this is kept between batches: giving it back would cost a collection per batch for nothing.</summary>
    private const long ReleasedCacheBytes = 32L << 20;

    /// <inheritdoc />
    /// <remarks>
    /// At whisper-small with 9 windows the cache is 0.15 GB and the encoder's activations 0.24 GB; the collection
    /// after dropping it (a few milliseconds per batch: the heap is a few dozen large arrays) is what returns the
    /// memory, as ONNX Runtime's native allocations never start one. A small cache (the demo model's, about 1 MB, its
    /// chunk windows one batch each) stays, so no collection runs per window.
    /// </remarks>
    public void ReleaseCache()
    {
        if (2L * _selfK.Sum(layer => (long)layer.Length) * sizeof(float) < ReleasedCacheBytes)
        {
            return;
        }

        DisposeCallValues();
        _selfK = [];
        _selfV = [];
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }

    /// <summary>Starts a decoding of the first <paramref name="batch"/> stored windows that may fill <paramref name="length"/> positions.</summary>
    public void Begin(int batch, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, _capacity);
        length = Math.Clamp(length, 1, _info.TextContext);

        var cacheLength = batch * _info.TextState * length;
        if (_selfK.Length == 0 || _selfK[0].Length < cacheLength)
        {
            // Grown to the longest decoding so far, for the full capacity, so that smaller batches fit in it too.
            DisposeCallValues();
            _selfK = [];
            _selfV = [];
            _selfK = Arrays(_info.TextLayers, _capacity * _info.TextState * length);
            _selfV = Arrays(_info.TextLayers, _capacity * _info.TextState * length);
        }

        if (batch != _batch || length != _length)
        {
            DisposeCallValues();
            _batch = batch;
            _length = length;
            _cacheMask = new float[length];
            var audio = _info.AudioContext;
            var cache = batch * _info.TextState * length;
            var cross = batch * CrossLength;
            var inputs = new List<OrtValue> { null!, _stepPositionValue, Create(_cacheMask, length, [length]), _stepMaskValue };
            for (var layer = 0; layer < _info.TextLayers; layer++)
            {
                inputs.Add(Create(_selfK[layer], cache, [batch, _heads, length, _headWidth]));
                inputs.Add(Create(_selfV[layer], cache, [batch, _heads, length, _headWidth]));
                if (_compact)
                {
                    var scales = batch * KeyScaleLength;
                    inputs.Add(Create(_keyCodes, layer * cross, cross, [batch, _heads, _headWidth, audio]));
                    inputs.Add(Create(_keyScales, layer * scales, scales, [batch, _heads, 1, audio]));
                    inputs.Add(Create(_keySums, layer * scales, scales, [batch, _heads, 1, audio]));
                    inputs.Add(Create(_valueCodes, layer * cross, cross, [batch, _heads, audio, _headWidth]));
                    inputs.Add(Create(_valueScales, layer * scales, scales, [batch, _heads, 1, audio]));
                }
                else
                {
                    inputs.Add(Create(_crossK, layer * cross, cross, [batch, _heads, audio, _headWidth]));
                    inputs.Add(Create(_crossV, layer * cross, cross, [batch, _heads, audio, _headWidth]));
                }
            }

            _stepInputs = [.. inputs];
            _callValues.AddRange(inputs.Skip(4));
            _callValues.Add(inputs[2]);
            _stepOutputs = new OrtValue[1 + (2 * _info.TextLayers)];
            for (var layer = 0; layer < _info.TextLayers; layer++)
            {
                _stepOutputs[1 + (2 * layer)] = Create(_newK[layer], batch * _info.TextState, [batch, _heads, 1, _headWidth]);
                _stepOutputs[2 + (2 * layer)] = Create(_newV[layer], batch * _info.TextState, [batch, _heads, 1, _headWidth]);
            }

            _callValues.AddRange(_stepOutputs.Skip(1));
        }

        Array.Fill(_cacheMask, float.NegativeInfinity);
    }

    /// <summary>
    /// Feeds <paramref name="count"/> tokens per window at positions <paramref name="offset"/>.. and writes their
    /// logits ([batch, count, vocabulary]) into <paramref name="logits"/>; their keys and values join the cache.
    /// </summary>
    public void Run(OrtValue tokens, int count, long offset, OrtValue logits)
    {
        if (offset + count > _length)
        {
            throw new InvalidOperationException($"Position {offset + count} is past the {_length} positions this decoding began with.");
        }

        var layers = _info.TextLayers;
        var newLength = _batch * _info.TextState * count;
        if (count > 1 && (_promptK.Length != layers || _promptK[0].Length < newLength))
        {
            _promptK = Arrays(layers, newLength);
            _promptV = Arrays(layers, newLength);
        }

        var newK = count == 1 ? _newK : _promptK;
        var newV = count == 1 ? _newV : _promptV;

        // A step (one token per window) runs on tensors made at Begin; only a prompt makes its own.
        using var scope = count == 1 ? null : new DisposableList();
        var inputs = count == 1 ? _stepInputs : (OrtValue[])_stepInputs.Clone();
        var outputs = count == 1 ? _stepOutputs : new OrtValue[_stepOutputs.Length];
        inputs[0] = tokens;
        outputs[0] = logits;
        if (count == 1)
        {
            _stepPosition[0] = offset;
        }
        else
        {
            var positions = new long[count];
            var mask = new float[count * count];
            for (var i = 0; i < count; i++)
            {
                positions[i] = offset + i;
                for (var j = i + 1; j < count; j++)
                {
                    mask[(i * count) + j] = float.NegativeInfinity;
                }
            }

            inputs[1] = scope!.Add(OrtValue.CreateTensorValueFromMemory(positions, [count]));
            inputs[3] = scope.Add(OrtValue.CreateTensorValueFromMemory(mask, [count, count]));
            for (var layer = 0; layer < layers; layer++)
            {
                outputs[1 + (2 * layer)] = scope.Add(Create(newK[layer], newLength, [_batch, _heads, count, _headWidth]));
                outputs[2 + (2 * layer)] = scope.Add(Create(newV[layer], newLength, [_batch, _heads, count, _headWidth]));
            }
        }

        _session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);

        var rows = _batch * _heads;
        var block = count * _headWidth;
        for (var layer = 0; layer < layers; layer++)
        {
            var keys = newK[layer];
            var selfK = _selfK[layer];
            var values = newV[layer];
            var selfV = _selfV[layer];
            for (var row = 0; row < rows; row++)
            {
                var at = ((row * _length) + (int)offset) * _headWidth;
                TensorPrimitives.Multiply(keys.AsSpan(row * block, block), _scale, selfK.AsSpan(at, block));
                values.AsSpan(row * block, block).CopyTo(selfV.AsSpan(at, block));
            }
        }

        _cacheMask.AsSpan((int)offset, count).Clear();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeCallValues();
        DisposeTargets();
        _stepPositionValue.Dispose();
        _stepMaskValue.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>[positions, heads x head width] -> [heads, positions, head width], times <paramref name="scale"/>.</summary>
    private void SplitHeads(ReadOnlySpan<float> source, Span<float> target, float scale)
    {
        var positions = _info.AudioContext;
        var width = _info.TextState;
        for (var p = 0; p < positions; p++)
        {
            for (var head = 0; head < _heads; head++)
            {
                TensorPrimitives.Multiply(source.Slice((p * width) + (head * _headWidth), _headWidth), scale, target.Slice(((head * positions) + p) * _headWidth, _headWidth));
            }
        }
    }

    private static float[][] Arrays(int count, int length) => Enumerable.Range(0, count).Select(_ => new float[length]).ToArray();

    private static OrtValue Create(float[] buffer, int length, long[] shape) => Create(buffer, 0, length, shape);

    private static OrtValue Create<T>(T[] buffer, int start, int length, long[] shape)
        where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(start, length), shape);

    /// <summary>
    /// Quantizes the first <paramref name="batch"/> windows, as the encoder wrote them in the stacked layout
    /// ([layers, 1, positions, width] per window), into the compact slots ([layers][batch]).
    /// </summary>
    private void Quantize(int batch)
    {
        var layers = _info.TextLayers;
        for (var item = 0; item < batch; item++)
        {
            for (var layer = 0; layer < layers; layer++)
            {
                var source = ((item * layers) + layer) * CrossLength;
                var slot = (layer * batch) + item;
                CrossQuantizer.Keys(_crossK.AsSpan(source, CrossLength), _scale, _heads, _keyCodes.AsSpan(slot * CrossLength, CrossLength), _keyScales.AsSpan(slot * KeyScaleLength, KeyScaleLength), _keySums.AsSpan(slot * KeyScaleLength, KeyScaleLength));
                CrossQuantizer.Values(_crossV.AsSpan(source, CrossLength), _heads, _valueCodes.AsSpan(slot * CrossLength, CrossLength), _valueScales.AsSpan(slot * KeyScaleLength, KeyScaleLength));
            }
        }
    }

    /// <summary>Moves the first <paramref name="batch"/> windows' slots into the graph's order, split into heads and multiplied by <paramref name="scale"/>.</summary>
    private void LayOut(float[] buffer, int batch, float scale) =>
        CrossSlots.ToLayerOrder(buffer, batch, _info.TextLayers, CrossLength, _slotScratch, (source, target) => SplitHeads(source, target, scale));

    private void DisposeTargets()
    {
        _targetK?.Dispose();
        _targetV?.Dispose();
        _targetK = null;
        _targetV = null;
        foreach (var target in _targets)
        {
            target.Dispose();
        }

        _targets.Clear();
    }

    private void DisposeCallValues()
    {
        foreach (var value in _callValues)
        {
            value.Dispose();
        }

        _callValues.Clear();
        _stepInputs = [];
        _stepOutputs = [];
        _batch = 0;
        _length = 0;
    }

    private sealed class DisposableList : IDisposable
    {
        private readonly List<IDisposable> _items = [];

        public OrtValue Add(OrtValue value)
        {
            _items.Add(value);
            return value;
        }

        public void Dispose()
        {
            foreach (var item in _items)
            {
                item.Dispose();
            }
        }
    }
}
