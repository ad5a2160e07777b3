using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Stages made only of small LSTMs (<see cref="RegisterStages.MinUnits"/> to <see cref="RegisterStages.MaxUnits"/> units each, chosen by <see cref="RegisterStages"/>), such as the tutorial's three
    /// LSTM(10): there the time goes to the chain of dependent cell updates, not to the products. Each layer gets a
    /// cell method per width that computes its four gates in vector registers (one Vector512, two Vector256 or four
    /// Vector128 per gate; a layer of up to 8 or up to 4 units has no cell wider than one vector per gate, which on
    /// wider hardware it runs too) straight from weights padded to 16 floats per gate, then the cell update, with h and c kept as
    /// whole padded vectors. The stage's driver runs the layers a timestep apart (layer l takes step t - l + 1 in
    /// round t), so the updates of one round are independent and the core overlaps them: the critical path is
    /// timesteps + layers - 1 cell updates instead of timesteps × layers. Every lane does the operations the
    /// blocked path does, in the same order (bias, then x·W, then h·U, then the same cell), so the results are the
    /// same bit for bit; without Vector128 acceleration Predict takes the blocked path. PredictBatch runs the same
    /// driver sequence by sequence (at these sizes faster than its products over the block).
    /// </summary>
    internal static class RegisterStageEmitter
    {
        /// <summary>Floats per gate row in the padded weights, and per h or c in the driver's storage.</summary>
        private const int Padded = 16;

        /// <summary>The LSTM gates in Keras's order, as the accumulators of the generated cells are named.</summary>
        private static readonly string[] s_gates = { "i", "f", "g", "o" };

        /// <summary>
        /// The LSTM layers (indices) of every stage that runs in registers, which get cell methods and padded weights,
        /// each with whether its stage uses Vector512 cells (some layer of it has more units than a Vector256 holds).
        /// </summary>
        public static Dictionary<int, bool> Layers(ModelSpec model, ExecutionPlan plan)
        {
            var layers = new Dictionary<int, bool>();
            for (int s = 0; s < plan.Stages.Count; s++)
            {
                if (!plan.Stages[s].InRegisters) continue;
                bool wide = plan.Stages[s].Registers == RegisterCells.UpToVector512;
                foreach ((int i, _) in Lstms(model, plan.Stages[s])) layers[i] = wide;
            }
            return layers;
        }

        /// <summary>
        /// A call of the stage's driver (the caller puts it under <c>Vector128.IsHardwareAccelerated</c>): Predict's,
        /// on its h and c spans, or with <paramref name="row"/> PredictBatch's, on that row of each h and c matrix.
        /// </summary>
        public static string Call(ModelSpec model, int index, ExecutionPlan.Stage stage, string source, string steps, string? target, string? row = null)
        {
            var arguments = new List<string> { source, steps };
            foreach ((int i, LstmLayerSpec lstm) in Lstms(model, stage))
            {
                string slice = row is null ? string.Empty : $".Slice({IndexExpression.Times(row, lstm.Units)}, {lstm.Units})";
                arguments.Add($"h{i + 1}{slice}");
                arguments.Add($"c{i + 1}{slice}");
            }
            if (target is not null) arguments.Add(target);
            return $"Stage{index + 1}InRegisters({string.Join(", ", arguments)});";
        }

        /// <summary>
        /// The driver of stage <paramref name="index"/>: copies each layer's h and c into padded storage, runs the skewed
        /// rounds (a loop, or every round written out when <paramref name="unrolledSteps"/> is given) on the widest
        /// accelerated width, writes the last layer's h of each step to <c>sink</c> (when <paramref name="hasSink"/>: the
        /// next stage's buffer or a sequence output) and copies h and c back.
        /// </summary>
        public static void EmitDriver(IndentedWriter w, ModelSpec model, int index, ExecutionPlan.Stage stage, bool hasSink, int? unrolledSteps)
        {
            var lstms = Lstms(model, stage);
            bool packs = Packs(model, stage);
            int width = lstms[0].Layer.InputSize;
            string first = IntLiteral.Format(lstms[0].Index + 1), last = IntLiteral.Format(lstms[lstms.Count - 1].Index + 1);
            string layers = lstms.Count == 1 ? $"layer {first}" : $"layers {first}-{last}";
            var parameters = new List<string> { "ReadOnlySpan<float> source", "int steps" };
            foreach ((int i, _) in lstms)
            {
                parameters.Add($"Span<float> h{i + 1}");
                parameters.Add($"Span<float> c{i + 1}");
            }
            if (hasSink) parameters.Add("Span<float> sink");

            w.Line("/// <summary>");
            w.Line($"/// Stage {index + 1}, {layers} (LSTMs of {RegisterStages.MinUnits} to {RegisterStages.MaxUnits} units), with each gate in vector registers. The layers run a");
            w.Line("/// timestep apart: in round t layer l takes step t - l + 1 (the last layer first, so it reads the h of the layer below");
            w.Line("/// before that layer replaces it), so the cell updates of a round do not wait for each other.");
            w.Line("/// </summary>");
            using (w.Method($"private static void Stage{index + 1}InRegisters({string.Join(", ", parameters)})"))
            {
                w.Line($"source = source.Slice(0, {IndexExpression.Times("steps", width)});");
                if (packs)
                {
                    using (w.Block("if (Vector512.IsHardwareAccelerated)"))
                    {
                        EmitPackedCall(w, index + 1, lstms, hasSink, 512);
                        w.Line("return;");
                    }
                    using (w.Block("if (Vector256.IsHardwareAccelerated)"))
                    {
                        EmitPackedCall(w, index + 1, lstms, hasSink, 256);
                        w.Line("return;");
                    }
                }
                w.Line($"// h and c of each layer, padded to {Padded} floats so the cells load and store whole vectors; the padding stays zero.");
                w.Line($"Span<float> cells = stackalloc float[{lstms.Count * 2 * Padded}];");
                w.Line("cells.Clear();");
                for (int k = 0; k < lstms.Count; k++)
                {
                    (int i, LstmLayerSpec lstm) = lstms[k];
                    w.Line($"h{i + 1}.Slice(0, {lstm.Units}).CopyTo(cells.Slice({2 * k * Padded}, {lstm.Units}));");
                    w.Line($"c{i + 1}.Slice(0, {lstm.Units}).CopyTo(cells.Slice({(2 * k + 1) * Padded}, {lstm.Units}));");
                }
                w.Line("ref float x = ref MemoryMarshal.GetReference(source);");
                w.Line("ref float state = ref MemoryMarshal.GetReference(cells);");
                // One branch per widest accelerated width, unless its cells are those of the next narrower width
                // (a stage of LSTMs of 4 units runs Vector128 cells on every width); packed stages return above
                // wherever Vector256 is accelerated.
                var tiers = VectorWidths.WidestFirst.Where(x => x.Bits == 128 || !packs && (x.Bits == 256 || stage.Registers == RegisterCells.UpToVector512)).Select(x => (x.Type, x.Bits)).ToList();
                tiers.RemoveAll(t => t.Bits != 128 && lstms.All(l => CellBits(l.Layer, t.Bits) == CellBits(l.Layer, t.Bits / 2)));
                for (int t = 0; t < tiers.Count; t++)
                {
                    string? header = TierHeader(t, tiers.Count, tiers[t].Type);
                    using (header is null ? default(IndentedWriter.Scope?) : w.Block(header))
                    {
                        EmitRounds(w, lstms, tiers[t].Bits, hasSink, unrolledSteps);
                    }
                }
                for (int k = 0; k < lstms.Count; k++)
                {
                    (int i, LstmLayerSpec lstm) = lstms[k];
                    w.Line($"cells.Slice({2 * k * Padded}, {lstm.Units}).CopyTo(h{i + 1});");
                    w.Line($"cells.Slice({(2 * k + 1) * Padded}, {lstm.Units}).CopyTo(c{i + 1});");
                }
            }
            w.Line();
            if (packs)
            {
                PackedRoundEmitter.EmitRounds(w, index + 1, lstms, hasSink);
                PackedRoundEmitter.EmitRounds256(w, index + 1, lstms, hasSink);
            }
        }

        /// <summary>
        /// Whether the stage runs its layers packed side by side where Vector512 is accelerated (see
        /// <see cref="PackedRoundEmitter"/>), also when its own cells are no wider than Vector256.
        /// </summary>
        public static bool Packs(ModelSpec model, ExecutionPlan.Stage stage)
            => stage.InRegisters && PackedRoundEmitter.Applies(Lstms(model, stage));

        /// <summary>Stage <paramref name="number"/>'s packed weights, when its rounds pack.</summary>
        public static void EmitPackedWeights(IndentedWriter w, ModelSpec model, ExecutionPlan.Stage stage, int number)
        {
            if (Packs(model, stage)) PackedRoundEmitter.EmitWeights(w, number, Lstms(model, stage));
        }

        /// <summary>The packed rounds' call: each layer's h and c gathered side by side (h then c), and back after.</summary>
        private static void EmitPackedCall(IndentedWriter w, int number, List<(int Index, LstmLayerSpec Layer)> lstms, bool hasSink, int bits)
        {
            int length = PackedRoundEmitter.StateLength(lstms);
            w.Line("// The layers' units side by side in shared vectors: one set of products and activations per round.");
            w.Line($"Span<float> packed = stackalloc float[{length}];");
            w.Line("packed.Clear();");
            for (int k = 0; k < lstms.Count; k++)
            {
                (int i, LstmLayerSpec lstm) = lstms[k];
                int u = lstm.Units, at = PackedRoundEmitter.Offset(lstms, k);
                w.Line($"h{i + 1}.Slice(0, {u}).CopyTo(packed.Slice({at}, {u}));");
                w.Line($"c{i + 1}.Slice(0, {u}).CopyTo(packed.Slice({length / 2 + at}, {u}));");
            }
            w.Line($"Stage{number}Packed{bits}(ref MemoryMarshal.GetReference(source), steps, ref MemoryMarshal.GetReference(packed){(hasSink ? ", sink" : string.Empty)});");
            for (int k = 0; k < lstms.Count; k++)
            {
                (int i, LstmLayerSpec lstm) = lstms[k];
                int u = lstm.Units, at = PackedRoundEmitter.Offset(lstms, k);
                w.Line($"packed.Slice({at}, {u}).CopyTo(h{i + 1});");
                w.Line($"packed.Slice({length / 2 + at}, {u}).CopyTo(c{i + 1});");
            }
        }

        /// <summary>The skewed rounds on one width: a loop over rounds, or each round written out.</summary>
        private static void EmitRounds(IndentedWriter w, List<(int Index, LstmLayerSpec Layer)> lstms, int bits, bool hasSink, int? unrolledSteps)
        {
            int lag = lstms.Count - 1;
            if (unrolledSteps is int steps)
            {
                for (int round = 0; round < steps + lag; round++)
                {
                    w.Line($"// Round {IntLiteral.Format(round)}");
                    for (int k = lstms.Count - 1; k >= 0; k--)
                    {
                        int t = round - k;
                        if (t >= 0 && t < steps) EmitCell(w, lstms, k, bits, IntLiteral.Format(t), hasSink);
                    }
                }
                return;
            }
            if (lag == 0)
            {
                using (w.Block("for (int t = 0; t < steps; t++)"))
                {
                    EmitCell(w, lstms, 0, bits, "t", hasSink);
                }
                return;
            }
            // A loop without per-layer guards where every layer has a step to take; rounds where layers start or
            // finish are written out. Sequences shorter than the skew take the guarded loop.
            using (w.Block($"if (steps >= {lag})"))
            {
                w.Line($"// Rounds 0-{lag - 1}: the layers start one after another.");
                for (int round = 0; round < lag; round++)
                {
                    for (int k = round; k >= 0; k--) EmitCell(w, lstms, k, bits, IntLiteral.Format(round - k), hasSink);
                }
                w.Line($"// Layer {lstms[lag].Index + 1} first in every round: it reads the h of the layer below before that layer's next step replaces it.");
                using (w.Block($"for (int t = {lag}; t < steps; t++)"))
                {
                    for (int k = lag; k >= 0; k--) EmitCell(w, lstms, k, bits, k == 0 ? "t" : $"t - {k}", hasSink);
                }
                w.Line("// The last rounds: the layers finish one after another.");
                for (int round = 1; round <= lag; round++)
                {
                    for (int k = lag; k >= round; k--) EmitCell(w, lstms, k, bits, $"steps - {k - round + 1}", hasSink);
                }
            }
            using (w.Block("else"))
            {
                using (w.Block($"for (int t = 0; t < steps + {lag}; t++)"))
                {
                    for (int k = lag; k >= 0; k--)
                    {
                        string step = k == 0 ? "t" : $"t - {k}";
                        string guard = k == 0 ? "t < steps" : k == lag ? $"t >= {k}" : $"t >= {k} && t - {k} < steps";
                        using (w.Block($"if ({guard})"))
                        {
                            EmitCell(w, lstms, k, bits, step, hasSink);
                        }
                    }
                }
            }
        }

        private static void EmitCell(IndentedWriter w, List<(int Index, LstmLayerSpec Layer)> lstms, int k, int bits, string step, bool hasSink)
        {
            (int i, LstmLayerSpec lstm) = lstms[k];
            string input = k == 0
                ? $"ref Unsafe.Add(ref x, {IndexExpression.Times(step, lstm.InputSize)})"
                : $"ref {Slot(2 * (k - 1))}";
            w.Line($"Layer{i + 1}Cell{CellBits(lstm, bits)}({input}, ref {Slot(2 * k)}, ref {Slot(2 * k + 1)});");
            if (hasSink && k == lstms.Count - 1)
            {
                int u = lstm.Units;
                w.Line($"cells.Slice({2 * k * Padded}, {u}).CopyTo(sink.Slice({IndexExpression.Times(step, u)}, {u}));");
            }
        }

        private static string Slot(int slot) => slot == 0 ? "state" : $"Unsafe.Add(ref state, {slot * Padded})";

        /// <summary>
        /// A layer's cell methods, one per width the stage uses: the gates b + x·W + h·U from the padded weights, then
        /// the cell update. NoInlining keeps each cell a method of its own: the driver holding every layer's
        /// activations would run out of the JIT's inlining budget and call them instead.
        /// </summary>
        public static void EmitCells(IndentedWriter w, int number, LstmLayerSpec lstm, bool wide)
        {
            foreach ((string type, int lanes, int bits) in VectorWidths.WidestFirst)
            {
                if (bits == 512 && !wide || CellBits(lstm, bits) != bits) continue;
                int vectors = (lstm.Units + lanes - 1) / lanes;
                w.Line($"/// <summary>Layer {number}, one timestep on {type}: gates b + x·W + h·U ({vectors} {type} per gate), then c and h; x is the layer's input row, h and c are padded to {Padded} floats.</summary>");
                using (w.Method($"private static void Layer{number}Cell{bits}(ref float x, ref float h, ref float c)", noInlining: true))
                {
                    if (lstm.Bias is not null) w.Line($"ref float bias = ref MemoryMarshal.GetReference(Layer{number}PaddedBias);");
                    for (int g = 0; g < 4; g++)
                    {
                        for (int v = 0; v < vectors; v++)
                        {
                            string gate = s_gates[g];
                            int offset = g * Padded + v * lanes;
                            string start = lstm.Bias is null ? $"{type}<float>.Zero" : $"{type}.LoadUnsafe(ref bias, {offset})";
                            w.Line($"{type}<float> {gate}{v} = {start};");
                        }
                    }
                    EmitProduct(w, type, lanes, vectors, "x", $"Layer{number}PaddedKernel", lstm.InputSize, "x·W");
                    EmitProduct(w, type, lanes, vectors, "h", $"Layer{number}PaddedRecurrentKernel", lstm.Units, "h·U");
                    string activations = $"{ActivationEmitter.TypeName(lstm.RecurrentActivation)}, {ActivationEmitter.TypeName(lstm.Activation)}";
                    for (int v = 0; v < vectors; v++)
                    {
                        string at = v == 0 ? string.Empty : $", {v * lanes}";
                        string c = v == 0 ? "ref c" : $"ref Unsafe.Add(ref c{at})";
                        string h = v == 0 ? "ref h" : $"ref Unsafe.Add(ref h{at})";
                        w.Line($"LstmCell.UpdateGates<{activations}>(i{v}, f{v}, g{v}, o{v}, {c}, {h});");
                    }
                }
                w.Line();
            }
        }

        /// <summary>
        /// Step's call of a layer that has cells (see <see cref="Layers"/>): the cell of the widest accelerated width, the
        /// one Predict's driver runs, so Step takes Predict's timestep (bias, x·W, h·U and the cell in registers, the
        /// same bits) instead of a product pass, a stored gate row and a cell pass. h and c are used in place where
        /// every cell's vectors cover the units exactly, else through <paramref name="padded"/> (32 floats, zeroed
        /// by the caller). Without Vector128 acceleration the layer runs Project and Step as Predict's blocked form does,
        /// on the scratch <c>z</c>, which that branch declares itself when given <paramref name="scratchFloats"/>.
        /// </summary>
        public static void EmitStepCall(IndentedWriter w, int number, LstmLayerSpec lstm, bool wide, string input, string padded, int? scratchFloats)
        {
            List<(string Type, int Cell)> tiers = StepTiers(lstm, wide);
            bool inPlace = !StepNeedsPadding(lstm, wide);
            w.Line($"// Layer {number}: Predict's cell, with the gates in vector registers{(inPlace ? string.Empty : $" (h and c padded to {Padded} floats)")}.");
            using (w.Block("if (Vector128.IsHardwareAccelerated)"))
            {
                string h = $"h{number}", c = $"c{number}";
                if (!inPlace)
                {
                    w.Line($"{h}.CopyTo({padded});");
                    w.Line($"{c}.CopyTo({padded}.Slice({Padded}));");
                }
                string hRef = inPlace ? $"ref MemoryMarshal.GetReference({h})" : $"ref MemoryMarshal.GetReference({padded})";
                string cRef = inPlace ? $"ref MemoryMarshal.GetReference({c})" : $"ref {padded}[{Padded}]";
                for (int t = 0; t < tiers.Count; t++)
                {
                    string? header = TierHeader(t, tiers.Count, tiers[t].Type);
                    using (header is null ? default(IndentedWriter.Scope?) : w.Block(header))
                    {
                        w.Line($"Layer{number}Cell{tiers[t].Cell}(ref MemoryMarshal.GetReference({input}), {hRef}, {cRef});");
                    }
                }
                if (!inPlace)
                {
                    w.Line($"{padded}.Slice(0, {lstm.Units}).CopyTo({h});");
                    w.Line($"{padded}.Slice({Padded}, {lstm.Units}).CopyTo({c});");
                }
            }
            using (w.Block("else"))
            {
                if (scratchFloats is int floats) w.Line($"Span<float> z = stackalloc float[{IntLiteral.Format(floats)}];");
                w.Line($"Layer{number}Project({input}, 1, z);");
                w.Line($"Layer{number}Step(z, h{number}, c{number});");
            }
        }

        /// <summary>Whether Step needs a padded h and c for the layer's cells: some cell's vectors reach past the units.</summary>
        public static bool StepNeedsPadding(LstmLayerSpec lstm, bool wide)
            => StepTiers(lstm, wide).Any(t => lstm.Units % (t.Cell / 32) != 0);

        /// <summary>The cells Step calls, widest first: the type whose acceleration selects each, and the cell's width.</summary>
        private static List<(string Type, int Cell)> StepTiers(LstmLayerSpec lstm, bool wide)
        {
            var tiers = new List<(string Type, int Cell)>();
            foreach ((string type, _, int bits) in VectorWidths.WidestFirst)
            {
                if (bits == 512 && !wide) continue;
                int cell = CellBits(lstm, bits);
                if (tiers.Count == 0 || tiers[tiers.Count - 1].Cell != cell) tiers.Add((type, cell));
            }
            return tiers;
        }

        /// <summary>The branch header of tier <paramref name="t"/> of <paramref name="count"/> (none when there is one): if, else if, else.</summary>
        internal static string? TierHeader(int t, int count, string type)
            => count == 1 ? null : t == count - 1 ? "else" : $"{(t == 0 ? "if" : "else if")} ({type}.IsHardwareAccelerated)";

        private static void EmitProduct(IndentedWriter w, string type, int lanes, int vectors, string input, string matrix, int rows, string what)
        {
            w.Line($"// Gates += {what}, row by row: each {input}[k] times the four padded gate rows of the matrix.");
            w.Line($"ref float {input}Weights = ref MemoryMarshal.GetReference({matrix});");
            // A one-row matrix (a single input feature) needs no loop: row 0 is the matrix's start.
            // (Its locals are then named after the input, as they share the method's scope with the next product's.)
            string value = rows == 1 ? input + "Value" : "value", row = rows == 1 ? input + "Row" : "row";
            using (rows == 1 ? null : (System.IDisposable)w.Block($"for (nuint k = 0; k < {rows}; k++)"))
            {
                w.Line(rows == 1 ? $"{type}<float> {value} = {type}.Create({input});" : $"{type}<float> value = {type}.Create(Unsafe.Add(ref {input}, k));");
                w.Line(rows == 1 ? $"ref float {row} = ref {input}Weights;" : $"ref float row = ref Unsafe.Add(ref {input}Weights, k * {4 * Padded});");
                for (int g = 0; g < 4; g++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        string name = s_gates[g] + v;
                        w.Line($"{name} = FusedMultiplyAdd.Compute({value}, {type}.LoadUnsafe(ref {row}, {g * Padded + v * lanes}), {name});");
                    }
                }
            }
        }

        /// <summary>The layer's kernel, recurrent kernel and bias with every gate's columns padded with zeros to 16: [rows, 4, 16].</summary>
        public static void EmitWeights(IndentedWriter w, int number, string owner, LstmLayerSpec lstm)
        {
            string padding = $"each gate's {lstm.Units} columns padded with zeros to {Padded}";
            WeightsEmitter.Emit(w, $"Layer{number}PaddedKernel", $"{owner}: kernel (input × gates i, f, c, o), {padding}", Pad(lstm.Kernel, lstm.InputSize, lstm.Units));
            w.Line();
            WeightsEmitter.Emit(w, $"Layer{number}PaddedRecurrentKernel", $"{owner}: recurrent kernel (units × gates i, f, c, o), {padding}", Pad(lstm.RecurrentKernel, lstm.Units, lstm.Units));
            w.Line();
            if (lstm.Bias is not null)
            {
                WeightsEmitter.Emit(w, $"Layer{number}PaddedBias", $"{owner}: bias (gates i, f, c, o), {padding}", Pad(lstm.Bias, 1, lstm.Units), panels: false);
                w.Line();
            }
        }

        private static Tensor Pad(Tensor tensor, int rows, int units)
        {
            IReadOnlyList<float> values = tensor.Values;
            var padded = new float[rows * 4 * Padded];
            for (int r = 0; r < rows; r++)
            {
                for (int g = 0; g < 4; g++)
                {
                    for (int j = 0; j < units; j++)
                    {
                        padded[(r * 4 + g) * Padded + j] = values[r * 4 * units + g * units + j];
                    }
                }
            }
            return rows == 1 ? new Tensor(padded, new[] { 4, Padded }) : new Tensor(padded, new[] { rows, 4, Padded });
        }

        private static List<(int Index, LstmLayerSpec Layer)> Lstms(ModelSpec model, ExecutionPlan.Stage stage)
        {
            var lstms = new List<(int, LstmLayerSpec)>();
            foreach (int i in stage.Layers)
            {
                if (model.Layers[i] is LstmLayerSpec lstm) lstms.Add((i, lstm));
            }
            return lstms;
        }

        /// <summary>The h matrix (PredictBatch) or span (Predict) holding the stage's output: its last LSTM's.</summary>
        public static string Output(ModelSpec model, ExecutionPlan.Stage stage) => $"h{Lstms(model, stage).Last().Index + 1}";

        /// <summary>
        /// The width of a layer's cell where <paramref name="bits"/> is the widest accelerated: no wider than one
        /// vector per gate needs (the blocked path's cell chooses the same way), since lanes beyond the units would
        /// only compute padding.
        /// </summary>
        private static int CellBits(LstmLayerSpec lstm, int bits) => System.Math.Min(bits, lstm.Units > 8 ? 512 : lstm.Units > 4 ? 256 : 128);
    }
}
