using System;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>Y = b + X·W</c> for a block of rows at once (the input projection of several timesteps):
    /// <c>X</c> is <c>[rows, inner]</c> row-major with a run-time row count, <c>W</c> a constant
    /// <c>[inner, columns]</c> matrix in <see cref="PanelLayout"/>. Each loaded weight vector is used for four
    /// rows, so the weights are read once per four timesteps instead of once per timestep. Blocks of four rows,
    /// then single rows; column blocks of Vector512, Vector256, Vector128 (taken when accelerated; the JIT folds
    /// the checks), then scalar columns. With <c>accumulate</c> the product is added to what <c>Y</c> holds
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

        public static void Emit(IndentedWriter w, string output, string input, string rows, int inner, int columns, string? bias, string matrix, bool accumulate = false)
        {
            if (w.DebugBuild)
            {
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
                EmitRows(w, RowBlock, inner, columns, start);
            }
            using (w.Block("for (; r < count; r++)"))
            {
                EmitRows(w, 1, inner, columns, start);
            }
        }

        /// <summary>All columns for <paramref name="rowCount"/> rows starting at row r.</summary>
        private static void EmitRows(IndentedWriter w, int rowCount, int inner, int columns, Start start)
        {
            string k = IntLiteral.Format(inner), n = IntLiteral.Format(columns);
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"ref float x{i} = ref Unsafe.Add(ref src, {Row("r", i)} * {k});");
                w.Line($"ref float y{i} = ref Unsafe.Add(ref dst, {Row("r", i)} * {n});");
            }
            w.Line("nuint j = 0;");
            foreach ((string type, int width, int maxBlocks) in s_widths)
            {
                if (columns < width) continue;
                using (w.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    int blocks = Math.Min(rowCount == 1 ? 2 * maxBlocks : maxBlocks, columns / width);
                    if (blocks >= 2) EmitColumnBlock(w, type, width, blocks, rowCount, inner, columns, start);
                    EmitColumnBlock(w, type, width, 1, rowCount, inner, columns, start);
                }
            }
            using (w.Block($"for (; j < {n}; j++)"))
            {
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line(start switch
                    {
                        Start.Bias => $"float sum{i} = Unsafe.Add(ref bias, j);",
                        Start.Output => $"float sum{i} = Unsafe.Add(ref y{i}, j);",
                        _ => $"float sum{i} = 0f;",
                    });
                }
                PanelLayout.EmitPanelStart(w, columns);
                string element = PanelLayout.EmitPanelBase(w, "weights", "panelStart", inner, columns);
                using (w.Block($"for (nuint k = 0; k < {k}; k++)"))
                {
                    w.Line($"float weight = {element};");
                    for (int i = 0; i < rowCount; i++)
                    {
                        w.Line($"sum{i} += Unsafe.Add(ref x{i}, k) * weight;");
                    }
                }
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"Unsafe.Add(ref y{i}, j) = sum{i};");
                }
            }
        }

        private static void EmitColumnBlock(IndentedWriter w, string type, int width, int blocks, int rowCount, int inner, int columns, Start start)
        {
            int step = width * blocks;
            string Offset(int b) => b == 0 ? "j" : $"j + {width * b}";
            using (w.Block($"for (; j <= {columns - step}; j += {step})"))
            {
                for (int b = 0; b < blocks; b++)
                {
                    for (int i = 0; i < rowCount; i++)
                    {
                        string initial = start switch
                        {
                            Start.Bias => $"{type}.LoadUnsafe(ref bias, {Offset(b)})",
                            Start.Output => $"{type}.LoadUnsafe(ref y{i}, {Offset(b)})",
                            _ => $"{type}<float>.Zero",
                        };
                        w.Line($"{type}<float> acc{i}{b} = {initial};");
                    }
                }
                PanelLayout.EmitPanelStart(w, columns);
                string element = PanelLayout.EmitPanelBase(w, "weights", "panelStart", inner, columns);
                using (w.Block($"for (nuint k = 0; k < {IntLiteral.Format(inner)}; k++)"))
                {
                    w.Line($"ref float row = ref {element};");
                    for (int b = 0; b < blocks; b++)
                    {
                        w.Line(b == 0 ? $"{type}<float> w0 = {type}.LoadUnsafe(ref row);" : $"{type}<float> w{b} = {type}.LoadUnsafe(ref row, {width * b});");
                    }
                    for (int i = 0; i < rowCount; i++)
                    {
                        w.Line($"{type}<float> v{i} = {type}.Create(Unsafe.Add(ref x{i}, k));");
                        for (int b = 0; b < blocks; b++)
                        {
                            w.Line($"acc{i}{b} = FusedMultiplyAdd.Compute(v{i}, w{b}, acc{i}{b});");
                        }
                    }
                }
                for (int i = 0; i < rowCount; i++)
                {
                    for (int b = 0; b < blocks; b++)
                    {
                        w.Line($"{type}.StoreUnsafe(acc{i}{b}, ref y{i}, {Offset(b)});");
                    }
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
    }
}
