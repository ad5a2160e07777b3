using System;
using System.Collections.Generic;
using System.Linq;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>Y = b + X·W</c> for a block of rows at once (the input projection of several timesteps):
    /// <c>X</c> is <c>[rows, inner]</c> row-major with a run-time row count, <c>W</c> a constant
    /// <c>[inner, columns]</c> matrix in <see cref="PanelLayout"/>. Each loaded weight vector is used for a block of
    /// rows (four with Vector512, six with narrower vectors), so the weights are read once per block of timesteps
    /// instead of once per timestep. On the widest accelerated vector type (<see cref="ColumnTier"/>; the JIT folds
    /// the checks) column passes of that type, then of each narrower one for what is left, then scalar columns;
    /// inside each pass the blocks of rows, so that the pass's weights stay in L1 for all of them. The one to three
    /// rows left over (a single timestep for Step) run one at a time, all their columns each, with twice the vectors
    /// per pass. With <c>accumulate</c> the product is added to what <c>Y</c> holds (<c>Y += X·W</c>, the recurrent
    /// part of a batch of sequences), in the order the matrix-vector form uses, so a batch row gets the same floats
    /// as a single sequence: the blocking decides which outputs are computed together, never the order of a sum.
    /// </summary>
    internal static class GemmEmitter
    {
        private static readonly (string Type, int Width, int Blocks, int Rows)[] s_widths =
        {
            // Vector512: 4 rows × 4 blocks = 16 accumulators of 32 registers. Narrower vectors have 16 registers
            // on x86: 6 rows × 2 blocks = 12 accumulators beside the 2 weight vectors and the broadcast, enough
            // independent chains to hide the FMA latency at two per cycle (4 × 2 = 8 left the units idle).
            ("Vector512", 16, 4, 4),
            ("Vector256", 8, 2, 6),
            ("Vector128", 4, 2, 6),
        };

        /// <summary>Rows per block where no vector width is accelerated.</summary>
        private const int ScalarRows = 4;

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
            var widths = s_widths.Select(x => (x.Type, x.Width)).ToList();
            List<ColumnTier> tiers = ColumnTier.Plan(columns, widths, (type, width) => MaxBlocks(type));
            // A single row reads each weight once whatever the order, so all its columns in turn, with twice the
            // vectors per pass: the chains of dependent multiply-adds that keep the FMA units busy.
            List<ColumnTier> singleRowTiers = ColumnTier.Plan(columns, widths, (type, width) => 2 * MaxBlocks(type));
            // The tier depends only on which widths the hardware accelerates, never on the blocks per pass.
            System.Diagnostics.Debug.Assert(tiers.Select(t => t.Type).SequenceEqual(singleRowTiers.Select(t => t.Type)));
            for (int t = 0; t < tiers.Count; t++)
            {
                using (w.Block($"{(t == 0 ? "if" : "else if")} ({tiers[t].Type}.IsHardwareAccelerated)"))
                using (PanelLayout.Tier(w, tiers[t].Type))
                {
                    EmitTier(w, tiers[t], singleRowTiers[t], s_widths.First(x => x.Type == tiers[t].Type).Rows, inner, columns, start, inputStride, outputStride);
                }
            }
            if (tiers.Count == 0)
            {
                EmitTier(w, null, null, ScalarRows, inner, columns, start, inputStride, outputStride);
                return;
            }
            using (w.Block("else"))
            {
                w.Line("// No vector width is accelerated.");
                EmitTier(w, null, null, ScalarRows, inner, columns, start, inputStride, outputStride);
            }
        }

        /// <summary>
        /// One hardware tier (null: scalar code): blocks of rows first, columns outside; then the rows left over one
        /// at a time, rows outside.
        /// </summary>
        private static void EmitTier(IndentedWriter w, ColumnTier? tier, ColumnTier? singleRowTier, int blockRows, int inner, int columns, Start start, int inputStride, int outputStride)
        {
            var rowLoops = new RowLoops(blockRows, inputStride, outputStride);
            rowLoops.Declare(w);
            foreach (ColumnPass pass in tier?.Passes ?? Array.Empty<ColumnPass>())
            {
                // Columns outside, rows inside: the pass's panel of weights is read from memory once and then from
                // L1 for every further block of rows (rows outside streamed the whole matrix from L2 once per
                // block of rows). Each output still sums its products in the same order.
                EmitPassLoop(w, pass, j => EmitPass(w, rowLoops, pass, inner, columns, start, j));
            }
            EmitScalar(w, tier?.ScalarStart ?? 0, columns, j => rowLoops.Emit(w, n => EmitScalarBody(w, n, inner, columns, start, j)));
            using (w.Block("for (nuint r = blocked; r < count; r++)"))
            {
                rowLoops.References(w, 1, "r");
                foreach (ColumnPass pass in singleRowTier?.Passes ?? Array.Empty<ColumnPass>())
                {
                    EmitPassLoop(w, pass, j => EmitColumnBlock(w, pass.Type, pass.Width, pass.Blocks, 1, inner, columns, start, j, "0", IntLiteral.Format(inner)));
                }
                EmitScalar(w, singleRowTier?.ScalarStart ?? 0, columns, j => EmitScalarBody(w, 1, inner, columns, start, j));
            }
        }

        /// <summary>A column pass: its body once, or a loop over its blocks of columns with j.</summary>
        private static void EmitPassLoop(IndentedWriter w, ColumnPass pass, Action<string> body)
        {
            bool once = pass.Count == 1;
            using (w.Block(once
                ? $"// Columns {pass.Start} to {pass.End - 1}."
                : $"for (nuint j = {IntLiteral.Format(pass.Start)}; j < {IntLiteral.Format(pass.End)}; j += {IntLiteral.Format(pass.Step)})"))
            {
                body(once ? IntLiteral.Format(pass.Start) : "j");
            }
        }

        /// <summary>
        /// One column pass over all rows. When the pass's panel of weights is larger than <see cref="PanelBytes"/>, it
        /// runs in blocks of weight rows, each small enough to stay in L1 while every row of X reads it; after the
        /// first block the sums continue from what Y holds, in the same order as in one block.
        /// </summary>
        private static void EmitPass(IndentedWriter w, RowLoops rowLoops, ColumnPass pass, int inner, int columns, Start start, string j)
        {
            int maxRows = Math.Max(1, PanelBytes / (pass.Step * sizeof(float)));
            if (inner <= maxRows)
            {
                rowLoops.Emit(w, n => EmitColumnBlock(w, pass.Type, pass.Width, pass.Blocks, n, inner, columns, start, j, "0", IntLiteral.Format(inner)));
                return;
            }
            int blocks = (inner + maxRows - 1) / maxRows, kBlock = (inner + blocks - 1) / blocks;
            string size = IntLiteral.Format(kBlock);
            using (w.Block($"// Weight rows 0 to {kBlock - 1}."))
            {
                rowLoops.Emit(w, n => EmitColumnBlock(w, pass.Type, pass.Width, pass.Blocks, n, inner, columns, start, j, "0", size));
            }
            using (w.Block($"for (nuint k0 = {size}; k0 < {IntLiteral.Format(inner)}; k0 += {size})"))
            {
                w.Line($"nuint kEnd = k0 + {size} < {IntLiteral.Format(inner)} ? k0 + {size} : {IntLiteral.Format(inner)};");
                rowLoops.Emit(w, n => EmitColumnBlock(w, pass.Type, pass.Width, pass.Blocks, n, inner, columns, Start.Output, j, "k0", "kEnd"));
            }
        }

        /// <summary>Bytes of a pass's weights that one block of weight rows may span: a third of a 48 KB L1, beside X's rows and Y's.</summary>
        private const int PanelBytes = 16 * 1024;

        /// <summary>
        /// The blocks of rows below <c>blocked</c>, each with its row references x{i} and y{i}: blocks of four, or of
        /// six and then one of four when at least four rows are left (so that a batch of 64 reads each panel for
        /// 60 + 4 rows, not 60 and then once more for each of the 4 single rows).
        /// </summary>
        private sealed class RowLoops
        {
            private readonly int _blockRows, _inputStride, _outputStride;

            public RowLoops(int blockRows, int inputStride, int outputStride)
            {
                _blockRows = blockRows;
                _inputStride = inputStride;
                _outputStride = outputStride;
            }

            /// <summary>Declares <c>blocked</c>, the rows the blocks cover (and <c>wide</c>, those of the blocks of six).</summary>
            public void Declare(IndentedWriter w)
            {
                if (_blockRows == 4)
                {
                    w.Line("nuint blocked = count & ~(nuint)3;");
                    return;
                }
                w.Line($"nuint wide = count / {_blockRows} * {_blockRows};");
                w.Line("nuint blocked = count - wide >= 4 ? wide + 4 : wide;");
            }

            /// <summary>The blocks, with the body for a block of n rows.</summary>
            public void Emit(IndentedWriter w, Action<int> body)
            {
                string bound = _blockRows == 4 ? "blocked" : "wide";
                using (w.Block($"for (nuint r = 0; r < {bound}; r += {_blockRows})"))
                {
                    References(w, _blockRows, "r");
                    body(_blockRows);
                }
                if (_blockRows == 4) return;
                using (w.Block("if (wide < blocked)"))
                {
                    References(w, 4, "wide");
                    body(4);
                }
            }

            public void References(IndentedWriter w, int rowCount, string first)
            {
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"ref float x{i} = ref Unsafe.Add(ref src, {Scaled(Row(first, i), _inputStride)});");
                    w.Line($"ref float y{i} = ref Unsafe.Add(ref dst, {Scaled(Row(first, i), _outputStride)});");
                }
            }
        }

        private static int MaxBlocks(string type) => s_widths.First(x => x.Type == type).Blocks;

        /// <summary>Columns from <paramref name="first"/> on in scalar code: one column's body, or a loop over them with j.</summary>
        private static void EmitScalar(IndentedWriter w, int first, int columns, Action<string> body)
        {
            if (first >= columns) return;
            if (columns - first == 1)
            {
                using (w.Block($"// Column {first}."))
                {
                    body(IntLiteral.Format(first));
                }
                return;
            }
            using (w.Block($"for (nuint j = {IntLiteral.Format(first)}; j < {IntLiteral.Format(columns)}; j++)"))
            {
                body("j");
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
        /// <param name="kFrom">The first weight row of this block (an expression).</param>
        /// <param name="kTo">The weight row after this block (an expression).</param>
        private static void EmitColumnBlock(IndentedWriter w, string type, int width, int blocks, int rowCount, int inner, int columns, Start start, string j, string kFrom, string kTo)
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
            if (k is null && !PanelLayout.HasPanels(columns))
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
                loop = k is null ? null : w.Block($"for (nuint k = {kFrom}; k < {kTo}; k++)");
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
