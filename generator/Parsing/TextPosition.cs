using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis.Text;

namespace LstmGen.Generator.Parsing
{
    /// <summary>Turns a 1-based line and column of the weights file into a location in that file.</summary>
    internal static class TextPosition
    {
        public static LocationInfo Locate(string filePath, string text, int line, int column)
        {
            // Walk to the line; only done when a diagnostic is reported, so no line table is kept.
            int offset = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
            for (int current = 1; current < line && offset < text.Length; offset++)
            {
                char c = text[offset];
                if (c == '\n' || (c == '\r' && (offset + 1 >= text.Length || text[offset + 1] != '\n'))) current++;
            }
            int start = System.Math.Min(text.Length, offset + System.Math.Max(0, column - 1));
            int length = start < text.Length ? 1 : 0; // the first character of the offending value
            var position = new LinePosition(System.Math.Max(0, line - 1), System.Math.Max(0, column - 1));
            var end = new LinePosition(position.Line, position.Character + length);
            return new LocationInfo(filePath, new TextSpan(start, length), new LinePositionSpan(position, end));
        }
    }
}
