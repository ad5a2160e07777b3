using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace LstmGen.Runtime
{
    using K = ActivationConstants; // read at every use: see ActivationConstants

    /// <summary>
    /// exp and sigmoid on whole vectors of 16, 8 and 4 floats (.NET 8 has no Vector256.Exp), plus the
    /// min / max / NaN helpers the activations share (tanh is in VectorMath.Tanh.cs). Each width is written out once with the same operations and
    /// constants, so the widths give bit-identical results when FMA is available to all of them (x86 with FMA3 and
    /// AVX-512F); without FMA a multiply and an add are used instead.
    /// <para>
    /// exp is Cephes's expf: n = round(x · log2 e), r = x − n · ln 2 (ln 2 in two parts, the first with 9 bits so n · Ln2Hi is exact), a degree-6
    /// polynomial on r (Estrin's order, for a short chain), then 2^n applied as two factors 2^⌊n/2⌋ · 2^(n−⌊n/2⌋) so that the whole float range is
    /// covered (with AVX-512, one vscalefps, which rounds the same once and costs one instruction instead of nine): results up to float.MaxValue (x ≤ 88.72), gradual underflow to subnormals, +∞ above, 0 below
    /// ln 2^-150. Sigmoid is 1 / (1 + e) for x ≥ 0 and e / (1 + e) for x &lt; 0 with e = exp(−|x|), so
    /// it never overflows and keeps relative accuracy down to the subnormal results of x &lt; −87. NaN in gives NaN out
    /// (exp selects the input back; sigmoid's exp of −|x| lets the NaN run through its clamp instead).
    /// </para>
    /// <para>
    /// Sigmoid's exp of −|x| (n ≤ 0) scales without AVX-512 by 2^(n + 64), a normal float, then by 2^-64: the first
    /// product is exact, the second rounds only where the result is subnormal, as the second of the two factors
    /// does, so the bits are the same for every float (checked over all 2^32) in four instructions instead of ten.
    /// </para>
    /// <para>
    /// min / max use the native instructions (maxps, fmax): since .NET 9 <c>Vector256.Max</c> follows IEEE 754-2019
    /// and costs several instructions on x86; nothing here depends on the NaN behaviour of either, because every
    /// function selects NaN inputs back at the end.
    /// </para>
    /// </summary>
    internal static partial class VectorMath
    {
        internal const float Log2E = 1.44269504088896341f;
        internal const float Ln2Hi = 0.693359375f;        // 9 significant bits: n · Ln2Hi is exact
        internal const float Ln2Lo = -2.12194440e-4f;     // ln 2 − Ln2Hi
        internal const float ExpHi = 88.8f;               // above ln(float.MaxValue) ≈ 88.7228 the scaling overflows to +∞ by itself
        internal const float ExpLo = -104f;               // below ln(2^-150) ≈ -103.97 the scaling rounds to 0 by itself
        internal const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f;
        internal const float P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;
        internal const float RoundingShift = 12582912f;    // 1.5 · 2^23: adding it leaves round(v) in the low mantissa bits
        internal const float TwoToMinus64 = 5.42101086e-20f;  // 2^-64, exact
        internal const int ExponentBiasPlus64 = (127 + 64) << 23; // the bits of 2^64: added to n << 23, the bits of 2^(n + 64)

        // ---------------------------------------------------------------- Vector512 (16 lanes)

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Avx512F.IsSupported ? Avx512F.Max(a, b) : Vector512.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Avx512F.IsSupported ? Avx512F.Min(a, b) : Vector512.Min(a, b);

        /// <summary><paramref name="y"/>, except NaN where <paramref name="x"/> is NaN (the input NaN itself).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> KeepNaN(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Exp(Vector512<float> x)
            => KeepNaN(x, ExpOfClamped(Min(Max(x, Vector512.Create(Volatile.Read(ref K.ExpLo))), Vector512.Create(Volatile.Read(ref K.ExpHi)))));

        /// <summary>exp of x already clamped to [ExpLo, ExpHi] (or NaN): the range reduction, polynomial and scaling of <c>Exp</c> and <c>ExpOfNonPositive</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ExpOfClamped(Vector512<float> clamped)
        {
            // Round to nearest by adding 1.5 · 2^23 (SSE2-level operations only: no round instruction needed).
            Vector512<float> shifted = FusedMultiplyAdd.Compute(clamped, Vector512.Create(Volatile.Read(ref K.Log2E)), Vector512.Create(Volatile.Read(ref K.RoundingShift)));
            Vector512<float> n = shifted - Vector512.Create(Volatile.Read(ref K.RoundingShift));
            Vector512<float> r = FusedMultiplyAdd.Compute(n, Vector512.Create(Volatile.Read(ref K.MinusLn2Hi)), clamped);
            r = FusedMultiplyAdd.Compute(n, Vector512.Create(Volatile.Read(ref K.MinusLn2Lo)), r);
            Vector512<float> p = ExpPolynomial(r);
            return TimesPowerOfTwo(p, n, shifted);
        }

        /// <summary>1 + r + r² · (P5 + P4 r + P3 r² + P2 r³ + P1 r⁴ + P0 r⁵) in Estrin's order: three multiply-adds side by side, joined by r² and r⁴ (four multiply-adds deep instead of Horner's six).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ExpPolynomial(Vector512<float> r)
        {
            Vector512<float> r2 = r * r;
            Vector512<float> low = FusedMultiplyAdd.Compute(Vector512.Create(Volatile.Read(ref K.P4)), r, Vector512.Create(Volatile.Read(ref K.P5)));
            Vector512<float> middle = FusedMultiplyAdd.Compute(Vector512.Create(Volatile.Read(ref K.P2)), r, Vector512.Create(Volatile.Read(ref K.P3)));
            Vector512<float> high = FusedMultiplyAdd.Compute(Vector512.Create(Volatile.Read(ref K.P0)), r, Vector512.Create(Volatile.Read(ref K.P1)));
            Vector512<float> q = FusedMultiplyAdd.Compute(high, r2 * r2, FusedMultiplyAdd.Compute(middle, r2, low));
            return FusedMultiplyAdd.Compute(q, r2, r) + Vector512<float>.One;
        }

        /// <summary>p · 2^n for exp, with n also held in the low bits of <paramref name="shifted"/> (n + 1.5 · 2^23).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> TimesPowerOfTwo(Vector512<float> p, Vector512<float> n, Vector512<float> shifted)
        {
            // One instruction with AVX-512, rounded once as the two factors below are (both are exact but for that one rounding).
            if (Avx512F.IsSupported) return Avx512F.Scale(p, n);
            Vector512<int> k = shifted.AsInt32() - Vector512.Create(Volatile.Read(ref K.RoundingShift)).AsInt32();   // n as an integer, in [-150, 128]
            Vector512<int> half = k >> 1;
            // 2^m is (m + 127) << 23, written (m << 23) + (127 << 23) with 127 << 23 the bits of 1f: the same bits, and
            // no register held for the bias.
            Vector512<float> scale1 = ((half << 23) + Vector512<float>.One.AsInt32()).AsSingle();
            Vector512<float> scale2 = (((k - half) << 23) + Vector512<float>.One.AsInt32()).AsSingle();
            return p * scale1 * scale2;
        }

        /// <summary>
        /// exp(x) for x ≤ 0 or NaN, as <see cref="Exp(Vector512{float})"/> computes it without the upper clamp (never
        /// reached) and without selecting NaN back: the constant goes first in the lower clamp, where maxps returns its
        /// second operand (x) when either is NaN, so NaN runs through to the result. Two instructions fewer; the same
        /// bits for every other input.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> ExpOfNonPositive(Vector512<float> x)
            => ExpOfClamped(Max(Vector512.Create(Volatile.Read(ref K.ExpLo)), x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Sigmoid(Vector512<float> x)
        {
            Vector512<float> e = ExpOfNonPositive(-Vector512.Abs(x));
            Vector512<float> numerator = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), e, Vector512<float>.One);
            return numerator / (Vector512<float>.One + e);
        }


        // ---------------------------------------------------------------- Vector256 (8 lanes)

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Avx.IsSupported ? Avx.Max(a, b) : Vector256.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Avx.IsSupported ? Avx.Min(a, b) : Vector256.Min(a, b);

        /// <summary><paramref name="y"/>, except NaN where <paramref name="x"/> is NaN (the input NaN itself).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> KeepNaN(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Exp(Vector256<float> x)
            => KeepNaN(x, ExpOfClamped(Min(Max(x, Vector256.Create(Volatile.Read(ref K.ExpLo))), Vector256.Create(Volatile.Read(ref K.ExpHi)))));

        /// <summary>
        /// exp of x already clamped to [ExpLo, ExpHi] (or NaN): the range reduction, polynomial and scaling of <c>Exp</c>
        /// and <c>ExpOfNonPositive</c>; <paramref name="nonPositive"/> (a constant at each call) picks the scaling for n ≤ 0.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> ExpOfClamped(Vector256<float> clamped, bool nonPositive = false)
        {
            Vector256<float> shifted = FusedMultiplyAdd.Compute(clamped, Vector256.Create(Volatile.Read(ref K.Log2E)), Vector256.Create(Volatile.Read(ref K.RoundingShift)));
            Vector256<float> n = shifted - Vector256.Create(Volatile.Read(ref K.RoundingShift));
            Vector256<float> r = FusedMultiplyAdd.Compute(n, Vector256.Create(Volatile.Read(ref K.MinusLn2Hi)), clamped);
            r = FusedMultiplyAdd.Compute(n, Vector256.Create(Volatile.Read(ref K.MinusLn2Lo)), r);
            Vector256<float> p = ExpPolynomial(r);
            return nonPositive && !Avx512F.VL.IsSupported ? TimesPowerOfTwoNonPositive(p, shifted) : TimesPowerOfTwo(p, n, shifted);
        }

        /// <summary>1 + r + r² · (P5 + P4 r + P3 r² + P2 r³ + P1 r⁴ + P0 r⁵) in Estrin's order: three multiply-adds side by side, joined by r² and r⁴ (four multiply-adds deep instead of Horner's six).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> ExpPolynomial(Vector256<float> r)
        {
            Vector256<float> r2 = r * r;
            Vector256<float> low = FusedMultiplyAdd.Compute(Vector256.Create(Volatile.Read(ref K.P4)), r, Vector256.Create(Volatile.Read(ref K.P5)));
            Vector256<float> middle = FusedMultiplyAdd.Compute(Vector256.Create(Volatile.Read(ref K.P2)), r, Vector256.Create(Volatile.Read(ref K.P3)));
            Vector256<float> high = FusedMultiplyAdd.Compute(Vector256.Create(Volatile.Read(ref K.P0)), r, Vector256.Create(Volatile.Read(ref K.P1)));
            Vector256<float> q = FusedMultiplyAdd.Compute(high, r2 * r2, FusedMultiplyAdd.Compute(middle, r2, low));
            return FusedMultiplyAdd.Compute(q, r2, r) + Vector256<float>.One;
        }

        /// <summary>p · 2^n for exp on 8 lanes (see the Vector512 overload).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> TimesPowerOfTwo(Vector256<float> p, Vector256<float> n, Vector256<float> shifted)
        {
            if (Avx512F.VL.IsSupported) return Avx512F.VL.Scale(p, n);
            Vector256<int> k = shifted.AsInt32() - Vector256.Create(Volatile.Read(ref K.RoundingShift)).AsInt32();
            Vector256<int> half = k >> 1;
            Vector256<float> scale1 = ((half << 23) + Vector256<float>.One.AsInt32()).AsSingle();
            Vector256<float> scale2 = (((k - half) << 23) + Vector256<float>.One.AsInt32()).AsSingle();
            return p * scale1 * scale2;
        }

        /// <summary>p · 2^n for n ≤ 0 as 2^(n + 64) · 2^-64 (see the class remarks): the same bits as <c>TimesPowerOfTwo</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> TimesPowerOfTwoNonPositive(Vector256<float> p, Vector256<float> shifted)
        {
            // shifted's low bits hold n (plus 1.5 · 2^23, whose bits shift out): shifted left by 23, n in the exponent field.
            Vector256<float> scale = ((shifted.AsInt32() << 23) + Vector256.Create(Volatile.Read(ref K.ExponentBiasPlus64))).AsSingle();
            return p * scale * Vector256.Create(Volatile.Read(ref K.TwoToMinus64));
        }

        /// <summary>
        /// exp(x) for x ≤ 0 or NaN, as <see cref="Exp(Vector256{float})"/> computes it without the upper clamp (never
        /// reached) and without selecting NaN back: the constant goes first in the lower clamp, where maxps returns its
        /// second operand (x) when either is NaN, so NaN runs through to the result. Two instructions fewer; the same
        /// bits for every other input.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> ExpOfNonPositive(Vector256<float> x)
            => ExpOfClamped(Max(Vector256.Create(Volatile.Read(ref K.ExpLo)), x), nonPositive: true);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Sigmoid(Vector256<float> x)
        {
            // −|x| is x with its sign bit set: one OR.
            Vector256<float> e = ExpOfNonPositive(x | Vector256.Create(-0f));
            // e where x's sign bit is set, else 1: blendvps reads the sign bit itself, so no compare (−0 picks
            // e = exp(−0) = 1 either way, a NaN gives NaN either way).
            Vector256<float> numerator = Avx.IsSupported
                ? Avx.BlendVariable(Vector256<float>.One, e, x)
                : Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), e, Vector256<float>.One);
            return numerator / (Vector256<float>.One + e);
        }


        // ---------------------------------------------------------------- Vector128 (4 lanes; x86 and ARM64)

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Max(Vector128<float> a, Vector128<float> b)
        {
            if (Sse.IsSupported) return Sse.Max(a, b);
            if (AdvSimd.IsSupported) return AdvSimd.Max(a, b);
            return Vector128.Max(a, b);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Min(Vector128<float> a, Vector128<float> b)
        {
            if (Sse.IsSupported) return Sse.Min(a, b);
            if (AdvSimd.IsSupported) return AdvSimd.Min(a, b);
            return Vector128.Min(a, b);
        }

        /// <summary><paramref name="y"/>, except NaN where <paramref name="x"/> is NaN (the input NaN itself).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> KeepNaN(Vector128<float> x, Vector128<float> y) => Vector128.ConditionalSelect(Vector128.Equals(x, x), y, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Exp(Vector128<float> x)
            => KeepNaN(x, ExpOfClamped(Min(Max(x, Vector128.Create(Volatile.Read(ref K.ExpLo))), Vector128.Create(Volatile.Read(ref K.ExpHi)))));

        /// <summary>
        /// exp of x already clamped to [ExpLo, ExpHi] (or NaN): the range reduction, polynomial and scaling of <c>Exp</c>
        /// and <c>ExpOfNonPositive</c>; <paramref name="nonPositive"/> (a constant at each call) picks the scaling for n ≤ 0.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> ExpOfClamped(Vector128<float> clamped, bool nonPositive = false)
        {
            Vector128<float> shifted = FusedMultiplyAdd.Compute(clamped, Vector128.Create(Volatile.Read(ref K.Log2E)), Vector128.Create(Volatile.Read(ref K.RoundingShift)));
            Vector128<float> n = shifted - Vector128.Create(Volatile.Read(ref K.RoundingShift));
            Vector128<float> r = FusedMultiplyAdd.Compute(n, Vector128.Create(Volatile.Read(ref K.MinusLn2Hi)), clamped);
            r = FusedMultiplyAdd.Compute(n, Vector128.Create(Volatile.Read(ref K.MinusLn2Lo)), r);
            Vector128<float> p = ExpPolynomial(r);
            if (nonPositive)
            {
                // 2^n as 2^(n + 64) · 2^-64 (see the class remarks); shifted left by 23, n in the exponent field.
                Vector128<float> scale = ((shifted.AsInt32() << 23) + Vector128.Create(Volatile.Read(ref K.ExponentBiasPlus64))).AsSingle();
                return p * scale * Vector128.Create(Volatile.Read(ref K.TwoToMinus64));
            }
            Vector128<int> k = shifted.AsInt32() - Vector128.Create(Volatile.Read(ref K.RoundingShift)).AsInt32();
            Vector128<int> half = k >> 1;
            Vector128<float> scale1 = ((half << 23) + Vector128<float>.One.AsInt32()).AsSingle();
            Vector128<float> scale2 = (((k - half) << 23) + Vector128<float>.One.AsInt32()).AsSingle();
            return p * scale1 * scale2;
        }

        /// <summary>1 + r + r² · (P5 + P4 r + P3 r² + P2 r³ + P1 r⁴ + P0 r⁵) in Estrin's order: three multiply-adds side by side, joined by r² and r⁴ (four multiply-adds deep instead of Horner's six).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> ExpPolynomial(Vector128<float> r)
        {
            Vector128<float> r2 = r * r;
            Vector128<float> low = FusedMultiplyAdd.Compute(Vector128.Create(Volatile.Read(ref K.P4)), r, Vector128.Create(Volatile.Read(ref K.P5)));
            Vector128<float> middle = FusedMultiplyAdd.Compute(Vector128.Create(Volatile.Read(ref K.P2)), r, Vector128.Create(Volatile.Read(ref K.P3)));
            Vector128<float> high = FusedMultiplyAdd.Compute(Vector128.Create(Volatile.Read(ref K.P0)), r, Vector128.Create(Volatile.Read(ref K.P1)));
            Vector128<float> q = FusedMultiplyAdd.Compute(high, r2 * r2, FusedMultiplyAdd.Compute(middle, r2, low));
            return FusedMultiplyAdd.Compute(q, r2, r) + Vector128<float>.One;
        }

        /// <summary>
        /// exp(x) for x ≤ 0 or NaN, as <see cref="Exp(Vector128{float})"/> computes it without the upper clamp (never
        /// reached) and without selecting NaN back: the constant goes first in the lower clamp, where maxps returns its
        /// second operand (x) when either is NaN, so NaN runs through to the result. Two instructions fewer; the same
        /// bits for every other input.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> ExpOfNonPositive(Vector128<float> x)
            => ExpOfClamped(Max(Vector128.Create(Volatile.Read(ref K.ExpLo)), x), nonPositive: true);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Sigmoid(Vector128<float> x)
        {
            Vector128<float> e = ExpOfNonPositive(x | Vector128.Create(-0f));
            Vector128<float> numerator = Sse41.IsSupported
                ? Sse41.BlendVariable(Vector128<float>.One, e, x)
                : Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), e, Vector128<float>.One);
            return numerator / (Vector128<float>.One + e);
        }
    }
}
