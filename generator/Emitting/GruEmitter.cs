using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits a GRU layer's timestep method and weights. The scratch span holds
    /// [z, r pre-activations (2u) | candidate input part (u) | candidate recurrent part (u) | r∘h (u, reset_after=false)];
    /// the products are GEMVs over the regrouped weights of <see cref="GruWeights"/>, the gates the fused
    /// runtime <c>GruCell</c>. Layers of a few vectors of units run the whole timestep in registers instead
    /// (<see cref="GruRegisterCellEmitter"/>) wherever the hardware has the vectors.
    /// </summary>
    internal static class GruEmitter
    {
        public static void EmitMethod(IndentedWriter w, string number, GruLayerSpec g)
        {
            int u = g.Units;
            string sigma = ActivationText.ShortName(g.RecurrentActivation);
            string prefix = $"Layer{number}";
            bool bias = g.Bias is not null;
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(g.Description)}. One timestep: reads x and the previous h; writes the new h.</summary>");
            w.Line(g.ResetAfter
                ? "/// <remarks>z, r = σ(x·W + b_in + h·U + b_rec); h̃ = act(x·W_h + b_in_h + r * (h·U_h + b_rec_h)); h = z * h + (1 - z) * h̃.</remarks>"
                : "/// <remarks>z, r = σ(x·W + h·U + b); h̃ = act(x·W_h + b_h + (r * h)·U_h); h = z * h + (1 - z) * h̃.</remarks>");
            bool alternates = Alternates(w, g);
            if (alternates) w.Line("/// <param name=\"reverse\">Walk the column passes last first (Predict alternates it per timestep, so the passes read last, still in cache, come first); the same numbers either way.</param>");
            using (w.Method($"private static void {prefix}(ReadOnlySpan<float> x, Span<float> h, Span<float> z{(alternates ? ", bool reverse = false" : "")})"))
            {
                w.Line("// Fix every length up front: one bounds check each, none in the loops below.");
                w.Line($"x = x.Slice(0, {g.InputSize});");
                w.Line($"h = h.Slice(0, {u});");
                GruRegisterCellEmitter.EmitDispatch(w, prefix, g);
                w.Line($"Span<float> zr = z.Slice(0, {2 * u});");
                w.Line($"Span<float> inputPart = z.Slice({2 * u}, {u});");
                w.Line($"Span<float> recurrentPart = z.Slice({3 * u}, {u});");
                if (!g.ResetAfter)
                {
                    w.Line($"Span<float> resetH = z.Slice({4 * u}, {u});");
                }
                w.Line();
                string? reverse = alternates ? "reverse" : null;
                EmitCandidateFirst(w, prefix, g, alternates);
                w.Line($"// Gates z, r: x·W_zr + h·U_zr + b_zr, W_zr [{g.InputSize}, {2 * u}], U_zr [{u}, {2 * u}].");
                Gemv(w, "zr", 2 * u, bias ? $"{prefix}BiasZR" : null, reverse, new GemvTerm("x", $"{prefix}KernelZR", g.InputSize), new GemvTerm("h", $"{prefix}RecurrentKernelZR", u));
                w.Line();
                w.Line($"// Candidate, input part: x·W_h + b_h, W_h [{g.InputSize}, {u}].");
                Gemv(w, "inputPart", u, bias ? $"{prefix}BiasH" : null, null, new GemvTerm("x", $"{prefix}KernelH", g.InputSize));
                w.Line();
                EmitCandidateAndCell(w, prefix, g, alternates, "inputPart");
            }
            w.Line();
            if (alternates && g.ResetAfter)
            {
                // Its own method: called from two places, and the timestep method stays small enough for the JIT to
                // keep its locals in registers.
                w.Line($"/// <summary>Layer {number}: the candidate's recurrent part h·U_h + b_rec_h, its passes last first when <paramref name=\"reverse\"/>.</summary>");
                using (w.Method($"private static void {prefix}Candidate(ReadOnlySpan<float> h, Span<float> recurrentPart, bool reverse)"))
                {
                    w.Line($"h = h.Slice(0, {u});");
                    w.Line($"recurrentPart = recurrentPart.Slice(0, {u});");
                    EmitRecurrentPart(w, prefix, g, sigma, "reverse");
                }
                w.Line();
            }
            GruRegisterCellEmitter.EmitCells(w, number, g);
        }

        /// <summary>
        /// Whether Predict's blocked loop may give the layer its input parts for a block of timesteps at once
        /// (<see cref="EmitProjection"/>): every GRU but the smallest, and those with cells only where the cells'
        /// width is not accelerated (<see cref="RegisterStages.GruCellBits"/>).
        /// </summary>
        public static bool Projects(IndentedWriter w, GruLayerSpec g) => RegisterStages.GruProjects(g, w.DebugBuild);

        /// <summary>
        /// The call of <c>Layer{label}Step</c> on row <paramref name="row"/> of a block of <paramref name="count"/> rows
        /// whose input parts <c>Layer{label}Project</c> wrote to <c>zs</c> (z, r row by row, then the candidate's);
        /// <paramref name="odd"/> is the timestep's parity, passed where the walk alternates, and <paramref name="team"/>
        /// Predict's CoreTeam where the Step takes one.
        /// </summary>
        public static string StepCall(IndentedWriter w, string label, GruLayerSpec g, string row, string count, string odd, bool team)
        {
            int u = g.Units;
            string zx = $"zs.Slice({IndexExpression.Times(row, 2 * u)}, {IntLiteral.Format(2 * u)})";
            string rows = IndexExpression.Times(count, 2 * u), offset = IndexExpression.Times(row, u);
            string start = offset == "0" ? rows
                : int.TryParse(rows, out int a) && int.TryParse(offset, out int b) ? IntLiteral.Format(a + b)
                : $"{rows} + {offset}";
            string hx = $"zs.Slice({start}, {IntLiteral.Format(u)})";
            return $"Layer{label}Step({zx}, {hx}, h{label}, z{(Alternates(w, g) ? $", {odd}" : string.Empty)}{(team ? ", team" : string.Empty)});";
        }

        /// <summary>
        /// <c>Layer{n}Project</c>, the input parts x·W + b of gates z, r and of the candidate for a block of timesteps
        /// (each column the same sum, in the same order, as in <c>Layer{n}</c>), and <c>Layer{n}Step</c>, the timestep
        /// that adds the recurrent parts to them: together the same numbers as <c>Layer{n}</c>, the input kernels read
        /// once per block instead of once per timestep. With <paramref name="withTeam"/> (not for a Bidirectional's
        /// directions, which run on the caller alone) a large GRU's Step also takes Predict's CoreTeam.
        /// </summary>
        public static void EmitProjection(IndentedWriter w, string number, GruLayerSpec g, bool withTeam)
        {
            int u = g.Units;
            string prefix = $"Layer{number}";
            bool bias = g.Bias is not null;
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(g.Description)}: the input parts of gates z, r and of the candidate for <paramref name=\"rows\"/> timesteps at once.</summary>");
            w.Line($"/// <remarks>zs[0 .. rows·{2 * u}) holds x·W_zr + b_zr row by row, then zs[rows·{2 * u} .. rows·{3 * u}) x·W_h + b_h; W_zr [{g.InputSize}, {2 * u}], W_h [{g.InputSize}, {u}]. The recurrent parts follow per timestep in <see cref=\"{prefix}Step\"/>.</remarks>");
            using (w.Method($"private static void {prefix}Project(ReadOnlySpan<float> xs, int rows, Span<float> zs)"))
            {
                w.Line("// Fix every length up front: one bounds check each, none in the loops below.");
                w.Line($"xs = xs.Slice(0, rows * {g.InputSize});");
                w.Line($"Span<float> inputZR = zs.Slice(0, rows * {2 * u});");
                w.Line($"Span<float> inputH = zs.Slice(rows * {2 * u}, rows * {u});");
                using (w.Block("// Gates z, r."))
                {
                    GemmEmitter.Emit(w, "inputZR", "xs", "rows", g.InputSize, 2 * u, bias ? $"{prefix}BiasZR" : null, $"{prefix}KernelZR");
                }
                using (w.Block("// The candidate."))
                {
                    GemmEmitter.Emit(w, "inputH", "xs", "rows", g.InputSize, u, bias ? $"{prefix}BiasH" : null, $"{prefix}KernelH");
                }
            }
            w.Line();

            bool team = withTeam && !w.DebugBuild && TeamEmitter.Splits(g);
            bool alternates = Alternates(w, g);
            w.Line($"/// <summary>Layer {number}, one timestep: <paramref name=\"zx\"/> and <paramref name=\"hx\"/> hold the input parts of gates z, r and of the candidate; adds the recurrent parts, then updates h.</summary>");
            w.Line($"/// <remarks>The same numbers as <see cref=\"{prefix}\"/>: each column of gates z, r starts from its input part, the sum that method starts with, and adds h·U_zr in the same order; the candidate's input part is used as it is.</remarks>");
            if (alternates) w.Line("/// <param name=\"reverse\">Walk the column passes last first (Predict alternates it per timestep); the same numbers either way.</param>");
            if (team) w.Line("/// <param name=\"team\">Threads that share the timestep, or null for this thread alone (the same numbers).</param>");
            using (w.Method($"private static void {prefix}Step(ReadOnlySpan<float> zx, ReadOnlySpan<float> hx, Span<float> h, Span<float> z{(alternates ? ", bool reverse = false" : "")}{(team ? ", global::LstmGen.CoreTeam? team = null" : "")})"))
            {
                w.Line("// Fix every length up front: one bounds check each, none in the loops below.");
                w.Line($"zx = zx.Slice(0, {2 * u});");
                w.Line($"hx = hx.Slice(0, {u});");
                w.Line($"h = h.Slice(0, {u});");
                if (team) EmitTeamStep(w, prefix);
                w.Line($"Span<float> zr = z.Slice(0, {2 * u});");
                w.Line($"Span<float> recurrentPart = z.Slice({3 * u}, {u});");
                if (!g.ResetAfter) w.Line($"Span<float> resetH = z.Slice({4 * u}, {u});");
                w.Line();
                EmitCandidateFirst(w, prefix, g, alternates);
                w.Line($"// Gates z, r: the input part (x·W_zr + b_zr) + h·U_zr, U_zr [{u}, {2 * u}].");
                Gemv(w, "zr", 2 * u, "zx", alternates ? "reverse" : null, new GemvTerm("h", $"{prefix}RecurrentKernelZR", u));
                w.Line();
                EmitCandidateAndCell(w, prefix, g, alternates, "hx");
            }
            w.Line();
            if (team) GruTeamEmitter.Emit(w, number, g);
        }

        /// <summary>
        /// Whether the layer's method takes <c>reverse</c> (optimized builds): recurrent matrices together larger than
        /// a core's L1, which the cache cannot be trusted to keep between timesteps (as <see cref="LayerEmitter.AlternatesPanels"/>).
        /// </summary>
        public static bool Alternates(IndentedWriter w, GruLayerSpec g)
            => !w.DebugBuild && 3L * g.Units * g.Units >= MemoryBudget.LargerThanL1Floats;

        /// <summary>With the walk alternating, reset_after's U_h product comes first on reverse timesteps (its passes, read last, are still in cache).</summary>
        private static void EmitCandidateFirst(IndentedWriter w, string prefix, GruLayerSpec g, bool alternates)
        {
            if (!alternates || !g.ResetAfter) return;
            // Both products read h: the reverse walk takes U_h first, U_zr last, each last panel first.
            w.Line("// Candidate, recurrent part first when reverse: U_h's passes read last, still in cache.");
            w.Line($"if (reverse) {prefix}Candidate(h, recurrentPart, true);");
        }

        /// <summary>
        /// After gates z, r: the candidate's recurrent part and the reset, then the cell on <paramref name="inputPart"/>
        /// (the candidate's input part), the same in <c>Layer{n}</c> and <c>Layer{n}Step</c>.
        /// </summary>
        private static void EmitCandidateAndCell(IndentedWriter w, string prefix, GruLayerSpec g, bool alternates, string inputPart)
        {
            int u = g.Units;
            string rec = ActivationEmitter.TypeName(g.RecurrentActivation), act = ActivationEmitter.TypeName(g.Activation);
            string sigma = ActivationText.ShortName(g.RecurrentActivation), phi = ActivationText.ShortName(g.Activation);
            string? reverse = alternates ? "reverse" : null;
            if (g.ResetAfter)
            {
                if (alternates)
                {
                    w.Line($"if (!reverse) {prefix}Candidate(h, recurrentPart, false);");
                }
                else
                {
                    EmitRecurrentPart(w, prefix, g, sigma, reverse);
                }
                w.Line($"GruCell.Reset<{rec}>(zr.Slice({u}, {u}), recurrentPart, recurrentPart);");
            }
            else
            {
                w.Line($"// Candidate, recurrent part (reset before the product): ({sigma}(r) * h)·U_h, U_h [{u}, {u}].");
                w.Line($"GruCell.Reset<{rec}>(zr.Slice({u}, {u}), h, resetH);");
                Gemv(w, "recurrentPart", u, null, reverse, new GemvTerm("resetH", $"{prefix}RecurrentKernelH", u));
            }
            w.Line();
            w.Line($"// h = {sigma}(z) * h + (1 - {sigma}(z)) * {phi}(input part + recurrent part), one fused pass over the units.");
            w.Line($"GruCell.Update<{rec}, {act}>(zr.Slice(0, {u}), {inputPart}, recurrentPart, h);");
        }

        private static void EmitRecurrentPart(IndentedWriter w, string prefix, GruLayerSpec g, string sigma, string? reverse)
        {
            int u = g.Units;
            w.Line($"// Candidate, recurrent part (reset_after): {sigma}(r) * (h·U_h + b_rec_h), U_h [{u}, {u}].");
            Gemv(w, "recurrentPart", u, g.Bias is not null ? $"{prefix}RecurrentBiasH" : null, reverse, new GemvTerm("h", $"{prefix}RecurrentKernelH", u));
        }

        /// <summary>
        /// With a team given, the timestep goes to <c>Layer{n}WithTeam</c> (<see cref="GruTeamEmitter"/>).
        /// </summary>
        private static void EmitTeamStep(IndentedWriter w, string prefix)
        {
            using (w.Block("if (team is not null)"))
            {
                w.Line($"{prefix}WithTeam(zx, hx, h, z, reverse, team);");
                w.Line("return;");
            }
        }

        public static void EmitWeights(IndentedWriter w, string number, string owner, GruLayerSpec g)
        {
            var weights = new GruWeights(g);
            string prefix = $"Layer{number}";
            WeightsEmitter.Emit(w, prefix + "KernelZR", owner + ": kernel columns of gates z, r (input × 2 units)", weights.KernelZR);
            w.Line();
            WeightsEmitter.Emit(w, prefix + "KernelH", owner + ": kernel columns of the candidate h (input × units)", weights.KernelH);
            w.Line();
            WeightsEmitter.Emit(w, prefix + "RecurrentKernelZR", owner + ": recurrent kernel columns of gates z, r (units × 2 units)", weights.RecurrentKernelZR);
            w.Line();
            WeightsEmitter.Emit(w, prefix + "RecurrentKernelH", owner + ": recurrent kernel columns of the candidate h (units × units)", weights.RecurrentKernelH);
            if (weights.BiasZR is not null)
            {
                w.Line();
                WeightsEmitter.Emit(w, prefix + "BiasZR", owner + (g.ResetAfter ? ": input bias + recurrent bias of gates z, r" : ": bias of gates z, r"), weights.BiasZR);
            }
            if (weights.BiasH is not null)
            {
                w.Line();
                WeightsEmitter.Emit(w, prefix + "BiasH", owner + (g.ResetAfter ? ": input bias of the candidate h" : ": bias of the candidate h"), weights.BiasH);
            }
            if (weights.RecurrentBiasH is not null)
            {
                w.Line();
                WeightsEmitter.Emit(w, prefix + "RecurrentBiasH", owner + ": recurrent bias of the candidate h (reset_after: inside r * (...))", weights.RecurrentBiasH);
            }
            w.Line();
        }

        internal static void Gemv(IndentedWriter w, string output, int columns, string? bias, string? reverse, params GemvTerm[] terms)
        {
            using (w.Block())
            {
                GemvEmitter.Emit(w, output, columns, bias, terms, reverse);
            }
        }
    }
}
