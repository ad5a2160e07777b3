using System;

namespace LstmGen.Runtime
{
    /// <summary>In-place activations called by generated code (Keras semantics).</summary>
    public static class Activations
    {
        /// <summary>tanh.</summary>
        public static void Tanh(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = MathF.Tanh(x[i]); }

        /// <summary>1 / (1 + exp(-x)).</summary>
        public static void Sigmoid(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = (float)(1.0 / (1.0 + Math.Exp(-x[i]))); }

        /// <summary>Keras 2 / tfjs: clip(0.2x + 0.5, 0, 1).</summary>
        public static void HardSigmoid(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = float.IsNaN(x[i]) ? x[i] : Math.Clamp(0.2f * x[i] + 0.5f, 0f, 1f); }

        /// <summary>Keras 3: relu6(x + 3) / 6.</summary>
        public static void HardSigmoidKeras3(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = float.IsNaN(x[i]) ? x[i] : Math.Clamp(x[i] + 3f, 0f, 6f) / 6f; }

        /// <summary>max(x, 0).</summary>
        public static void Relu(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = x[i] < 0f ? 0f : x[i]; }

        /// <summary>x &gt; 0 ? x : exp(x) - 1.</summary>
        public static void Elu(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = x[i] > 0f ? x[i] : (float)(Math.Exp(x[i]) - 1.0); }

        /// <summary>SELU with Keras's constants.</summary>
        public static void Selu(Span<float> x)
        {
            const double alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946;
            for (int i = 0; i < x.Length; i++) x[i] = (float)(scale * (x[i] > 0f ? x[i] : alpha * (Math.Exp(x[i]) - 1.0)));
        }

        /// <summary>x / (1 + |x|).</summary>
        public static void Softsign(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = x[i] / (1f + MathF.Abs(x[i])); }

        /// <summary>log(1 + exp(x)).</summary>
        public static void Softplus(Span<float> x) { for (int i = 0; i < x.Length; i++) { double v = x[i]; x[i] = (float)(Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)))); } }

        /// <summary>x * sigmoid(x).</summary>
        public static void Swish(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = (float)(x[i] / (1.0 + Math.Exp(-x[i]))); }

        /// <summary>exp(x).</summary>
        public static void Exponential(Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] = MathF.Exp(x[i]); }

        /// <summary>exp(x - max) / sum.</summary>
        public static void Softmax(Span<float> x)
        {
            float max = float.NegativeInfinity;
            foreach (float v in x) max = MathF.Max(max, v);
            double sum = 0;
            for (int i = 0; i < x.Length; i++) { x[i] = MathF.Exp(x[i] - max); sum += x[i]; }
            for (int i = 0; i < x.Length; i++) x[i] = (float)(x[i] / sum);
        }
    }
}
