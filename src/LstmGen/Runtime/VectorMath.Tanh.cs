using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace LstmGen.Runtime
{
    using K = ActivationConstants; // read at every use: see ActivationConstants

    /// <summary>
    /// tanh on whole vectors of 16, 8 and 4 floats: x · P(x²) / Q(x²) evaluated in double precision, P and Q of
    /// degree 4 with P(0) = Q(0) = 1, on x clamped to ±9.1 (from 9.011 on, tanh rounds to ±1 in float). The rational
    /// approximation is within 2.4e-8 relative of tanh (tools/activations/fit_tanh.py fits it) and double precision
    /// leaves its evaluation error far below that, so the float result is within 0.9 units in the last place of the
    /// exact tanh over every float, never above 1 in magnitude and monotonic; a tiny x gives x itself, -0 gives -0,
    /// NaN gives NaN (the clamp takes its constants first, and min and max return their second operand when either
    /// is NaN, so a NaN runs through; no select at the end). It replaces an exp-based form (1.3 ulp) whose chain of
    /// about 80 cycles was the longest part of a small LSTM's timestep: this one is a conversion, three levels of multiply-adds, one division and a
    /// conversion back (about 50 cycles on 8 lanes, 60 on 16, which convert as two halves), and the same operations in every lane at every width, so the widths give
    /// the same bits.
    /// </summary>
    internal static partial class VectorMath
    {
        internal const float TanhClamp = 9.1f;
        internal const double TanhP1 = 0.13377491183160894, TanhP2 = 0.00349128007436931;
        internal const double TanhP3 = 2.0533917056653206e-05, TanhP4 = 1.3242613647189174e-08;
        internal const double TanhQ1 = 0.4671081145783588, TanhQ2 = 0.02586087535056602;
        internal const double TanhQ3 = 0.0003278403811013039, TanhQ4 = 7.732363602653232e-07;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Tanh(Vector512<float> x)
        {
            Vector512<float> clamped = Min(Vector512.Create(Volatile.Read(ref K.TanhClamp)), Max(Vector512.Create(Volatile.Read(ref K.MinusTanhClamp)), x));
            Vector512<float> result;
            if (Avx512F.IsSupported)
            {
                Vector256<float> lower = Avx512F.ConvertToVector256Single(Rational(Avx512F.ConvertToVector512Double(clamped.GetLower())));
                Vector256<float> upper = Avx512F.ConvertToVector256Single(Rational(Avx512F.ConvertToVector512Double(clamped.GetUpper())));
                result = Vector512.Create(lower, upper);
            }
            else
            {
                result = Vector512.Narrow(Rational(Vector512.WidenLower(clamped)), Rational(Vector512.WidenUpper(clamped)));
            }
            return result;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Tanh(Vector256<float> x)
        {
            Vector256<float> clamped = Min(Vector256.Create(Volatile.Read(ref K.TanhClamp)), Max(Vector256.Create(Volatile.Read(ref K.MinusTanhClamp)), x));
            // With AVX-512 the 8 lanes convert into one 512-bit vector of doubles: no halves to split and join.
            if (Avx512F.IsSupported) return Avx512F.ConvertToVector256Single(Rational(Avx512F.ConvertToVector512Double(clamped)));
            (Vector256<double> lower, Vector256<double> upper) = Rational(Vector256.WidenLower(clamped), Vector256.WidenUpper(clamped));
            return Vector256.Narrow(lower, upper);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Tanh(Vector128<float> x)
        {
            Vector128<float> clamped = Min(Vector128.Create(Volatile.Read(ref K.TanhClamp)), Max(Vector128.Create(Volatile.Read(ref K.MinusTanhClamp)), x));
            Vector128<float> result = Avx.IsSupported
                ? Avx.ConvertToVector128Single(Rational(Avx.ConvertToVector256Double(clamped)))
                : Vector128.Narrow(Rational(Vector128.WidenLower(clamped)), Rational(Vector128.WidenUpper(clamped)));
            return result;
        }

        // x · P(z) / Q(z) with z = x², Estrin's order: the two halves of each polynomial side by side, then joined.
        // The numerator is x + x·z·P'(z), so that x passes through exactly where z underflows.

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Rational(Vector512<double> x)
        {
            Vector512<double> z = x * x;
            Vector512<double> z2 = z * z;
            Vector512<double> p = Fma(Fma(Vector512.Create(Volatile.Read(ref K.TanhP4)), z, Vector512.Create(Volatile.Read(ref K.TanhP3))), z2, Fma(Vector512.Create(Volatile.Read(ref K.TanhP2)), z, Vector512.Create(Volatile.Read(ref K.TanhP1))));
            Vector512<double> q = Fma(Fma(Vector512.Create(Volatile.Read(ref K.TanhQ4)), z, Vector512.Create(Volatile.Read(ref K.TanhQ3))), z2, Fma(Vector512.Create(Volatile.Read(ref K.TanhQ2)), z, Vector512.Create(Volatile.Read(ref K.TanhQ1))));
            return Fma(x * z, p, x) / Fma(q, z, Vector512<double>.One);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Rational(Vector256<double> x)
        {
            Vector256<double> z = x * x;
            Vector256<double> z2 = z * z;
            Vector256<double> p = Fma(Fma(Vector256.Create(Volatile.Read(ref K.TanhP4)), z, Vector256.Create(Volatile.Read(ref K.TanhP3))), z2, Fma(Vector256.Create(Volatile.Read(ref K.TanhP2)), z, Vector256.Create(Volatile.Read(ref K.TanhP1))));
            Vector256<double> q = Fma(Fma(Vector256.Create(Volatile.Read(ref K.TanhQ4)), z, Vector256.Create(Volatile.Read(ref K.TanhQ3))), z2, Fma(Vector256.Create(Volatile.Read(ref K.TanhQ2)), z, Vector256.Create(Volatile.Read(ref K.TanhQ1))));
            return Fma(x * z, p, x) / Fma(q, z, Vector256<double>.One);
        }

        /// <summary>
        /// The two halves of 8 lanes side by side, each constant loaded once for both (the same operations, so the
        /// same bits as two calls of the one-vector form; half the constant loads).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector256<double>, Vector256<double>) Rational(Vector256<double> x, Vector256<double> y)
        {
            Vector256<double> zx = x * x, zy = y * y;
            Vector256<double> zx2 = zx * zx, zy2 = zy * zy;
            Vector256<double> c4 = Vector256.Create(Volatile.Read(ref K.TanhP4)), c3 = Vector256.Create(Volatile.Read(ref K.TanhP3));
            Vector256<double> px = Fma(c4, zx, c3), py = Fma(c4, zy, c3);
            Vector256<double> c2 = Vector256.Create(Volatile.Read(ref K.TanhP2)), c1 = Vector256.Create(Volatile.Read(ref K.TanhP1));
            px = Fma(px, zx2, Fma(c2, zx, c1));
            py = Fma(py, zy2, Fma(c2, zy, c1));
            Vector256<double> d4 = Vector256.Create(Volatile.Read(ref K.TanhQ4)), d3 = Vector256.Create(Volatile.Read(ref K.TanhQ3));
            Vector256<double> qx = Fma(d4, zx, d3), qy = Fma(d4, zy, d3);
            Vector256<double> d2 = Vector256.Create(Volatile.Read(ref K.TanhQ2)), d1 = Vector256.Create(Volatile.Read(ref K.TanhQ1));
            qx = Fma(qx, zx2, Fma(d2, zx, d1));
            qy = Fma(qy, zy2, Fma(d2, zy, d1));
            return (Fma(x * zx, px, x) / Fma(qx, zx, Vector256<double>.One), Fma(y * zy, py, y) / Fma(qy, zy, Vector256<double>.One));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<double> Rational(Vector128<double> x)
        {
            Vector128<double> z = x * x;
            Vector128<double> z2 = z * z;
            Vector128<double> p = Fma(Fma(Vector128.Create(Volatile.Read(ref K.TanhP4)), z, Vector128.Create(Volatile.Read(ref K.TanhP3))), z2, Fma(Vector128.Create(Volatile.Read(ref K.TanhP2)), z, Vector128.Create(Volatile.Read(ref K.TanhP1))));
            Vector128<double> q = Fma(Fma(Vector128.Create(Volatile.Read(ref K.TanhQ4)), z, Vector128.Create(Volatile.Read(ref K.TanhQ3))), z2, Fma(Vector128.Create(Volatile.Read(ref K.TanhQ2)), z, Vector128.Create(Volatile.Read(ref K.TanhQ1))));
            return Fma(x * z, p, x) / Fma(q, z, Vector128<double>.One);
        }

        // a · b + c in doubles, one rounding where the hardware fuses it (as FusedMultiplyAdd does for floats).

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c)
            => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c)
            => System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : a * b + c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<double> Fma(Vector128<double> a, Vector128<double> b, Vector128<double> c)
        {
            if (System.Runtime.Intrinsics.X86.Fma.IsSupported) return System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c);
            if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.FusedMultiplyAdd(c, a, b);
            return a * b + c;
        }
    }
}
