using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The methods and weights of the layers that map a whole sequence to a new one (Conv1D, MaxPooling1D /
    /// AveragePooling1D, ZeroPadding1D, Cropping1D, UpSampling1D, Permute): <c>Layer{n}(x, rows, y)</c> reads
    /// <c>rows</c> input rows and writes every output row.
    /// </summary>
    internal static class SequenceLayerEmitter
    {
        public static void EmitMethod(IndentedWriter w, int number, SequenceLayerSpec layer)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(layer.Description)}: all output rows from <paramref name=\"rows\"/> input rows.</summary>");
            int history = layer is Conv1DLayerSpec streaming ? streaming.HistoryFloats : 0;
            if (history > 0)
            {
                w.Line("/// <remarks>Starts from <paramref name=\"history\"/>, the input rows of earlier calls (zeros: Keras's causal padding), and leaves the last ones there.</remarks>");
            }
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, int rows, Span<float> y{(history > 0 ? ", Span<float> history" : "")})"))
            {
                w.Line($"int outputRows = {SequenceLengths.Expression(layer, "rows")};");
                w.Line($"x = x.Slice(0, rows * {layer.InputSize});");
                w.Line($"y = y.Slice(0, outputRows * {layer.OutputSize});");
                if (history > 0) w.Line($"history = history.Slice(0, {history});");
                switch (layer)
                {
                    case Conv1DLayerSpec conv:
                        EmitConvolution(w, number, conv);
                        break;
                    case Pooling1DLayerSpec pooling:
                        EmitPooling(w, pooling);
                        break;
                    case ZeroPadding1DLayerSpec padding:
                        if (padding.Before > 0) w.Line($"y.Slice(0, {padding.Before * padding.InputSize}).Clear();");
                        w.Line($"x.CopyTo(y.Slice({padding.Before * padding.InputSize}));");
                        if (padding.After > 0) w.Line($"y.Slice((rows + {padding.Before}) * {padding.InputSize}).Clear();");
                        break;
                    case Cropping1DLayerSpec cropping:
                        w.Line($"x.Slice({cropping.Before * cropping.InputSize}, outputRows * {cropping.InputSize}).CopyTo(y);");
                        break;
                    case PermuteLayerSpec permute:
                        EmitTranspose(w, permute);
                        break;
                    case UpSampling1DLayerSpec upsampling:
                        using (w.Block("for (int t = 0; t < outputRows; t++)"))
                        {
                            w.Line($"x.Slice((t / {upsampling.Size}) * {upsampling.InputSize}, {upsampling.InputSize}).CopyTo(y.Slice(t * {upsampling.InputSize}, {upsampling.InputSize}));");
                        }
                        break;
                }
            }
            w.Line();
        }

        /// <summary>Permute((2, 1)): input row t, feature j becomes output row j, feature t.</summary>
        private static void EmitTranspose(IndentedWriter w, PermuteLayerSpec permute)
        {
            int width = permute.InputSize, rows = permute.Rows;
            w.Line($"// Input row t, feature j is output row j, feature t ({rows} × {width} to {width} × {rows}).");
            using (w.Block($"for (int t = 0; t < {rows}; t++)"))
            {
                w.Line($"ReadOnlySpan<float> row = x.Slice(t * {width}, {width});");
                using (w.Block($"for (int j = 0; j < {width}; j++)"))
                {
                    w.Line($"y[(j * {rows}) + t] = row[j];");
                }
            }
        }

        /// <summary>Whether layer <paramref name="layer"/>'s method takes a <c>history</c> (a causal Conv1D's earlier input rows).</summary>
        public static bool HasHistory(LayerSpec layer) => layer is Conv1DLayerSpec { HistoryFloats: > 0 };

        /// <summary>The call of layer <paramref name="number"/>'s method: <paramref name="rows"/> rows of <paramref name="x"/> into <paramref name="y"/>, with its history if it has one.</summary>
        public static string Call(int number, LayerSpec layer, string x, string rows, string y)
            => $"Layer{number}({x}, {rows}, {y}{(HasHistory(layer) ? $", history{number}" : string.Empty)});";

        /// <summary>Zero rows before the input: a constant, or computed from the row counts ('same' with strides).</summary>
        private static void EmitPadBefore(IndentedWriter w, WindowLayerSpec layer)
        {
            if (layer.FixedPadding)
            {
                w.Line($"const int pad = {layer.PadBefore(1)};");
                return;
            }
            w.Line("// TensorFlow's 'same': the padding the windows need in all, the smaller half before the input.");
            w.Line($"int pad = Math.Max(0, ((outputRows - 1) * {layer.Stride}) + {layer.Extent} - rows) / 2;");
        }

        /// <summary>
        /// Every output row starts from the bias; then for each kernel tap k, the rows whose input row t·s + k·d − pad
        /// lies inside the input add that row times the tap's matrix, all those rows in one matrix product (rows outside
        /// the input are the padding's zeros, so they add nothing); then the activation.
        /// </summary>
        private static void EmitConvolution(IndentedWriter w, int number, Conv1DLayerSpec conv)
        {
            int c = conv.InputSize, f = conv.Filters, cg = conv.GroupInputs, fg = conv.GroupFilters;
            EmitPadBefore(w, conv);
            if (conv.Bias is null)
            {
                w.Line("y.Clear();");
            }
            else
            {
                using (w.Block("for (int t = 0; t < outputRows; t++)"))
                {
                    w.Line($"Layer{number}Bias.CopyTo(y.Slice(t * {f}, {f}));");
                }
            }
            string step = conv.Stride == 1 ? "t" : $"t × {conv.Stride}";
            string shift = conv.Dilation == 1 ? "tap" : $"tap × {conv.Dilation}";
            w.Line($"// Each kernel tap: output row t reads input row {step} + {shift} - pad; the rows where that lies inside the input, in one product.");
            using (w.Block($"for (int tap = 0; tap < {conv.KernelSize}; tap++)"))
            {
                w.Line($"int offset = {(conv.Dilation == 1 ? "tap" : $"(tap * {conv.Dilation})")} - pad;");
                if (conv.Stride == 1)
                {
                    w.Line("int first = Math.Max(0, -offset), end = Math.Min(outputRows, rows - offset);");
                }
                else
                {
                    w.Line($"int first = offset >= 0 ? 0 : (-offset + {conv.Stride - 1}) / {conv.Stride};");
                    w.Line($"int end = rows - 1 - offset < 0 ? 0 : Math.Min(outputRows, ((rows - 1 - offset) / {conv.Stride}) + 1);");
                }
                if (conv.HistoryRows > 0)
                {
                    w.Line($"int before = Math.Min(first, outputRows);");
                    using (w.Block("if (before > 0)"))
                    {
                        w.Line("// Rows before the input's first read the rows kept from earlier calls (zeros from a fresh State).");
                        EmitTapRows(w, number, conv, "history", $"(offset + {conv.HistoryRows})", "0", "before", c);
                    }
                }
                using (w.Block("if (first < end)"))
                {
                    string row = conv.Stride == 1 ? "(first + offset)" : $"((first * {conv.Stride}) + offset)";
                    EmitTapRows(w, number, conv, "x", row, "first", "(end - first)", conv.Stride * c);
                }
            }
            if (conv.HistoryRows > 0)
            {
                int keep = conv.HistoryRows * c;
                w.Line($"// Keep the last {Plural.Count(conv.HistoryRows, "input row")} for the next call (Step, or Predict from a State).");
                using (w.Block($"if (rows >= {conv.HistoryRows})"))
                {
                    w.Line($"x.Slice((rows - {conv.HistoryRows}) * {c}).CopyTo(history);");
                }
                using (w.Block("else"))
                {
                    w.Line($"history.Slice(rows * {c}).CopyTo(history);");
                    w.Line($"x.CopyTo(history.Slice({keep} - (rows * {c})));");
                }
            }
            if (conv.Activation == Activation.Softmax)
            {
                using (w.Block("for (int t = 0; t < outputRows; t++)"))
                {
                    ActivationEmitter.Emit(w, conv.Activation, $"y.Slice(t * {f}, {f})");
                }
            }
            else
            {
                ActivationEmitter.Emit(w, conv.Activation, "y");
            }
        }

        /// <summary>
        /// Adds one kernel tap to <paramref name="count"/> output rows from row <paramref name="first"/>, reading
        /// <paramref name="source"/> from row <paramref name="sourceRow"/>, <paramref name="inputStride"/> floats apart:
        /// one matrix product per group.
        /// </summary>
        private static void EmitTapRows(IndentedWriter w, int number, Conv1DLayerSpec conv, string source, string sourceRow, string first, string count, int inputStride)
        {
            int c = conv.InputSize, f = conv.Filters, cg = conv.GroupInputs, fg = conv.GroupFilters;
            string firstOutput = first == "0" ? "0" : $"{first} * {f}";
            for (int g = 0; g < conv.Groups; g++)
            {
                string matrix = $"Layer{number}Kernel.Slice({(conv.Groups == 1 ? "tap" : $"((tap * {conv.Groups}) + {g})")} * {cg * fg}, {cg * fg})";
                string input = $"{source}.Slice({sourceRow} * {c}{(g == 0 ? "" : $" + {g * cg}")})";
                string output = firstOutput == "0" && g == 0 ? "y" : $"y.Slice({firstOutput}{(g == 0 ? "" : $" + {g * fg}")})";
                using (conv.Groups > 1 ? w.Block($"// Group {g}: input channels {g * cg} to {(g + 1) * cg - 1}, filters {g * fg} to {(g + 1) * fg - 1}.") : default(IndentedWriter.Scope?))
                {
                    if (w.DebugBuild)
                    {
                        // Unoptimized code: the precompiled kernel, one output row at a time (the same numbers).
                        using (w.Block($"for (int t = 0; t < {count}; t++)"))
                        {
                            w.Line($"Span<float> row = {output}.Slice(t * {f}, {fg});");
                            w.Line($"MatrixProduct.Gemv(row, row, {input}.Slice(t * {inputStride}, {cg}), {matrix});");
                        }
                    }
                    else
                    {
                        GemmEmitter.Emit(w, output, input, count, cg, fg, bias: null, matrix, accumulate: true, inputStride: inputStride, outputStride: f);
                    }
                }
            }
        }

        /// <summary>Each output row: the maximum or mean of the input rows its window covers inside the input.</summary>
        private static void EmitPooling(IndentedWriter w, Pooling1DLayerSpec pooling)
        {
            int c = pooling.InputSize;
            EmitPadBefore(w, pooling);
            using (w.Block("for (int t = 0; t < outputRows; t++)"))
            {
                w.Line($"int start = (t * {pooling.Stride}) - pad;");
                w.Line($"int from = Math.Max(0, start), to = Math.Min(rows, start + {pooling.PoolSize});");
                w.Line($"Span<float> row = y.Slice(t * {c}, {c});");
                w.Line($"x.Slice(from * {c}, {c}).CopyTo(row);");
                using (w.Block("for (int r = from + 1; r < to; r++)"))
                {
                    w.Line($"GlobalPooling.{(pooling.Max ? "Maximum" : "Accumulate")}(x.Slice(r * {c}, {c}), row);");
                }
                if (!pooling.Max)
                {
                    w.Line("// The mean over the rows inside the input ('same' padding does not count).");
                    w.Line("GlobalPooling.Divide(row, to - from);");
                }
            }
        }

        public static void EmitWeights(IndentedWriter w, int number, string owner, SequenceLayerSpec layer)
        {
            if (layer is not Conv1DLayerSpec conv) return;
            // One (in / groups, filters / groups) matrix per tap and group, each in panels, one after the other.
            var values = new List<float>(conv.Kernel.Length);
            var matrices = new List<PanelMatrix>();
            for (int k = 0; k < conv.KernelSize; k++)
            {
                for (int g = 0; g < conv.Groups; g++)
                {
                    if (PanelLayout.HasPanels(conv.GroupFilters)) matrices.Add(new PanelMatrix(values.Count, conv.GroupInputs, conv.GroupFilters));
                    values.AddRange(PanelLayout.Reorder(TapMatrix(conv, k, g), conv.GroupInputs, conv.GroupFilters));
                }
            }
            string blocks = conv.Groups == 1 ? $"{conv.KernelSize} taps of [{conv.GroupInputs}, {conv.Filters}]" : $"{conv.KernelSize} taps × {conv.Groups} groups of [{conv.GroupInputs}, {conv.GroupFilters}]";
            WeightsEmitter.Emit(w, $"Layer{number}Kernel", $"{owner}: kernel as {blocks} (input channels × filters), each in panels (see PanelLayout)", new Tensor(values.ToArray(), new[] { values.Count }), matrices: matrices);
            w.Line();
            if (conv.Bias is not null)
            {
                WeightsEmitter.Emit(w, $"Layer{number}Bias", owner + ": bias", conv.Bias);
                w.Line();
            }
        }

        /// <summary>Tap <paramref name="tap"/>, group <paramref name="group"/> of the kernel (kernel_size, in / groups, filters): an (in / groups, filters / groups) matrix.</summary>
        private static float[] TapMatrix(Conv1DLayerSpec conv, int tap, int group)
        {
            int cg = conv.GroupInputs, f = conv.Filters, fg = conv.GroupFilters;
            IReadOnlyList<float> kernel = conv.Kernel.Values;
            var values = new float[cg * fg];
            for (int i = 0; i < cg; i++)
            {
                for (int j = 0; j < fg; j++)
                {
                    values[(i * fg) + j] = kernel[(((tap * cg) + i) * f) + (group * fg) + j];
                }
            }
            return values;
        }
    }
}
