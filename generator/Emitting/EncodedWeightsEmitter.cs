using System;
using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits the tensors that did not fit the model's share of string constants (<see cref="WeightStorage"/>):
    /// each as base64 in a UTF-8 literal, which the compiler stores as constant data outside the string heap,
    /// decoded once, on first use, straight into the model's aligned block (<see cref="AlignedWeightsEmitter"/>),
    /// so that the weights of the largest models are not held twice.
    /// </summary>
    internal static class EncodedWeightsEmitter
    {
        public const string ClassName = "EncodedWeights";

        public static void Emit(IndentedWriter w)
        {
            if (w.Weights.Encoded.Count == 0) return;
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Weights past this model's share of the assembly's string constants (16 MB for all models and strings");
            w.Line("/// of an assembly): base64 in UTF-8 literals, which are constant data, decoded once into the aligned block.");
            w.Line("/// </summary>");
            using (w.Block($"private static class {ClassName}"))
            {
                foreach (KeyValuePair<string, IReadOnlyList<float>> tensor in w.Weights.Encoded)
                {
                    w.Line($"internal static void Decode{tensor.Key}(Span<float> destination) => Decode(\"{Base64(tensor.Value)}\"u8, destination);");
                    w.Line();
                }
                // The floats' bytes in memory order; every .NET 8 target is little-endian, as for the string form.
                using (w.Block("private static void Decode(ReadOnlySpan<byte> base64, Span<float> destination)"))
                {
                    w.Line("OperationStatus status = System.Buffers.Text.Base64.DecodeFromUtf8(base64, MemoryMarshal.AsBytes(destination), out _, out int written);");
                    w.Line("if (status != OperationStatus.Done || written != destination.Length * sizeof(float))");
                    w.Line("    throw new InvalidOperationException(\"LstmGen: the generated weights are damaged; rebuild the project.\");");
                }
            }
        }

        private static string Base64(IReadOnlyList<float> values)
        {
            var bytes = new byte[values.Count * 4];
            for (int i = 0; i < values.Count; i++)
            {
                int bits = WeightsEmitter.FloatBits(values[i]);
                bytes[4 * i] = (byte)bits;
                bytes[4 * i + 1] = (byte)(bits >> 8);
                bytes[4 * i + 2] = (byte)(bits >> 16);
                bytes[4 * i + 3] = (byte)(bits >> 24);
            }
            return Convert.ToBase64String(bytes);
        }
    }
}
