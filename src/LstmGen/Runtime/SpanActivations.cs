// Accuracy MEASURED against double precision (Math.Tanh etc. of the float input converted to double) by
// tests/LstmGen.Tests/Runtime on ~285,000 inputs: 200,001 points evenly over [-30, 30], 22,001 over [-110, 110],
// ±10^(k/100) down to 1e-45, the special values (±0, ±Inf, NaNs, ±float.MaxValue, subnormals, overflow and
// saturation thresholds) and 50,000 random bit patterns. AMD EPYC (AVX-512), .NET 10 runtime, Release build.
// Absolute error = |result - reference|; relative error counted where the reference is a normal float.
//
//                       Vector512   Vector256   Vector128   Vector128   scalar      bar in the tests
//                       (default)   (1)         +FMA (2)    (3)         (4)
//   tanh, abs           6.96e-8     6.96e-8     6.96e-8     6.96e-8     9.24e-8     3e-7
//   tanh, rel |x|<0.625 6.88e-8     6.88e-8     6.88e-8     6.78e-8     1.55e-7     1e-6
//   sigmoid, abs        8.86e-8     8.86e-8     8.86e-8     8.86e-8     8.86e-8     3e-7
//   sigmoid, rel        1.78e-7     1.78e-7     1.78e-7     1.70e-7     1.66e-7     1e-6 (normal results)
//   exponential, rel    8.2e-8      8.2e-8      8.2e-8      7.8e-8      5.96e-8     1e-6 (normal results)
//   swish, rel (5)      2.13e-7     2.13e-7     2.13e-7     2.13e-7     2.10e-7     1e-6
//   softsign, rel       1.16e-7     1.16e-7     1.16e-7     1.16e-7     1.16e-7     2.5e-7
//   hard_sigmoid, abs   4.77e-8     4.77e-8     4.77e-8     4.77e-8     4.77e-8     1.5e-7 (float math as in TF)
//   hard_sigmoid k3,abs 5.96e-8     5.96e-8     5.96e-8     5.96e-8     5.96e-8     1.5e-7
//   relu                exact       exact       exact       exact       exact       exact
//   elu, rel            5.91e-8     (scalar double on every path: correctly rounded) 1.5e-7
//   selu, rel           5.95e-8     (scalar double on every path)                    1.5e-7
//   softplus, rel       5.94e-8     (scalar double on every path)                    1.5e-7
//   softmax, rel        5.95e-8     (scalar double on every path)                    6e-8
// Scalar form (spans shorter than 4) vs the vector path of the same process: at most 1.19e-7 apart for tanh,
// sigmoid and exp (2.01e-7 for swish), identical for the others.
// (1) DOTNET_EnableAVX512=0 (on .NET 10 DOTNET_EnableAVX512F=0 alone does NOT turn Vector512 off).
// (2) DOTNET_PreferredVectorBitWidth=128: Vector128 with x86 FMA.
// (3) DOTNET_EnableAVX2=0: Vector128 without FMA (mul + add).  (4) DOTNET_EnableHWIntrinsic=0: MathF scalar.
// (5) over x > -87 (2,000,001 points), where sigmoid(x) is a normal float; below, sigmoid is subnormal and
//     x·sigmoid(x) (still normal down to x ≈ -91.7) has up to 4.4e-6 relative error on every path, < 1e-37 absolute.
using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Activations applied in place to a whole span, with Keras semantics, called by generated code (the
    /// element-wise functions themselves are the <see cref="IActivation"/> structs); every method accepts any length,
    /// including 0. tanh, sigmoid, the hard sigmoids, relu, softsign, swish and exponential run on
    /// Vector512 / Vector256 / Vector128 (see <see cref="VectorMath"/>) with a scalar form for short spans and for
    /// hardware without SIMD; elu, selu, softplus and softmax are scalar in double precision. NaN in gives NaN
    /// out; ±∞ give the mathematical limit. Allocation-free and thread-safe (no state).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SpanActivations
    {
        /// <summary>tanh(x).</summary>
        public static void Tanh(Span<float> x) => UnaryOperation.Apply<TanhActivation>(x);

        /// <summary>1 / (1 + exp(-x)).</summary>
        public static void Sigmoid(Span<float> x) => UnaryOperation.Apply<SigmoidActivation>(x);

        /// <summary>Keras 2 and TensorFlow.js hard_sigmoid: clip(0.2x + 0.5, 0, 1).</summary>
        public static void HardSigmoid(Span<float> x) => UnaryOperation.Apply<HardSigmoidActivation>(x);

        /// <summary>Keras 3 hard_sigmoid: relu6(x + 3) / 6.</summary>
        public static void HardSigmoidKeras3(Span<float> x) => UnaryOperation.Apply<HardSigmoidKeras3Activation>(x);

        /// <summary>max(x, 0); NaN stays NaN.</summary>
        public static void Relu(Span<float> x) => UnaryOperation.Apply<ReluActivation>(x);

        /// <summary>x &gt; 0 ? x : exp(x) - 1.</summary>
        public static void Elu(Span<float> x) => UnaryOperation.Apply<EluActivation>(x);

        /// <summary>scale · (x &gt; 0 ? x : alpha · (exp(x) - 1)), Keras's alpha and scale.</summary>
        public static void Selu(Span<float> x) => UnaryOperation.Apply<SeluActivation>(x);

        /// <summary>x / (1 + |x|).</summary>
        public static void Softsign(Span<float> x) => UnaryOperation.Apply<SoftsignActivation>(x);

        /// <summary>log(1 + exp(x)).</summary>
        public static void Softplus(Span<float> x) => UnaryOperation.Apply<SoftplusActivation>(x);

        /// <summary>x · sigmoid(x) (Keras's swish, also called silu).</summary>
        public static void Swish(Span<float> x) => UnaryOperation.Apply<SwishActivation>(x);

        /// <summary>exp(x).</summary>
        public static void Exponential(Span<float> x) => UnaryOperation.Apply<ExponentialActivation>(x);

        /// <summary>
        /// exp(x - max) / Σ exp(x - max) over the span (one row of the last axis), in double precision. A NaN
        /// anywhere makes the whole row NaN (as in Keras); +∞ entries share 1 equally and the rest get 0 (the
        /// limit); a row of only −∞ has no limit and becomes NaN.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Softmax(Span<float> x)
        {
            if (x.IsEmpty)
            {
                return;
            }
            ref float start = ref MemoryMarshal.GetReference(x);
            nuint length = (nuint)x.Length;
            float max = float.NegativeInfinity;
            for (nuint i = 0; i < length; i++)
            {
                float v = Unsafe.Add(ref start, i);
                if (float.IsNaN(v))
                {
                    x.Fill(float.NaN);
                    return;
                }
                max = v > max ? v : max;
            }
            if (float.IsInfinity(max))
            {
                SoftmaxOfInfinity(x, max);
                return;
            }
            double m = max;
            double sum = 0;
            for (nuint i = 0; i < length; i++)
            {
                sum += Math.Exp(Unsafe.Add(ref start, i) - m);
            }
            // sum ≥ 1 (the maximum contributes exp(0)); exp is recomputed rather than stored so no buffer is needed.
            for (nuint i = 0; i < length; i++)
            {
                ref float v = ref Unsafe.Add(ref start, i);
                v = (float)(Math.Exp(v - m) / sum);
            }
        }

        private static void SoftmaxOfInfinity(Span<float> x, float max)
        {
            if (float.IsNegativeInfinity(max))
            {
                x.Fill(float.NaN);
                return;
            }
            int count = 0;
            foreach (float v in x)
            {
                count += float.IsPositiveInfinity(v) ? 1 : 0;
            }
            float share = 1f / count;
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = float.IsPositiveInfinity(x[i]) ? share : 0f;
            }
        }
    }

    /// <summary>
    /// Applies an activation in place with whole vectors only: the last, partial block is handled by a vector
    /// that overlaps the previous one, computed from the original values before anything is stored, so a
    /// 10-unit layer pays no scalar exp. The widest accelerated width that fits the span is used (Vector512 from
    /// 16 values, Vector256 from 8, Vector128 from 4), else the scalar form.
    /// </summary>
    internal static class UnaryOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<T>(Span<float> values)
            where T : struct, IActivation
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            nuint length = (nuint)values.Length;
            if (T.Vectorized)
            {
                if (Vector512.IsHardwareAccelerated && length >= 16)
                {
                    Apply512<T>(ref start, length);
                    return;
                }
                if (Vector256.IsHardwareAccelerated && length >= 8)
                {
                    Apply256<T>(ref start, length);
                    return;
                }
                if (Vector128.IsHardwareAccelerated && length >= 4)
                {
                    Apply128<T>(ref start, length);
                    return;
                }
            }
            ApplyScalar<T>(ref start, length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Apply512<T>(ref float start, nuint length)
            where T : struct, IActivation
        {
            nuint last = length - 16;
            Vector512<float> tail = T.Invoke(Vector512.LoadUnsafe(ref start, last));
            for (nuint i = 0; i < last; i += 16)
            {
                Vector512.StoreUnsafe(T.Invoke(Vector512.LoadUnsafe(ref start, i)), ref start, i);
            }
            Vector512.StoreUnsafe(tail, ref start, last);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Apply256<T>(ref float start, nuint length)
            where T : struct, IActivation
        {
            nuint last = length - 8;
            Vector256<float> tail = T.Invoke(Vector256.LoadUnsafe(ref start, last));
            for (nuint i = 0; i < last; i += 8)
            {
                Vector256.StoreUnsafe(T.Invoke(Vector256.LoadUnsafe(ref start, i)), ref start, i);
            }
            Vector256.StoreUnsafe(tail, ref start, last);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Apply128<T>(ref float start, nuint length)
            where T : struct, IActivation
        {
            nuint last = length - 4;
            Vector128<float> tail = T.Invoke(Vector128.LoadUnsafe(ref start, last));
            for (nuint i = 0; i < last; i += 4)
            {
                Vector128.StoreUnsafe(T.Invoke(Vector128.LoadUnsafe(ref start, i)), ref start, i);
            }
            Vector128.StoreUnsafe(tail, ref start, last);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ApplyScalar<T>(ref float start, nuint length)
            where T : struct, IActivation
        {
            for (nuint i = 0; i < length; i++)
            {
                Unsafe.Add(ref start, i) = T.Invoke(Unsafe.Add(ref start, i));
            }
        }
    }
}
