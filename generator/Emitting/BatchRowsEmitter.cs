using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The pieces of PredictBatch that work on the block's rows at one timestep: gathering each sequence's row into
    /// <c>xs</c>, one layer's rows form over the block (<see cref="BatchLayerEmitter"/> emits the methods), the
    /// masked step of a recurrent layer, and a reducer's per-sequence rows.
    /// </summary>
    internal sealed class BatchRowsEmitter
    {
        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;

        public BatchRowsEmitter(IndentedWriter writer, ModelSpec model)
        {
            _w = writer;
            _model = model;
        }

        /// <summary>
        /// Where a stage reads its timesteps, or where a stage writes its output rows: a batch-major
        /// <c>[sequence, timestep, width]</c> span (the inputs, an intermediate buffer or the outputs).
        /// </summary>
        internal readonly struct Sequence
        {
            public Sequence(string name, string start, string width, bool repeated = false)
            {
                Name = name;
                Start = start;
                Width = width;
                Repeated = repeated;
            }

            /// <summary>A RepeatVector's rows: every timestep is the same vector, one per sequence.</summary>
            public bool Repeated { get; }

            public string Name { get; }

            /// <summary>Where sequence r of the block starts (generated code).</summary>
            public string Start { get; }

            public string Width { get; }

            public string Row(string timestep) => Repeated
                ? $"{Name}.Slice({Start}, {Width})"
                : $"{Name}.Slice({Start} + {IndexExpression.Times(timestep, Width)}, {Width})";
        }

        /// <summary>
        /// Copies timestep t (or, read backwards, T-1-t) of every sequence of the block into the rows of <c>xs</c>;
        /// returns the matrix the stage's first layer reads: <c>xs</c>, or a RepeatVector's vectors themselves,
        /// which are the same at every timestep and need no copy.
        /// </summary>
        public string EmitGather(Sequence source, bool backwards, string steps)
        {
            if (source.Repeated) return source.Name;
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                string row = source.Row(backwards ? $"({steps} - 1 - t)" : "t");
                if (source.Name == "inputs" && _model.Embedding is EmbeddingLayerSpec embedding)
                {
                    string width = IntLiteral.Format(embedding.OutputDim);
                    _w.Line($"Layer1({row}, xs.Slice({IndexExpression.Times("r", width)}, {width}));");
                    return "xs";
                }
                _w.Line($"{row}.CopyTo(xs.Slice({IndexExpression.Times("r", source.Width)}, {source.Width}));");
            }
            return "xs";
        }

        /// <summary>Emits layer <paramref name="i"/> for the block's rows; returns the matrix holding its output.</summary>
        public string EmitRows(int i, string input)
        {
            int n = i + 1;
            switch (_model.Layers[i])
            {
                case RecurrentLayerSpec recurrent:
                    _w.Line(RowsCall(IntLiteral.Format(n), recurrent, input));
                    return $"h{n}";
                case LayerSpec layer when BatchLayerEmitter.HasOutputRows(layer):
                    _w.Line($"Layer{n}Rows({input}, rows, a{n});");
                    return $"a{n}";
                case FlattenLayerSpec { InputIsSequence: true } flatten:
                    EmitReducerRows(n, input, flatten.InputSize, flatten.OutputSize, $"Layer{n}({{0}}, {{1}}, t);");
                    return $"a{n}";
                case GlobalPoolingLayerSpec pooling:
                    EmitReducerRows(n, input, pooling.InputSize, pooling.OutputSize, $"GlobalPooling.{(pooling.Max ? "Maximum" : "Accumulate")}({{0}}, {{1}});");
                    return $"a{n}";
                default:
                    _w.Line($"// Layer {n}: {CommentText.Line(_model.Layers[i].Description)}.");
                    return input;
            }
        }

        /// <summary>
        /// A recurrent layer of a masked model: the sequences masked at input timestep <paramref name="maskStep"/>
        /// keep their h and c (kept before the step, put back after it), so their output is the previous h.
        /// </summary>
        public string EmitMaskedRows(int i, string input, string maskStep)
        {
            string label = IntLiteral.Format(i + 1);
            using (_w.Block())
            {
                EmitMaskedStep(label, (RecurrentLayerSpec)_model.Layers[i], input, maskStep);
            }
            return $"h{label}";
        }

        /// <summary>
        /// One step of recurrent layer <paramref name="label"/> over the block, keeping the h and c rows of the
        /// sequences masked at input timestep <paramref name="maskStep"/>; leaves <c>anyMasked</c> declared.
        /// </summary>
        public void EmitMaskedStep(string label, RecurrentLayerSpec layer, string input, string maskStep)
        {
            _w.Line($"bool anyMasked = MaskRows(inputs, b0, rows, sequenceLength, {maskStep}, masked);");
            BatchMaskEmitter.EmitKeep(_w, label, layer, restore: false);
            _w.Line(RowsCall(label, layer, input));
            BatchMaskEmitter.EmitKeep(_w, label, layer, restore: true);
        }

        /// <summary>The call of recurrent layer <paramref name="label"/>'s rows form on <paramref name="input"/>.</summary>
        public static string RowsCall(string label, RecurrentLayerSpec layer, string input)
            => layer is LstmLayerSpec
                ? $"Layer{label}Rows({input}, rows, h{label}, c{label}, zs);"
                : $"Layer{label}Rows({input}, rows, h{label}, zs);";

        /// <summary>A reducer (Flatten, global pooling) at timestep t: each sequence's row goes into that sequence's vector.</summary>
        private void EmitReducerRows(int n, string input, int inputWidth, int outputWidth, string call)
        {
            string x = $"{input}.Slice({IndexExpression.Times("r", IntLiteral.Format(inputWidth))}, {IntLiteral.Format(inputWidth)})";
            string y = $"a{n}.Slice({IndexExpression.Times("r", IntLiteral.Format(outputWidth))}, {IntLiteral.Format(outputWidth)})";
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, call, x, y));
            }
        }

        /// <summary>
        /// A Bidirectional direction's output <paramref name="h"/> at step t into its sequence output, as Predict writes it:
        /// the forward one to <paramref name="forwardRow"/> (row t), the backward one to <paramref name="backwardRow"/>
        /// (row T-1-t), beside the forward part (concat) or merged into it.
        /// </summary>
        public static void EmitBidirectionalRow(IndentedWriter w, int n, BidirectionalLayerSpec layer, bool forward, string h, string forwardRow, string backwardRow)
        {
            if (forward) w.Line($"{h}.CopyTo({forwardRow});");
            else if (layer.MergeMode == MergeMode.Concat) w.Line($"{h}.CopyTo({backwardRow}.Slice({IntLiteral.Format(layer.Forward.Units)}));");
            else w.Line($"Layer{n}Merge({backwardRow}, {h});");
        }

        /// <summary>A Bidirectional layer without return_sequences: each sequence's final outputs of both directions merged into <c>y{n}</c>.</summary>
        public static void EmitBidirectionalMerge(IndentedWriter w, int n, BidirectionalLayerSpec layer)
        {
            string y = BidirectionalEmitter.Output(n), hf = "h" + BidirectionalEmitter.Label(n, true), hb = "h" + BidirectionalEmitter.Label(n, false);
            string fu = IntLiteral.Format(layer.Forward.Units), bu = IntLiteral.Format(layer.Backward.Units), width = IntLiteral.Format(layer.OutputSize);
            w.Line($"// Merge the final outputs ({MergeModeText.KerasName(layer.MergeMode)}).");
            using (w.Block("for (int r = 0; r < rows; r++)"))
            {
                w.Line($"Span<float> merged = {y}.Slice({IndexExpression.Times("r", width)}, {width});");
                w.Line($"{hf}.Slice({IndexExpression.Times("r", fu)}, {fu}).CopyTo(merged);");
                w.Line(layer.MergeMode == MergeMode.Concat
                    ? $"{hb}.Slice({IndexExpression.Times("r", bu)}, {bu}).CopyTo(merged.Slice({fu}));"
                    : $"Layer{n}Merge(merged, {hb}.Slice({IndexExpression.Times("r", bu)}, {bu}));");
            }
        }
    }
}
