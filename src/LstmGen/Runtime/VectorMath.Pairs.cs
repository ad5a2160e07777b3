using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace LstmGen.Runtime
{
    using K = ActivationConstants; // read at every use: see ActivationConstants

    /// <summary>
    /// exp, sigmoid and tanh on two vectors of 16 lanes at once, each operation written for both in turn. The JIT
    /// emits instructions in source order, and one activation is a chain of about twenty dependent instructions:
    /// written one after the other, two chains only overlap as far as the out-of-order window reaches, so the LSTM cell
    /// ran at about half the instruction rate the core sustains. Interleaved, the two chains issue side by side. Every
    /// lane goes through exactly the operations of the one-vector forms in <see cref="VectorMath"/>, so the results
    /// are the same bits.
    /// </summary>
    internal static partial class VectorMath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<float>, Vector512<float>) Exp(Vector512<float> x, Vector512<float> y)
        {
            (Vector512<float> ex, Vector512<float> ey) = ExpOfClamped(
                Min(Max(x, Vector512.Create(Volatile.Read(ref K.ExpLo))), Vector512.Create(Volatile.Read(ref K.ExpHi))),
                Min(Max(y, Vector512.Create(Volatile.Read(ref K.ExpLo))), Vector512.Create(Volatile.Read(ref K.ExpHi))));
            return (KeepNaN(x, ex), KeepNaN(y, ey));
        }

        /// <summary>exp of two vectors of x ≤ 0 or NaN, as the one-vector <c>ExpOfNonPositive</c> computes it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector512<float>, Vector512<float>) ExpOfNonPositive(Vector512<float> x, Vector512<float> y)
            => ExpOfClamped(Max(Vector512.Create(Volatile.Read(ref K.ExpLo)), x), Max(Vector512.Create(Volatile.Read(ref K.ExpLo)), y));

        /// <summary>The one-vector <c>ExpOfClamped</c> of two vectors, each step written for both in turn.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector512<float>, Vector512<float>) ExpOfClamped(Vector512<float> cx, Vector512<float> cy)
        {
            Vector512<float> sx = FusedMultiplyAdd.Compute(cx, Vector512.Create(Volatile.Read(ref K.Log2E)), Vector512.Create(Volatile.Read(ref K.RoundingShift)));
            Vector512<float> sy = FusedMultiplyAdd.Compute(cy, Vector512.Create(Volatile.Read(ref K.Log2E)), Vector512.Create(Volatile.Read(ref K.RoundingShift)));
            Vector512<float> nx = sx - Vector512.Create(Volatile.Read(ref K.RoundingShift));
            Vector512<float> ny = sy - Vector512.Create(Volatile.Read(ref K.RoundingShift));
            Vector512<float> rx = FusedMultiplyAdd.Compute(nx, Vector512.Create(Volatile.Read(ref K.MinusLn2Hi)), cx);
            Vector512<float> ry = FusedMultiplyAdd.Compute(ny, Vector512.Create(Volatile.Read(ref K.MinusLn2Hi)), cy);
            rx = FusedMultiplyAdd.Compute(nx, Vector512.Create(Volatile.Read(ref K.MinusLn2Lo)), rx);
            ry = FusedMultiplyAdd.Compute(ny, Vector512.Create(Volatile.Read(ref K.MinusLn2Lo)), ry);
            Vector512<float> px = ExpPolynomial(rx);
            Vector512<float> py = ExpPolynomial(ry);
            return (TimesPowerOfTwo(px, nx, sx), TimesPowerOfTwo(py, ny, sy));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<float>, Vector512<float>) Sigmoid(Vector512<float> x, Vector512<float> y)
        {
            (Vector512<float> ex, Vector512<float> ey) = ExpOfNonPositive(-Vector512.Abs(x), -Vector512.Abs(y));
            Vector512<float> nx = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), ex, Vector512<float>.One);
            Vector512<float> ny = Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512<float>.Zero), ey, Vector512<float>.One);
            return (nx / (Vector512<float>.One + ex), ny / (Vector512<float>.One + ey));
        }

        /// <summary>tanh of two vectors: its chain is short enough (see VectorMath.Tanh.cs) that the two overlap as written.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<float>, Vector512<float>) Tanh(Vector512<float> x, Vector512<float> y) => (Tanh(x), Tanh(y));
    }
}
