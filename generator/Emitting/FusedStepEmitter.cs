using System.Globalization;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// <c>Layer{n}Fused</c>: one timestep of a small LSTM (16 or 32 units, so one row of its matrices is at most 128
    /// floats: 8 Vector512) in one pass, for <c>Step</c>. Predict computes x·W + b for a block of timesteps and stores
    /// it, then adds h·U per timestep and applies the cell in a pass of its own; with one timestep there is nothing to
    /// share, so this keeps the whole gate row in registers from the bias through x·W and h·U to the cell. The sums
    /// are the same operations in the same order (the bias, then each input, then each unit of h, as fused
    /// multiply-adds), so every output equals Predict's bit for bit. Wider layers read rows over several panels;
    /// a pass that keeps a block of units' four gates in registers reads them scattered and was slower, so they
    /// keep Project and Step.
    /// </summary>
    internal static class FusedStepEmitter
    {
        /// <summary>Whether the layer gets the fused form: optimized builds, a bias, 16 or 32 units, vectorized activations.</summary>
        public static bool Applies(IndentedWriter w, LstmLayerSpec l)
            => !w.DebugBuild && l.Bias is not null && (l.Units == 16 || l.Units == 32)
               && RegisterStages.Vectorized(l.Activation) && RegisterStages.Vectorized(l.RecurrentActivation);

        public static void Emit(IndentedWriter w, string number, LstmLayerSpec l)
        {
            int u = l.Units, gates = 4 * u, vectors = gates / 16, perGate = u / 16;
            string activations = $"{ActivationEmitter.TypeName(l.RecurrentActivation)}, {ActivationEmitter.TypeName(l.Activation)}";
            w.Line($"/// <summary>Layer {number}, one timestep in one pass on Vector512: the {gates} gates stay in registers from b through x·W and h·U to the cell; h is written through <paramref name=\"scratch\"/> after the products have read the old h.</summary>");
            w.Line($"/// <remarks>The same sums in the same order as <see cref=\"Layer{number}Project\"/> then <see cref=\"Layer{number}Step\"/>, which run where Vector512 is not accelerated.</remarks>");
            using (w.Method($"private static void Layer{number}Fused(ReadOnlySpan<float> x, Span<float> h, Span<float> c, Span<float> scratch)"))
            {
                using (w.Block("if (!Vector512.IsHardwareAccelerated)"))
                {
                    w.Line($"Layer{number}Project(x, 1, scratch);");
                    w.Line($"Layer{number}Step(scratch, h, c);");
                    w.Line("return;");
                }
                w.Line($"x = x.Slice(0, {l.InputSize});");
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"c = c.Slice(0, {u});");
                w.Line($"Span<float> next = scratch.Slice(0, {u});");
                w.Line($"ref float bias = ref MemoryMarshal.GetReference(Layer{number}Bias);");
                for (int v = 0; v < vectors; v++)
                {
                    w.Line($"Vector512<float> acc{v} = Vector512.LoadUnsafe(ref bias, {v * 16});");
                }
                EmitProduct(w, "x", $"Layer{number}Kernel", l.InputSize, gates, vectors);
                EmitProduct(w, "h", $"Layer{number}RecurrentKernel", u, gates, vectors);
                w.Line($"// Gates i, f, c, o are {perGate} vector{(perGate == 1 ? "" : "s")} each; the cell per block of 16 units.");
                for (int b = 0; b < perGate; b++)
                {
                    string at = (b * 16).ToString(CultureInfo.InvariantCulture);
                    w.Line($"LstmCell.UpdateGates<{activations}>(acc{b}, acc{perGate + b}, acc{2 * perGate + b}, acc{3 * perGate + b}, ref Unsafe.Add(ref MemoryMarshal.GetReference(c), {at}), ref Unsafe.Add(ref MemoryMarshal.GetReference(next), {at}));");
                }
                w.Line("next.CopyTo(h);");
            }
            w.Line();
        }

        private static void EmitProduct(IndentedWriter w, string row, string matrix, int rows, int gates, int vectors)
        {
            w.Line($"// Gates += {row}·{(row == "x" ? "W" : "U")}, row by row ({rows} rows of {gates}).");
            using (w.Block())
            {
                w.Line($"ref float values = ref MemoryMarshal.GetReference({row});");
                w.Line($"ref float weights = ref MemoryMarshal.GetReference({matrix});");
                using (w.Block($"for (nuint k = 0; k < {rows}; k++)"))
                {
                    w.Line("Vector512<float> value = Vector512.Create(Unsafe.Add(ref values, k));");
                    w.Line($"ref float weightRow = ref Unsafe.Add(ref weights, k * {gates});");
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"acc{v} = FusedMultiplyAdd.Compute(value, Vector512.LoadUnsafe(ref weightRow, {v * 16}), acc{v});");
                    }
                }
            }
        }
    }
}
