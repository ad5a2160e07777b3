using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Predict on several cores for large LSTMs (<c>LstmGen.CoreTeam</c>): a layer whose recurrent matrix outgrows a
    /// core's caches gets <c>Layer{n}Columns</c>, its product h·U over a range of whole column panels, and its Step
    /// hands the panels to the team's threads; where the units are whole blocks of panels, also <c>Layer{n}Units</c>,
    /// one block of units' gates and cells, so that each thread updates its own cells and the threads exchange only h
    /// (DeepCPU's split). Each column and each cell are computed by the same code as on one core, so the numbers are
    /// the same bit for bit.
    /// </summary>
    internal static class TeamEmitter
    {
        /// <summary>
        /// Recurrent matrices from 1 MB (256 units) up: a core's whole L2 on Zen 4 and 5. Below, meeting at every timestep
        /// costs more than the second core saves: on a 2-core Zen 5, L (2 × LSTM(128), 256 KB matrices) took 698 µs with
        /// a team against 484 µs alone; W (LSTM(256), 1 MB) 125 against 181; LSTM(512) (4 MB) 2.77 ms against 4.94 ms.
        /// </summary>
        public const int MinRecurrentFloats = 256 * 1024;

        /// <summary>
        /// Whether an LSTM's Step can share its product with a team: a matrix of at least <see cref="MinRecurrentFloats"/>
        /// whose columns split into whole panels, at least two.
        /// </summary>
        public static bool Splits(LstmLayerSpec lstm)
            => lstm.RecurrentKernel.Length >= MinRecurrentFloats && LayerEmitter.AlternatesPanels(lstm) && GemvEmitter.SplitsIntoPanels(lstm.GateWidth);

        /// <summary>
        /// Whether a GRU's timestep can share its recurrent products with a team: U_zr and U_h together at least
        /// <see cref="MinRecurrentFloats"/>, and both split into whole panels (units a multiple of the panel width), so
        /// every thread's columns are whole panels of one matrix or the other.
        /// </summary>
        public static bool Splits(GruLayerSpec gru)
            => 3L * gru.Units * gru.Units >= MinRecurrentFloats && gru.Units % PanelLayout.Width == 0
               && GemvEmitter.SplitsIntoPanels(gru.Units) && GemvEmitter.SplitsIntoPanels(2 * gru.Units);

        /// <summary>Whether layer <paramref name="layer"/> shares its timesteps with a team (an LSTM or a GRU that splits).</summary>
        public static bool Splits(LayerSpec layer)
            => layer switch
            {
                LstmLayerSpec lstm => Splits(lstm),
                GruLayerSpec gru => Splits(gru),
                _ => false,
            };

        /// <summary>
        /// Whether the model's Predict takes a team: a chain whose Predict runs in blocks (not unrolled, optimized) with
        /// a splitting LSTM or GRU in one of its stages (a Bidirectional's directions run on the caller alone).
        /// </summary>
        public static bool Uses(ModelSpec model, ModelPlan plan)
        {
            if (model.Graph is not null || plan.Unroll || plan.DebugBuild) return false;
            foreach (ExecutionPlan.Stage stage in plan.Execution.Stages)
            {
                if (stage.IsBidirectional || stage.Reshapes || stage.InRegisters) continue;
                foreach (int i in stage.Layers)
                {
                    if (Splits(model.Layers[i])) return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Whether the team can also split the LSTM by units (<c>Layer{n}Units</c>): every gate's columns of a block of
        /// <see cref="PanelLayout.Width"/> units are whole panels when the units are a multiple of the panel width.
        /// </summary>
        public static bool SplitsUnits(LstmLayerSpec lstm) => Splits(lstm) && lstm.Units % PanelLayout.Width == 0;

        /// <summary>
        /// The Step's product when a team is given. By units where they split (each thread its units' gates and cells,
        /// returning from Step when the team did the cells), else by columns (the caller updates the cells after).
        /// </summary>
        public static void EmitTeamProduct(IndentedWriter w, string number, LstmLayerSpec l)
        {
            if (SplitsUnits(l))
            {
                w.Line($"// Blocks of {PanelLayout.Width} units split among the team's threads: each computes its units' gate columns, as the");
                w.Line("// loops above do, and their cells; when the blocks do not split evenly, the threads share the columns instead.");
                w.Line($"if (team.Run(z, h, c, {PanelLayout.Width}, s_layer{number}Columns, s_layer{number}Units, reverse)) return;");
                return;
            }
            w.Line("// The column panels split among the team's threads; each computes its columns as the loops above do.");
            w.Line($"team.Run(z, h, {l.GateWidth}, {PanelLayout.Width}, s_layer{number}Columns, reverse);");
        }

        /// <summary>Emits <c>Layer{n}Columns</c> and the cached delegate the team calls it through.</summary>
        public static void EmitColumns(IndentedWriter w, string number, LstmLayerSpec l)
        {
            int u = l.Units, gates = l.GateWidth;
            w.Line($"// Layer {number}'s recurrent product by column ranges, for the threads of a CoreTeam (cached: no delegate per call).");
            w.Line($"private static readonly global::LstmGen.Runtime.RecurrentColumns s_layer{number}Columns = Layer{number}Columns;");
            w.Line();
            w.Line($"/// <summary>Layer {number}: z[start..end) += h·U[:, start..end), whole panels of {PanelLayout.Width} columns, each column as in <see cref=\"Layer{number}Step\"/>.</summary>");
            using (w.Method($"private static void Layer{number}Columns(Span<float> z, ReadOnlySpan<float> h, int start, int end, bool reverse)"))
            {
                w.Line($"z = z.Slice(0, {gates});");
                w.Line($"h = h.Slice(0, {u});");
                EmitRangeCheck(w, gates, "Column ranges are whole panels", "columns");
                w.Line("nuint first = (nuint)start, last = (nuint)end;");
                GemvEmitter.EmitColumnRange(w, "z", gates, "z", new[] { new GemvTerm("h", $"Layer{number}RecurrentKernel", u) }, "first", "last", "reverse");
            }
            w.Line();
            if (SplitsUnits(l)) EmitUnits(w, number, l);
        }

        /// <summary>The check every team method starts with: [start, end) within <paramref name="limit"/>, ends on whole panels (or blocks).</summary>
        internal static void EmitRangeCheck(IndentedWriter w, int limit, string ranges, string items)
        {
            using (w.Block($"if (start < 0 || end > {limit} || start > end || start % {PanelLayout.Width} != 0 || end % {PanelLayout.Width} != 0)"))
            {
                w.Line($"throw new ArgumentOutOfRangeException(nameof(start), \"{ranges} of {PanelLayout.Width} within {limit} {items}.\");");
            }
        }

        /// <summary>Emits <c>Layer{n}Units</c>, a block of units' gates and cells, and its cached delegate.</summary>
        private static void EmitUnits(IndentedWriter w, string number, LstmLayerSpec l)
        {
            int u = l.Units, gates = l.GateWidth;
            w.Line($"// Layer {number}'s timestep by unit ranges, for the threads of a CoreTeam (cached: no delegate per call).");
            w.Line($"private static readonly global::LstmGen.Runtime.RecurrentUnits s_layer{number}Units = Layer{number}Units;");
            w.Line();
            w.Line($"/// <summary>Layer {number}, units [start..end) (whole blocks of {PanelLayout.Width}): their four gates' z += h·U, each column as in <see cref=\"Layer{number}Step\"/>, then their cells; the new h goes to <paramref name=\"next\"/>.</summary>");
            using (w.Method($"private static void Layer{number}Units(Span<float> z, ReadOnlySpan<float> h, Span<float> c, Span<float> next, int start, int end, bool reverse)"))
            {
                w.Line($"z = z.Slice(0, {gates});");
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"c = c.Slice(0, {u});");
                w.Line($"next = next.Slice(0, {u});");
                EmitRangeCheck(w, u, "Unit ranges are whole blocks", "units");
                w.Line("// Gates i, f, c, o in turn (o first when reverse: the passes read last, still in cache, come first).");
                using (w.Block("for (nuint gate = 0; gate < 4; gate++)"))
                {
                    w.Line($"nuint offset = (reverse ? 3 - gate : gate) * {u};");
                    w.Line("nuint first = offset + (nuint)start, last = offset + (nuint)end;");
                    GemvEmitter.EmitColumnRange(w, "z", gates, "z", new[] { new GemvTerm("h", $"Layer{number}RecurrentKernel", u) }, "first", "last", "reverse");
                }
                w.Line($"LstmCell.UpdateUnits<{ActivationEmitter.TypeName(l.RecurrentActivation)}, {ActivationEmitter.TypeName(l.Activation)}>(z, c, next, start, end);");
            }
            w.Line();
        }
    }
}
