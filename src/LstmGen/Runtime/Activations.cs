using System;

namespace LstmGen.Runtime
{
    /// <summary>
    /// In-place activations with Keras semantics, called by generated code. tanh, sigmoid, the hard sigmoids,
    /// relu, softsign, swish and exponential run on Vector256 / Vector128 (see <see cref="VectorMath"/>);
    /// elu, selu and softplus are scalar in double precision.
    /// </summary>
    public static class Activations
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

        /// <summary>exp(x - max) / Σ exp(x - max) over the span (one row of the last axis).</summary>
        public static void Softmax(Span<float> x)
        {
            float max = float.NegativeInfinity;
            foreach (float v in x)
            {
                max = float.IsNaN(v) ? v : MathF.Max(max, v);
            }
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = MathF.Exp(x[i] - max);
                sum += x[i];
            }
            float scale = (float)(1.0 / sum);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] *= scale;
            }
        }
    }
}
