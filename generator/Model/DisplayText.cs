using System.Globalization;
using System.Text;

namespace LstmGen.Generator.Model
{
    /// <summary>
    /// Makes text from the weights file (layer names, versions, file names) safe to echo into generated source
    /// and diagnostic messages: anything that could end a line or a comment, reorder text on screen, or is not
    /// well-formed UTF-16 becomes a visible <c>\uXXXX</c> escape, and very long text is cut.
    /// </summary>
    internal static class DisplayText
    {
        /// <summary>Longest layer name or version echoed into generated comments.</summary>
        public const int MaxNameLength = 64;

        /// <summary>Longest message argument in a diagnostic.</summary>
        public const int MaxArgumentLength = 400;

        public static string Escape(string text, int maxLength = int.MaxValue)
        {
            bool cut = text.Length > maxLength;
            int length = cut ? maxLength : text.Length;
            StringBuilder? builder = null;
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                bool safe;
                if (char.IsHighSurrogate(c))
                {
                    // A pair is kept whole (and not split by the cut); a lone half is escaped.
                    safe = i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                    if (safe)
                    {
                        builder?.Append(c).Append(text[i + 1]);
                        i++;
                        continue;
                    }
                }
                else
                {
                    safe = !IsUnsafe(c);
                }
                if (safe)
                {
                    builder?.Append(c);
                    continue;
                }
                builder ??= new StringBuilder(length + 16).Append(text, 0, i);
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            string shown = builder is null ? (cut ? text.Substring(0, length) : text) : builder.ToString();
            return cut ? shown + "..." : shown;
        }

        /// <summary>
        /// Control characters (C0, DEL, C1 including U+0085 NEL), the Unicode line and paragraph separators
        /// (C# new-lines), bidirectional overrides and isolates ("Trojan Source"), lone surrogate halves, BOM and the non-characters U+FFFE, U+FFFF (not valid XML).
        /// </summary>
        private static bool IsUnsafe(char c)
            => c < ' '
            || (c >= '\u007f' && c <= '\u009f')
            || c == '\u2028' || c == '\u2029'
            || (c >= '\u202a' && c <= '\u202e')
            || (c >= '\u2066' && c <= '\u2069')
            || c == '\u200e' || c == '\u200f' || c == '\u061c'
            || char.IsSurrogate(c)
            || c == '\ufeff' || c == '\ufffe' || c == '\uffff';
    }
}
