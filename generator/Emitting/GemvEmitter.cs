using System;
using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>One input of a matrix-vector product: a vector times a row-major weight matrix of <see cref="Rows"/> rows.</summary>
    internal readonly struct GemvTerm
    {
        public GemvTerm(string vector, string matrix, int rows)
        {
            Vector = vector;
            Matrix = matrix;
            Rows = rows;
        }

        public string Vector { get; }

        public string Matrix { get; }

        public int Rows { get; }
    }

    /// <summary>
    /// Emits <c>y = b + Σ x·W</c> for Keras's row-major <c>(in, out)</c> kernels with every size a constant:
    /// on the widest accelerated vector type (<see cref="ColumnTier"/>; the JIT folds the checks), column blocks of
    /// that type, then of each narrower one for what is left (fused multiply-add where the CPU has it), then scalar
    /// code for the remaining columns, and for all of them on hardware without SIMD.
    /// Each column block keeps its accumulator in a register while it walks the rows, reading the weights
    /// contiguously.
    /// </summary>
    internal static class GemvEmitter
    {
        private static readonly (string Type, int Width)[] s_widths =
        {
            ("Vector512", 16),
            ("Vector256", 8),
            ("Vector128", 4),
        };

        /// <summary>Accumulators per pass: 8 chains cover two FMA ports with four-cycle latency.</summary>
        private const int MaxAccumulators = 8;

        /// <summary>A run of passes: a loop, or for a single pass its body with the column a constant.</summary>
        private static void EmitPasses(IndentedWriter w, ColumnPass pass, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string? reverse, bool alone)
        {
            if (pass.Count == 1)
            {
                // One pass: its body, in a scope of its own unless it is all the tier does.
                using (alone ? default(IndentedWriter.Scope?) : w.Block($"// Columns {pass.Start} to {pass.End - 1}."))
                {
                    EmitBlockBody(w, pass.Type, pass.Width, pass.Blocks, columns, bias, terms, IntLiteral.Format(pass.Start));
                }
                return;
            }
            string start = IntLiteral.Format(pass.Start), end = IntLiteral.Format(pass.End), step = IntLiteral.Format(pass.Step);
            if (reverse is not null && pass.Blocks >= 2)
            {
                // Last pass first on alternate calls: the passes read most recently (the last ones) are the ones
                // still in cache, where walking in the same order every time evicts each just before its use.
                using (w.Block($"if ({reverse})"))
                {
                    EmitReversedLoop(w, pass, columns, bias, terms, start, end, step);
                }
                using (w.Block("else"))
                {
                    EmitLoop(w, pass, columns, bias, terms, start, end, step);
                }
                return;
            }
            EmitLoop(w, pass, columns, bias, terms, start, end, step);
        }

        private static void EmitReversedLoop(IndentedWriter w, ColumnPass pass, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string start, string end, string step)
        {
            using (w.Block($"for (nuint j = {end}; j > {start}; )"))
            {
                w.Line($"j -= {step};");
                EmitBlockBody(w, pass.Type, pass.Width, pass.Blocks, columns, bias, terms, "j");
            }
        }

        private static void EmitLoop(IndentedWriter w, ColumnPass pass, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string start, string end, string step)
        {
            using (w.Block($"for (nuint j = {start}; j < {end}; j += {step})"))
            {
                EmitBlockBody(w, pass.Type, pass.Width, pass.Blocks, columns, bias, terms, "j");
            }
        }

        /// <summary>One pass: <paramref name="blocks"/> vectors of columns from <paramref name="j"/>, over every row of every term.</summary>
        private static void EmitBlockBody(IndentedWriter w, string type, int width, int blocks, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string j)
        {
            for (int b = 0; b < blocks; b++)
            {
                w.Line(bias is not null
                    ? $"{type}<float> acc{b} = {Index.Load(type, "bias", Index.Plus(j, width * b))};"
                    : $"{type}<float> acc{b} = {type}<float>.Zero;");
            }
            PanelLayout.EmitPanelStart(w, columns, j);
            for (int t = 0; t < terms.Count; t++)
            {
                if (terms[t].Rows == 1 && !PanelLayout.HasPanels(columns))
                {
                    // One row: no loop over the rows.
                    string value = $"{type}.Create(in{t})";
                    if (blocks > 1)
                    {
                        w.Line($"{type}<float> value{t} = {value};");
                        value = $"value{t}";
                    }
                    for (int b = 0; b < blocks; b++)
                    {
                        w.Line($"acc{b} = FusedMultiplyAdd.Compute({value}, {Index.Load(type, $"weights{t}", Index.Plus(j, width * b))}, acc{b});");
                    }
                    continue;
                }
                if (terms[t].Rows == 1)
                {
                    string start = PanelLayout.EmitPanelBase(w, $"weights{t}", $"panel{t}", 1, columns, j, row: null);
                    w.Line($"{type}<float> value{t} = {type}.Create(in{t});");
                    w.Line($"ref float row{t} = ref {start};");
                    for (int b = 0; b < blocks; b++)
                    {
                        w.Line($"acc{b} = FusedMultiplyAdd.Compute(value{t}, {Index.Load(type, $"row{t}", IntLiteral.Format(width * b))}, acc{b});");
                    }
                    continue;
                }
                string rowStart = PanelLayout.EmitPanelBase(w, $"weights{t}", $"panel{t}", terms[t].Rows, columns, j);
                using (w.Block($"for (nuint k = 0; k < {terms[t].Rows}; k++)"))
                {
                    w.Line($"{type}<float> value = {type}.Create(Unsafe.Add(ref in{t}, k));");
                    w.Line($"ref float row = ref {rowStart};");
                    for (int b = 0; b < blocks; b++)
                    {
                        w.Line($"acc{b} = FusedMultiplyAdd.Compute(value, {Index.Load(type, "row", IntLiteral.Format(width * b))}, acc{b});");
                    }
                }
            }
            for (int b = 0; b < blocks; b++)
            {
                w.Line(Index.Store(type, $"acc{b}", "dst", Index.Plus(j, width * b)));
            }
        }

        /// <summary>Columns from <paramref name="start"/> on in scalar code: a loop, or one column's body.</summary>
        private static void EmitScalar(IndentedWriter w, int start, int columns, string? bias, IReadOnlyList<GemvTerm> terms)
        {
            if (start >= columns) return;
            if (columns - start == 1)
            {
                using (w.Block($"// Column {start}."))
                {
                    EmitScalarBody(w, columns, bias, terms, IntLiteral.Format(start));
                }
                return;
            }
            using (w.Block($"for (nuint j = {IntLiteral.Format(start)}; j < {IntLiteral.Format(columns)}; j++)"))
            {
                EmitScalarBody(w, columns, bias, terms, "j");
            }
        }

        private static void EmitScalarBody(IndentedWriter w, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string j)
        {
            w.Line(bias is not null ? $"float sum = {Index.Element("bias", j)};" : "float sum = 0f;");
            PanelLayout.EmitPanelStart(w, columns, j);
            for (int t = 0; t < terms.Count; t++)
            {
                if (terms[t].Rows == 1)
                {
                    string element = PanelLayout.EmitPanelBase(w, $"weights{t}", $"panel{t}", terms[t].Rows, columns, j, row: null);
                    w.Line($"sum += in{t} * {element};");
                    continue;
                }
                string rowStart = PanelLayout.EmitPanelBase(w, $"weights{t}", $"panel{t}", terms[t].Rows, columns, j);
                using (w.Block($"for (nuint k = 0; k < {terms[t].Rows}; k++)"))
                {
                    w.Line($"sum += Unsafe.Add(ref in{t}, k) * {rowStart};");
                }
            }
            w.Line($"{Index.Element("dst", j)} = sum;");
        }

        /// <summary>The refs the loops read and write: the output, the bias (the accumulators' start), each term's vector and weights.</summary>
        private static void EmitReferences(IndentedWriter w, string output, string? bias, IReadOnlyList<GemvTerm> terms)
        {
            w.Line($"ref float dst = ref MemoryMarshal.GetReference({output});");
            if (bias is not null) w.Line($"ref float bias = ref MemoryMarshal.GetReference({bias});");
            for (int t = 0; t < terms.Count; t++)
            {
                w.Line($"ref float in{t} = ref MemoryMarshal.GetReference({terms[t].Vector});");
                w.Line($"ref float weights{t} = ref MemoryMarshal.GetReference({terms[t].Matrix});");
            }
        }

        /// <summary>
        /// Whether <see cref="EmitColumnRange"/> computes any run of whole panels with the very code <see cref="Emit"/>
        /// runs for those columns: on every tier, one run of the widest multi-vector passes covers all the columns.
        /// </summary>
        public static bool SplitsIntoPanels(int columns)
        {
            if (!PanelLayout.HasPanels(columns) || columns % PanelLayout.Width != 0) return false;
            foreach (ColumnTier tier in ColumnTier.Plan(columns, s_widths, (type, width) => MaxAccumulators))
            {
                if (tier.Passes.Count != 1 || tier.ScalarStart != columns || PanelLayout.Width % tier.Passes[0].Step != 0) return false;
            }
            return true;
        }

        /// <summary>
        /// The columns <c>[start, end)</c> of <see cref="Emit"/>'s product (<paramref name="start"/> and
        /// <paramref name="end"/> are nuint expressions, whole panels apart; see <see cref="SplitsIntoPanels"/>): each
        /// column computed exactly as there, its passes walked last first when <paramref name="reverse"/> is true.
        /// </summary>
        public static void EmitColumnRange(IndentedWriter w, string output, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string start, string end, string reverse)
        {
            EmitReferences(w, output, bias, terms);
            List<ColumnTier> tiers = ColumnTier.Plan(columns, s_widths, (type, width) => MaxAccumulators);
            for (int i = 0; i < tiers.Count; i++)
            {
                ColumnPass pass = tiers[i].Passes[0];
                string step = IntLiteral.Format(pass.Step);
                using (w.Block($"{(i == 0 ? "if" : "else if")} ({tiers[i].Type}.IsHardwareAccelerated)"))
                using (PanelLayout.Tier(w, tiers[i].Type))
                {
                    using (w.Block($"if ({reverse})"))
                    {
                        EmitReversedLoop(w, pass, columns, bias, terms, start, end, step);
                    }
                    using (w.Block("else"))
                    {
                        EmitLoop(w, pass, columns, bias, terms, start, end, step);
                    }
                }
            }
            using (w.Block("else"))
            {
                w.Line("// No vector width is accelerated.");
                using (w.Block($"for (nuint j = {start}; j < {end}; j++)"))
                {
                    EmitScalarBody(w, columns, bias, terms, "j");
                }
            }
        }

        /// <summary>
        /// Emits the product; with <paramref name="reverse"/> (a bool in generated code) the widest multi-vector
        /// passes run last first when it is true, for matrices too large to stay in the cache between calls.
        /// </summary>
        public static void Emit(IndentedWriter w, string output, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string? reverse = null)
        {
            string n = IntLiteral.Format(columns);
            if (w.DebugBuild)
            {
                // Unoptimized code would run these loops many times slower: call the precompiled kernel (same numbers).
                var arguments = new List<string> { $"{output}.Slice(0, {n})", bias ?? "default" };
                foreach (GemvTerm term in terms)
                {
                    arguments.Add($"{term.Vector}.Slice(0, {IntLiteral.Format(term.Rows)})");
                    arguments.Add(term.Matrix);
                }
                w.Line($"MatrixProduct.Gemv({string.Join(", ", arguments)});");
                return;
            }
            EmitReferences(w, output, bias, terms);

            // Several column blocks per pass: independent accumulator chains hide the FMA latency, and each
            // broadcast input value is reused across them.
            List<ColumnTier> tiers = ColumnTier.Plan(columns, s_widths, (type, width) => MaxAccumulators);
            for (int i = 0; i < tiers.Count; i++)
            {
                using (w.Block($"{(i == 0 ? "if" : "else if")} ({tiers[i].Type}.IsHardwareAccelerated)"))
                using (PanelLayout.Tier(w, tiers[i].Type))
                {
                    bool alone = tiers[i].Passes.Count == 1 && tiers[i].ScalarStart == columns;
                    foreach (ColumnPass pass in tiers[i].Passes)
                    {
                        EmitPasses(w, pass, columns, bias, terms, reverse, alone);
                    }
                    EmitScalar(w, tiers[i].ScalarStart, columns, bias, terms);
                }
            }
            if (tiers.Count == 0)
            {
                EmitScalar(w, 0, columns, bias, terms);
                return;
            }
            using (w.Block("else"))
            {
                w.Line("// No vector width is accelerated.");
                EmitScalar(w, 0, columns, bias, terms);
            }
        }
    }
}
