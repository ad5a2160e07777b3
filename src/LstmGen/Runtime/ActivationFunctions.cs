using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// An element-wise activation with a scalar form and, when <see cref="Vectorized"/>, vector forms; a type
    /// argument of generated code's calls so each activation is compiled into the loop that uses it.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public interface IActivation
    {
        /// <summary>Whether the vector forms exist (otherwise only the scalar form is called).</summary>
        static abstract bool Vectorized { get; }

        /// <summary>The function on one value.</summary>
        static abstract float Invoke(float x);

        /// <summary>The function on 8 lanes.</summary>
        static abstract Vector256<float> Invoke(Vector256<float> x);

        /// <summary>The function on 4 lanes.</summary>
        static abstract Vector128<float> Invoke(Vector128<float> x);
    }

    /// <summary>
    /// Applies an activation in place with whole vectors only: the last, partial block is handled by a vector
    /// that overlaps the previous one, computed from the original values before anything is stored, so a
    /// 10-unit layer pays no scalar exp. Vector256 when accelerated, else Vector128, else scalar.
    /// </summary>
    internal static class UnaryOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<T>(Span<float> values)
            where T : struct, IActivation
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            nuint length = (nuint)values.Length;
            if (T.Vectorized && Vector256.IsHardwareAccelerated && length >= 8)
            {
                nuint last = length - 8;
                Vector256<float> tail = T.Invoke(Vector256.LoadUnsafe(ref start, last));
                for (nuint i = 0; i < last; i += 8)
                {
                    Vector256.StoreUnsafe(T.Invoke(Vector256.LoadUnsafe(ref start, i)), ref start, i);
                }
                Vector256.StoreUnsafe(tail, ref start, last);
                return;
            }
            if (T.Vectorized && Vector128.IsHardwareAccelerated && length >= 4)
            {
                nuint last = length - 4;
                Vector128<float> tail = T.Invoke(Vector128.LoadUnsafe(ref start, last));
                for (nuint i = 0; i < last; i += 4)
                {
                    Vector128.StoreUnsafe(T.Invoke(Vector128.LoadUnsafe(ref start, i)), ref start, i);
                }
                Vector128.StoreUnsafe(tail, ref start, last);
                return;
            }
            for (nuint i = 0; i < length; i++)
            {
                Unsafe.Add(ref start, i) = T.Invoke(Unsafe.Add(ref start, i));
            }
        }
    }

    /// <summary>The identity (Keras's linear).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct LinearActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => x;
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => x;
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => x;
    }

    /// <summary>tanh(x).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct TanhActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => MathF.Tanh(x);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Tanh(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Tanh(x);
    }

    /// <summary>1 / (1 + exp(-x)).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SigmoidActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Sigmoid(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Sigmoid(x);
    }

    /// <summary>Keras 2 / tfjs: clip(0.2x + 0.5, 0, 1). Max/Min order keeps NaN as NaN.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct HardSigmoidActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsNaN(x) ? x : Math.Clamp(0.2f * x + 0.5f, 0f, 1f);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => KeepNaN(x, Vector256.Min(Vector256.Max(Vector256.Create(0.2f) * x + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One));
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => KeepNaN(x, Vector128.Min(Vector128.Max(Vector128.Create(0.2f) * x + Vector128.Create(0.5f), Vector128<float>.Zero), Vector128<float>.One));
        internal static Vector256<float> KeepNaN(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
        internal static Vector128<float> KeepNaN(Vector128<float> x, Vector128<float> y) => Vector128.ConditionalSelect(Vector128.Equals(x, x), y, x);
    }

    /// <summary>Keras 3: relu6(x + 3) / 6.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct HardSigmoidKeras3Activation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsNaN(x) ? x : Math.Clamp(x + 3f, 0f, 6f) / 6f;
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => HardSigmoidActivation.KeepNaN(x, Vector256.Min(Vector256.Max(x + Vector256.Create(3f), Vector256<float>.Zero), Vector256.Create(6f)) / Vector256.Create(6f));
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => HardSigmoidActivation.KeepNaN(x, Vector128.Min(Vector128.Max(x + Vector128.Create(3f), Vector128<float>.Zero), Vector128.Create(6f)) / Vector128.Create(6f));
    }

    /// <summary>max(x, 0); NaN stays NaN.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct ReluActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => x < 0f ? 0f : x;
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x);
    }

    /// <summary>x / (1 + |x|), ±1 at ±infinity.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SoftsignActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsInfinity(x) ? MathF.Sign(x) : x / (1f + MathF.Abs(x));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.Equals(Vector256.Abs(x), Vector256.Create(float.PositiveInfinity)), Vector256.ConditionalSelect(Vector256.Create(-0f), x, Vector256<float>.One), x / (Vector256<float>.One + Vector256.Abs(x)));
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.Equals(Vector128.Abs(x), Vector128.Create(float.PositiveInfinity)), Vector128.ConditionalSelect(Vector128.Create(-0f), x, Vector128<float>.One), x / (Vector128<float>.One + Vector128.Abs(x)));
    }

    /// <summary>x · sigmoid(x).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SwishActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => x / (1f + MathF.Exp(-x));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.Sigmoid(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.Sigmoid(x);
    }

    /// <summary>exp(x).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct ExponentialActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => MathF.Exp(x);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Exp(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Exp(x);
    }

    /// <summary>x &gt; 0 ? x : exp(x) - 1, in double for accuracy near 0 (rare in LSTMs, so scalar).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct EluActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => false;
        /// <inheritdoc/>
        public static float Invoke(float x) => x > 0f ? x : (float)(Math.Exp(x) - 1.0);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => throw new NotSupportedException();
    }

    /// <summary>SELU with Keras's constants.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SeluActivation : IActivation
    {
        private const double Alpha = 1.6732632423543772848170429916717;
        private const double Scale = 1.0507009873554804934193349852946;
        /// <inheritdoc/>
        public static bool Vectorized => false;
        /// <inheritdoc/>
        public static float Invoke(float x) => (float)(Scale * (x > 0f ? x : Alpha * (Math.Exp(x) - 1.0)));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => throw new NotSupportedException();
    }

    /// <summary>log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)), stable for any x.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SoftplusActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => false;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsNaN(x) ? x : (float)(Math.Max(x, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs((double)x))));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => throw new NotSupportedException();
    }
}
