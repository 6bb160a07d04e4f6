namespace QualityScan.Speech.Transcription;

/// <summary>Which of a model folder's encoder/decoder pairs to load.</summary>
public enum WhisperPrecision
{
    /// <summary><c>encoder.int8.onnx</c> + <c>decoder.int8.onnx</c>: weights quantized to int8, about 3× smaller and faster on CPU.</summary>
    Int8,

    /// <summary><c>encoder.onnx</c> + <c>decoder.onnx</c>: the float32 reference weights.</summary>
    Float32,
}
