// The element-wise activations, one value or one vector at a time: IActivation and one struct per Keras activation
// (TanhActivation, SigmoidActivation, ...). Generated code passes them as type arguments; the loops over spans
// are in SpanActivations.cs, LstmCell.cs and GruCell.cs.
using System;
using System.ComponentModel;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// An element-wise activation on one value (the scalar form) and, when <see cref="Vectorized"/>, on one vector
    /// of 16, 8 or 4 lanes: a type argument of <see cref="LstmCell"/>, <see cref="GruCell"/> and
    /// <see cref="SpanActivations"/>, so each activation is compiled into the loop that uses it. Called only by
    /// generated code and this library; hidden from IntelliSense.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public interface IActivation
    {
        /// <summary>Whether the vector forms exist (otherwise only the scalar form is called).</summary>
        static abstract bool Vectorized { get; }

        /// <summary>The function on one value.</summary>
        static abstract float Invoke(float x);

        /// <summary>The function on 16 lanes.</summary>
        static abstract Vector512<float> Invoke(Vector512<float> x);

        /// <summary>The function on 8 lanes.</summary>
        static abstract Vector256<float> Invoke(Vector256<float> x);

        /// <summary>The function on 4 lanes.</summary>
        static abstract Vector128<float> Invoke(Vector128<float> x);
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
        public static Vector512<float> Invoke(Vector512<float> x) => x;
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
        public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Tanh(x);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Tanh(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Tanh(x);
    }

    /// <summary>1 / (1 + exp(-x)), as e / (1 + e) with e = exp(x) for negative x (no overflow, accurate tiny results).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SigmoidActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x)
        {
            float e = MathF.Exp(-MathF.Abs(x));
            return (x < 0f ? e : 1f) / (1f + e);
        }
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Sigmoid(x);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Sigmoid(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Sigmoid(x);
    }

    /// <summary>
    /// Keras 2 / tfjs: clip(0.2x + 0.5, 0, 1), computed in float with a separate multiply and add as TensorFlow
    /// does; NaN stays NaN.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct HardSigmoidActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsNaN(x) ? x : Math.Clamp(0.2f * x + 0.5f, 0f, 1f);
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x)
            => VectorMath.KeepNaN(x, VectorMath.Min(VectorMath.Max(Vector512.Create(0.2f) * x + Vector512.Create(0.5f), Vector512<float>.Zero), Vector512<float>.One));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x)
            => VectorMath.KeepNaN(x, VectorMath.Min(VectorMath.Max(Vector256.Create(0.2f) * x + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One));
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x)
            => VectorMath.KeepNaN(x, VectorMath.Min(VectorMath.Max(Vector128.Create(0.2f) * x + Vector128.Create(0.5f), Vector128<float>.Zero), Vector128<float>.One));
    }

    /// <summary>Keras 3: relu6(x + 3) / 6; NaN stays NaN.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct HardSigmoidKeras3Activation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsNaN(x) ? x : Math.Clamp(x + 3f, 0f, 6f) / 6f;
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x)
            => VectorMath.KeepNaN(x, VectorMath.Min(VectorMath.Max(x + Vector512.Create(3f), Vector512<float>.Zero), Vector512.Create(6f)) / Vector512.Create(6f));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x)
            => VectorMath.KeepNaN(x, VectorMath.Min(VectorMath.Max(x + Vector256.Create(3f), Vector256<float>.Zero), Vector256.Create(6f)) / Vector256.Create(6f));
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x)
            => VectorMath.KeepNaN(x, VectorMath.Min(VectorMath.Max(x + Vector128.Create(3f), Vector128<float>.Zero), Vector128.Create(6f)) / Vector128.Create(6f));
    }

    /// <summary>max(x, 0); NaN stays NaN (a compare and select, not max, whose NaN rule differs by platform).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct ReluActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => x < 0f ? 0f : x;
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x);
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
        public static float Invoke(float x) => float.IsInfinity(x) ? MathF.CopySign(1f, x) : x / (1f + MathF.Abs(x));
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x)
        {
            Vector512<float> a = Vector512.Abs(x);
            Vector512<float> limit = Vector512.ConditionalSelect(Vector512.Create(-0f), x, Vector512<float>.One);
            return Vector512.ConditionalSelect(Vector512.Equals(a, Vector512.Create(float.PositiveInfinity)), limit, x / (Vector512<float>.One + a));
        }
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x)
        {
            Vector256<float> a = Vector256.Abs(x);
            Vector256<float> limit = Vector256.ConditionalSelect(Vector256.Create(-0f), x, Vector256<float>.One);
            return Vector256.ConditionalSelect(Vector256.Equals(a, Vector256.Create(float.PositiveInfinity)), limit, x / (Vector256<float>.One + a));
        }
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x)
        {
            Vector128<float> a = Vector128.Abs(x);
            Vector128<float> limit = Vector128.ConditionalSelect(Vector128.Create(-0f), x, Vector128<float>.One);
            return Vector128.ConditionalSelect(Vector128.Equals(a, Vector128.Create(float.PositiveInfinity)), limit, x / (Vector128<float>.One + a));
        }
    }

    /// <summary>x · sigmoid(x) (swish / silu); 0 at −∞ (where the product would be −∞ · 0).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SwishActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => true;
        /// <inheritdoc/>
        public static float Invoke(float x) => float.IsNegativeInfinity(x) ? -0f : x * SigmoidActivation.Invoke(x);
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x)
            => Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512.Create(-0f), x * VectorMath.Sigmoid(x));
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x)
            => Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256.Create(-0f), x * VectorMath.Sigmoid(x));
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x)
            => Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128.Create(-0f), x * VectorMath.Sigmoid(x));
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
        public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Exp(x);
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Exp(x);
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Exp(x);
    }

    /// <summary>x &gt; 0 ? x : exp(x) − 1, in double with an accurate expm1 (rare in LSTMs, so scalar only).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct EluActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => false;
        /// <inheritdoc/>
        public static float Invoke(float x) => x > 0f ? x : (float)ScalarMath.ExpM1(x);
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => throw new NotSupportedException();
    }

    /// <summary>SELU with Keras's constants, in double with an accurate expm1 (scalar only).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SeluActivation : IActivation
    {
        private const double Alpha = 1.67326324235437728481704299167177;
        private const double Scale = 1.05070098735548049341933498529460;
        /// <inheritdoc/>
        public static bool Vectorized => false;
        /// <inheritdoc/>
        public static float Invoke(float x) => (float)(x > 0f ? Scale * x : Scale * Alpha * ScalarMath.ExpM1(x));
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => throw new NotSupportedException();
    }

    /// <summary>log(1 + exp(x)) as max(x, 0) + log1p(exp(−|x|)) in double, stable for any x (scalar only).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct SoftplusActivation : IActivation
    {
        /// <inheritdoc/>
        public static bool Vectorized => false;
        /// <inheritdoc/>
        public static float Invoke(float x)
        {
            double d = x;
            return (float)(Math.Max(d, 0.0) + ScalarMath.Log1P(Math.Exp(-Math.Abs(d))));
        }
        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> x) => throw new NotSupportedException();
        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> x) => throw new NotSupportedException();
    }
}
