using System.Globalization;

namespace LstmGen.Generator
{
    /// <summary>Writes an int as a C# literal, independent of the current culture.</summary>
    internal static class IntLiteral
    {
        public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
