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
    /// column blocks of Vector512, then Vector256, then Vector128 (each taken only when the hardware accelerates
    /// it; the JIT folds the checks; fused multiply-add where the CPU has it), then a scalar loop for the remaining columns and for hardware without SIMD.
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

        private static void EmitBlockLoop(IndentedWriter w, string type, int width, int blocks, int columns, string? bias, IReadOnlyList<GemvTerm> terms, string? reverse = null)
        {
            int step = width * blocks;
            int passes = (columns - step) / step + 1;
            if (reverse is not null && passes >= 2)
            {
                // Last pass first on alternate calls: the passes read most recently (the last ones) are the ones
                // still in cache, where walking in the same order every time evicts each just before its use.
                // The passes cover the columns the forward loop would (from j, whole passes only), so a wider
                // vector type that already ran leaves nothing to do here.
                using (w.Block($"if ({reverse})"))
                {
                    w.Line("nuint first = j;");
                    w.Line($"nuint end = first + ({columns} - first) / {step} * {step};");
                    using (w.Block("for (nuint next = end; next > first; )"))
                    {
                        w.Line($"next -= {step};");
                        w.Line("j = next;");
                        EmitBlockBody(w, type, width, blocks, columns, bias, terms);
                    }
                    w.Line("j = end;");
                }
                using (w.Block("else"))
                {
                    EmitBlockLoop(w, type, width, blocks, columns, bias, terms);
                }
                return;
            }
            using (w.Block($"for (; j <= {columns - step}; j += {step})"))
            {
                EmitBlockBody(w, type, width, blocks, columns, bias, terms);
            }
        }

        /// <summary>One pass: <paramref name="blocks"/> vectors of columns from column j, over every row of every term.</summary>
        private static void EmitBlockBody(IndentedWriter w, string type, int width, int blocks, int columns, string? bias, IReadOnlyList<GemvTerm> terms)
        {
            string Offset(int b) => b == 0 ? "j" : $"j + {width * b}";
            for (int b = 0; b < blocks; b++)
            {
                w.Line(bias is not null
                    ? $"{type}<float> acc{b} = {type}.LoadUnsafe(ref bias, {Offset(b)});"
                    : $"{type}<float> acc{b} = {type}<float>.Zero;");
            }
            PanelLayout.EmitPanelStart(w, columns);
            for (int t = 0; t < terms.Count; t++)
            {
                string rowStart = PanelLayout.EmitPanelBase(w, $"weights{t}", $"panel{t}", terms[t].Rows, columns);
                using (w.Block($"for (nuint k = 0; k < {terms[t].Rows}; k++)"))
                {
                    w.Line($"{type}<float> value = {type}.Create(Unsafe.Add(ref in{t}, k));");
                    w.Line($"ref float row = ref {rowStart};");
                    for (int b = 0; b < blocks; b++)
                    {
                        string load = b == 0 ? $"{type}.LoadUnsafe(ref row)" : $"{type}.LoadUnsafe(ref row, {width * b})";
                        w.Line($"acc{b} = FusedMultiplyAdd.Compute(value, {load}, acc{b});");
                    }
                }
            }
            for (int b = 0; b < blocks; b++)
            {
                w.Line($"{type}.StoreUnsafe(acc{b}, ref dst, {Offset(b)});");
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
            w.Line($"ref float dst = ref MemoryMarshal.GetReference({output});");
            if (bias is not null)
            {
                w.Line($"ref float bias = ref MemoryMarshal.GetReference({bias});");
            }
            for (int t = 0; t < terms.Count; t++)
            {
                w.Line($"ref float in{t} = ref MemoryMarshal.GetReference({terms[t].Vector});");
                w.Line($"ref float weights{t} = ref MemoryMarshal.GetReference({terms[t].Matrix});");
            }
            w.Line("nuint j = 0;");

            foreach ((string type, int width) in s_widths)
            {
                if (columns < width) continue;
                using (w.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    // Several column blocks per pass: independent accumulator chains hide the FMA latency,
                    // and each broadcast input value is reused across them.
                    int blocks = Math.Min(MaxAccumulators, columns / width);
                    if (blocks >= 2)
                    {
                        EmitBlockLoop(w, type, width, blocks, columns, bias, terms, reverse);
                    }
                    EmitBlockLoop(w, type, width, 1, columns, bias, terms);
                }
            }

            w.Line("// Remaining columns, and every column when no vector width is accelerated.");
            using (w.Block($"for (; j < {n}; j++)"))
            {
                w.Line(bias is not null ? "float sum = Unsafe.Add(ref bias, j);" : "float sum = 0f;");
                PanelLayout.EmitPanelStart(w, columns);
                for (int t = 0; t < terms.Count; t++)
                {
                    string rowStart = PanelLayout.EmitPanelBase(w, $"weights{t}", $"panel{t}", terms[t].Rows, columns);
                    using (w.Block($"for (nuint k = 0; k < {terms[t].Rows}; k++)"))
                    {
                        w.Line($"sum += Unsafe.Add(ref in{t}, k) * {rowStart};");
                    }
                }
                w.Line("Unsafe.Add(ref dst, j) = sum;");
            }
        }
    }
}
