using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// The per-worker half of a <see cref="WhisperModel"/>: every buffer one encoder pass and one greedy decoding
/// need, for a batch of windows, allocated once and reused. Not thread-safe; <see cref="WhisperModel"/> hands one
/// to each concurrent caller.
/// </summary>
/// <remarks>
/// The encoder writes the cross-attention keys and values straight into buffers that every decoder step reads as
/// they are. The self-attention caches are two preallocated pairs used in turn: step t reads one pair and writes
/// the other, so no cache is copied or allocated per token.
/// </remarks>
internal sealed class WhisperInference : IDisposable
{
    private const string MelInput = "mel";
    private const string CrossK = "n_layer_cross_k";
    private const string CrossV = "n_layer_cross_v";
    private const string TokensInput = "tokens";
    private const string SelfKIn = "in_n_layer_self_k_cache";
    private const string SelfVIn = "in_n_layer_self_v_cache";
    private const string OffsetInput = "offset";
    private const string LogitsOutput = "logits";
    private const string SelfKOut = "out_n_layer_self_k_cache";
    private const string SelfVOut = "out_n_layer_self_v_cache";

    private static readonly string[] EncoderInputs = [MelInput];
    private static readonly string[] EncoderOutputs = [CrossK, CrossV];
    /// <summary>The sherpa-layout decoder's inputs, in the order every call passes them.</summary>
    internal static readonly string[] DecoderInputs = [TokensInput, SelfKIn, SelfVIn, CrossK, CrossV, OffsetInput];

    /// <summary>The sherpa-layout decoder's outputs, in the order every call binds them.</summary>
    internal static readonly string[] DecoderOutputs = [LogitsOutput, SelfKOut, SelfVOut];

    private readonly InferenceSession _encoder;
    private readonly InferenceSession _decoder;
    private readonly WhisperModelInfo _info;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _offset = new long[1];
    private readonly OrtValue _offsetValue;
    private readonly Dictionary<int, BatchValues> _batchValues = [];

    private int _capacity;
    private float[] _mel = [];
    private float[] _crossK = [];
    private float[] _crossV = [];
    private float[][] _selfK = [[], []];
    private float[][] _selfV = [[], []];
    private float[] _stepLogits = [];
    private long[] _stepTokens = [];
    private float[] _scratch = [];
    private float[] _singleK = [];
    private float[] _singleV = [];
    private OrtValue? _singleCrossK;
    private OrtValue? _singleCrossV;
    private readonly FilledCacheDecoder? _filledCache;
    private readonly bool _splitEncoderOutputs;
    private readonly string[] _splitOutputNames;
    private TokenRules? _rules;
    private WindowDecodingOptions? _rulesOptions;
    private bool _disposed;

    /// <param name="encoder">The encoder session.</param>
    /// <param name="decoder">The decoder session: the sherpa layout, or the graph of <see cref="FilledCacheDecoderGraph"/>.</param>
    /// <param name="info">The model's dimensions and tokens.</param>
    /// <param name="filledCache">Whether <paramref name="decoder"/> is the rebuilt graph.</param>
    /// <param name="splitEncoderOutputs">Whether <paramref name="encoder"/> gives its keys and values per layer in the rebuilt decoder's layout (<see cref="EncoderGraph"/>; only with <paramref name="filledCache"/>).</param>
    public WhisperInference(InferenceSession encoder, InferenceSession decoder, WhisperModelInfo info, bool filledCache = false, bool splitEncoderOutputs = false)
    {
        _encoder = encoder;
        _decoder = decoder;
        _info = info;
        _filledCache = filledCache ? new FilledCacheDecoder(decoder, info) : null;
        _splitEncoderOutputs = filledCache && splitEncoderOutputs;
        _splitOutputNames = _splitEncoderOutputs
            ? [.. Enumerable.Range(0, info.TextLayers).Select(EncoderGraph.CrossKeys), .. Enumerable.Range(0, info.TextLayers).Select(EncoderGraph.CrossValues)]
            : [];
        _offsetValue = OrtValue.CreateTensorValueFromMemory(_offset, [1]);
    }

    private int FeatureLength => _info.MelBins * LogMelSpectrogram.FrameCount;

    private int CrossLength => _info.TextLayers * _info.AudioContext * _info.TextState;

