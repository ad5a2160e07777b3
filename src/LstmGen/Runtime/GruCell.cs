using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// The GRU cell after the gate products, as two fused passes over the units (σ is the recurrent activation,
    /// act the activation, both type arguments): <see cref="Reset{TRecurrent}"/> applies the reset gate,
    /// destination = σ(r)∘values (values is h before the recurrent product when reset_after=false, h·U_h + b
    /// after it when reset_after=true); <see cref="Update{TRecurrent, TActivation}(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> then writes
    /// h = σ(z)∘h + (1 − σ(z))∘act(candidate input part + candidate recurrent part), Keras's formula term for term.
    /// Like <see cref="LstmCell"/>: the widest accelerated width that fits the units (Vector512 from 16,
    /// Vector256 from 8, Vector128 from 4), an overlapping last block instead of a scalar tail, else scalar.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class GruCell
    {
        /// <summary>destination = σ(<paramref name="r"/>)∘<paramref name="values"/>; destination may be values itself.</summary>
        /// <typeparam name="TRecurrent">The recurrent activation σ.</typeparam>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Reset<TRecurrent>(ReadOnlySpan<float> r, ReadOnlySpan<float> values, Span<float> destination)
            where TRecurrent : struct, IActivation
        {
            int units = destination.Length;
            if (r.Length < units || values.Length < units)
            {
                ThrowLengths();
            }
            ref float rr = ref MemoryMarshal.GetReference(r);
            ref float rv = ref MemoryMarshal.GetReference(values);
            ref float rd = ref MemoryMarshal.GetReference(destination);
            nuint n = (nuint)units;

            // In place is safe: the last, overlapping block is computed from the original values before any store.
            if (TRecurrent.Vectorized)
            {
                if (Vector512.IsHardwareAccelerated && n >= 16)
                {
                    nuint last = n - 16;
                    Vector512<float> tail = TRecurrent.Invoke(Vector512.LoadUnsafe(ref rr, last)) * Vector512.LoadUnsafe(ref rv, last);
                    for (nuint k = 0; k < last; k += 16)
                    {
                        Vector512.StoreUnsafe(TRecurrent.Invoke(Vector512.LoadUnsafe(ref rr, k)) * Vector512.LoadUnsafe(ref rv, k), ref rd, k);
                    }
                    Vector512.StoreUnsafe(tail, ref rd, last);
                    return;
                }
                if (Vector256.IsHardwareAccelerated && n >= 8)
                {
                    nuint last = n - 8;
                    Vector256<float> tail = TRecurrent.Invoke(Vector256.LoadUnsafe(ref rr, last)) * Vector256.LoadUnsafe(ref rv, last);
                    for (nuint k = 0; k < last; k += 8)
                    {
                        Vector256.StoreUnsafe(TRecurrent.Invoke(Vector256.LoadUnsafe(ref rr, k)) * Vector256.LoadUnsafe(ref rv, k), ref rd, k);
                    }
                    Vector256.StoreUnsafe(tail, ref rd, last);
                    return;
                }
                if (Vector128.IsHardwareAccelerated && n >= 4)
                {
                    nuint last = n - 4;
                    Vector128<float> tail = TRecurrent.Invoke(Vector128.LoadUnsafe(ref rr, last)) * Vector128.LoadUnsafe(ref rv, last);
                    for (nuint k = 0; k < last; k += 4)
                    {
                        Vector128.StoreUnsafe(TRecurrent.Invoke(Vector128.LoadUnsafe(ref rr, k)) * Vector128.LoadUnsafe(ref rv, k), ref rd, k);
                    }
                    Vector128.StoreUnsafe(tail, ref rd, last);
                    return;
                }
            }
            for (nuint k = 0; k < n; k++)
            {
                Unsafe.Add(ref rd, k) = TRecurrent.Invoke(Unsafe.Add(ref rr, k)) * Unsafe.Add(ref rv, k);
            }
        }

        /// <summary>h = σ(z)∘h + (1 − σ(z))∘act(<paramref name="inputPart"/> + <paramref name="recurrentPart"/>).</summary>
        /// <typeparam name="TRecurrent">The recurrent activation σ (update gate z).</typeparam>
        /// <typeparam name="TActivation">The activation act (candidate).</typeparam>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Update<TRecurrent, TActivation>(ReadOnlySpan<float> z, ReadOnlySpan<float> inputPart, ReadOnlySpan<float> recurrentPart, Span<float> h)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
            => Update<TRecurrent, TActivation>(z, inputPart, recurrentPart, h, h);

        /// <summary>
        /// destination = σ(z)∘h + (1 − σ(z))∘act(<paramref name="inputPart"/> + <paramref name="recurrentPart"/>), h left
        /// as it is unless <paramref name="destination"/> is h itself: a CoreTeam's threads write their units' new states
        /// aside while the others still read h. Each unit gets the same bits as from the in-place form.
        /// </summary>
        /// <typeparam name="TRecurrent">The recurrent activation σ (update gate z).</typeparam>
        /// <typeparam name="TActivation">The activation act (candidate).</typeparam>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Update<TRecurrent, TActivation>(ReadOnlySpan<float> z, ReadOnlySpan<float> inputPart, ReadOnlySpan<float> recurrentPart, ReadOnlySpan<float> h, Span<float> destination)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            int units = destination.Length;
            if (z.Length < units || inputPart.Length < units || recurrentPart.Length < units || h.Length < units)
            {
                ThrowLengths();
            }
            ref float rz = ref MemoryMarshal.GetReference(z);
            ref float rx = ref MemoryMarshal.GetReference(inputPart);
            ref float rr = ref MemoryMarshal.GetReference(recurrentPart);
            ref float rh = ref MemoryMarshal.GetReference(h);
            ref float rd = ref MemoryMarshal.GetReference(destination);
            nuint n = (nuint)units;

            if (TRecurrent.Vectorized && TActivation.Vectorized)
            {
                if (Vector512.IsHardwareAccelerated && n >= 16)
                {
                    Update512<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, ref rd, n);
                    return;
                }
                if (Vector256.IsHardwareAccelerated && n >= 8)
                {
                    Update256<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, ref rd, n);
                    return;
                }
                if (Vector128.IsHardwareAccelerated && n >= 4)
                {
                    Update128<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, ref rd, n);
                    return;
                }
            }
            for (nuint k = 0; k < n; k++)
            {
                float gate = TRecurrent.Invoke(Unsafe.Add(ref rz, k));
                float candidate = TActivation.Invoke(Unsafe.Add(ref rx, k) + Unsafe.Add(ref rr, k));
                Unsafe.Add(ref rd, k) = (gate * Unsafe.Add(ref rh, k)) + ((1f - gate) * candidate);
            }
        }

        [DoesNotReturn]
        private static void ThrowLengths() => throw new ArgumentException("Expected every GRU cell span to hold at least units floats.");

        // The last block overlaps the previous one: computed from the original h first and stored last (h may be the destination).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update512<TRecurrent, TActivation>(ref float rz, ref float rx, ref float rr, ref float rh, ref float rd, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint last = n - 16;
            Vector512<float> tail = Step512<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, last);
            for (nuint k = 0; k < last; k += 16)
            {
                Vector512.StoreUnsafe(Step512<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, k), ref rd, k);
            }
            Vector512.StoreUnsafe(tail, ref rd, last);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update256<TRecurrent, TActivation>(ref float rz, ref float rx, ref float rr, ref float rh, ref float rd, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint last = n - 8;
            Vector256<float> tail = Step256<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, last);
            for (nuint k = 0; k < last; k += 8)
            {
                Vector256.StoreUnsafe(Step256<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, k), ref rd, k);
            }
            Vector256.StoreUnsafe(tail, ref rd, last);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update128<TRecurrent, TActivation>(ref float rz, ref float rx, ref float rr, ref float rh, ref float rd, nuint n)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            nuint last = n - 4;
            Vector128<float> tail = Step128<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, last);
            for (nuint k = 0; k < last; k += 4)
            {
                Vector128.StoreUnsafe(Step128<TRecurrent, TActivation>(ref rz, ref rx, ref rr, ref rh, k), ref rd, k);
            }
            Vector128.StoreUnsafe(tail, ref rd, last);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Step512<TRecurrent, TActivation>(ref float rz, ref float rx, ref float rr, ref float rh, nuint k)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector512<float> gate = TRecurrent.Invoke(Vector512.LoadUnsafe(ref rz, k));
            Vector512<float> candidate = TActivation.Invoke(Vector512.LoadUnsafe(ref rx, k) + Vector512.LoadUnsafe(ref rr, k));
            return (gate * Vector512.LoadUnsafe(ref rh, k)) + ((Vector512<float>.One - gate) * candidate);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Step256<TRecurrent, TActivation>(ref float rz, ref float rx, ref float rr, ref float rh, nuint k)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector256<float> gate = TRecurrent.Invoke(Vector256.LoadUnsafe(ref rz, k));
            Vector256<float> candidate = TActivation.Invoke(Vector256.LoadUnsafe(ref rx, k) + Vector256.LoadUnsafe(ref rr, k));
            return (gate * Vector256.LoadUnsafe(ref rh, k)) + ((Vector256<float>.One - gate) * candidate);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> Step128<TRecurrent, TActivation>(ref float rz, ref float rx, ref float rr, ref float rh, nuint k)
            where TRecurrent : struct, IActivation
            where TActivation : struct, IActivation
        {
            Vector128<float> gate = TRecurrent.Invoke(Vector128.LoadUnsafe(ref rz, k));
            Vector128<float> candidate = TActivation.Invoke(Vector128.LoadUnsafe(ref rx, k) + Vector128.LoadUnsafe(ref rr, k));
            return (gate * Vector128.LoadUnsafe(ref rh, k)) + ((Vector128<float>.One - gate) * candidate);
        }
    }
}
