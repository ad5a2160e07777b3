using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>Element-wise recurrent-cell arithmetic called by generated code.</summary>
    public static class Elementwise
    {
        /// <summary>The LSTM cell update c = f · c + i · g, element by element (all spans as long as <paramref name="c"/>).</summary>
        public static void LstmCellUpdate(ReadOnlySpan<float> i, ReadOnlySpan<float> f, ReadOnlySpan<float> g, Span<float> c)
        {
            nuint length = (nuint)c.Length;
            if ((nuint)i.Length < length || (nuint)f.Length < length || (nuint)g.Length < length)
            {
                throw new ArgumentException("The gate spans must be as long as the cell state.");
            }
            ref float ri = ref MemoryMarshal.GetReference(i);
            ref float rf = ref MemoryMarshal.GetReference(f);
            ref float rg = ref MemoryMarshal.GetReference(g);
            ref float rc = ref MemoryMarshal.GetReference(c);
            nuint k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k + 8 <= length; k += 8)
                {
                    Vector256<float> updated = Vector256.LoadUnsafe(ref rf, k) * Vector256.LoadUnsafe(ref rc, k) + Vector256.LoadUnsafe(ref ri, k) * Vector256.LoadUnsafe(ref rg, k);
                    Vector256.StoreUnsafe(updated, ref rc, k);
                }
            }
            if (Vector128.IsHardwareAccelerated)
            {
                for (; k + 4 <= length; k += 4)
                {
                    Vector128<float> updated = Vector128.LoadUnsafe(ref rf, k) * Vector128.LoadUnsafe(ref rc, k) + Vector128.LoadUnsafe(ref ri, k) * Vector128.LoadUnsafe(ref rg, k);
                    Vector128.StoreUnsafe(updated, ref rc, k);
                }
            }
            for (; k < length; k++)
            {
                Unsafe.Add(ref rc, k) = Unsafe.Add(ref rf, k) * Unsafe.Add(ref rc, k) + Unsafe.Add(ref ri, k) * Unsafe.Add(ref rg, k);
            }
        }

        /// <summary>x = x · factor, element by element (<paramref name="factor"/> at least as long as <paramref name="x"/>).</summary>
        public static void Multiply(Span<float> x, ReadOnlySpan<float> factor)
        {
            nuint length = (nuint)x.Length;
            if ((nuint)factor.Length < length)
            {
                throw new ArgumentException("The factor span is shorter than the values.", nameof(factor));
            }
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float rf = ref MemoryMarshal.GetReference(factor);
            nuint k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k + 8 <= length; k += 8)
                {
                    Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref rx, k) * Vector256.LoadUnsafe(ref rf, k), ref rx, k);
                }
            }
            if (Vector128.IsHardwareAccelerated)
            {
                for (; k + 4 <= length; k += 4)
                {
                    Vector128.StoreUnsafe(Vector128.LoadUnsafe(ref rx, k) * Vector128.LoadUnsafe(ref rf, k), ref rx, k);
                }
            }
            for (; k < length; k++)
            {
                Unsafe.Add(ref rx, k) *= Unsafe.Add(ref rf, k);
            }
        }
    }
}
