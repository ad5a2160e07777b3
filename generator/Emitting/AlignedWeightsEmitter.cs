using System.Globalization;
using System.Linq;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits the block the kernels read their weights from: every tensor of the file (<see cref="WeightStorage.Aligned"/>)
    /// copied once, on first use, from its constant <c>{Name}Source</c> (or decoded from base64,
    /// <see cref="EncodedWeightsEmitter"/>) into one pinned array, each at a 64-byte
    /// boundary (LstmGen.Runtime.WeightBlock). Constants in an assembly are only 4-byte aligned, so a vector load
    /// of a weight row read from them nearly always straddles two cache lines.
    /// </summary>
    internal static class AlignedWeightsEmitter
    {
        public const string ClassName = "AlignedWeights";

        public static void Emit(IndentedWriter w)
        {
            if (w.Weights.Aligned.Count == 0) return;
            string total = w.Weights.AlignedFloats.ToString(CultureInfo.InvariantCulture);
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Every weight tensor above, copied once into one pinned block with each tensor at a 64-byte boundary, so");
            w.Line("/// that a vector load of a row never straddles two cache lines (the constants are only 4-byte aligned).");
            w.Line("/// </summary>");
            using (w.Block($"private static class {ClassName}"))
            {
                w.Line("private static readonly float[] s_block = Copy();");
                w.Line("private static readonly int s_start = WeightBlock.AlignedStart(s_block);");
                w.Line();
                w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                w.Line("internal static ReadOnlySpan<float> Slice(int offset, int length)");
                w.Line("    => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_block), s_start + offset), length);");
                w.Line();
                using (w.Block("private static float[] Copy()"))
                {
                    w.Line($"float[] block = WeightBlock.Allocate({total});");
                    w.Line($"Span<float> values = block.AsSpan(WeightBlock.AlignedStart(block), {total});");
                    // Optimized code reads panels of 128 columns where Vector512 runs, else of 64 (PanelLayout.NarrowWidth).
                    bool split = !w.DebugBuild && w.Weights.Aligned.Any(t => t.Panels.Count > 0);
                    if (split) w.Line("bool split = !global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;");
                    foreach (AlignedTensor tensor in w.Weights.Aligned)
                    {
                        string place = $"values.Slice({Format(tensor.Offset)}, {Format(tensor.Length)})";
                        w.Line(tensor.Encoded
                            ? $"{EncodedWeightsEmitter.ClassName}.Decode{tensor.Name}Source({place});"
                            : $"{tensor.Name}Source.CopyTo({place});");
                        if (!split) continue;
                        foreach (PanelMatrix matrix in tensor.Panels)
                        {
                            w.Line($"if (split) WeightBlock.SplitPanels(values.Slice({Format(tensor.Offset + matrix.Offset)}, {Format(matrix.Rows * matrix.Columns)}), {Format(matrix.Rows)}, {Format(matrix.Columns)}, {PanelLayout.Width}, {PanelLayout.NarrowWidth});");
                        }
                    }
                    w.Line("return block;");
                }
            }
        }

        private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
