namespace QualityScan.Speech.Tests.Transcription.Ggml;

/// <summary>
/// Rewrites a float32 ggml Whisper file as whisper.cpp's f16 conversion stores it (convert-pt-to-ggml.py without
/// use-f32: header ftype 1; tensors of two or more dimensions in f16, except the positional embeddings and the convolution biases), so that a
/// whisper.cpp that cannot run f32 convolution kernels can load the same weights, rounded to f16.
/// </summary>
internal static class GgmlF16Conversion
{
    public static void Convert(string source, string destination, long tensorsOffset)
    {
        using var input = new BinaryReader(File.OpenRead(source));
        using var output = new BinaryWriter(File.Create(destination));
        var head = input.ReadBytes((int)tensorsOffset);
        BitConverter.GetBytes(1).CopyTo(head, 4 + (10 * 4));
        output.Write(head);
        while (input.BaseStream.Position < input.BaseStream.Length)
        {
            var dims = input.ReadInt32();
            var nameLength = input.ReadInt32();
            var type = input.ReadInt32();
            var shape = new int[dims];
            long elements = 1;
            for (var d = 0; d < dims; d++)
            {
                shape[d] = input.ReadInt32();
                elements *= shape[d];
            }

            var name = input.ReadBytes(nameLength);
            var text = System.Text.Encoding.UTF8.GetString(name);
            var toHalf = type == 0 && dims >= 2 && !text.EndsWith("positional_embedding", StringComparison.Ordinal) && text is not ("encoder.conv1.bias" or "encoder.conv2.bias");
            output.Write(dims);
            output.Write(nameLength);
            output.Write(toHalf ? 1 : type);
            foreach (var size in shape)
            {
                output.Write(size);
            }

            output.Write(name);
            if (toHalf)
            {
                for (long i = 0; i < elements; i++)
                {
                    output.Write((Half)input.ReadSingle());
                }
            }
            else
            {
                output.Write(input.ReadBytes((int)(elements * (type == 0 ? 4 : 2))));
            }
        }
    }
}
