using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The methods of a merge layer (<see cref="MergeLayerSpec"/>) and its calls: element-wise kinds combine two
    /// operands into y (y may be the first, so more operands fold in one after another); Concatenate copies.
    /// </summary>
    internal static class MergeEmitter
    {
        public static void EmitMethod(IndentedWriter w, int number, MergeLayerSpec merge)
        {
            if (merge.Kind == MergeKind.Concatenate) return;
            string formula = merge.Kind switch
            {
                MergeKind.Subtract => "a[i] - b[i]",
                MergeKind.Multiply => "a[i] * b[i]",
                MergeKind.Maximum => "MathF.Max(a[i], b[i])",
                MergeKind.Minimum => "MathF.Min(a[i], b[i])",
                _ => "a[i] + b[i]",
            };
            string what = merge.Kind == MergeKind.Average ? "the running sum y = a + b (divided by the count at the end)" : $"y = {formula.Replace("[i]", string.Empty)}";
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(merge.Description)}: {CommentText.Xml(what)}, element by element; y may be a.</summary>");
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)"))
            {
                w.Line("a = a.Slice(0, y.Length);");
                w.Line("b = b.Slice(0, y.Length);");
                using (w.Block("for (int i = 0; i < y.Length; i++)"))
                {
                    w.Line($"y[i] = {formula};");
                }
            }
            w.Line();
            if (merge.Kind != MergeKind.Average) return;
            int count = merge.OperandWidths.Count;
            w.Line($"/// <summary>Layer {number}, Average: the sum of the {IntLiteral.Format(count)} inputs divided by {IntLiteral.Format(count)}, as Keras divides.</summary>");
            using (w.Method($"private static void Layer{number}Mean(Span<float> y)"))
            {
                using (w.Block("for (int i = 0; i < y.Length; i++)"))
                {
                    w.Line($"y[i] /= {IntLiteral.Format(count)}f;");
                }
            }
            w.Line();
        }

        /// <summary>
        /// Emits the merge of <paramref name="operands"/> (spans of <paramref name="rows"/> rows each; null rows: one
        /// vector each) into <paramref name="target"/>.
        /// </summary>
        public static void EmitCall(IndentedWriter w, int number, MergeLayerSpec merge, string[] operands, string[]? rows, string target)
        {
            if (merge.Kind != MergeKind.Concatenate)
            {
                w.Line($"Layer{number}({operands[0]}, {operands[1]}, {target});");
                for (int k = 2; k < operands.Length; k++) w.Line($"Layer{number}({target}, {operands[k]}, {target});");
                if (merge.Kind == MergeKind.Average) w.Line($"Layer{number}Mean({target});");
                return;
            }
            int width = merge.OutputSize;
            if (merge.TimeAxis)
            {
                // Rows of the first input, then those of the second, ...
                string offset = "0";
                for (int k = 0; k < operands.Length; k++)
                {
                    string length = IndexExpression.Times(rows![k], IntLiteral.Format(width));
                    w.Line($"{operands[k]}.Slice(0, {length}).CopyTo({target}.Slice({offset}, {length}));");
                    offset = offset == "0" ? length : $"{offset} + {length}";
                }
                return;
            }
            if (rows is null)
            {
                int start = 0;
                for (int k = 0; k < operands.Length; k++)
                {
                    int part = merge.OperandWidths[k];
                    w.Line($"{operands[k]}.Slice(0, {part}).CopyTo({target}.Slice({IntLiteral.Format(start)}, {part}));");
                    start += part;
                }
                return;
            }
            using (w.Block($"for (int t = 0; t < {rows[0]}; t++)"))
            {
                int start = 0;
                for (int k = 0; k < operands.Length; k++)
                {
                    int part = merge.OperandWidths[k];
                    string at = IndexExpression.Times("t", IntLiteral.Format(width));
                    w.Line($"{operands[k]}.Slice({IndexExpression.Times("t", IntLiteral.Format(part))}, {part}).CopyTo({target}.Slice({(start == 0 ? at : $"{at} + {IntLiteral.Format(start)}")}, {part}));");
                    start += part;
                }
            }
        }
    }
}