    private int CacheLength => _info.TextLayers * _info.TextContext * _info.TextState;

    /// <summary>Makes room for batches of up to <paramref name="batch"/> windows.</summary>
    public void EnsureCapacity(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (batch <= _capacity)
        {
            return;
        }

        DisposeBatchValues();
        if ((batch > 1 || _filledCache is not null) && !_splitEncoderOutputs && _singleCrossK is null)
        {
            long[] shape = [_info.TextLayers, 1, _info.AudioContext, _info.TextState];
            _singleK = new float[CrossLength];
            _singleV = new float[CrossLength];
            _singleCrossK = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _singleK.AsMemory(), shape);
            _singleCrossV = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _singleV.AsMemory(), shape);
        }

        _capacity = batch;
        _mel = new float[batch * FeatureLength];
        if (_filledCache is null)
        {
            _crossK = new float[batch * CrossLength];
            _crossV = new float[batch * CrossLength];
            _selfK = [new float[batch * CacheLength], new float[batch * CacheLength]];
            _selfV = [new float[batch * CacheLength], new float[batch * CacheLength]];
        }
        else
        {
            _filledCache.EnsureCapacity(batch);
        }

        _stepLogits = new float[batch * _info.VocabularySize];
        _stepTokens = new long[batch];
    }

    /// <summary>Where the features of window <paramref name="index"/> of the next batch go.</summary>
    public Span<float> MelBuffer(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _capacity);
        return _mel.AsSpan(index * FeatureLength, FeatureLength);
    }

    /// <summary>Runs the encoder over the first <paramref name="batch"/> feature buffers.</summary>
    /// <remarks>
    /// A batch of one runs straight into the decoder's buffers. A larger batch is encoded one window at a time (the
    /// encoder gains nothing from batching on a CPU, and its activations would grow with the batch) and each
    /// window's keys and values are placed into the batch layout [layers, batch, positions, width]; only the
    /// decoder, whose per-step cost is dominated by reading its weights, runs the windows together.
    /// </remarks>
    public void Encode(int batch, TranscriptionStats? stats)
    {
        var values = ValuesFor(batch);
        if (batch == 1 && _filledCache is null)
        {
            var start = Stopwatch.GetTimestamp();
            _encoder.Run(_runOptions, EncoderInputs, [values.Mel], EncoderOutputs, [values.CrossK, values.CrossV]);
            stats?.AddEncoder(Stopwatch.GetTimestamp() - start);
            return;
        }

        var block = _info.AudioContext * _info.TextState;
        for (var item = 0; item < batch; item++)
        {
            using var mel = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mel.AsMemory(item * FeatureLength, FeatureLength), [1, _info.MelBins, LogMelSpectrogram.FrameCount]);
            var start = Stopwatch.GetTimestamp();
            if (_splitEncoderOutputs)
            {
                // Straight into the decoder's buffers for this window: no window-sized copy between the two.
                var slots = _filledCache!.CrossSlots(item);
                try
                {
                    _encoder.Run(_runOptions, EncoderInputs, [mel], _splitOutputNames, slots);
                }
                finally
                {
                    foreach (var slot in slots)
                    {
                        slot.Dispose();
                    }
                }

                stats?.AddEncoder(Stopwatch.GetTimestamp() - start);
                continue;
            }

            _encoder.Run(_runOptions, EncoderInputs, [mel], EncoderOutputs, [_singleCrossK!, _singleCrossV!]);
            stats?.AddEncoder(Stopwatch.GetTimestamp() - start);
            if (_filledCache is not null)
            {
                _filledCache.StoreCross(item, _singleK, _singleV);
                continue;
            }

            for (var layer = 0; layer < _info.TextLayers; layer++)
            {
                _singleK.AsSpan(layer * block, block).CopyTo(_crossK.AsSpan(((layer * batch) + item) * block, block));
                _singleV.AsSpan(layer * block, block).CopyTo(_crossV.AsSpan(((layer * batch) + item) * block, block));
            }
        }

    }

    /// <summary>The most likely language token of each encoded window: sot alone, then the best language logit.</summary>
    public int[] DetectLanguages(int batch, TranscriptionStats? stats, IReadOnlyCollection<int>? allowedTokens = null)
    {
        var candidates = allowedTokens is { Count: > 0 } ? _info.LanguageTokens.Where(allowedTokens.Contains).ToList() : _info.LanguageTokens;
        var probabilities = LanguageProbabilities(batch, stats, candidates);
        return probabilities.Select(p => candidates[IndexOfMax(p)]).ToArray();
    }

    /// <summary>
    /// For each encoded window, the probability of each of <paramref name="candidates"/> after sot alone (a softmax over
    /// the candidates' logits only, so the figures of a window add up to 1): one decoder step, no encoder pass.
    /// </summary>
    /// <param name="batch">Windows encoded by the last <see cref="Encode"/>.</param>
    /// <param name="stats">Receives the decoder time; null for none.</param>
    /// <param name="candidates">Language tokens to score, in the order of the result's columns.</param>
    public double[][] LanguageProbabilities(int batch, TranscriptionStats? stats, IReadOnlyList<int> candidates)
    {
        if (_info.LanguageTokens.Count == 0 || candidates.Count == 0)
        {
            throw new InvalidOperationException("The model has no language tokens, so it cannot detect a language.");
        }

        var values = ValuesFor(batch);
        Array.Fill(_stepTokens, _info.StartOfTranscript, 0, batch);
        var start = Stopwatch.GetTimestamp();
        _filledCache?.Begin(batch, 1);
        RunDecoder(values, values.StepTokens, 1, 0, values.StepLogits, 0);
        stats?.AddDecoder(Stopwatch.GetTimestamp() - start, 1, 0);

        var result = new double[batch][];
        for (var item = 0; item < batch; item++)
        {
            var logits = _stepLogits.AsSpan(item * _info.VocabularySize, _info.VocabularySize);
            var max = double.NegativeInfinity;
            foreach (var token in candidates)
            {
                max = Math.Max(max, logits[token]);
            }

            var row = new double[candidates.Count];
            var sum = 0.0;
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Math.Exp(logits[candidates[i]] - max);
                sum += row[i];
            }

            for (var i = 0; i < row.Length; i++)
            {
                row[i] /= sum;
            }

            result[item] = row;
        }

        return result;
    }

    /// <summary>The index of the largest value; the first wins a tie.</summary>
    private static int IndexOfMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Greedy decoding of the first <paramref name="prompts"/>.Count encoded windows, each after its prompt.</summary>
    /// <param name="prompts">One prompt per window; all of the same length, since the windows share the decoder's offset.</param>
    /// <param name="options">Token rules, budget and repetition guard.</param>
    /// <param name="maxNewTokens">Token budget per window (at most <see cref="WindowDecodingOptions.MaxNewTokens"/>); null: the options' budget for all.</param>
    /// <param name="observer">Sees window 0's raw logits at each step; null for none.</param>
    /// <param name="stats">Receives decoder time and counts; null for none.</param>
    /// <param name="cancellationToken">Checked before every decoder step.</param>
    public GreedyResult[] Decode(IReadOnlyList<IReadOnlyList<int>> prompts, WindowDecodingOptions options, IReadOnlyList<int>? maxNewTokens, StepLogitsObserver? observer, TranscriptionStats? stats, CancellationToken cancellationToken = default)
    {
        var batch = prompts.Count;
        var promptLength = prompts[0].Count;
        if (promptLength < 1 || prompts.Any(p => p.Count != promptLength))
        {
            throw new ArgumentException("Every prompt of a batch must have the same, non-zero length.", nameof(prompts));
        }

        if (promptLength >= _info.TextContext)
        {
            throw new ArgumentException($"A prompt of {promptLength} tokens leaves no room in the decoder context of {_info.TextContext}.", nameof(prompts));
        }

        var values = ValuesFor(batch);
        var vocabulary = _info.VocabularySize;
        var rules = RulesFor(options);
        if (_scratch.Length != vocabulary)
        {
            _scratch = new float[vocabulary];
        }

        var promptTokens = new long[batch * promptLength];
        for (var item = 0; item < batch; item++)
        {
            for (var i = 0; i < promptLength; i++)
            {
                promptTokens[(item * promptLength) + i] = prompts[item][i];
            }
        }

        var promptLogits = new float[batch * promptLength * vocabulary];
        var results = Enumerable.Range(0, batch).Select(item => new GreedyResult(Math.Min(options.MaxNewTokens, maxNewTokens?[item] ?? options.MaxNewTokens))).ToArray();
        var active = batch;
        var calls = 0;
        var picked = 0;
        var ping = 0;
        var start = Stopwatch.GetTimestamp();

        using (var promptTokenValue = OrtValue.CreateTensorValueFromMemory(promptTokens, [batch, promptLength]))
        using (var promptLogitValue = OrtValue.CreateTensorValueFromMemory(promptLogits, [batch, promptLength, vocabulary]))
        {
            _filledCache?.Begin(batch, promptLength + results.Max(r => r.Budget));
            RunDecoder(values, promptTokenValue, promptLength, 0, promptLogitValue, ping);
            calls++;
            ping = 1 - ping;
        }

        for (var item = 0; item < batch; item++)
        {
            var position = 0;
            while (position < promptLength - 1 && prompts[item][position] != _info.StartOfTranscript)
            {
                position++;
            }

            results[item].NoSpeechProbability = Probability(promptLogits.AsSpan(((item * promptLength) + position) * vocabulary, vocabulary), _info.NoSpeech);
        }

        long offset = promptLength;
        for (var step = 0; ; step++)
        {
            for (var item = 0; item < batch; item++)
            {
                var result = results[item];
                if (result.Stop is not null)
                {
                    _stepTokens[item] = _info.EndOfText;
                    continue;
                }

                var logits = step == 0
                    ? promptLogits.AsSpan((((item * promptLength) + promptLength - 1) * vocabulary), vocabulary)
                    : _stepLogits.AsSpan(item * vocabulary, vocabulary);
                if (item == 0)
                {
                    observer?.Invoke(step, logits);
                }

                var filtered = _scratch.AsSpan();
                logits.CopyTo(filtered);
                rules.Apply(filtered, result.Tokens);
                var token = ArgMax(filtered[..rules.ChoiceLimit]);
                picked++;
                result.StepMaxLogits.Add(logits[token]);
                var logProbability = filtered[token] - TokenRules.LogSumExp(filtered);
                result.StepLogProbabilities.Add(logProbability);
                result.SumLogProbability += logProbability;
                if (token == _info.EndOfText)
                {
                    result.Stop = DecodingStop.EndOfText;
                }
                else
                {
                    result.Tokens.Add(token);
                    if (options.RepetitionGuard)
                    {
                        var loop = RepetitionGuard.LoopStart(result.Tokens, options.MaxTokenRepeats, options.MaxSequenceRepeats, options.MaxSequenceLength, options.MinLoopTokens);
                        if (loop >= 0)
                        {
                            result.Tokens.RemoveRange(loop, result.Tokens.Count - loop);
                            result.Stop = DecodingStop.RepetitionLoop;
                        }
                    }

                    if (result.Stop is null && result.Tokens.Count >= result.Budget)
                    {
                        result.Stop = DecodingStop.MaxTokens;
                    }
                    else if (result.Stop is null && offset >= _info.TextContext)
                    {
                        result.Stop = DecodingStop.ContextFull;
                    }
                }

                if (result.Stop is not null)
                {
                    active--;
                }

                _stepTokens[item] = token;
            }

            if (active == 0)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();

            RunDecoder(values, values.StepTokens, 1, offset, values.StepLogits, ping);
            calls++;
            ping = 1 - ping;
            offset++;
        }

        stats?.AddDecoder(Stopwatch.GetTimestamp() - start, calls, picked);
        return results;
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
        _filledCache?.Dispose();
        _offsetValue.Dispose();
        _runOptions.Dispose();
    }

    private void RunDecoder(BatchValues values, OrtValue tokens, int count, long offset, OrtValue logits, int ping)
    {
        if (_filledCache is not null)
        {
            _filledCache.Run(tokens, count, offset, logits);
            return;
        }

        _offset[0] = offset;
        var pong = 1 - ping;
        _decoder.Run(
            _runOptions,
            DecoderInputs,
            [tokens, values.SelfK![ping], values.SelfV![ping], values.CrossK!, values.CrossV!, _offsetValue],
            DecoderOutputs,
            [logits, values.SelfK[pong], values.SelfV[pong]]);
    }

    private TokenRules RulesFor(WindowDecodingOptions options)
    {
        if (_rules is null || !ReferenceEquals(_rulesOptions, options))
        {
            _rules = new TokenRules(_info, options);
            _rulesOptions = options;
        }

        return _rules;
    }

    /// <summary>softmax(<paramref name="logits"/>)[<paramref name="token"/>], in double precision.</summary>
    private static double Probability(ReadOnlySpan<float> logits, int token) => Math.Exp(logits[token] - TokenRules.LogSumExp(logits));

    /// <summary>The id with the largest value; the first wins a tie.</summary>
    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        var bestValue = logits[0];
        for (var id = 1; id < logits.Length; id++)
        {
            if (logits[id] > bestValue)
            {
                best = id;
                bestValue = logits[id];
            }
        }

        return best;
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
    }

    /// <summary>The per-window result of <see cref="Decode"/>.</summary>
    internal sealed class GreedyResult(int budget)
    {
        /// <summary>Most tokens this window may produce.</summary>
        public int Budget { get; } = budget;

        /// <summary>Sampled tokens after the prompt (timestamps included), end-of-text excluded.</summary>
        public List<int> Tokens { get; } = [];

        /// <summary>Raw logit of the token picked at each step (end-of-text included).</summary>
        public List<float> StepMaxLogits { get; } = [];

        /// <summary>Log-probability of the token picked at each step, after the token rules (end-of-text included).</summary>
        public List<double> StepLogProbabilities { get; } = [];

        /// <summary>Sum of <see cref="StepLogProbabilities"/> (openai's <c>sum_logprob</c>).</summary>
        public double SumLogProbability { get; set; }

        /// <summary>Probability of the no-speech token at the sot position (openai's <c>no_speech_prob</c>).</summary>
        public double NoSpeechProbability { get; set; }

        /// <summary><see cref="SumLogProbability"/> / (tokens + 1), as openai computes <c>avg_logprob</c>.</summary>
        public double AverageLogProbability => SumLogProbability / (Tokens.Count + 1);

        public DecodingStop? Stop { get; set; }
    }

    /// <summary>ONNX Runtime views of the shared buffers with the shapes of one batch size.</summary>
    private sealed class BatchValues : IDisposable
    {
        public BatchValues(WhisperInference owner, int batch)
        {
            var info = owner._info;
            long[] cross = [info.TextLayers, batch, info.AudioContext, info.TextState];
            long[] cache = [info.TextLayers, batch, info.TextContext, info.TextState];
            Mel = Create(owner._mel, owner.FeatureLength * batch, [batch, info.MelBins, LogMelSpectrogram.FrameCount]);
            if (owner._filledCache is null)
            {
                CrossK = Create(owner._crossK, owner.CrossLength * batch, cross);
                CrossV = Create(owner._crossV, owner.CrossLength * batch, cross);
                SelfK = [Create(owner._selfK[0], owner.CacheLength * batch, cache), Create(owner._selfK[1], owner.CacheLength * batch, cache)];
                SelfV = [Create(owner._selfV[0], owner.CacheLength * batch, cache), Create(owner._selfV[1], owner.CacheLength * batch, cache)];
            }

            StepLogits = Create(owner._stepLogits, info.VocabularySize * batch, [batch, 1, info.VocabularySize]);
            StepTokens = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, owner._stepTokens.AsMemory(0, batch), [batch, 1]);
        }

        public OrtValue Mel { get; }

        /// <summary>The encoder's keys for the sherpa-layout decoder; null with the rebuilt one.</summary>
        public OrtValue? CrossK { get; }

        public OrtValue? CrossV { get; }

        public OrtValue[]? SelfK { get; }

        public OrtValue[]? SelfV { get; }

        public OrtValue StepLogits { get; }

        public OrtValue StepTokens { get; }

        public void Dispose()
        {
            Mel.Dispose();
            CrossK?.Dispose();
            CrossV?.Dispose();
            foreach (var value in (SelfK ?? []).Concat(SelfV ?? []))
            {
                value.Dispose();
            }

            StepLogits.Dispose();
            StepTokens.Dispose();
        }

        private static OrtValue Create(float[] buffer, int length, long[] shape) =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), shape);
    }
}
