using System;
using System.Collections.Generic;
using System.Linq;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>Y = b + X·W</c> for a block of rows at once (the input projection of several timesteps):
    /// <c>X</c> is <c>[rows, inner]</c> row-major with a run-time row count, <c>W</c> a constant
    /// <c>[inner, columns]</c> matrix in <see cref="PanelLayout"/>. Each loaded weight vector is used for four
    /// rows, so the weights are read once per four timesteps instead of once per timestep. Blocks of four rows,
    /// then single rows; on the widest accelerated vector type (<see cref="ColumnTier"/>; the JIT folds the
    /// checks) column blocks of that type, then of each narrower one for what is left, then scalar columns. With <c>accumulate</c> the product is added to what <c>Y</c> holds
    /// (<c>Y += X·W</c>, the recurrent part of a batch of sequences), in the order the matrix-vector form uses,
    /// so a batch row gets the same floats as a single sequence.
    /// </summary>
    internal static class GemmEmitter
    {
        private static readonly (string Type, int Width, int Blocks)[] s_widths =
        {
            // Vector512: 4 rows × 4 blocks = 16 accumulators of 32 registers; narrower vectors: 4 × 2 = 8 of 16.
            ("Vector512", 16, 4),
            ("Vector256", 8, 2),
            ("Vector128", 4, 2),
        };

        private const int RowBlock = 4;

        /// <param name="inputStride">Floats from one row of X to the next, when more than <paramref name="inner"/> (a strided or grouped convolution).</param>
        /// <param name="outputStride">Floats from one row of Y to the next, when more than <paramref name="columns"/> (a grouped convolution).</param>
        public static void Emit(IndentedWriter w, string output, string input, string rows, int inner, int columns, string? bias, string matrix, bool accumulate = false, int inputStride = 0, int outputStride = 0)
        {
            inputStride = inputStride == 0 ? inner : inputStride;
            outputStride = outputStride == 0 ? columns : outputStride;
            if (w.DebugBuild)
            {
                if (inputStride != inner || outputStride != columns) throw new System.InvalidOperationException("The precompiled kernel takes whole rows only.");
                // Unoptimized code would run these loops many times slower: call the precompiled kernel (same numbers).
                w.Line($"MatrixProduct.Gemm({output}.Slice(0, {rows} * {IntLiteral.Format(columns)}), {(accumulate ? "default" : bias ?? "default")}, {(accumulate ? "true" : "false")}, {input}.Slice(0, {rows} * {IntLiteral.Format(inner)}), {rows}, {matrix});");
                return;
            }
            Start start = accumulate ? Start.Output : bias is null ? Start.Zero : Start.Bias;
            w.Line($"ref float dst = ref MemoryMarshal.GetReference({output});");
            w.Line($"ref float src = ref MemoryMarshal.GetReference({input});");
            w.Line($"ref float weights = ref MemoryMarshal.GetReference({matrix});");
            if (bias is not null) w.Line($"ref float bias = ref MemoryMarshal.GetReference({bias});");
            w.Line($"nuint count = (nuint){rows};");
            w.Line("nuint r = 0;");
            using (w.Block($"for (; r + {RowBlock} <= count; r += {RowBlock})"))
            {
                EmitRows(w, RowBlock, inner, columns, start, inputStride, outputStride);
            }
            using (w.Block("for (; r < count; r++)"))
            {
                EmitRows(w, 1, inner, columns, start, inputStride, outputStride);
            }
        }

        /// <summary>All columns for <paramref name="rowCount"/> rows starting at row r.</summary>
        private static void EmitRows(IndentedWriter w, int rowCount, int inner, int columns, Start start, int inputStride, int outputStride)
        {
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"ref float x{i} = ref Unsafe.Add(ref src, {Scaled(Row("r", i), inputStride)});");
                w.Line($"ref float y{i} = ref Unsafe.Add(ref dst, {Scaled(Row("r", i), outputStride)});");
            }
            List<ColumnTier> tiers = ColumnTier.Plan(columns, s_widths.Select(x => (x.Type, x.Width)).ToList(),
                (type, width) => rowCount == 1 ? 2 * MaxBlocks(type) : MaxBlocks(type));
            for (int t = 0; t < tiers.Count; t++)
            {
                using (w.Block($"{(t == 0 ? "if" : "else if")} ({tiers[t].Type}.IsHardwareAccelerated)"))
                {
                    bool alone = tiers[t].Passes.Count == 1 && tiers[t].ScalarStart == columns;
                    foreach (ColumnPass pass in tiers[t].Passes)
                    {
                        if (pass.Count == 1)
                        {
                            // One pass: its body, in a scope of its own unless it is all the tier does.
                            using (alone ? default(IndentedWriter.Scope?) : w.Block($"// Columns {pass.Start} to {pass.End - 1}."))
                            {
                                EmitColumnBlock(w, pass.Type, pass.Width, pass.Blocks, rowCount, inner, columns, start, IntLiteral.Format(pass.Start));
                            }
                            continue;
                        }
                        using (w.Block($"for (nuint j = {IntLiteral.Format(pass.Start)}; j < {IntLiteral.Format(pass.End)}; j += {IntLiteral.Format(pass.Step)})"))
                        {
                            EmitColumnBlock(w, pass.Type, pass.Width, pass.Blocks, rowCount, inner, columns, start, "j");
                        }
                    }
                    EmitScalar(w, tiers[t].ScalarStart, rowCount, inner, columns, start);
                }
            }
            if (tiers.Count == 0)
            {
                EmitScalar(w, 0, rowCount, inner, columns, start);
                return;
            }
            using (w.Block("else"))
            {
                w.Line("// No vector width is accelerated.");
                EmitScalar(w, 0, rowCount, inner, columns, start);
            }
        }

        private static int MaxBlocks(string type) => s_widths.First(x => x.Type == type).Blocks;

        /// <summary>Columns from <paramref name="first"/> on in scalar code: a loop, or one column's body.</summary>
        private static void EmitScalar(IndentedWriter w, int first, int rowCount, int inner, int columns, Start start)
        {
            if (first >= columns) return;
            if (columns - first == 1)
            {
                using (w.Block($"// Column {first}."))
                {
                    EmitScalarBody(w, rowCount, inner, columns, start, IntLiteral.Format(first));
                }
                return;
            }
            using (w.Block($"for (nuint j = {IntLiteral.Format(first)}; j < {IntLiteral.Format(columns)}; j++)"))
            {
                EmitScalarBody(w, rowCount, inner, columns, start, "j");
            }
        }

        private static void EmitScalarBody(IndentedWriter w, int rowCount, int inner, int columns, Start start, string j)
        {
            for (int i = 0; i < rowCount; i++)
            {
                w.Line(start switch
                {
                    Start.Bias => $"float sum{i} = {Index.Element("bias", j)};",
                    Start.Output => $"float sum{i} = {Index.Element($"y{i}", j)};",
                    _ => $"float sum{i} = 0f;",
                });
            }
            PanelLayout.EmitPanelStart(w, columns, j);
            if (inner == 1)
            {
                // One row of weights: no loop over it.
                string weight = PanelLayout.EmitPanelBase(w, "weights", "panelStart", inner, columns, j, row: null);
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"sum{i} += x{i} * {weight};");
                }
            }
            else
            {
                string element = PanelLayout.EmitPanelBase(w, "weights", "panelStart", inner, columns, j);
                using (w.Block($"for (nuint k = 0; k < {IntLiteral.Format(inner)}; k++)"))
                {
                    w.Line($"float weight = {element};");
                    for (int i = 0; i < rowCount; i++)
                    {
                        w.Line($"sum{i} += Unsafe.Add(ref x{i}, k) * weight;");
                    }
                }
            }
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"{Index.Element($"y{i}", j)} = sum{i};");
            }
        }

        /// <summary>One pass: <paramref name="blocks"/> vectors of columns from <paramref name="j"/> for each of the rows.</summary>
        private static void EmitColumnBlock(IndentedWriter w, string type, int width, int blocks, int rowCount, int inner, int columns, Start start, string j)
        {
            string Offset(int b) => Index.Plus(j, width * b);
            for (int b = 0; b < blocks; b++)
            {
                for (int i = 0; i < rowCount; i++)
                {
                    string initial = start switch
                    {
                        Start.Bias => Index.Load(type, "bias", Offset(b)),
                        Start.Output => Index.Load(type, $"y{i}", Offset(b)),
                        _ => $"{type}<float>.Zero",
                    };
                    w.Line($"{type}<float> acc{i}{b} = {initial};");
                }
            }
            PanelLayout.EmitPanelStart(w, columns, j);
            string? k = inner == 1 ? null : "k";
            IDisposable? loop = null;
            if (k is null && columns <= PanelLayout.Width)
            {
                // One row of weights: no loop over it.
                for (int b = 0; b < blocks; b++)
                {
                    w.Line($"{type}<float> w{b} = {Index.Load(type, "weights", Offset(b))};");
                }
            }
            else
            {
                string element = PanelLayout.EmitPanelBase(w, "weights", "panelStart", inner, columns, j, k);
                loop = k is null ? null : w.Block($"for (nuint k = 0; k < {IntLiteral.Format(inner)}; k++)");
                w.Line($"ref float row = ref {element};");
                for (int b = 0; b < blocks; b++)
                {
                    w.Line($"{type}<float> w{b} = {Index.Load(type, "row", IntLiteral.Format(width * b))};");
                }
            }
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"{type}<float> v{i} = {type}.Create({(k is null ? $"x{i}" : $"Unsafe.Add(ref x{i}, k)")});");
                for (int b = 0; b < blocks; b++)
                {
                    w.Line($"acc{i}{b} = FusedMultiplyAdd.Compute(v{i}, w{b}, acc{i}{b});");
                }
            }
            loop?.Dispose();
            for (int i = 0; i < rowCount; i++)
            {
                for (int b = 0; b < blocks; b++)
                {
                    w.Line(Index.Store(type, $"acc{i}{b}", $"y{i}", Offset(b)));
                }
            }
        }

        /// <summary>What the accumulators start from.</summary>
        private enum Start
        {
            Zero,
            Bias,
            Output,
        }

        private static string Row(string r, int i) => i == 0 ? r : $"({r} + {i})";

        private static string Scaled(string row, int size) => size == 1 ? row.Trim('(', ')') : $"{row} * {IntLiteral.Format(size)}";
    }
}
