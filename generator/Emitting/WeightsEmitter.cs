using System.Collections.Generic;
using System.Text;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits a weight tensor as <c>ReadOnlySpan&lt;float&gt; Name =&gt; new float[] { ... }</c>: the compiler stores
    /// the values as constant data in the assembly (RuntimeHelpers.CreateSpan), so reading them allocates
    /// nothing and needs no static constructor.
    /// </summary>
    internal static class WeightsEmitter
    {
        private const int ValuesPerLine = 8;

        /// <param name="panels">Whether a matrix is stored in panels for the GEMV kernels; false keeps it row-major (a lookup table).</param>
        public static void Emit(IndentedWriter w, string name, string description, Tensor tensor, bool panels = true)
        {
            IReadOnlyList<float> values = tensor.Values;
            if (tensor.Shape.Count == 2 && panels)
            {
                int rows = tensor.Shape[0], columns = tensor.Shape[1];
                values = PanelLayout.Reorder(values, rows, columns);
                string layout = columns <= PanelLayout.Width ? "row-major" : $"in panels of {PanelLayout.Width} columns (see PanelLayout), each row-major";
                w.Line($"/// <summary>{CommentText.Xml(description)}, shape {tensor.ShapeText}, {layout}.</summary>");
            }
            else
            {
                w.Line($"/// <summary>{CommentText.Xml(description)}, shape {tensor.ShapeText}, row-major.</summary>");
            }
            w.Line($"internal static ReadOnlySpan<float> {name} => new float[]");
            w.Line("{");
            w.Indent();
            var line = new StringBuilder();
            int count = 0;
            foreach (float value in values)
            {
                if (count > 0) line.Append(' ');
                line.Append(FloatLiteral.Format(value)).Append(',');
                if (++count == ValuesPerLine)
                {
                    w.Line(line.ToString());
                    line.Clear();
                    count = 0;
                }
            }
            if (count > 0) w.Line(line.ToString());
            w.Outdent();
            w.Line("};");
        }
    }
}
