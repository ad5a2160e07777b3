using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// The LSTM cell after the gate products, fused into one pass over the units: from the pre-activations
    /// z = [i | f | c̃ | o] (Keras's gate order) it computes c = σ(f)·c + σ(i)·act(c̃) and h = σ(o)·act(c),
    /// where σ is the recurrent activation and act the activation, both type arguments.
    /// Generic over the activations so each combination compiles to its own straight-line vector code.
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
            if (h.Length != units || z.Length < 4 * units)
            {
                throw new ArgumentException("Expected z of 4 × units and h, c of units floats.");
            }
            ref float zi = ref MemoryMarshal.GetReference(z);
            ref float zf = ref Unsafe.Add(ref zi, units);
            ref float zg = ref Unsafe.Add(ref zi, 2 * units);
            ref float zo = ref Unsafe.Add(ref zi, 3 * units);
            ref float rc = ref MemoryMarshal.GetReference(c);
            ref float rh = ref MemoryMarshal.GetReference(h);
            nuint n = (nuint)units, k = 0;

            if (TRecurrent.Vectorized && TActivation.Vectorized && Vector256.IsHardwareAccelerated)
            {
                for (; k + 8 <= n; k += 8)
                {
                    Vector256<float> cell = TRecurrent.Invoke(Vector256.LoadUnsafe(ref zf, k)) * Vector256.LoadUnsafe(ref rc, k)
                        + TRecurrent.Invoke(Vector256.LoadUnsafe(ref zi, k)) * TActivation.Invoke(Vector256.LoadUnsafe(ref zg, k));
                    Vector256.StoreUnsafe(cell, ref rc, k);
                    Vector256.StoreUnsafe(TRecurrent.Invoke(Vector256.LoadUnsafe(ref zo, k)) * TActivation.Invoke(cell), ref rh, k);
                }
                if (k < n)
                {
                    PaddedTail256<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, k, (int)(n - k));
                }
                return;
            }
            if (TRecurrent.Vectorized && TActivation.Vectorized && Vector128.IsHardwareAccelerated)
            {
                for (; k + 4 <= n; k += 4)
                {
                    Vector128<float> cell = TRecurrent.Invoke(Vector128.LoadUnsafe(ref zf, k)) * Vector128.LoadUnsafe(ref rc, k)
                        + TRecurrent.Invoke(Vector128.LoadUnsafe(ref zi, k)) * TActivation.Invoke(Vector128.LoadUnsafe(ref zg, k));
                    Vector128.StoreUnsafe(cell, ref rc, k);
                    Vector128.StoreUnsafe(TRecurrent.Invoke(Vector128.LoadUnsafe(ref zo, k)) * TActivation.Invoke(cell), ref rh, k);
                }
                if (k < n)
                {
                    PaddedTail128<TRecurrent, TActivation>(ref zi, ref zf, ref zg, ref zo, ref rc, ref rh, k, (int)(n - k));
                }
                return;
            }
            for (; k < n; k++)
            {
                float cell = TRecurrent.Invoke(Unsafe.Add(ref zf, k)) * Unsafe.Add(ref rc, k)
                    + TRecurrent.Invoke(Unsafe.Add(ref zi, k)) * TActivation.Invoke(Unsafe.Add(ref zg, k));
                Unsafe.Add(ref rc, k) = cell;
                Unsafe.Add(ref rh, k) = TRecurrent.Invoke(Unsafe.Add(ref zo, k)) * TActivation.Invoke(cell);
            }
        }

        /// <summary>The last 1-7 units, through zero-padded vectors (no scalar transcendental calls).</summary>
        private static void PaddedTail256<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint k, int count)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector256<float> i = Load256(ref Unsafe.Add(ref zi, k), count), f = Load256(ref Unsafe.Add(ref zf, k), count);
            Vector256<float> g = Load256(ref Unsafe.Add(ref zg, k), count), o = Load256(ref Unsafe.Add(ref zo, k), count);
            Vector256<float> cell = TRecurrent.Invoke(f) * Load256(ref Unsafe.Add(ref rc, k), count) + TRecurrent.Invoke(i) * TActivation.Invoke(g);
            Store256(cell, ref Unsafe.Add(ref rc, k), count);
            Store256(TRecurrent.Invoke(o) * TActivation.Invoke(cell), ref Unsafe.Add(ref rh, k), count);
        }

        private static void PaddedTail128<TRecurrent, TActivation>(ref float zi, ref float zf, ref float zg, ref float zo, ref float rc, ref float rh, nuint k, int count)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector128<float> i = Load128(ref Unsafe.Add(ref zi, k), count), f = Load128(ref Unsafe.Add(ref zf, k), count);
            Vector128<float> g = Load128(ref Unsafe.Add(ref zg, k), count), o = Load128(ref Unsafe.Add(ref zo, k), count);
            Vector128<float> cell = TRecurrent.Invoke(f) * Load128(ref Unsafe.Add(ref rc, k), count) + TRecurrent.Invoke(i) * TActivation.Invoke(g);
            Store128(cell, ref Unsafe.Add(ref rc, k), count);
            Store128(TRecurrent.Invoke(o) * TActivation.Invoke(cell), ref Unsafe.Add(ref rh, k), count);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Load256(ref float source, int count)
        {
            Vector256<float> v = Vector256<float>.Zero;
            ref float lanes = ref Unsafe.As<Vector256<float>, float>(ref v);
            for (int k = 0; k < count; k++) Unsafe.Add(ref lanes, k) = Unsafe.Add(ref source, k);
            return v;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store256(Vector256<float> v, ref float destination, int count)
        {
            ref float lanes = ref Unsafe.As<Vector256<float>, float>(ref v);
            for (int k = 0; k < count; k++) Unsafe.Add(ref destination, k) = Unsafe.Add(ref lanes, k);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> Load128(ref float source, int count)
        {
            Vector128<float> v = Vector128<float>.Zero;
            ref float lanes = ref Unsafe.As<Vector128<float>, float>(ref v);
            for (int k = 0; k < count; k++) Unsafe.Add(ref lanes, k) = Unsafe.Add(ref source, k);
            return v;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store128(Vector128<float> v, ref float destination, int count)
        {
            ref float lanes = ref Unsafe.As<Vector128<float>, float>(ref v);
            for (int k = 0; k < count; k++) Unsafe.Add(ref destination, k) = Unsafe.Add(ref lanes, k);
        }
    }
}
