using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// A register stage whose LSTMs together have at most 32 units (the tutorial's three LSTM(10)) on Vector512: the
    /// layers' units side by side in shared vectors (layer 1 in lanes 0-9, layer 2 in 10-19, ...), so a round of
    /// the skewed schedule computes every layer's gates with one set of products and one set of activations:
    /// two vectors per gate for 30 units instead of one mostly padded vector per gate and layer (S: 10 activations
    /// per round instead of 15, 160 multiply-adds instead of 204). The lanes of a product differ in the input they
    /// multiply (layer 1 takes x then its own h, layer 2 the h of layer 1 then its own), so each row of the packed
    /// matrix first gathers its inputs with one permute from a pool of [every layer's h | x | 0] held in registers.
    /// Every lane does the operations of its own layer's cell in the same order: bias, x·W row by row, h·U row by
    /// row, then the same cell; rows past a layer's own multiply its zero input by -0, which leaves any sum as it
    /// is (-0 included). So Predict, Step and PredictBatch still agree bit for bit.
    /// </summary>
    internal static partial class PackedRoundEmitter
    {
        private const int Lanes = 16;

        /// <summary>Whether the stage's LSTMs pack: two or more, at most 32 units with x and a zero lane beside them, one pair of activations.</summary>
        public static bool Applies(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms)
        {
            if (lstms.Count < 2) return false;
            int units = lstms.Sum(l => l.Layer.Units);
            LstmLayerSpec first = lstms[0].Layer;
            return units + first.InputSize + 1 <= 2 * Lanes
                && lstms.All(l => l.Layer.Activation == first.Activation && l.Layer.RecurrentActivation == first.RecurrentActivation);
        }

        /// <summary>Floats of packed state: h then c, each in whole vectors.</summary>
        public static int StateLength(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => 2 * GateVectors(lstms) * Lanes;

        /// <summary>Each layer's first lane in the packed vectors.</summary>
        public static int Offset(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms, int k) => lstms.Take(k).Sum(l => l.Layer.Units);

        private static int Units(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => lstms.Sum(l => l.Layer.Units);

        private static int GateVectors(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => (Units(lstms) + Lanes - 1) / Lanes;

        /// <summary>Vectors of the input pool: every layer's h, then x, then one lane that stays zero.</summary>
        private static int PoolVectors(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => (Units(lstms) + lstms[0].Layer.InputSize + 1 + Lanes - 1) / Lanes;

        /// <summary>Rows of the packed matrix: the longest input + units of a layer.</summary>
        private static int Rows(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms) => lstms.Max(l => l.Layer.InputSize + l.Layer.Units);

        /// <summary>
        /// The rounds of stage <paramref name="number"/>: state packed as h then c (<see cref="StateLength"/> floats),
        /// x the stage's input rows; with <paramref name="hasSink"/> the last layer's h of each step goes to sink.
        /// </summary>
        public static void EmitRounds(IndentedWriter w, int number, IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms, bool hasSink)
        {
            int units = Units(lstms), vectors = GateVectors(lstms), pool = PoolVectors(lstms), rows = Rows(lstms);
            int features = lstms[0].Layer.InputSize, lag = lstms.Count - 1;
            LstmLayerSpec first = lstms[0].Layer;
            string recurrent = ActivationEmitter.TypeName(first.RecurrentActivation), activation = ActivationEmitter.TypeName(first.Activation);
            string layout = string.Join(", ", lstms.Select((l, k) => $"layer {l.Index + 1} in lanes {Offset(lstms, k)}-{Offset(lstms, k) + l.Layer.Units - 1}"));

            w.Line("/// <summary>");
            w.Line($"/// Stage {number} on Vector512 with the layers' units side by side ({layout}): one round computes every");
            w.Line($"/// layer's step of the skewed schedule with {vectors} vector{(vectors == 1 ? string.Empty : "s")} per gate. Each row of the products first gathers the inputs of its lanes");
            w.Line($"/// (x, the h of the layer below or the layer's own h) from the pool [h of every layer | x | 0]. The same operations per lane as");
            w.Line("/// the layers' own cells, so the same bits. state: h then c, packed.");
            w.Line("/// </summary>");
            string sink = hasSink ? ", Span<float> sink" : string.Empty;
            using (w.Method($"private static void Stage{number}Packed512(ref float x, int steps, ref float state{sink})", noInlining: true))
            {
                w.Line("if (steps <= 0) return;");
                w.Line($"ref float weights = ref MemoryMarshal.GetReference(Stage{number}PackedKernel);");
                w.Line($"ref float bias = ref MemoryMarshal.GetReference(Stage{number}PackedBias);");
                w.Line($"ref int inputs = ref MemoryMarshal.GetReference(Stage{number}PackedInputs);");
                for (int v = 0; v < vectors; v++) w.Line($"Vector512<float> h{v} = Vector512.LoadUnsafe(ref state, {v * Lanes});");
                for (int v = 0; v < vectors; v++) w.Line($"Vector512<float> c{v} = Vector512.LoadUnsafe(ref state, {(vectors + v) * Lanes});");
                w.Line("// The lanes holding units (the rest of the pool is x and zero), and each lane's layer (which step it takes in a round).");
                for (int v = 0; v < vectors; v++)
                {
                    if (v * Lanes + Lanes > units) w.Line($"Vector512<float> units{v} = {MaskLiteral(lane => v * Lanes + lane < units)};");
                }
                for (int j = 0; j < features; j++)
                {
                    int lane = units + j;
                    w.Line($"Vector512<float> feature{j} = {MaskLiteral(l => lane / Lanes * Lanes + l == lane)};");
                }
                for (int v = 0; v < vectors; v++)
                {
                    var layerOf = Enumerable.Range(0, Lanes).Select(l => LayerOf(lstms, v * Lanes + l));
                    w.Line($"Vector512<int> layer{v} = Vector512.Create({string.Join(", ", layerOf)});");
                }
                if (hasSink) w.Line($"Span<float> last = stackalloc float[{vectors * Lanes}];");
                using (w.Block($"for (int t = 0; t < steps + {lag}; t++)"))
                {
                    w.Line($"// The pool: h of every layer, then x of step t (layer {lstms[0].Index + 1} takes no step past the last), then zero.");
                    w.Line($"int row = t < steps ? {IndexExpression.Times("t", features)} : 0;");
                    for (int v = 0; v < pool; v++)
                    {
                        w.Line(v >= vectors ? $"Vector512<float> pool{v} = Vector512<float>.Zero;"
                            : v * Lanes + Lanes <= units ? $"Vector512<float> pool{v} = h{v};"
                            : $"Vector512<float> pool{v} = h{v} & units{v};");
                    }
                    for (int j = 0; j < features; j++)
                    {
                        int v = (units + j) / Lanes;
                        string at = j == 0 ? "row" : $"row + {j}";
                        w.Line($"pool{v} = Vector512.ConditionalSelect(feature{j}, Vector512.Create(Unsafe.Add(ref x, {at})), pool{v});");
                    }
                    for (int g = 0; g < 4; g++)
                    {
                        for (int v = 0; v < vectors; v++)
                        {
                            w.Line($"Vector512<float> {Gate(g)}{v} = Vector512.LoadUnsafe(ref bias, {(g * vectors + v) * Lanes});");
                        }
                    }
                    w.Line("// Gates += [x | h]·W, row by row: each lane's input of the row, gathered from the pool, times the row.");
                    using (w.Block($"for (nuint k = 0; k < {rows}; k++)"))
                    {
                        w.Line($"ref int lanes = ref Unsafe.Add(ref inputs, k * {vectors * Lanes});");
                        for (int v = 0; v < vectors; v++)
                        {
                            string gather = pool == 1
                                ? $"global::System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32(pool0, Vector512.LoadUnsafe(ref lanes, {v * Lanes}))"
                                : $"global::System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32x2(pool0, Vector512.LoadUnsafe(ref lanes, {v * Lanes}), pool1)";
                            w.Line($"Vector512<float> value{v} = {gather};");
                        }
                        w.Line($"ref float weightRow = ref Unsafe.Add(ref weights, k * {4 * vectors * Lanes});");
                        for (int g = 0; g < 4; g++)
                        {
                            for (int v = 0; v < vectors; v++)
                            {
                                string name = Gate(g) + v;
                                w.Line($"{name} = FusedMultiplyAdd.Compute(value{v}, Vector512.LoadUnsafe(ref weightRow, {(g * vectors + v) * Lanes}), {name});");
                            }
                        }
                    }
                    // Every c first: act(c) waits for c, and written after the independent activations of the other
                    // vectors it leaves them nothing to wait for (about 20 % faster than c and h vector by vector).
                    w.Line("// The cell, as LstmCell computes it: c = σ(f)·c + σ(i)·act(g), then h = σ(o)·act(c).");
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"Vector512<float> cell{v} = {recurrent}.Invoke(f{v}) * c{v} + {recurrent}.Invoke(i{v}) * {activation}.Invoke(g{v});");
                    }
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"Vector512<float> hidden{v} = {recurrent}.Invoke(o{v}) * {activation}.Invoke(cell{v});");
                    }
                    using (w.Block($"if (t >= {lag} && t < steps)"))
                    {
                        for (int v = 0; v < vectors; v++) w.Line($"h{v} = hidden{v};");
                        for (int v = 0; v < vectors; v++) w.Line($"c{v} = cell{v};");
                    }
                    using (w.Block("else"))
                    {
                        w.Line("// The layers start and finish a round apart: only lanes whose layer has a step this round change.");
                        for (int v = 0; v < vectors; v++)
                        {
                            w.Line($"Vector512<int> step{v} = Vector512.Create(t) - layer{v};");
                            w.Line($"Vector512<float> takes{v} = (Vector512.GreaterThanOrEqual(step{v}, Vector512<int>.Zero) & Vector512.LessThan(step{v}, Vector512.Create(steps))).AsSingle();");
                            w.Line($"h{v} = Vector512.ConditionalSelect(takes{v}, hidden{v}, h{v});");
                            w.Line($"c{v} = Vector512.ConditionalSelect(takes{v}, cell{v}, c{v});");
                        }
                    }
                    if (hasSink)
                    {
                        (_, LstmLayerSpec lastLayer) = lstms[lag];
                        int u = lastLayer.Units;
                        using (w.Block($"if (t >= {lag})"))
                        {
                            for (int v = 0; v < vectors; v++) w.Line($"h{v}.StoreUnsafe(ref MemoryMarshal.GetReference(last), {v * Lanes});");
                            w.Line($"last.Slice({Offset(lstms, lag)}, {u}).CopyTo(sink.Slice({IndexExpression.Times($"(t - {lag})", u)}, {u}));");
                        }
                    }
                }
                for (int v = 0; v < vectors; v++) w.Line($"h{v}.StoreUnsafe(ref state, {v * Lanes});");
                for (int v = 0; v < vectors; v++) w.Line($"c{v}.StoreUnsafe(ref state, {(vectors + v) * Lanes});");
            }
            w.Line();
        }

        /// <summary>
        /// The packed weights: the kernel as rows of [4 gates × packed lanes] (a lane's row k is its layer's x·W row k,
        /// then its h·U rows, then -0), the bias, and for each row the pool lane each packed lane multiplies.
        /// </summary>
        public static void EmitWeights(IndentedWriter w, int number, IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms)
        {
            int units = Units(lstms), vectors = GateVectors(lstms), rows = Rows(lstms), width = vectors * Lanes;
            int zero = units + lstms[0].Layer.InputSize;
            var kernel = new float[rows * 4 * width];
            var bias = new float[4 * width];
            var inputs = new int[rows * width];
            for (int lane = 0; lane < width; lane++)
            {
                for (int k = 0; k < rows; k++) inputs[k * width + lane] = zero;
            }
            for (int k = 0; k < lstms.Count; k++)
            {
                LstmLayerSpec lstm = lstms[k].Layer;
                int u = lstm.Units, input = lstm.InputSize, offset = Offset(lstms, k);
                int from = k == 0 ? units : Offset(lstms, k - 1);
                IReadOnlyList<float> w1 = lstm.Kernel.Values, u1 = lstm.RecurrentKernel.Values;
                for (int j = 0; j < u; j++)
                {
                    int lane = offset + j;
                    for (int g = 0; g < 4; g++)
                    {
                        int column = g * u + j;
                        bias[g * width + lane] = lstm.Bias is null ? 0f : lstm.Bias.Values[column];
                        for (int r = 0; r < rows; r++)
                        {
                            kernel[(r * 4 + g) * width + lane] = r < input ? w1[r * 4 * u + column]
                                : r < input + u ? u1[(r - input) * 4 * u + column]
                                : -0f;
                        }
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        inputs[r * width + lane] = r < input ? from + r : r < input + u ? offset + r - input : zero;
                    }
                }
            }
            string layers = string.Join(", ", lstms.Select(l => $"{l.Index + 1}"));
            WeightsEmitter.Emit(w, $"Stage{number}PackedKernel", $"Stage {number}, LSTM layers {layers} packed side by side: [x | h]·W rows × gates i, f, c, o × {width} lanes", new Tensor(kernel, new[] { rows, 4, width }));
            w.Line();
            WeightsEmitter.Emit(w, $"Stage{number}PackedBias", $"Stage {number}, the packed layers' bias: gates i, f, c, o × {width} lanes", new Tensor(bias, new[] { 4, width }), panels: false);
            w.Line();
            w.Line($"/// <summary>Stage {number}: for each row of the packed kernel, the pool lane each packed lane multiplies (h of every layer, x, zero).</summary>");
            w.Line($"private static ReadOnlySpan<int> Stage{number}PackedInputs => new int[]");
            w.Line("{");
            for (int r = 0; r < rows; r++)
            {
                w.Line("    " + string.Join(", ", inputs.Skip(r * width).Take(width)) + ",");
            }
            w.Line("};");
            w.Line();
            EmitSources256(w, number, lstms);
        }

        private static string Gate(int g) => g switch { 0 => "i", 1 => "f", 2 => "g", _ => "o" };

        /// <summary>The layer (its place in the stage) a packed lane belongs to; padding lanes count as the first.</summary>
        private static int LayerOf(IReadOnlyList<(int Index, LstmLayerSpec Layer)> lstms, int lane)
        {
            for (int k = 0; k < lstms.Count; k++)
            {
                int offset = Offset(lstms, k);
                if (lane >= offset && lane < offset + lstms[k].Layer.Units) return k;
            }
            return 0;
        }

        private static string MaskLiteral(System.Func<int, bool> set)
            => $"Vector512.Create({string.Join(", ", Enumerable.Range(0, Lanes).Select(l => set(l) ? "-1" : "0"))}).AsSingle()";
    }
}
