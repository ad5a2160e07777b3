using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>Layer{n}Rows</c>: one timestep of a layer for a block of sequences at once, each sequence a row
    /// of the row-major matrices passed in. The products are matrix-matrix (<see cref="GemmEmitter"/>: every
    /// loaded weight vector serves four sequences), the gates run row by row with the same runtime cells as
    /// <c>Predict</c>. Every output float is computed in the order <c>Predict</c> uses, so a batch row equals
    /// the single-sequence result bit for bit.
    /// </summary>
    internal static class BatchLayerEmitter
    {
        /// <summary>
        /// LSTMs and SimpleRNNs of fewer units (for an LSTM fewer than 16 gate columns, not one Vector512) step row
        /// by row with their single-sequence method instead of a matrix-matrix product over the rows: the same
        /// floats, in much less code.
        /// </summary>
        private const int SmallUnits = 4;

        /// <summary>Layers whose rows form writes a matrix <c>a{n}</c> of their output rows.</summary>
        public static bool HasOutputRows(LayerSpec layer)
            => layer is DenseLayerSpec or ActivationLayerSpec or BatchNormalizationLayerSpec or LayerNormalizationLayerSpec;

        public static void EmitMethod(IndentedWriter w, int number, LayerSpec layer)
        {
            switch (layer)
            {
                case RecurrentLayerSpec recurrent:
                    EmitRecurrent(w, IntLiteral.Format(number), recurrent);
                    break;
                case BidirectionalLayerSpec bidirectional:
                    EmitRecurrent(w, BidirectionalEmitter.Label(number, forward: true), bidirectional.Forward);
                    EmitRecurrent(w, BidirectionalEmitter.Label(number, forward: false), bidirectional.Backward);
                    break;
                case DenseLayerSpec dense:
                    EmitDense(w, number, dense);
                    break;
                case ActivationLayerSpec or BatchNormalizationLayerSpec or LayerNormalizationLayerSpec:
                    EmitPerRow(w, number, layer);
                    break;
            }
        }

        /// <summary>The rows form of a recurrent layer labelled <paramref name="number"/> (its number, or e.g. <c>2Forward</c>).</summary>
        private static void EmitRecurrent(IndentedWriter w, string number, RecurrentLayerSpec layer)
        {
            switch (layer)
            {
                case LstmLayerSpec lstm:
                    EmitLstm(w, number, lstm);
                    break;
                case GruLayerSpec gru:
                    EmitGru(w, number, gru);
                    break;
                case SimpleRnnLayerSpec rnn:
                    EmitSimpleRnn(w, number, rnn);
                    break;
            }
        }

        private static void EmitLstm(IndentedWriter w, string number, LstmLayerSpec l)
        {
            int u = l.Units, gates = l.GateWidth;
            if (u < SmallUnits)
            {
                // U has too few columns for a matrix-matrix product to pay: the single-sequence step on every row
                // (the same floats: the product computes each row in that step's order).
                Summary(w, number, l, "zs[r] = xs[r]·W + b for every row, then the single-sequence step on each");
                using (w.Method($"private static void Layer{number}Rows(ReadOnlySpan<float> xs, int rows, Span<float> hs, Span<float> cs, Span<float> zs)"))
                {
                    w.Line($"Layer{number}Project(xs, rows, zs);");
                    using (w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        w.Line($"Layer{number}Step(zs.Slice({IndexExpression.Times("r", gates)}, {gates}), hs.Slice({IndexExpression.Times("r", u)}, {u}), cs.Slice({IndexExpression.Times("r", u)}, {u}));");
                    }
                }
                w.Line();
                return;
            }
            Summary(w, number, l, "zs[r] = xs[r]·W + b + hs[r]·U for every row, then the cell updates cs[r] and hs[r]");
            using (w.Method($"private static void Layer{number}Rows(ReadOnlySpan<float> xs, int rows, Span<float> hs, Span<float> cs, Span<float> zs)"))
            {
                w.Line($"Layer{number}Project(xs, rows, zs);");
                Product(w, $"zs += hs·U, U [{u}, {gates}]", "zs", "hs", u, gates, null, $"Layer{number}RecurrentKernel", accumulate: true);
                using (w.Block("for (int r = 0; r < rows; r++)"))
                {
                    w.Line($"LstmCell.Update<{ActivationEmitter.TypeName(l.RecurrentActivation)}, {ActivationEmitter.TypeName(l.Activation)}>(zs.Slice(r * {gates}, {gates}), cs.Slice(r * {u}, {u}), hs.Slice(r * {u}, {u}));");
                }
            }
            w.Line();
        }

        /// <summary>
        /// The scratch holds four (five without reset_after) matrices of <c>rows</c> rows: the z, r pre-activations
        /// (2u wide), the candidate's input part, its recurrent part and, reset before the product, r∘h.
        /// </summary>
        private static void EmitGru(IndentedWriter w, string number, GruLayerSpec g)
        {
            int u = g.Units;
            string prefix = $"Layer{number}";
            bool bias = g.Bias is not null;
            string rec = ActivationEmitter.TypeName(g.RecurrentActivation), act = ActivationEmitter.TypeName(g.Activation);
            Summary(w, number, g, "the GRU step of the single-sequence method, with each product over all rows");
            using (w.Method($"private static void {prefix}Rows(ReadOnlySpan<float> xs, int rows, Span<float> hs, Span<float> zs)"))
            {
                w.Line($"Span<float> zr = zs.Slice(0, rows * {2 * u});");
                w.Line($"Span<float> inputPart = zs.Slice(rows * {2 * u}, rows * {u});");
                w.Line($"Span<float> recurrentPart = zs.Slice(rows * {3 * u}, rows * {u});");
                Product(w, $"zr = xs·W_zr + b_zr, W_zr [{g.InputSize}, {2 * u}]", "zr", "xs", g.InputSize, 2 * u, bias ? $"{prefix}BiasZR" : null, $"{prefix}KernelZR");
                Product(w, $"zr += hs·U_zr, U_zr [{u}, {2 * u}]", "zr", "hs", u, 2 * u, null, $"{prefix}RecurrentKernelZR", accumulate: true);
                Product(w, $"input part = xs·W_h + b_h, W_h [{g.InputSize}, {u}]", "inputPart", "xs", g.InputSize, u, bias ? $"{prefix}BiasH" : null, $"{prefix}KernelH");
                if (g.ResetAfter)
                {
                    Product(w, $"recurrent part = hs·U_h + b_rec_h, U_h [{u}, {u}], then times r", "recurrentPart", "hs", u, u, bias ? $"{prefix}RecurrentBiasH" : null, $"{prefix}RecurrentKernelH");
                    using (w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        w.Line($"Span<float> part = recurrentPart.Slice(r * {u}, {u});");
                        w.Line($"GruCell.Reset<{rec}>(zr.Slice(r * {2 * u} + {u}, {u}), part, part);");
                    }
                }
                else
                {
                    w.Line($"Span<float> resetH = zs.Slice(rows * {4 * u}, rows * {u});");
                    using (w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        w.Line($"GruCell.Reset<{rec}>(zr.Slice(r * {2 * u} + {u}, {u}), hs.Slice(r * {u}, {u}), resetH.Slice(r * {u}, {u}));");
                    }
                    Product(w, $"recurrent part = (r∘h)·U_h, U_h [{u}, {u}]", "recurrentPart", "resetH", u, u, null, $"{prefix}RecurrentKernelH");
                }
                using (w.Block("for (int r = 0; r < rows; r++)"))
                {
                    w.Line($"GruCell.Update<{rec}, {act}>(zr.Slice(r * {2 * u}, {u}), inputPart.Slice(r * {u}, {u}), recurrentPart.Slice(r * {u}, {u}), hs.Slice(r * {u}, {u}));");
                }
            }
            w.Line();
        }

        private static void EmitSimpleRnn(IndentedWriter w, string number, SimpleRnnLayerSpec s)
        {
            int u = s.Units;
            if (u < SmallUnits)
            {
                // Too few columns for a matrix-matrix product to pay: the single-sequence method on every row.
                Summary(w, number, s, "the single-sequence method on every row");
                using (w.Method($"private static void Layer{number}Rows(ReadOnlySpan<float> xs, int rows, Span<float> hs, Span<float> zs)"))
                {
                    using (w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        w.Line($"Layer{number}(xs.Slice({IndexExpression.Times("r", s.InputSize)}, {s.InputSize}), hs.Slice({IndexExpression.Times("r", u)}, {u}), zs.Slice({IndexExpression.Times("r", u)}, {u}));");
                    }
                }
                w.Line();
                return;
            }
            Summary(w, number, s, "hs[r] = activation(xs[r]·W + hs[r]·U + b) for every row");
            using (w.Method($"private static void Layer{number}Rows(ReadOnlySpan<float> xs, int rows, Span<float> hs, Span<float> zs)"))
            {
                Product(w, $"zs = xs·W + b, W [{s.InputSize}, {u}]", "zs", "xs", s.InputSize, u, s.Bias is null ? null : $"Layer{number}Bias", $"Layer{number}Kernel");
                Product(w, $"zs += hs·U, U [{u}, {u}]", "zs", "hs", u, u, null, $"Layer{number}RecurrentKernel", accumulate: true);
                using (w.Block("for (int r = 0; r < rows; r++)"))
                {
                    w.Line($"Span<float> z = zs.Slice(r * {u}, {u});");
                    ActivationEmitter.Emit(w, s.Activation, "z");
                    w.Line($"z.CopyTo(hs.Slice(r * {u}, {u}));");
                }
            }
            w.Line();
        }

        private static void EmitDense(IndentedWriter w, int number, DenseLayerSpec d)
        {
            Summary(w, number, d, "ys[r] = activation(xs[r]·W + b) for every row");
            using (w.Method($"private static void Layer{number}Rows(ReadOnlySpan<float> xs, int rows, Span<float> ys)"))
            {
                Product(w, $"ys = xs·W + b, W [{d.InputSize}, {d.Units}]", "ys", "xs", d.InputSize, d.Units, d.Bias is null ? null : $"Layer{number}Bias", $"Layer{number}Kernel");
                if (d.Activation != Activation.Linear)
                {
                    // Per row: softmax normalises each row, and the other activations then match Predict's spans exactly.
                    using (w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        ActivationEmitter.Emit(w, d.Activation, $"ys.Slice(r * {d.Units}, {d.Units})");
                    }
                }
            }
            w.Line();
        }

        /// <summary>A layer without weights to share between rows (an activation, a normalization): its one-row method on every row.</summary>
        private static void EmitPerRow(IndentedWriter w, int number, LayerSpec layer)
        {
            string width = IntLiteral.Format(layer.InputSize);
            Summary(w, number, layer, "the single-row method on every row");
            using (w.Method($"private static void Layer{number}Rows(ReadOnlySpan<float> xs, int rows, Span<float> ys)"))
            {
                using (w.Block("for (int r = 0; r < rows; r++)"))
                {
                    w.Line($"Layer{number}(xs.Slice(r * {width}, {width}), ys.Slice(r * {width}, {width}));");
                }
            }
            w.Line();
        }

        private static void Summary(IndentedWriter w, int number, LayerSpec layer, string what)
            => Summary(w, IntLiteral.Format(number), layer, what);

        private static void Summary(IndentedWriter w, string number, LayerSpec layer, string what)
            => w.Line($"/// <summary>Layer {number}, {CommentText.Xml(layer.Description)}, one timestep for <paramref name=\"rows\"/> sequences: {CommentText.Xml(what)}.</summary>");

        /// <summary>One matrix-matrix product in its own scope (the product's locals have fixed names).</summary>
        private static void Product(IndentedWriter w, string comment, string output, string input, int inner, int columns, string? bias, string matrix, bool accumulate = false)
        {
            w.Line($"// {CommentText.Line(comment)}.");
            using (w.Block())
            {
                w.Line($"ReadOnlySpan<float> a = {input}.Slice(0, {IndexExpression.Times("rows", inner)});");
                w.Line($"Span<float> y = {output}.Slice(0, {IndexExpression.Times("rows", columns)});");
                GemmEmitter.Emit(w, "y", "a", "rows", inner, columns, bias, matrix, accumulate);
            }
        }
    }
}
