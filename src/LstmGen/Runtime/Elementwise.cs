using System;

namespace LstmGen.Runtime
{
    /// <summary>Element-wise recurrent-cell arithmetic called by generated code.</summary>
    public static class Elementwise
    {
        /// <summary>c = f * c + i * g.</summary>
        public static void LstmCellUpdate(ReadOnlySpan<float> i, ReadOnlySpan<float> f, ReadOnlySpan<float> g, Span<float> c)
        {
            for (int k = 0; k < c.Length; k++) c[k] = f[k] * c[k] + i[k] * g[k];
        }

        /// <summary>x *= factor.</summary>
        public static void Multiply(Span<float> x, ReadOnlySpan<float> factor)
        {
            for (int k = 0; k < x.Length; k++) x[k] *= factor[k];
        }
    }
}
