using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Matrix products for models compiled into a Debug (unoptimized) assembly. Code in such an assembly runs
    /// without JIT optimizations, so the generated loops would be many times slower than in Release; there the
    /// generated code calls these, which are compiled optimized with this library. Each output value is computed
    /// in the order the generated Release loops use — start value, then every row of every term in order, fused
    /// multiply-add in vector lanes, multiply then add in the scalar tail — so Debug and Release builds give the
    /// same numbers. Weight matrices are in the generator's panel layout: the columns in panels of
    /// <see cref="PanelWidth"/>, each panel row-major.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class MatrixProduct
    {
        /// <summary>Columns per weight panel (the generator's PanelLayout.Width).</summary>
        public const int PanelWidth = 128;

        /// <summary>y = start + x0·w0, where <paramref name="start"/> is empty (zeros), a bias, or y itself.</summary>
        public static void Gemv(Span<float> y, ReadOnlySpan<float> start, ReadOnlySpan<float> x0, ReadOnlySpan<float> w0)
            => Compute(y, start, x0, w0, default, default, default, default, 1);

        /// <summary>y = start + x0·w0 + x1·w1.</summary>
        public static void Gemv(Span<float> y, ReadOnlySpan<float> start, ReadOnlySpan<float> x0, ReadOnlySpan<float> w0, ReadOnlySpan<float> x1, ReadOnlySpan<float> w1)
            => Compute(y, start, x0, w0, x1, w1, default, default, 2);

        /// <summary>y = start + x0·w0 + x1·w1 + x2·w2.</summary>
        public static void Gemv(Span<float> y, ReadOnlySpan<float> start, ReadOnlySpan<float> x0, ReadOnlySpan<float> w0, ReadOnlySpan<float> x1, ReadOnlySpan<float> w1, ReadOnlySpan<float> x2, ReadOnlySpan<float> w2)
            => Compute(y, start, x0, w0, x1, w1, x2, w2, 3);

        /// <summary>
        /// Each of <paramref name="rows"/> rows of ys (row-major, w's columns wide) = start + that row of xs · w, where
        /// start is zeros (<paramref name="bias"/> empty), the bias, or, with <paramref name="accumulate"/>, the row of ys itself.
        /// </summary>
        public static void Gemm(Span<float> ys, ReadOnlySpan<float> bias, bool accumulate, ReadOnlySpan<float> xs, int rows, ReadOnlySpan<float> w)
        {
            if (rows <= 0) return;
            int inner = xs.Length / rows, columns = ys.Length / rows;
            if (inner * rows != xs.Length || columns * rows != ys.Length) throw new ArgumentException("xs and ys must hold whole rows.");
            for (int r = 0; r < rows; r++)
            {
                Span<float> y = ys.Slice(r * columns, columns);
                Compute(y, accumulate ? y : bias, xs.Slice(r * inner, inner), w, default, default, default, default, 1);
            }
        }

        private static void Compute(Span<float> y, ReadOnlySpan<float> start, ReadOnlySpan<float> x0, ReadOnlySpan<float> w0, ReadOnlySpan<float> x1, ReadOnlySpan<float> w1, ReadOnlySpan<float> x2, ReadOnlySpan<float> w2, int terms)
        {
            int columns = y.Length;
            if (start.Length != 0 && start.Length != columns) throw new ArgumentException("The start values must have one value per column.", nameof(start));
            if (w0.Length != x0.Length * columns || w1.Length != x1.Length * columns || w2.Length != x2.Length * columns)
                throw new ArgumentException("Each weight matrix must have one row per input value and one column per output value.");
            // y accumulates in place: start first (a copy when start is y itself), then each term.
            if (start.Length == 0) y.Clear();
            else start.CopyTo(y);
            for (int first = 0; first < columns; first += PanelWidth)
            {
                int width = Math.Min(PanelWidth, columns - first);
                Span<float> sums = y.Slice(first, width);
                Add(sums, first, x0, w0);
                if (terms > 1) Add(sums, first, x1, w1);
                if (terms > 2) Add(sums, first, x2, w2);
            }
        }

        /// <summary>sums += x · (the panel of w from column <paramref name="first"/>): vector columns, then a tail of fewer than 4.</summary>
        private static void Add(Span<float> panelSums, int first, ReadOnlySpan<float> x, ReadOnlySpan<float> w)
        {
            int rows = x.Length, width = panelSums.Length, j = 0;
            ref float sums = ref MemoryMarshal.GetReference(panelSums);
            ref float input = ref MemoryMarshal.GetReference(x);
            ref float panel = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), first * rows);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j + 32 <= width; j += 32)
                {
                    Vector256<float> a0 = Vector256.LoadUnsafe(ref sums, (nuint)j), a1 = Vector256.LoadUnsafe(ref sums, (nuint)(j + 8));
                    Vector256<float> a2 = Vector256.LoadUnsafe(ref sums, (nuint)(j + 16)), a3 = Vector256.LoadUnsafe(ref sums, (nuint)(j + 24));
                    for (int k = 0; k < rows; k++)
                    {
                        Vector256<float> v = Vector256.Create(Unsafe.Add(ref input, k));
                        ref float row = ref Unsafe.Add(ref panel, k * width + j);
                        a0 = FusedMultiplyAdd.Compute(v, Vector256.LoadUnsafe(ref row), a0);
                        a1 = FusedMultiplyAdd.Compute(v, Vector256.LoadUnsafe(ref row, 8), a1);
                        a2 = FusedMultiplyAdd.Compute(v, Vector256.LoadUnsafe(ref row, 16), a2);
                        a3 = FusedMultiplyAdd.Compute(v, Vector256.LoadUnsafe(ref row, 24), a3);
                    }
                    a0.StoreUnsafe(ref sums, (nuint)j);
                    a1.StoreUnsafe(ref sums, (nuint)(j + 8));
                    a2.StoreUnsafe(ref sums, (nuint)(j + 16));
                    a3.StoreUnsafe(ref sums, (nuint)(j + 24));
                }
                for (; j + 8 <= width; j += 8)
                {
                    Vector256<float> a = Vector256.LoadUnsafe(ref sums, (nuint)j);
                    for (int k = 0; k < rows; k++)
                    {
                        a = FusedMultiplyAdd.Compute(Vector256.Create(Unsafe.Add(ref input, k)), Vector256.LoadUnsafe(ref Unsafe.Add(ref panel, k * width + j)), a);
                    }
                    a.StoreUnsafe(ref sums, (nuint)j);
                }
            }
            if (Vector128.IsHardwareAccelerated)
            {
                for (; j + 4 <= width; j += 4)
                {
                    Vector128<float> a = Vector128.LoadUnsafe(ref sums, (nuint)j);
                    for (int k = 0; k < rows; k++)
                    {
                        a = FusedMultiplyAdd.Compute(Vector128.Create(Unsafe.Add(ref input, k)), Vector128.LoadUnsafe(ref Unsafe.Add(ref panel, k * width + j)), a);
                    }
                    a.StoreUnsafe(ref sums, (nuint)j);
                }
            }
            for (; j < width; j++)
            {
                float sum = Unsafe.Add(ref sums, j);
                for (int k = 0; k < rows; k++)
                {
                    sum += Unsafe.Add(ref input, k) * Unsafe.Add(ref panel, k * width + j);
                }
                Unsafe.Add(ref sums, j) = sum;
            }
        }
    }
}
