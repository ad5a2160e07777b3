using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// A large GRU's timestep with a <c>LstmGen.CoreTeam</c> (<see cref="TeamEmitter.Splits(GruLayerSpec)"/>):
    /// <c>Layer{n}WithTeam</c>, called by <c>Layer{n}Step</c> with the timestep's input parts, which hands each thread
    /// its blocks of units (their columns of the recurrent products and their cells, DeepCPU's split) where the blocks
    /// split evenly, and otherwise the recurrent products' column panels.
    /// Each column and each cell are computed by the same code as on one core, so the numbers are the same bit for bit.
    /// </summary>
    internal static class GruTeamEmitter
    {
        /// <summary>Emits <c>Layer{n}WithTeam</c> and the methods the team's threads run.</summary>
        public static void Emit(IndentedWriter w, string number, GruLayerSpec g)
        {
            EmitTeamMethod(w, number, g);
            EmitUnits(w, number, g);
            EmitColumns(w, number, g);
        }

        /// <summary>
        /// <c>Layer{n}WithTeam</c>, the timestep with a team, a method of its own. The input parts go to the scratch,
        /// where the threads' accumulators start from them (the sums and their order of the one-thread step). Where the
        /// blocks of units split evenly among the threads, each thread computes its units' columns and cells
        /// (<see cref="EmitUnits"/>); otherwise the team computes the recurrent columns and this thread the reset and
        /// the cell.
        /// </summary>
        private static void EmitTeamMethod(IndentedWriter w, string number, GruLayerSpec g)
        {
            int u = g.Units;
            bool bias = g.Bias is not null;
            string rec = ActivationEmitter.TypeName(g.RecurrentActivation), act = ActivationEmitter.TypeName(g.Activation);
            string prefix = $"Layer{number}";
            w.Line($"/// <summary>Layer {number}, one timestep with a CoreTeam: each thread its blocks of units where they split evenly, else the recurrent products' column panels split among the threads and the rest here.</summary>");
            using (w.Method($"private static void {prefix}WithTeam(ReadOnlySpan<float> zx, ReadOnlySpan<float> hx, Span<float> h, Span<float> z, bool reverse, global::LstmGen.CoreTeam team)"))
            {
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"Span<float> zr = z.Slice(0, {2 * u});");
                w.Line($"Span<float> inputPart = z.Slice({2 * u}, {u});");
                w.Line($"Span<float> recurrentPart = z.Slice({3 * u}, {u});");
                if (!g.ResetAfter) w.Line($"Span<float> resetH = z.Slice({4 * u}, {u});");
                w.Line("// The input parts into the scratch: the threads' accumulators start from them.");
                w.Line($"zx.Slice(0, {2 * u}).CopyTo(zr);");
                w.Line($"hx.Slice(0, {u}).CopyTo(inputPart);");
                w.Line($"// Blocks of {PanelLayout.Width} units split evenly among the threads: each computes its units' columns of the products, then");
                w.Line(g.ResetAfter
                    ? "// their cells, and the threads exchange only the new h."
                    : "// their reset r * h, which every thread's U_h product reads, so the threads meet, then their candidates and cells.");
                w.Line($"if (team.Run(z, h, {PanelLayout.Width}, s_layer{number}Units, {(g.ResetAfter ? "null" : $"s_layer{number}UnitsCandidate")}, reverse)) return;");
                w.Line();
                w.Line("// Otherwise the recurrent products' column panels split among the team's threads, the rest here.");
                if (g.ResetAfter)
                {
                    w.Line(bias ? $"{prefix}RecurrentBiasH.CopyTo(recurrentPart);" : "recurrentPart.Clear();");
                    w.Line($"team.Run(z, h, {3 * u}, {PanelLayout.Width}, s_layer{number}Recurrent, reverse);");
                    w.Line($"GruCell.Reset<{rec}>(zr.Slice({u}, {u}), recurrentPart, recurrentPart);");
                }
                else
                {
                    w.Line($"team.Run(z, h, {2 * u}, {PanelLayout.Width}, s_layer{number}Recurrent, reverse);");
                    w.Line($"GruCell.Reset<{rec}>(zr.Slice({u}, {u}), h, resetH);");
                    w.Line("recurrentPart.Clear();");
                    w.Line($"team.Run(z, resetH, {u}, {PanelLayout.Width}, s_layer{number}RecurrentH, reverse);");
                }
                w.Line($"GruCell.Update<{rec}, {act}>(zr.Slice(0, {u}), inputPart, recurrentPart, h);");
            }
            w.Line();
        }

        /// <summary>
        /// Emits the methods a team's threads run on their blocks of units, and their cached delegates; the scratch
        /// holds the input parts. With reset_after, <c>Layer{n}Units</c>: the units' columns of gates z, r (input part +
        /// h·U_zr) and of the candidate's recurrent part (b + h·U_h), then their reset and cells into <c>next</c>.
        /// Without it, <c>Layer{n}Units</c> stops at the reset r∘h of its units, and <c>Layer{n}UnitsCandidate</c>,
        /// after the threads meet, computes (r∘h)·U_h for the units' candidate columns and updates their cells. Every
        /// column is the one-thread product's sum in the same order, every unit the same cell code: the same bits.
        /// </summary>
        private static void EmitUnits(IndentedWriter w, string number, GruLayerSpec g)
        {
            int u = g.Units;
            string prefix = $"Layer{number}";
            bool bias = g.Bias is not null;
            string rec = ActivationEmitter.TypeName(g.RecurrentActivation), act = ActivationEmitter.TypeName(g.Activation);
            w.Line($"// Layer {number}'s timestep by unit ranges, for the threads of a CoreTeam (cached: no delegate per call).");
            w.Line($"private static readonly global::LstmGen.Runtime.GruUnits s_layer{number}Units = {prefix}Units;");
            if (!g.ResetAfter) w.Line($"private static readonly global::LstmGen.Runtime.GruUnits s_layer{number}UnitsCandidate = {prefix}UnitsCandidate;");
            w.Line();
            w.Line(g.ResetAfter
                ? $"/// <summary>Layer {number}, units [start..end) (whole blocks of {PanelLayout.Width}): their columns of the recurrent products added to the input parts in <paramref name=\"z\"/>, each as in <see cref=\"{prefix}Step\"/>, then their reset and cells; the new h goes to <paramref name=\"next\"/>.</summary>"
                : $"/// <summary>Layer {number}, units [start..end) (whole blocks of {PanelLayout.Width}): their columns of gates z, r added to the input parts in <paramref name=\"z\"/>, each as in <see cref=\"{prefix}Step\"/>, then their reset r * h.</summary>");
            using (w.Method($"private static void {prefix}Units(Span<float> z, ReadOnlySpan<float> h, Span<float> next, int start, int end, bool reverse)"))
            {
                EmitUnitsStart(w, g);
                w.Line("// Gates z then r (r first when reverse: the passes read last, still in cache, come first).");
                using (w.Block("for (nuint gate = 0; gate < 2; gate++)"))
                {
                    w.Line($"nuint offset = (reverse ? 1 - gate : gate) * {u};");
                    w.Line("nuint first = offset + (nuint)start, last = offset + (nuint)end;");
                    GemvEmitter.EmitColumnRange(w, "zr", 2 * u, "zr", new[] { new GemvTerm("h", $"{prefix}RecurrentKernelZR", u) }, "first", "last", "reverse");
                }
                if (g.ResetAfter)
                {
                    EmitUnitColumns(w, "Candidate, recurrent part: h·U_h + b_rec_h.", "recurrentPart", u, bias ? $"{prefix}RecurrentBiasH" : null, new GemvTerm("h", $"{prefix}RecurrentKernelH", u));
                    w.Line($"GruCell.Reset<{rec}>(zr.Slice({u} + start, units), recurrentPart.Slice(start, units), recurrentPart.Slice(start, units));");
                    w.Line($"GruCell.Update<{rec}, {act}>(zr.Slice(start, units), inputPart.Slice(start, units), recurrentPart.Slice(start, units), h.Slice(start, units), next.Slice(start, units));");
                }
                else
                {
                    w.Line($"GruCell.Reset<{rec}>(zr.Slice({u} + start, units), h.Slice(start, units), resetH.Slice(start, units));");
                }
            }
            w.Line();
            if (g.ResetAfter) return;
            w.Line($"/// <summary>Layer {number}, units [start..end) after every unit's reset: their candidate columns (r * h)·U_h, as in <see cref=\"{prefix}Step\"/>, then their cells; the new h goes to <paramref name=\"next\"/>.</summary>");
            using (w.Method($"private static void {prefix}UnitsCandidate(Span<float> z, ReadOnlySpan<float> h, Span<float> next, int start, int end, bool reverse)"))
            {
                EmitUnitsStart(w, g);
                EmitUnitColumns(w, "Candidate, recurrent part: (r * h)·U_h.", "recurrentPart", u, null, new GemvTerm("resetH", $"{prefix}RecurrentKernelH", u));
                w.Line($"GruCell.Update<{rec}, {act}>(zr.Slice(start, units), inputPart.Slice(start, units), recurrentPart.Slice(start, units), h.Slice(start, units), next.Slice(start, units));");
            }
            w.Line();
        }

        /// <summary>The lengths fixed, the range checked and the scratch's parts named.</summary>
        private static void EmitUnitsStart(IndentedWriter w, GruLayerSpec g)
        {
            int u = g.Units;
            w.Line($"z = z.Slice(0, {(g.ResetAfter ? 4 : 5) * u});");
            w.Line($"h = h.Slice(0, {u});");
            w.Line($"next = next.Slice(0, {u});");
            TeamEmitter.EmitRangeCheck(w, u, "Unit ranges are whole blocks", "units");
            w.Line("int units = end - start;");
            w.Line($"Span<float> zr = z.Slice(0, {2 * u});");
            w.Line($"Span<float> inputPart = z.Slice({2 * u}, {u});");
            w.Line($"Span<float> recurrentPart = z.Slice({3 * u}, {u});");
            if (!g.ResetAfter) w.Line($"Span<float> resetH = z.Slice({4 * u}, {u});");
        }

        /// <summary>Columns [start, end) of a product of <paramref name="columns"/> (one per unit), in a scope of their own.</summary>
        private static void EmitUnitColumns(IndentedWriter w, string comment, string output, int columns, string? bias, GemvTerm term)
        {
            using (w.Block($"// {comment}"))
            {
                w.Line("nuint first = (nuint)start, last = (nuint)end;");
                GemvEmitter.EmitColumnRange(w, output, columns, bias, new[] { term }, "first", "last", "reverse");
            }
        }

        /// <summary>
        /// Emits a GRU's products for a team's threads: <c>Layer{n}Recurrent</c>, columns [0, 2u) of gates z, r from U_zr
        /// then (reset_after) columns [2u, 3u) of the candidate's recurrent part from U_h, both read from h; without
        /// reset_after, U_h's product reads r·h, so it is a second method, <c>Layer{n}RecurrentH</c>, run after the reset.
        /// </summary>
        private static void EmitColumns(IndentedWriter w, string number, GruLayerSpec g)
        {
            int u = g.Units;
            var zr = new GruSegment("zr", 0, 2 * u, $"Layer{number}RecurrentKernelZR", "gates z, r += h·U_zr");
            var candidate = new GruSegment("recurrentPart", 3 * u, u, $"Layer{number}RecurrentKernelH", g.ResetAfter ? "the candidate's recurrent part += h·U_h" : "the candidate's recurrent part += (r·h)·U_h");
            if (g.ResetAfter)
            {
                EmitGruDelegate(w, number, "Recurrent", u, new[] { zr, candidate });
            }
            else
            {
                EmitGruDelegate(w, number, "Recurrent", u, new[] { zr });
                EmitGruDelegate(w, number, "RecurrentH", u, new[] { candidate });
            }
        }

        /// <summary>One matrix of a GRU's team product: its columns write <c>z[Offset..Offset + Columns)</c> of the layer's scratch.</summary>
        private sealed class GruSegment
        {
            public GruSegment(string name, int offset, int columns, string matrix, string comment)
            {
                Name = name;
                Offset = offset;
                Columns = columns;
                Matrix = matrix;
                Comment = comment;
            }

            public string Name { get; }
            public int Offset { get; }
            public int Columns { get; }
            public string Matrix { get; }
            public string Comment { get; }
        }

        private static void EmitGruDelegate(IndentedWriter w, string number, string suffix, int u, GruSegment[] segments)
        {
            int total = 0, scratch = 0;
            foreach (GruSegment segment in segments)
            {
                total += segment.Columns;
                scratch = System.Math.Max(scratch, segment.Offset + segment.Columns);
            }
            w.Line($"// Layer {number}'s recurrent product{(segments.Length > 1 ? "s" : "")} by column ranges, for the threads of a CoreTeam (cached: no delegate per call).");
            w.Line($"private static readonly global::LstmGen.Runtime.RecurrentColumns s_layer{number}{suffix} = Layer{number}{suffix};");
            w.Line();
            w.Line($"/// <summary>Layer {number}: columns [start..end) of {total}, whole panels of {PanelLayout.Width}, each column as in <see cref=\"Layer{number}\"/>; the accumulators start from the scratch <paramref name=\"z\"/> itself.</summary>");
            using (w.Method($"private static void Layer{number}{suffix}(Span<float> z, ReadOnlySpan<float> h, int start, int end, bool reverse)"))
            {
                w.Line($"z = z.Slice(0, {scratch});");
                w.Line($"h = h.Slice(0, {u});");
                TeamEmitter.EmitRangeCheck(w, total, "Column ranges are whole panels", "columns");
                using (w.Block(segments.Length == 1 ? null : $"for (int pass = 0; pass < {segments.Length}; pass++)"))
                {
                    if (segments.Length > 1)
                    {
                        w.Line("// The matrices in turn, the last first when reverse (its passes, read last, are still in cache).");
                        w.Line($"int matrix = reverse ? {segments.Length - 1} - pass : pass;");
                    }
                    EmitGruSegments(w, u, segments);
                }
            }
            w.Line();
        }

        private static void EmitGruSegments(IndentedWriter w, int u, GruSegment[] segments)
        {
            int at = 0;
            for (int i = 0; i < segments.Length; i++)
            {
                GruSegment segment = segments[i];
                int from = at, to = at + segment.Columns;
                w.Line($"// Columns [{from}, {to}): {segment.Comment}.");
                using (w.Block(segments.Length == 1 ? null : $"{(i == 0 ? "if" : "else if")} (matrix == {i} && start < {to} && end > {from})"))
                {
                    w.Line($"Span<float> {segment.Name} = z.Slice({segment.Offset}, {segment.Columns});");
                    w.Line(from == 0
                        ? $"nuint first = (nuint)start, last = (nuint)global::System.Math.Min(end, {to});"
                        : $"nuint first = (nuint)(global::System.Math.Max(start, {from}) - {from}), last = (nuint)(global::System.Math.Min(end, {to}) - {from});");
                    GemvEmitter.EmitColumnRange(w, segment.Name, segment.Columns, segment.Name, new[] { new GemvTerm("h", segment.Matrix, u) }, "first", "last", "reverse");
                }
                at = to;
            }
        }
    }
}
