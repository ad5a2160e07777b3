using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The packed rounds on Vector256, for CPUs without AVX-512: the same packed weights (32 lanes per gate) read
    /// as eight-lane vectors, so S's three LSTM(10) take four vectors per gate (20 activations and 320 multiply-adds
    /// a round) instead of two mostly padded vectors per gate and layer (30 and 480). AVX2 has no two-register
    /// permute and only 16 registers, so a row's inputs are not gathered from a pool in registers: the pool
    /// [h of every layer | x | 0] lives in stack memory, and each row broadcasts one input per layer (a vector's lanes
    /// belong to at most two layers, joined by a constant blend). The gates run in halves of two vectors each (eight
    /// accumulators), each half's cells right after its products, writing the new h beside the old one, which the
    /// other half's products still read. Every lane does the operations of its own layer's cell in the same order
    /// (bias, x·W row by row, h·U row by row, -0 times the zero input past its rows, then the same cell), so the bits
    /// are those of every other path.
    /// </summary>
    internal static partial class PackedRoundEmitter
    {
        private const int Lanes256 = 8;

        /// <summary>Floats of the Vector256 rounds' pool: the packed h, x of one step, one zero.</summary>
        private static int PoolLength256(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => GateVectors(lstms) * Lanes + lstms[0].Layer.InputSize + 1;

        /// <summary>Eight-lane vectors per gate: the units' (the packed weights' padding to 16 lanes may leave a last vector of padding only, which is skipped).</summary>
        private static int Vectors256(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => (Units(lstms) + Lanes256 - 1) / Lanes256;

        /// <summary>Methods a round is split into, two vectors of each gate per method.</summary>
        private static int Halves256(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => (Vectors256(lstms) + 1) / 2;

        /// <summary>The layer each lane of an eight-lane vector takes its input from; padding lanes take their vector's last layer (their weights are -0).</summary>
        private static int[] LanesLayers256(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms, int vector)
        {
            int units = Units(lstms);
            var layers = new int[Lanes256];
            for (int l = 0; l < Lanes256; l++)
            {
                int lane = vector * Lanes256 + l;
                layers[l] = lane < units ? LayerOf(lstms, lane) : l == 0 ? lstms.Count - 1 : layers[l - 1];
            }
            return layers;
        }

        /// <summary>Stage <paramref name="number"/>'s rounds on Vector256 (see the class summary); the same parameters as the Vector512 rounds.</summary>
        public static void EmitRounds256(IndentedWriter w, int number, IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms, bool hasSink)
        {
            int width = GateVectors(lstms) * Lanes, vectors = Vectors256(lstms);
            int features = lstms[0].Layer.InputSize, lag = lstms.Count - 1, poolLength = PoolLength256(lstms);

            w.Line("/// <summary>");
            w.Line($"/// Stage {number} on Vector256 with the layers' units side by side, as <c>Stage{number}Packed512</c>: {vectors} vector{(vectors == 1 ? string.Empty : "s")} per gate, in halves of up to two (a method each).");
            w.Line($"/// Each row broadcasts every layer's input from the pool [h | x | 0] (<c>Stage{number}PackedSources</c>). The same operations per lane as the");
            w.Line("/// layers' own cells, so the same bits. state: h then c, packed.");
            w.Line("/// </summary>");
            string sink = hasSink ? ", Span<float> sink" : string.Empty;
            using (w.Method($"private static void Stage{number}Packed256(ref float x, int steps, ref float state{sink})", noInlining: true))
            {
                w.Line("if (steps <= 0) return;");
                w.Line($"// The pool: the packed h (lanes 0-{width - 1}), then x of the round's step, then a zero; the new h goes to next first.");
                w.Line($"Span<float> buffers = stackalloc float[{poolLength + width}];");
                w.Line("buffers.Clear();");
                w.Line("ref float pool = ref MemoryMarshal.GetReference(buffers);");
                w.Line($"ref float next = ref Unsafe.Add(ref pool, {poolLength});");
                w.Line($"ref float c = ref Unsafe.Add(ref state, {width});");
                w.Line($"for (int k = 0; k < {width}; k++) Unsafe.Add(ref pool, k) = Unsafe.Add(ref state, k);");
                using (w.Block($"for (int t = 0; t < steps + {lag}; t++)"))
                {
                    w.Line($"// x of step t (layer {lstms[0].Index + 1} takes no step past the last: its lanes are then discarded).");
                    w.Line($"int row = t < steps ? {IndexExpression.Times("t", features)} : 0;");
                    w.Line($"for (int j = 0; j < {features}; j++) Unsafe.Add(ref pool, {width} + j) = Unsafe.Add(ref x, row + j);");
                    for (int half = 0; half < Halves256(lstms); half++)
                    {
                        w.Line($"Stage{number}Packed256Half{half}(ref pool, ref c, ref next, t, steps);");
                    }
                    w.Line("// Every half has read the old h: the new one replaces it.");
                    for (int v = 0; v < vectors; v++) w.Line($"Vector256.LoadUnsafe(ref next, {v * Lanes256}).StoreUnsafe(ref pool, {v * Lanes256});");
                    if (hasSink)
                    {
                        (_, LstmLayerSpec lastLayer) = lstms[lag];
                        int u = lastLayer.Units;
                        using (w.Block($"if (t >= {lag})"))
                        {
                            w.Line($"buffers.Slice({Offset(lstms, lag)}, {u}).CopyTo(sink.Slice({IndexExpression.Times($"(t - {lag})", u)}, {u}));");
                        }
                    }
                }
                w.Line($"for (int k = 0; k < {width}; k++) Unsafe.Add(ref state, k) = Unsafe.Add(ref pool, k);");
            }
            w.Line();
            for (int half = 0; half < Halves256(lstms); half++) EmitHalf256(w, number, lstms, half);
        }

        /// <summary>
        /// One half of a round: vectors 2·half and 2·half + 1 of each gate, their products and cells. A method of its
        /// own, so that the JIT inlines the ten activations of each half (twenty in one body exceed its inlining budget).
        /// </summary>
        private static void EmitHalf256(IndentedWriter w, int number, IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms, int half)
        {
            int width = GateVectors(lstms) * Lanes, rows = Rows(lstms), layers = lstms.Count;
            LstmLayerSpec first = lstms[0].Layer;
            string recurrent = ActivationEmitter.TypeName(first.RecurrentActivation), activation = ActivationEmitter.TypeName(first.Activation);
            int[] pair = new[] { 2 * half, 2 * half + 1 }.Where(v => v < Vectors256(lstms)).ToArray();
            var used = pair.SelectMany(v => LanesLayers256(lstms, v)).Distinct().OrderBy(l => l).ToList();
            w.Line($"/// <summary>Stage {number}, vector{(pair.Length == 1 ? $" {pair[0]}" : $"s {pair[0]} and {pair[1]}")} of each gate in a Vector256 round: products, cells, and the new h written to <paramref name=\"next\"/>.</summary>");
            using (w.Method($"private static void Stage{number}Packed256Half{half}(ref float pool, ref float c, ref float next, int t, int steps)", noInlining: true))
            {
                w.Line($"ref float weights = ref MemoryMarshal.GetReference(Stage{number}PackedKernel);");
                w.Line($"ref float bias = ref MemoryMarshal.GetReference(Stage{number}PackedBias);");
                w.Line($"ref int sources = ref MemoryMarshal.GetReference(Stage{number}PackedSources);");
                var mixed = new Dictionary<int, (int A, int B)>();
                foreach (int v in pair)
                {
                    int[] of = LanesLayers256(lstms, v);
                    if (of.Distinct().Count() == 1) continue;
                    int a = of[0], b = of.First(l => l != a);
                    mixed[v] = (a, b);
                    w.Line($"// Lanes of vector {v} that take layer {lstms[a].Index + 1}'s input (the others layer {lstms[b].Index + 1}'s).");
                    w.Line($"Vector256<float> from{v} = Vector256.Create({string.Join(", ", of.Select(l => l == a ? "-1" : "0"))}).AsSingle();");
                }
                w.Line("// Bias, then [x | h]·W row by row, each lane times its layer's input of the row.");
                foreach (int v in pair)
                {
                    for (int g = 0; g < 4; g++) w.Line($"Vector256<float> {Gate(g)}{v} = Vector256.LoadUnsafe(ref bias, {g * width + v * Lanes256});");
                }
                using (w.Block($"for (nuint k = 0; k < {rows}; k++)"))
                {
                    w.Line($"ref int source = ref Unsafe.Add(ref sources, k * {layers});");
                    foreach (int l in used) w.Line($"Vector256<float> input{l} = Vector256.Create(Unsafe.Add(ref pool, Unsafe.Add(ref source, {l})));");
                    foreach (int v in pair)
                    {
                        string value = mixed.TryGetValue(v, out var ab)
                            ? $"Vector256.ConditionalSelect(from{v}, input{ab.A}, input{ab.B})"
                            : $"input{LanesLayers256(lstms, v)[0]}";
                        w.Line($"Vector256<float> value{v} = {value};");
                    }
                    w.Line($"ref float weightRow = ref Unsafe.Add(ref weights, k * {4 * width});");
                    for (int g = 0; g < 4; g++)
                    {
                        foreach (int v in pair)
                        {
                            string name = Gate(g) + v;
                            w.Line($"{name} = FusedMultiplyAdd.Compute(value{v}, Vector256.LoadUnsafe(ref weightRow, {g * width + v * Lanes256}), {name});");
                        }
                    }
                }
                w.Line("// The cell, as LstmCell computes it; lanes whose layer takes no step this round keep h and c.");
                foreach (int v in pair)
                {
                    w.Line($"Vector256<float> cell{v} = {recurrent}.Invoke(f{v}) * Vector256.LoadUnsafe(ref c, {v * Lanes256}) + {recurrent}.Invoke(i{v}) * {activation}.Invoke(g{v});");
                }
                foreach (int v in pair)
                {
                    w.Line($"Vector256<float> hidden{v} = {recurrent}.Invoke(o{v}) * {activation}.Invoke(cell{v});");
                }
                foreach (int v in pair)
                {
                    w.Line($"Vector256<int> step{v} = Vector256.Create(t) - Vector256.Create({string.Join(", ", Enumerable.Range(0, Lanes256).Select(l => LayerOf(lstms, v * Lanes256 + l)))});");
                    w.Line($"Vector256<float> takes{v} = (Vector256.GreaterThanOrEqual(step{v}, Vector256<int>.Zero) & Vector256.LessThan(step{v}, Vector256.Create(steps))).AsSingle();");
                    w.Line($"Vector256.ConditionalSelect(takes{v}, cell{v}, Vector256.LoadUnsafe(ref c, {v * Lanes256})).StoreUnsafe(ref c, {v * Lanes256});");
                    w.Line($"Vector256.ConditionalSelect(takes{v}, hidden{v}, Vector256.LoadUnsafe(ref pool, {v * Lanes256})).StoreUnsafe(ref next, {v * Lanes256});");
                }
            }
            w.Line();
        }

        /// <summary>The Vector256 rounds' table: for each row of the packed kernel, the pool index of each layer's input (its x or h below, its own h, or the zero).</summary>
        private static void EmitSources256(IndentedWriter w, int number, IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms)
        {
            int width = GateVectors(lstms) * Lanes, rows = Rows(lstms), zero = PoolLength256(lstms) - 1;
            w.Line($"/// <summary>Stage {number}: for each row of the packed kernel, where each layer's input of the row is in the Vector256 rounds' pool ([h | x | 0]).</summary>");
            w.Line($"private static ReadOnlySpan<int> Stage{number}PackedSources => new int[]");
            w.Line("{");
            for (int r = 0; r < rows; r++)
            {
                var row = new List<int>();
                for (int k = 0; k < lstms.Count; k++)
                {
                    LstmLayerSpec lstm = lstms[k].Layer;
                    int input = lstm.InputSize, offset = Offset(lstms, k);
                    int from = k == 0 ? width : Offset(lstms, k - 1);
                    row.Add(r < input ? from + r : r < input + lstm.Units ? offset + r - input : zero);
                }
                w.Line("    " + string.Join(", ", row) + ",");
            }
            w.Line("};");
            w.Line();
        }
    }
}
