using System.Globalization;

namespace LstmGen.Generator.Emitting
{
    /// <summary>Offsets in generated code: an index expression times a row width, folded when both are constants.</summary>
    internal static class IndexExpression
    {
        /// <summary>
        /// <paramref name="index"/> × <paramref name="width"/> as C#: the product when both are integer literals,
        /// <c>0</c> for a zero width, the index itself for width 1, and a compound index in parentheses (so that
        /// <c>t - 1</c> times 10 is <c>(t - 1) * 10</c>, not <c>t - 1 * 10</c>).
        /// </summary>
        public static string Times(string index, string width)
        {
            if (int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                && int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out int b))
            {
                return IntLiteral.Format(a * b);
            }
            if (width == "0") return "0";
            if (width == "1") return index;
            return $"{(IsCompound(index) ? $"({index})" : index)} * {width}";
        }

        public static string Times(string index, int width) => Times(index, IntLiteral.Format(width));

        /// <summary>Whether timestep <paramref name="t"/> is odd, as C#: a literal when t is one (the walks that alternate direction per timestep).</summary>
        public static string Odd(string t)
            => int.TryParse(t, out int x) ? ((x & 1) != 0 ? "true" : "false") : $"({(t.IndexOf(' ') >= 0 ? $"({t})" : t)} & 1) != 0";

        /// <summary>Whether the expression needs parentheses as a factor: it has operators outside one enclosing pair.</summary>
        private static bool IsCompound(string expression)
        {
            if (expression.IndexOf(' ') < 0) return false;
            if (expression[0] != '(' || expression[expression.Length - 1] != ')') return true;
            int depth = 0;
            for (int i = 0; i < expression.Length; i++)
            {
                if (expression[i] == '(') depth++;
                else if (expression[i] == ')') depth--;
                // The opening parenthesis closes before the end: "(a) + (b)".
                if (depth == 0 && i < expression.Length - 1) return true;
            }
            return false;
        }
    }
}
