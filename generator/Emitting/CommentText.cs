using System.Globalization;
using System.Text;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Makes text from the weights file (layer names, keras_version, the file name) safe to echo into generated
    /// comments: nothing can end the comment line (C# also breaks lines at U+0085, U+2028 and U+2029) and start
    /// a directive or code, and doc comments stay well-formed XML.
    /// </summary>
    internal static class CommentText
    {
        /// <summary>For a <c>//</c> comment: line breaks, control characters, lone surrogates and bidi controls become <c>\uXXXX</c>.</summary>
        public static string Line(string text)
        {
            StringBuilder? sb = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                if (pair || !NeedsEscape(c))
                {
                    sb?.Append(c);
                    if (pair)
                    {
                        sb?.Append(text[i + 1]);
                        i++;
                    }
                    continue;
                }
                sb ??= new StringBuilder(text, 0, i, text.Length + 16);
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            return sb?.ToString() ?? text;
        }

        /// <summary>For a <c>///</c> doc comment: <see cref="Line"/>, then XML-escaped.</summary>
        public static string Xml(string text)
            => Line(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        private static bool NeedsEscape(char c)
            => c < ' '
                || (c >= '\u007F' && c <= '\u009F') // DEL and C1 controls, U+0085 (a C# line break) among them
                || c == '\u2028' || c == '\u2029' // C# line breaks
                || char.IsSurrogate(c) // a lone surrogate (pairs are kept above): not valid XML or UTF-8
                || c == '\uFFFE' || c == '\uFFFF' // not characters, not valid XML
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') // bidi embeddings, overrides, isolates
                || c == '\u200E' || c == '\u200F' || c == '\u061C'; // bidi marks
    }
}
