using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// The LSTM cell after the gate products, fused into passes over the units: from the pre-activations
    /// z = [i | f | c̃ | o] (Keras's gate order) it computes c = σ(f)·c + σ(i)·act(c̃) and h = σ(o)·act(c),
    /// where σ is the recurrent activation and act the activation, both type arguments.
    /// Generic over the activations so each combination compiles to its own straight-line vector code; the
    /// widest accelerated width that fits the units is used (Vector512 from 16 units, Vector256 from 8, Vector128
    /// from 4), else the scalar forms. <see cref="Update{TRecurrent, TActivation}"/> itself is a small dispatch
    /// that inlines into generated code; the loops (with the activations inlined) are two passes per width, c first
    /// and h second, so that no block is one long chain. With sigmoid and tanh on Vector512 the blocks go two at a
    /// time, their activations interleaved (an activation is a long chain of dependent instructions); not on
    /// Vector256, where an AVX2-only CPU's 16 registers cannot hold two chains and the interleaving spills. Each
    /// lane still takes the same operations.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class LstmCell
    {
        /// <summary>Updates <paramref name="c"/> and writes <paramref name="h"/>; <paramref name="z"/> holds 4 × units pre-activations.</summary>
        /// <typeparam name="TRecurrent">The recurrent activation (gates i, f, o).</typeparam>
        /// <typeparam name="TActivation">The activation (candidate c̃ and the output's act(c)).</typeparam>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Update<TRecurrent, TActivation>(ReadOnlySpan<float> z, Span<float> c, Span<float> h)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            int units = c.Length;
            if (h.Length != units || z.Length < 4L * units)
            {
                ThrowLengths();
            }
            ref float zi = ref MemoryMarshal.GetReference(z);
            Dispatch<TRecurrent, TActivation>(ref zi, ref Unsafe.Add(ref zi, units), ref Unsafe.Add(ref zi, 2 * units), ref Unsafe.Add(ref zi, 3 * units),
                ref MemoryMarshal.GetReference(c), ref MemoryMarshal.GetReference(h), (nuint)units);
        }

        /// <summary>
        /// Updates units <paramref name="start"/> to <paramref name="end"/> of <paramref name="c"/> and writes them to
        /// <paramref name="h"/>, which may be another buffer than the one the gates' products read (a CoreTeam's threads
        /// each update their own units while the others still read the previous h). Each unit gets the operations of
        /// <see cref="Update{TRecurrent, TActivation}"/>, so the bits are the same.
        /// </summary>
        /// <param name="z">The pre-activations of all units, 4 × <paramref name="c"/>.Length.</param>
        /// <param name="c">The cell states of all units; only the range is written.</param>
        /// <param name="h">Where the range's new hidden states go, as long as <paramref name="c"/>.</param>
        /// <param name="start">The first unit.</param>
        /// <param name="end">The unit after the last.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void UpdateUnits<TRecurrent, TActivation>(ReadOnlySpan<float> z, Span<float> c, Span<float> h, int start, int end)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            int units = c.Length;
            if (h.Length != units || z.Length < 4L * units)
            {
                ThrowLengths();
            }
            if ((uint)start > (uint)end || (uint)end > (uint)units)
            {
                ThrowRange();
            }
            ref float zi = ref Unsafe.Add(ref MemoryMarshal.GetReference(z), start);
            Dispatch<TRecurrent, TActivation>(ref zi, ref Unsafe.Add(ref zi, units), ref Unsafe.Add(ref zi, 2 * units), ref Unsafe.Add(ref zi, 3 * units),
                ref Unsafe.Add(ref MemoryMarshal.GetReference(c), start), ref Unsafe.Add(ref MemoryMarshal.GetReference(h), start), (nuint)(end - start));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Dispatch<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            // The last block overlaps the previous one: it is computed from the original c first and stored
            // last, so every unit gets exactly one update and no scalar transcendental call is needed.
            if (TRecurrent.Vectorized && TActivation.Vectorized)
            {
                if (Vector512.IsHardwareAccelerated && n >= 16)
                {
                    Update512<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
                    return;
                }
                if (Vector256.IsHardwareAccelerated && n >= 8)
                {
                    Update256<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
                    return;
                }
                if (Vector128.IsHardwareAccelerated && n >= 4)
                {
                    Update128<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
                    return;
                }
            }
            UpdateScalar<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
        }

        /// <summary>
        /// The cell on gates already in registers (the small-layer kernels of generated code): c = σ(f)·c + σ(i)·act(g)
        /// and h = σ(o)·act(c) on 16 lanes, c read from and both written to the caller's padded storage. The same
        /// operations per lane as <see cref="Update{TRecurrent, TActivation}"/>, so the results are bit for bit the same.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void UpdateGates<TRecurrent, TActivation>(Vector512<float> i, Vector512<float> f, Vector512<float> g, Vector512<float> o, ref float c, ref float h)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            (Vector512<float> cell, Vector512<float> hidden) = Cell<TRecurrent, TActivation>(i, f, g, o, Vector512.LoadUnsafe(ref c));
            Vector512.StoreUnsafe(cell, ref c);
            Vector512.StoreUnsafe(hidden, ref h);
        }

        /// <summary>The cell on gates in registers, 8 lanes (see the Vector512 overload of <c>UpdateGates</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void UpdateGates<TRecurrent, TActivation>(Vector256<float> i, Vector256<float> f, Vector256<float> g, Vector256<float> o, ref float c, ref float h)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            (Vector256<float> cell, Vector256<float> hidden) = Cell<TRecurrent, TActivation>(i, f, g, o, Vector256.LoadUnsafe(ref c));
            Vector256.StoreUnsafe(cell, ref c);
            Vector256.StoreUnsafe(hidden, ref h);
        }

        /// <summary>The cell on gates in registers, 4 lanes (see the Vector512 overload of <c>UpdateGates</c>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void UpdateGates<TRecurrent, TActivation>(Vector128<float> i, Vector128<float> f, Vector128<float> g, Vector128<float> o, ref float c, ref float h)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            (Vector128<float> cell, Vector128<float> hidden) = Cell<TRecurrent, TActivation>(i, f, g, o, Vector128.LoadUnsafe(ref c));
            Vector128.StoreUnsafe(cell, ref c);
            Vector128.StoreUnsafe(hidden, ref h);
        }

        [DoesNotReturn]
        private static void ThrowRange() => throw new ArgumentOutOfRangeException("start", "Expected 0 <= start <= end <= units.");

        [DoesNotReturn]
        private static void ThrowLengths() => throw new ArgumentException("Expected z of 4 × units and h, c of units floats.");

        // Each width runs the cell in two passes over the blocks: the first computes c and σ(o) (parked in h), the
        // second h = σ(o)·act(c). In one pass a block is a single chain of about 150 cycles (three activations side by
        // side, then c, then act(c)), longer than the out-of-order window can hide; split, every pass is a loop of
        // short chains that do not depend on each other, so consecutive blocks overlap. The last block overlaps the
        // previous one: it is computed from the original c, its σ(o) stays in a register, and its lanes get the
        // same values twice. Every lane takes the operations of the one-pass cell, so the bits do not change.

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update512<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            if (n < 32)
            {
                // One block, or two that overlap: nothing for a second pass to overlap with.
                OnePass512<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
                return;
            }
            Vector512<float> lastO = CellStates512<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
            HiddenStates512<TRecurrent, TActivation>(ref rc, ref rh, n, lastO);
        }

        /// <summary>The cell in one pass, for 16 to 31 units.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void OnePass512<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint last = n - 16;
            Vector512<float> lastC = Vector512.LoadUnsafe(ref rc, last);
            for (nuint k = 0; ; k = last)
            {
                bool overlap = k == last;
                (Vector512<float> cell, Vector512<float> hidden) = Cell<TRecurrent, TActivation>(
                    Vector512.LoadUnsafe(ref zi, k), Vector512.LoadUnsafe(ref zf, k), Vector512.LoadUnsafe(ref zg, k), Vector512.LoadUnsafe(ref zo, k), overlap ? lastC : Vector512.LoadUnsafe(ref rc, k));
                Vector512.StoreUnsafe(cell, ref rc, k);
                Vector512.StoreUnsafe(hidden, ref rh, k);
                if (overlap) break;
            }
        }

        /// <summary>First pass: c of every unit, and σ(o) into h; returns σ(o) of the overlapping last block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static Vector512<float> CellStates512<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint whole = n & ~(nuint)15;
            nuint last = n - 16;
            // The overlapping last block's c, read before the whole blocks overwrite the lanes it shares with them.
            Vector512<float> lastC = Vector512.LoadUnsafe(ref rc, last);
            nuint k = 0;
            if (typeof(TRecurrent) == typeof(SigmoidActivation) && typeof(TActivation) == typeof(TanhActivation))
            {
                // Keras's default activations: two blocks at a time, their activations interleaved.
                for (; k + 32 <= whole; k += 32)
                {
                    SigmoidTanhPairStates(ref Unsafe.Add(ref zi, k), ref Unsafe.Add(ref zf, k), ref Unsafe.Add(ref zg, k), ref Unsafe.Add(ref zo, k), ref Unsafe.Add(ref rc, k), ref Unsafe.Add(ref rh, k));
                }
            }
            // One loop (the whole blocks, then the overlapping one) so the activations are inlined once.
            for (; ; k += 16)
            {
                bool overlap = k == whole;
                if (overlap)
                {
                    if (whole == n) return default;
                    k = last;
                }
                Vector512<float> cell = CellState<TRecurrent, TActivation>(
                    Vector512.LoadUnsafe(ref zi, k), Vector512.LoadUnsafe(ref zf, k), Vector512.LoadUnsafe(ref zg, k), overlap ? lastC : Vector512.LoadUnsafe(ref rc, k));
                Vector512<float> output = TRecurrent.Invoke(Vector512.LoadUnsafe(ref zo, k));
                Vector512.StoreUnsafe(cell, ref rc, k);
                if (overlap) return output;
                Vector512.StoreUnsafe(output, ref rh, k);
            }
        }

        /// <summary>Second pass: h = σ(o)·act(c), σ(o) read from h (the overlapping last block's from <paramref name="lastO"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void HiddenStates512<TRecurrent, TActivation>(ref float rc, ref float rh, nuint n, Vector512<float> lastO)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint whole = n & ~(nuint)15;
            nuint k = 0;
            if (typeof(TActivation) == typeof(TanhActivation))
            {
                for (; k + 32 <= whole; k += 32)
                {
                    (Vector512<float> tA, Vector512<float> tB) = VectorMath.Tanh(Vector512.LoadUnsafe(ref rc, k), Vector512.LoadUnsafe(ref rc, k + 16));
                    Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref rh, k) * tA, ref rh, k);
                    Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref rh, k + 16) * tB, ref rh, k + 16);
                }
            }
            for (; ; k += 16)
            {
                bool overlap = k == whole;
                if (overlap)
                {
                    if (whole == n) return;
                    k = n - 16;
                }
                Vector512<float> output = overlap ? lastO : Vector512.LoadUnsafe(ref rh, k);
                Vector512.StoreUnsafe(output * TActivation.Invoke(Vector512.LoadUnsafe(ref rc, k)), ref rh, k);
                if (overlap) return;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update256<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector256<float> lastO = CellStates256<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
            HiddenStates256<TRecurrent, TActivation>(ref rc, ref rh, n, lastO);
        }

        /// <summary>First pass on 8 lanes (see <see cref="CellStates512{TRecurrent, TActivation}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static Vector256<float> CellStates256<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint whole = n & ~(nuint)7;
            nuint last = n - 8;
            Vector256<float> lastC = Vector256.LoadUnsafe(ref rc, last);
            for (nuint k = 0; ; k += 8)
            {
                bool overlap = k == whole;
                if (overlap)
                {
                    if (whole == n) return default;
                    k = last;
                }
                Vector256<float> cell = CellState<TRecurrent, TActivation>(
                    Vector256.LoadUnsafe(ref zi, k), Vector256.LoadUnsafe(ref zf, k), Vector256.LoadUnsafe(ref zg, k), overlap ? lastC : Vector256.LoadUnsafe(ref rc, k));
                Vector256<float> output = TRecurrent.Invoke(Vector256.LoadUnsafe(ref zo, k));
                Vector256.StoreUnsafe(cell, ref rc, k);
                if (overlap) return output;
                Vector256.StoreUnsafe(output, ref rh, k);
            }
        }

        /// <summary>Second pass on 8 lanes (see <see cref="HiddenStates512{TRecurrent, TActivation}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void HiddenStates256<TRecurrent, TActivation>(ref float rc, ref float rh, nuint n, Vector256<float> lastO)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint whole = n & ~(nuint)7;
            for (nuint k = 0; ; k += 8)
            {
                bool overlap = k == whole;
                if (overlap)
                {
                    if (whole == n) return;
                    k = n - 8;
                }
                Vector256<float> output = overlap ? lastO : Vector256.LoadUnsafe(ref rh, k);
                Vector256.StoreUnsafe(output * TActivation.Invoke(Vector256.LoadUnsafe(ref rc, k)), ref rh, k);
                if (overlap) return;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update128<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector128<float> lastO = CellStates128<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, n);
            HiddenStates128<TRecurrent, TActivation>(ref rc, ref rh, n, lastO);
        }

        /// <summary>First pass on 4 lanes (see <see cref="CellStates512{TRecurrent, TActivation}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static Vector128<float> CellStates128<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint whole = n & ~(nuint)3;
            nuint last = n - 4;
            Vector128<float> lastC = Vector128.LoadUnsafe(ref rc, last);
            for (nuint k = 0; ; k += 4)
            {
                bool overlap = k == whole;
                if (overlap)
                {
                    if (whole == n) return default;
                    k = last;
                }
                Vector128<float> cell = CellState<TRecurrent, TActivation>(
                    Vector128.LoadUnsafe(ref zi, k), Vector128.LoadUnsafe(ref zf, k), Vector128.LoadUnsafe(ref zg, k), overlap ? lastC : Vector128.LoadUnsafe(ref rc, k));
                Vector128<float> output = TRecurrent.Invoke(Vector128.LoadUnsafe(ref zo, k));
                Vector128.StoreUnsafe(cell, ref rc, k);
                if (overlap) return output;
                Vector128.StoreUnsafe(output, ref rh, k);
            }
        }

        /// <summary>Second pass on 4 lanes (see <see cref="HiddenStates512{TRecurrent, TActivation}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void HiddenStates128<TRecurrent, TActivation>(ref float rc, ref float rh, nuint n, Vector128<float> lastO)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint whole = n & ~(nuint)3;
            for (nuint k = 0; ; k += 4)
            {
                bool overlap = k == whole;
                if (overlap)
                {
                    if (whole == n) return;
                    k = n - 4;
                }
                Vector128<float> output = overlap ? lastO : Vector128.LoadUnsafe(ref rh, k);
                Vector128.StoreUnsafe(output * TActivation.Invoke(Vector128.LoadUnsafe(ref rc, k)), ref rh, k);
                if (overlap) return;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void UpdateScalar<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            for (nuint k = 0; k < n; k++)
            {
                float cell = TRecurrent.Invoke(Unsafe.Add(ref zf, k)) * Unsafe.Add(ref rc, k)
                    + TRecurrent.Invoke(Unsafe.Add(ref zi, k)) * TActivation.Invoke(Unsafe.Add(ref zg, k));
                Unsafe.Add(ref rc, k) = cell;
                Unsafe.Add(ref rh, k) = TRecurrent.Invoke(Unsafe.Add(ref zo, k)) * TActivation.Invoke(cell);
            }
        }

        /// <summary>
        /// The first pass with sigmoid and tanh on the 32 units from each reference: two vectors whose activations run
        /// interleaved (<see cref="VectorMath.Sigmoid(Vector512{float}, Vector512{float})"/>), each lane through the
        /// same operations as <see cref="CellState{TRecurrent, TActivation}(Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float})"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SigmoidTanhPairStates(ref float zi, ref float zf, ref float zg, ref float zo, ref float c, ref float h)
        {
            (Vector512<float> fA, Vector512<float> fB) = VectorMath.Sigmoid(Vector512.LoadUnsafe(ref zf), Vector512.LoadUnsafe(ref zf, 16));
            (Vector512<float> iA, Vector512<float> iB) = VectorMath.Sigmoid(Vector512.LoadUnsafe(ref zi), Vector512.LoadUnsafe(ref zi, 16));
            (Vector512<float> gA, Vector512<float> gB) = VectorMath.Tanh(Vector512.LoadUnsafe(ref zg), Vector512.LoadUnsafe(ref zg, 16));
            Vector512.StoreUnsafe(fA * Vector512.LoadUnsafe(ref c) + iA * gA, ref c);
            Vector512.StoreUnsafe(fB * Vector512.LoadUnsafe(ref c, 16) + iB * gB, ref c, 16);
            (Vector512<float> oA, Vector512<float> oB) = VectorMath.Sigmoid(Vector512.LoadUnsafe(ref zo), Vector512.LoadUnsafe(ref zo, 16));
            Vector512.StoreUnsafe(oA, ref h);
            Vector512.StoreUnsafe(oB, ref h, 16);
        }

        /// <summary>c = σ(f)·c + σ(i)·act(g), h = σ(o)·act(c) on one vector of units.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector512<float> Cell, Vector512<float> Hidden) Cell<TRecurrent, TActivation>(Vector512<float> i, Vector512<float> f, Vector512<float> g, Vector512<float> o, Vector512<float> c)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector512<float> cell = CellState<TRecurrent, TActivation>(i, f, g, c);
            return (cell, TRecurrent.Invoke(o) * TActivation.Invoke(cell));
        }

        /// <summary>c = σ(f)·c + σ(i)·act(g) on one vector of units: the first half of the cell.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> CellState<TRecurrent, TActivation>(Vector512<float> i, Vector512<float> f, Vector512<float> g, Vector512<float> c)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
            => TRecurrent.Invoke(f) * c + TRecurrent.Invoke(i) * TActivation.Invoke(g);

        /// <summary>c = σ(f)·c + σ(i)·act(g), h = σ(o)·act(c) on one vector of units.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector256<float> Cell, Vector256<float> Hidden) Cell<TRecurrent, TActivation>(Vector256<float> i, Vector256<float> f, Vector256<float> g, Vector256<float> o, Vector256<float> c)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector256<float> cell = CellState<TRecurrent, TActivation>(i, f, g, c);
            return (cell, TRecurrent.Invoke(o) * TActivation.Invoke(cell));
        }

        /// <summary>c = σ(f)·c + σ(i)·act(g) on one vector of units: the first half of the cell.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> CellState<TRecurrent, TActivation>(Vector256<float> i, Vector256<float> f, Vector256<float> g, Vector256<float> c)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
            => TRecurrent.Invoke(f) * c + TRecurrent.Invoke(i) * TActivation.Invoke(g);

        /// <summary>c = σ(f)·c + σ(i)·act(g), h = σ(o)·act(c) on one vector of units.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector128<float> Cell, Vector128<float> Hidden) Cell<TRecurrent, TActivation>(Vector128<float> i, Vector128<float> f, Vector128<float> g, Vector128<float> o, Vector128<float> c)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector128<float> cell = CellState<TRecurrent, TActivation>(i, f, g, c);
            return (cell, TRecurrent.Invoke(o) * TActivation.Invoke(cell));
        }

        /// <summary>c = σ(f)·c + σ(i)·act(g) on one vector of units: the first half of the cell.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> CellState<TRecurrent, TActivation>(Vector128<float> i, Vector128<float> f, Vector128<float> g, Vector128<float> c)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
            => TRecurrent.Invoke(f) * c + TRecurrent.Invoke(i) * TActivation.Invoke(g);
    }
}
