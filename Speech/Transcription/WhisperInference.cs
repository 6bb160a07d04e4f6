using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// The per-worker half of a <see cref="WhisperModel"/>: the encoder pass, the features and logits buffers, the token
/// rules and the greedy loop for a batch of windows, allocated once and reused; the decoder runs through the
/// <see cref="IDecoderBackend"/> chosen at load. Not thread-safe; <see cref="WhisperModel"/> hands one to each
/// concurrent caller.
/// </summary>
/// <remarks>
/// The encoder runs one window at a time (it gains nothing from batching on a CPU, and its activations would grow
/// with the batch) and writes each window's cross-attention keys and values where the backend asks; only the
/// decoder, whose per-step cost is dominated by reading its weights, runs the windows together.
/// </remarks>
internal sealed class WhisperInference : IDisposable
{
    /// <summary>The encoder's input, [n_audio, mel bins, frames].</summary>
    internal const string MelInput = "mel";

    /// <summary>The encoder's cross-attention keys, [layers, n_audio, audio positions, width].</summary>
    internal const string CrossKOutput = "n_layer_cross_k";

    /// <summary>The encoder's cross-attention values, like <see cref="CrossKOutput"/>.</summary>
    internal const string CrossVOutput = "n_layer_cross_v";

    private static readonly string[] EncoderInputs = [MelInput];

    private readonly InferenceSession _encoder;
    private readonly WhisperModelInfo _info;
    private readonly IDecoderBackend _decoder;
    private readonly RunOptions _runOptions = new();
    private readonly Dictionary<int, BatchValues> _batchValues = [];

    private int _capacity;
    private float[] _mel = [];
    private float[] _stepLogits = [];
    private long[] _stepTokens = [];
    private float[] _scratch = [];
    private TokenRules? _rules;
    private WindowDecodingOptions? _rulesOptions;
    private bool _disposed;

    /// <param name="encoder">The encoder session.</param>
    /// <param name="decoder">The decoder backend; disposed with this.</param>
    /// <param name="info">The model's dimensions and tokens.</param>
    public WhisperInference(InferenceSession encoder, IDecoderBackend decoder, WhisperModelInfo info)
    {
        _encoder = encoder;
        _decoder = decoder;
        _info = info;
    }

    private int FeatureLength => _info.MelBins * LogMelSpectrogram.FrameCount;

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
        _capacity = batch;
        _mel = new float[batch * FeatureLength];
        _decoder.EnsureCapacity(batch);
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

    /// <summary>Runs the encoder over the first <paramref name="batch"/> feature buffers, one window at a time.</summary>
    public void Encode(int batch, TranscriptionStats? stats)
    {
        ValuesFor(batch);
        _decoder.ReleaseCache();
        for (var item = 0; item < batch; item++)
        {
            using var mel = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mel.AsMemory(item * FeatureLength, FeatureLength), [1, _info.MelBins, LogMelSpectrogram.FrameCount]);
            var targets = _decoder.CrossTarget(item, batch);
            var start = Stopwatch.GetTimestamp();
            _encoder.Run(_runOptions, EncoderInputs, [mel], _decoder.CrossOutputs, targets);
            stats?.AddEncoder(Stopwatch.GetTimestamp() - start);
            _decoder.StoreCross(item, batch);
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
        _decoder.Begin(batch, 1);
        _decoder.Run(values.StepTokens, 1, 0, values.StepLogits);
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
        var start = Stopwatch.GetTimestamp();

        using (var promptTokenValue = OrtValue.CreateTensorValueFromMemory(promptTokens, [batch, promptLength]))
        using (var promptLogitValue = OrtValue.CreateTensorValueFromMemory(promptLogits, [batch, promptLength, vocabulary]))
        {
            _decoder.Begin(batch, promptLength + results.Max(r => r.Budget));
            _decoder.Run(promptTokenValue, promptLength, 0, promptLogitValue);
            calls++;
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

            _decoder.Run(values.StepTokens, 1, offset, values.StepLogits);
            calls++;
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
        _decoder.Dispose();
        _runOptions.Dispose();
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

    /// <summary>ONNX Runtime views of the step buffers with the shapes of one batch size.</summary>
    private sealed class BatchValues : IDisposable
    {
        public BatchValues(WhisperInference owner, int batch)
        {
            StepLogits = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, owner._stepLogits.AsMemory(0, owner._info.VocabularySize * batch), [batch, 1, owner._info.VocabularySize]);
            StepTokens = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, owner._stepTokens.AsMemory(0, batch), [batch, 1]);
        }

        public OrtValue StepLogits { get; }

        public OrtValue StepTokens { get; }

        public void Dispose()
        {
            StepLogits.Dispose();
            StepTokens.Dispose();
        }
    }
}
