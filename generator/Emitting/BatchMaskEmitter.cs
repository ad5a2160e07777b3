using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// PredictBatch's part of masking (Masking, Embedding mask_zero): which sequences of a block are masked at a
    /// timestep, and keeping their recurrent state rows unchanged across a step that computes all rows.
    /// </summary>
    internal static class BatchMaskEmitter
    {
        /// <summary>Emits <c>MaskRows</c> and <c>KeepMaskedRows</c>, the generated helpers the masked steps call.</summary>
        public static void EmitHelpers(IndentedWriter w, ModelSpec model)
        {
            w.Line("/// <summary>PredictBatch: which sequences of the block are masked at input timestep t; true when any is.</summary>");
            using (w.Method($"private static bool MaskRows(ReadOnlySpan<{model.InputType}> inputs, int b0, int rows, int sequenceLength, int t, Span<bool> masked)"))
            {
                w.Line("bool any = false;");
                using (w.Block("for (int r = 0; r < rows; r++)"))
                {
                    w.Line("masked[r] = Masked(inputs.Slice((b0 + r) * sequenceLength, sequenceLength), t);");
                    w.Line("any |= masked[r];");
                }
                w.Line("return any;");
            }
            w.Line();
            w.Line("/// <summary>PredictBatch: copies the state rows of the masked sequences into <paramref name=\"kept\"/>, or with <paramref name=\"restore\"/> back.</summary>");
            using (w.Block("private static void KeepMaskedRows(Span<float> state, int units, Span<float> kept, ReadOnlySpan<bool> masked, int rows, bool restore)"))
            {
                using (w.Block("for (int r = 0; r < rows; r++)"))
                {
                    w.Line("if (!masked[r]) continue;");
                    w.Line("Span<float> row = state.Slice(r * units, units), copy = kept.Slice(r * units, units);");
                    w.Line("if (restore) copy.CopyTo(row); else row.CopyTo(copy);");
                }
            }
            w.Line();
        }

        /// <summary>Copies the masked sequences' h (and c) rows of layer <paramref name="label"/> into (or back from) keptH / keptC.</summary>
        public static void EmitKeep(IndentedWriter w, string label, RecurrentLayerSpec layer, bool restore)
        {
            string units = IntLiteral.Format(layer.Units), how = restore ? "true" : "false";
            string c = layer is LstmLayerSpec ? $" KeepMaskedRows(c{label}, {units}, keptC, masked, rows, restore: {how});" : string.Empty;
            w.Line($"if (anyMasked) {{ KeepMaskedRows(h{label}, {units}, keptH, masked, rows, restore: {how});{c} }}");
        }
    }
}
