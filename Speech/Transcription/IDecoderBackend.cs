using Microsoft.ML.OnnxRuntime;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// One way of running the Whisper decoder for a batch of windows, chosen once at load: the sherpa-onnx graph as
/// exported (<see cref="SherpaDecoder"/>) or the rebuilt filled-cache graph (<see cref="FilledCacheDecoder"/>).
/// <see cref="WhisperInference"/> runs the encoder, the token rules and the greedy loop and calls only this.
/// </summary>
/// <remarks>
/// The order of a decoding: <see cref="EnsureCapacity"/>; per window, the encoder writes into
/// <see cref="CrossTarget"/> and <see cref="StoreCross"/> takes it into the window's slot; <see cref="Begin"/>; then
/// <see cref="Run"/> for the prompt and once per step. Not thread-safe: one per <see cref="WhisperInference"/>.
/// </remarks>
internal interface IDecoderBackend : IDisposable
{
    /// <summary>Makes room for batches of up to <paramref name="batch"/> windows.</summary>
    void EnsureCapacity(int batch);

    /// <summary>
    /// The encoder outputs this backend takes, in the order of <see cref="CrossTarget"/>: the sherpa layout's keys and
    /// values of all layers ([layers, 1, audio positions, width] each), or, from an encoder <see cref="EncoderGraph"/>
    /// rewrote for the rebuilt decoder, every layer's keys then every layer's values, already in the decoder's layout.
    /// </summary>
    IReadOnlyList<string> CrossOutputs { get; }

    /// <summary>
    /// Where the encoder writes window <paramref name="item"/>'s <see cref="CrossOutputs"/> for a batch of
    /// <paramref name="batch"/>; valid until the next call.
    /// </summary>
    IReadOnlyList<OrtValue> CrossTarget(int item, int batch);

    /// <summary>
    /// Takes what the encoder wrote into <see cref="CrossTarget"/> into window <paramref name="item"/>'s slot. The
    /// windows of a batch are stored in order, 0 first; a backend may lay the batch out when the last one comes.
    /// </summary>
    void StoreCross(int item, int batch);

    /// <summary>
    /// Gives back the self-attention cache of the last decoding before the encoder runs again (its activations and the
    /// cache would otherwise be resident together); <see cref="Begin"/> makes it anew. Default: nothing to give back.
    /// </summary>
    void ReleaseCache()
    {
    }

    /// <summary>Starts a decoding of the first <paramref name="batch"/> stored windows that may fill <paramref name="length"/> positions.</summary>
    void Begin(int batch, int length);

    /// <summary>
    /// Feeds <paramref name="tokens"/> ([batch, <paramref name="count"/>]) at positions <paramref name="offset"/>..
    /// and writes their logits ([batch, count, vocabulary]) into <paramref name="logits"/>; their keys and values
    /// join the self-attention cache.
    /// </summary>
    void Run(OrtValue tokens, int count, long offset, OrtValue logits);
}
