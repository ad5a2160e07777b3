using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The recurrent layers of a graph's PredictBatch (<see cref="GraphBatchEmitter"/>): at each timestep, every
    /// sequence's row is gathered into <c>xs</c> and the layer's rows form (<see cref="BatchLayerEmitter"/>) takes one
    /// step for the whole block, so each weight is read once per block instead of once per sequence. A rows form
    /// sums every float in the order of Predict's Project and Step, so the rows equal Predict's.
    /// </summary>
    internal sealed class GraphBatchRecurrentEmitter
    {
        private readonly IndentedWriter _w;

        public GraphBatchRecurrentEmitter(IndentedWriter writer)
        {
            _w = writer;
        }

        /// <summary>An LSTM, GRU or SimpleRNN over <paramref name="from"/>; with return_sequences its rows go to <paramref name="to"/>.</summary>
        public void EmitRecurrent(int n, RecurrentLayerSpec layer, GraphBatchPlace from, GraphBatchPlace? to)
        {
            string label = IntLiteral.Format(n);
            _w.Line($"// Timestep by timestep{(layer.GoBackwards ? " (the last row first: go_backwards)" : string.Empty)}, one step of the rows form for every sequence of the block.");
            EmitClear(label, layer);
            using (_w.Block($"for (int t = 0; t < {from.Rows}; t++)"))
            {
                EmitGather(from, layer.GoBackwards);
                _w.Line(BatchRowsEmitter.RowsCall(label, layer, "xs"));
                if (to is GraphBatchPlace sequence)
                {
                    // A go_backwards layer's output row k is its k-th step (Keras keeps the processing order).
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        _w.Line($"{State(label, layer.Units)}.CopyTo({sequence.Row("r", "t")});");
                    }
                }
            }
        }

        /// <summary>
        /// A Bidirectional layer, as Predict runs it: the forward direction over every row, then the backward one; with
        /// return_sequences the forward output of step t goes to row t and the backward one into row T-1-t, otherwise the
        /// final outputs are merged into <c>y{n}</c>.
        /// </summary>
        public void EmitBidirectional(int n, BidirectionalLayerSpec layer, GraphBatchPlace from, GraphBatchPlace? to)
        {
            foreach (bool forward in new[] { true, false })
            {
                RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
                string label = BidirectionalEmitter.Label(n, forward);
                _w.Line($"// {(forward ? "Forward" : "Backward")} direction ({CommentText.Line(direction.ClassName + " '" + direction.Name + "'")}), {(direction.GoBackwards ? "the last row first" : "the first row first")}.");
                EmitClear(label, direction);
                using (_w.Block($"for (int t = 0; t < {from.Rows}; t++)"))
                {
                    EmitGather(from, direction.GoBackwards);
                    _w.Line(BatchRowsEmitter.RowsCall(label, direction, "xs"));
                    if (to is not GraphBatchPlace sequence) continue;
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        BatchRowsEmitter.EmitBidirectionalRow(_w, n, layer, forward, State(label, direction.Units), sequence.Row("r", "t"), sequence.Row("r", $"({from.Rows} - 1 - t)"));
                    }
                }
            }
            if (to is null) BatchRowsEmitter.EmitBidirectionalMerge(_w, n, layer);
        }

        /// <summary>Every sequence starts from Keras's zero state.</summary>
        private void EmitClear(string label, RecurrentLayerSpec layer)
        {
            _w.Line($"h{label}.Slice(0, {IndexExpression.Times("rows", layer.Units)}).Clear();");
            if (layer is LstmLayerSpec) _w.Line($"c{label}.Slice(0, {IndexExpression.Times("rows", layer.Units)}).Clear();");
        }

        /// <summary>Copies row t (read backwards: T-1-t) of every sequence of the block into the rows of <c>xs</c>.</summary>
        private void EmitGather(GraphBatchPlace from, bool backwards)
        {
            string width = IntLiteral.Format(from.Width);
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line($"{from.Row("r", backwards ? $"({from.Rows} - 1 - t)" : "t")}.CopyTo(xs.Slice({IndexExpression.Times("r", width)}, {width}));");
            }
        }

        /// <summary>Sequence r's row of an h matrix.</summary>
        private static string State(string label, int units) => $"h{label}.Slice({IndexExpression.Times("r", units)}, {IntLiteral.Format(units)})";
    }
}
