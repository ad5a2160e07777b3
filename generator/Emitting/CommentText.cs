using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Makes text from the weights file (layer names, keras_version, the file name) safe to echo into generated
    /// comments: nothing can end the comment line (C# also breaks lines at U+0085, U+2028 and U+2029) and start
    /// a directive or code, and doc comments stay well-formed XML. The escaping itself is <see cref="DisplayText"/>.
    /// </summary>
    internal static class CommentText
    {
        /// <summary>For a <c>//</c> comment: line breaks, control characters, lone surrogates and bidi controls become <c>\uXXXX</c>.</summary>
        public static string Line(string text) => DisplayText.Escape(text);

        /// <summary>For a <c>///</c> doc comment: <see cref="Line"/>, then XML-escaped.</summary>
        public static string Xml(string text)
            => Line(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
