namespace QualityScan.Speech.Transcription;

/// <summary>How <see cref="WhisperModel.Load"/> opens a model.</summary>
/// <remarks>
/// Defaults: <see cref="WhisperPrecision.Int8"/>, one worker, intra-op threads = processor count / workers
/// (at least 1).
/// </remarks>
public sealed record WhisperModelOptions
{
    /// <summary>Which encoder/decoder pair to load. Default <see cref="WhisperPrecision.Int8"/>.</summary>
    public WhisperPrecision Precision { get; init; } = WhisperPrecision.Int8;

    /// <summary>
    /// How many workers will run inference on the model at the same time. Only used to divide the processor
    /// among them when <see cref="IntraOpThreads"/> is not set. Default 1.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// Threads ONNX Runtime may use inside one inference call. Default null: processor count / <see cref="Workers"/>,
    /// at least 1.
    /// </summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>
    /// Let ONNX Runtime's intra-op threads spin while waiting for work. Spinning shaves latency on an idle machine but
    /// burns processor time that other workers sharing the cores could use. Default false.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>
    /// Rebuild the decoder at load into the graph of <see cref="FilledCacheDecoderGraph"/> (cache kept in place,
    /// cross-attention laid out once per window) when its parts are recognised and its logits agree with the
    /// original's on a probe; otherwise the original graph runs. Default true.
    /// </summary>
    public bool RebuildDecoder { get; init; } = true;

    /// <summary>
    /// Whether the rebuilt decoder holds the cross-attention keys and values in the compact int8 layout
    /// (<see cref="FilledCacheDecoderGraph"/>); null (the default): for int8 models. Set for tests that hold the
    /// layout to a float model's reference vectors; a load with it set keeps nothing in the decoder cache.
    /// </summary>
    internal bool? CompactCrossAttention { get; init; }

    /// <summary>
    /// Folder where the rebuilt decoder graph and its probe's verdict are kept (<see cref="DecoderGraphCache"/>), so the
    /// next load of the same decoder opens one session and skips the rebuild and the probe (whisper-small: about 300 MB
    /// on disk per decoder). A folder the run may write to, never the model's own (it may be read-only or shared).
    /// Default null: rebuild and probe at every load, writing nothing.
    /// </summary>
    public string? DecoderCacheFolder { get; init; }

    /// <summary>The thread count these options resolve to.</summary>
    public int ResolvedIntraOpThreads => IntraOpThreads ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, Workers));

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Unknown precision.");
        }

        if (Workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "At least one worker.");
        }

        if (IntraOpThreads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "At least one thread, or null for the default.");
        }
    }
}
