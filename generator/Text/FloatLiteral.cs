using System;
using System.Globalization;

namespace LstmGen.Generator
{
    /// <summary>
    /// Writes a float as a C# literal that the compiler turns back into the identical 32 bits, whatever the
    /// current culture: the shortest round-trip form when the host formats it correctly, nine digits otherwise.
    /// </summary>
    internal static class FloatLiteral
    {
        public static string Format(float value)
        {
            if (float.IsNaN(value)) return "float.NaN";
            if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            if (value == 0f) return IsNegativeZero(value) ? "-0f" : "0f";

            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (!RoundTrips(text, value))
            {
                // .NET Framework hosts (Visual Studio) do not always give the shortest round-trip string for "R".
                text = value.ToString("G9", CultureInfo.InvariantCulture);
            }
            return text + "f";
        }

        private static bool RoundTrips(string text, float value)
            => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed)
               && parsed == value; // finite and non-zero here, so equality means identical bits

        private static bool IsNegativeZero(float value) => BitConverter.ToInt32(BitConverter.GetBytes(value), 0) != 0;
    }
}
