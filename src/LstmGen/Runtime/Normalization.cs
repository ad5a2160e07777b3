using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Keras BatchNormalization and LayerNormalization over one row (a timestep's features or a vector), called by
    /// generated code. Scalar float code: these layers cost a few operations per feature next to a recurrent layer's
    /// products. Absent gamma (scale=false) counts as 1, absent beta (center=false) as 0, as in Keras.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class Normalization
    {
        /// <summary>Keras BatchNormalization at inference: y = gamma · (x − mean) / sqrt(variance + epsilon) + beta.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Batch(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon)
        {
            int n = mean.Length;
            x = x.Slice(0, n);
            y = y.Slice(0, n);
            variance = variance.Slice(0, n);
            for (int i = 0; i < n; i++)
            {
                // (x − mean) first, like TensorFlow.js: x near the mean keeps its precision.
                float scale = (gamma.IsEmpty ? 1f : gamma[i]) / MathF.Sqrt(variance[i] + epsilon);
                y[i] = ((x[i] - mean[i]) * scale) + (beta.IsEmpty ? 0f : beta[i]);
            }
        }

        /// <summary>
        /// Keras LayerNormalization over one row of <paramref name="n"/> features: the row's mean and biased
        /// variance (the mean of the squared deviations), then y = gamma · (x − mean) / sqrt(variance + epsilon) + beta.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Layer(ReadOnlySpan<float> x, Span<float> y, int n, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon)
        {
            x = x.Slice(0, n);
            y = y.Slice(0, n);
            float sum = 0f;
            for (int i = 0; i < n; i++) sum += x[i];
            float mean = sum / n;
            float squares = 0f;
            for (int i = 0; i < n; i++)
            {
                float d = x[i] - mean;
                squares += d * d;
            }
            float inverse = 1f / MathF.Sqrt((squares / n) + epsilon);
            for (int i = 0; i < n; i++)
            {
                float scale = gamma.IsEmpty ? inverse : gamma[i] * inverse;
                y[i] = ((x[i] - mean) * scale) + (beta.IsEmpty ? 0f : beta[i]);
            }
        }
    }
}
