using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Keras GlobalAveragePooling1D and GlobalMaxPooling1D over the time axis, one timestep at a time, called by
    /// generated code: the running sum or maximum of each feature lives in the caller's buffer, and the average
    /// divides the sums by the timestep count at the end. Scalar float code, like <see cref="Normalization"/>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class GlobalPooling
    {
        /// <summary>GlobalAveragePooling1D, one timestep: <paramref name="sum"/> += <paramref name="x"/> (divided by the count at the end).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Accumulate(ReadOnlySpan<float> x, Span<float> sum)
        {
            x = x.Slice(0, sum.Length);
            for (int i = 0; i < sum.Length; i++) sum[i] += x[i];
        }

        /// <summary>GlobalMaxPooling1D, one timestep: <paramref name="max"/> = max(max, x); NaN wins, as in TensorFlow's reduce_max.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Maximum(ReadOnlySpan<float> x, Span<float> max)
        {
            x = x.Slice(0, max.Length);
            for (int i = 0; i < max.Length; i++)
            {
                float v = x[i];
                if (v > max[i] || float.IsNaN(v)) max[i] = v;
            }
        }

        /// <summary>GlobalAveragePooling1D at the end: the sums divided by the timestep count.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Divide(Span<float> sum, int count)
        {
            for (int i = 0; i < sum.Length; i++) sum[i] /= count;
        }
    }
}
