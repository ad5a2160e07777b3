using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// exp, tanh and sigmoid on whole vectors (.NET 8 has no Vector256.Exp). exp is Cephes's expf: range
    /// reduction by ln 2 in two parts, a degree-6 polynomial, and the exponent built from bits; tanh uses
    /// Cephes's odd polynomial below |x| = 0.625 and 1 - 2 / (exp(2|x|) + 1) above. NaN stays NaN; large
    /// inputs saturate exactly. Measured against double precision on 2,000,001 points in [-30, 30]
    /// (AMD EPYC, .NET 10): tanh 7.5e-8 absolute, sigmoid 8.9e-8 absolute, exp 8.0e-8 relative, the same on
    /// the Vector256 and Vector128 paths; the tests hold them under 3e-7 / 1e-6.
    /// </summary>
    internal static class VectorMath
    {
        private const float Log2E = 1.44269504088896341f;
        private const float Ln2Hi = 0.693359375f;
        private const float Ln2Lo = -2.12194440e-4f;
        private const float ExpMax = 88.3762626647949f;   // exp overflows float above this
        private const float ExpMin = -87.3365447504019f;  // below this the result is 0 (subnormals are flushed)
        private const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f;
        private const float P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;
        private const float T0 = -5.70498872745E-3f, T1 = 2.06390887954E-2f, T2 = -5.37397155531E-2f;
        private const float T3 = 1.33314422036E-1f, T4 = -3.33332819422E-1f;
        private const float TanhSmall = 0.625f;
        private const float RoundingShift = 12582912f;     // 1.5 · 2^23: adding it leaves round(x) in the low mantissa bits
        private const int RoundingShiftBits = 0x4B400000;  // the bits of RoundingShift

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Exp(Vector256<float> x)
        {
            Vector256<float> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpMin)), Vector256.Create(ExpMax));
            // Round to nearest by adding 1.5 · 2^23 (SSE2 only: NativeAOT's default x64 target has no SSE4.1 round).
            Vector256<float> shifted = clamped * Vector256.Create(Log2E) + Vector256.Create(RoundingShift);
            Vector256<float> n = shifted - Vector256.Create(RoundingShift);
            Vector256<float> r = clamped - n * Vector256.Create(Ln2Hi) - n * Vector256.Create(Ln2Lo);
            Vector256<float> r2 = r * r;
            Vector256<float> p = Vector256.Create(P0);
            p = p * r + Vector256.Create(P1);
            p = p * r + Vector256.Create(P2);
            p = p * r + Vector256.Create(P3);
            p = p * r + Vector256.Create(P4);
            p = p * r + Vector256.Create(P5);
            p = p * r2 + r + Vector256<float>.One;
            Vector256<int> bits = (shifted.AsInt32() - Vector256.Create(RoundingShiftBits) + Vector256.Create(127)) << 23;
            Vector256<float> result = p * bits.AsSingle();
            // Overflow to +inf, underflow to 0, NaN stays NaN.
            result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpMax)), Vector256.Create(float.PositiveInfinity), result);
            result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpMin)), Vector256<float>.Zero, result);
            return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Exp(Vector128<float> x)
        {
            Vector128<float> clamped = Vector128.Min(Vector128.Max(x, Vector128.Create(ExpMin)), Vector128.Create(ExpMax));
            // Round to nearest by adding 1.5 · 2^23 (SSE2 only: NativeAOT's default x64 target has no SSE4.1 round).
            Vector128<float> shifted = clamped * Vector128.Create(Log2E) + Vector128.Create(RoundingShift);
            Vector128<float> n = shifted - Vector128.Create(RoundingShift);
            Vector128<float> r = clamped - n * Vector128.Create(Ln2Hi) - n * Vector128.Create(Ln2Lo);
            Vector128<float> r2 = r * r;
            Vector128<float> p = Vector128.Create(P0);
            p = p * r + Vector128.Create(P1);
            p = p * r + Vector128.Create(P2);
            p = p * r + Vector128.Create(P3);
            p = p * r + Vector128.Create(P4);
            p = p * r + Vector128.Create(P5);
            p = p * r2 + r + Vector128<float>.One;
            Vector128<int> bits = (shifted.AsInt32() - Vector128.Create(RoundingShiftBits) + Vector128.Create(127)) << 23;
            Vector128<float> result = p * bits.AsSingle();
            result = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpMax)), Vector128.Create(float.PositiveInfinity), result);
            result = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpMin)), Vector128<float>.Zero, result);
            return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Sigmoid(Vector256<float> x)
            => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Sigmoid(Vector128<float> x)
            => Vector128<float>.One / (Vector128<float>.One + Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Tanh(Vector256<float> x)
        {
            Vector256<float> a = Vector256.Abs(x);
            Vector256<float> z = x * x;
            Vector256<float> small = Vector256.Create(T0);
            small = small * z + Vector256.Create(T1);
            small = small * z + Vector256.Create(T2);
            small = small * z + Vector256.Create(T3);
            small = small * z + Vector256.Create(T4);
            small = small * z * x + x;
            Vector256<float> large = Vector256<float>.One - Vector256.Create(2f) / (Exp(a + a) + Vector256<float>.One);
            large = Vector256.ConditionalSelect(Vector256.Create(-0f), x, large); // copy the sign of x
            Vector256<float> result = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(TanhSmall)), small, large);
            return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Tanh(Vector128<float> x)
        {
            Vector128<float> a = Vector128.Abs(x);
            Vector128<float> z = x * x;
            Vector128<float> small = Vector128.Create(T0);
            small = small * z + Vector128.Create(T1);
            small = small * z + Vector128.Create(T2);
            small = small * z + Vector128.Create(T3);
            small = small * z + Vector128.Create(T4);
            small = small * z * x + x;
            Vector128<float> large = Vector128<float>.One - Vector128.Create(2f) / (Exp(a + a) + Vector128<float>.One);
            large = Vector128.ConditionalSelect(Vector128.Create(-0f), x, large);
            Vector128<float> result = Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(TanhSmall)), small, large);
            return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
        }
    }
}
