using System;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Double-precision helpers for the scalar-only activations (.NET's <c>double.LogP1</c> is log(1 + x), which
    /// loses every digit of a tiny x; there is no expm1 at all).
    /// </summary>
    internal static class ScalarMath
    {
        /// <summary>log(1 + y), accurate for tiny y (Goldberg's correction of the rounding in 1 + y); y ≥ 0 or NaN.</summary>
        public static double Log1P(double y)
        {
            double u = 1.0 + y;
            if (u == 1.0) return y;
            return Math.Log(u) * (y / (u - 1.0));
        }

        /// <summary>exp(x) − 1, accurate for tiny x (Kahan's correction); −1 at −∞, NaN for NaN.</summary>
        public static double ExpM1(double x)
        {
            double u = Math.Exp(x);
            if (u == 1.0) return x;
            double um1 = u - 1.0;
            if (um1 == -1.0 || double.IsPositiveInfinity(u)) return um1;
            return um1 * (x / Math.Log(u));
        }
    }
}
