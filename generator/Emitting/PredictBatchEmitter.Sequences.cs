using System.Collections.Generic;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// PredictBatch's stages of layers that change the rows (Conv1D, pooling, padding, cropping, upsampling): such a
    /// layer reads each sequence whole, so it runs sequence by sequence with Predict's own method (matrix products
    /// over that sequence's rows), and the recurrent stages after it run over the block as usual.
    /// </summary>
    internal sealed partial class PredictBatchEmitter
    {
        /// <summary>Causal Conv1D histories up to this many floats in all live on the stack; beyond, PredictBatch loops Predict.</summary>
        private const int HistoryBudgetFloats = 4096;

        /// <summary>
        /// Whether this emitter writes the model's PredictBatch; otherwise <see cref="LoopedBatchEmitter"/> does. It does not
        /// yet write a layer that changes the rows right after a RepeatVector (those rows are one vector, never stored).
        /// </summary>
        public static bool Batches(ModelSpec model, ExecutionPlan plan)
        {
            if (model.Graph is not null) return false;
            int history = 0;
            for (int s = 0; s < plan.Stages.Count; s++)
            {
                ExecutionPlan.Stage stage = plan.Stages[s];
                if (!stage.Reshapes) continue;
                ExecutionPlan.Phase phase = plan.Phases[stage.Phase];
                if (phase.RepeatLayer is not null && s == phase.FirstStage) return false;
                if (model.Layers[stage.Layers[0]] is Conv1DLayerSpec conv) history += conv.HistoryFloats;
            }
            return history <= HistoryBudgetFloats;
        }

        /// <summary>The rows the stage reads, in generated code: the phase's, or those a Conv1D (or the like) before it left.</summary>
        private string Rows(ExecutionPlan.Stage stage)
            => stage.RowsLayer is int layer ? SequenceLengths.After(_model, layer, "timesteps") : StepsOf(_plan.Phases[stage.Phase]);

        /// <summary>The rows the stage writes: its source's, unless it is a layer that changes them.</summary>
        private string OutputRows(ExecutionPlan.Stage stage)
            => stage.Reshapes ? SequenceLengths.After(_model, stage.Layers[0], "timesteps") : Rows(stage);

        /// <summary>
        /// The stage's output rows when they are a constant other than the input's own count (that one stays
        /// <c>timesteps</c> in the buffer sizes): after a RepeatVector, or after a layer that changes the rows.
        /// </summary>
        private int? FixedOutputRows(ExecutionPlan.Stage stage)
        {
            if (stage.Reshapes) return _model.StepsAfter(stage.Layers[0]);
            if (stage.RowsLayer is int layer) return _model.StepsAfter(layer);
            return _plan.Phases[stage.Phase].Steps;
        }

        /// <summary>
        /// Declares each causal Conv1D's history (the padding rows before its input: zeros for every sequence, as Keras
        /// starts it), cleared before each sequence.
        /// </summary>
        private void EmitHistories()
        {
            foreach (ExecutionPlan.Stage stage in _plan.Stages)
            {
                if (!stage.Reshapes || _model.Layers[stage.Layers[0]] is not Conv1DLayerSpec { HistoryFloats: > 0 } conv) continue;
                _w.Line($"Span<float> history{stage.Layers[0] + 1} = stackalloc float[{IntLiteral.Format(conv.HistoryFloats)}];");
            }
        }

        /// <summary>A stage of one layer that changes the rows: every sequence of the block through Predict's method for it.</summary>
        private string EmitSequenceStage(int index, ExecutionPlan.Stage stage, BatchRowsEmitter.Sequence source, BatchRowsEmitter.Sequence? sink)
        {
            int i = stage.Layers[0], n = i + 1;
            LayerSpec layer = _model.Layers[i];
            _w.Line($"// Stage {index + 1}: layer {n}, {CommentText.Line(layer.Description)}: each sequence over its whole rows, as Predict runs it.");
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                if (SequenceLayerEmitter.HasHistory(layer)) _w.Line($"history{n}.Clear();");
                string from = source.Name == "inputs"
                    ? "inputs.Slice((b0 + r) * sequenceLength, sequenceLength)"
                    : $"{source.Name}.Slice({source.Start}, {IndexExpression.Times(_steps, source.Width)})";
                string to = sink is BatchRowsEmitter.Sequence target
                    ? target.Name == "outputs"
                        ? "outputs.Slice((b0 + r) * outputLength, outputLength)"
                        : $"{target.Name}.Slice({target.Start}, {IndexExpression.Times(OutputRows(stage), target.Width)})"
                    : "default";
                _w.Line(SequenceLayerEmitter.Call(n, layer, from, _steps, to));
            }
            _w.Line();
            return "xs";
        }

        /// <summary>
        /// Floats per sequence of the buffered stages, as a C# expression: the input's timesteps times the widths of the
        /// stages over them, the variable row counts a Conv1D (or the like) leaves times theirs, and the fixed rest.
        /// </summary>
        private sealed class FloatsPerSequence
        {
            private readonly List<KeyValuePair<string, int>> _terms = new List<KeyValuePair<string, int>> { new KeyValuePair<string, int>("timesteps", 0) };
            private long _constant;

            public FloatsPerSequence Copy()
            {
                var copy = new FloatsPerSequence { _constant = _constant };
                copy._terms.Clear();
                copy._terms.AddRange(_terms);
                return copy;
            }

            /// <summary>Adds a buffer of <paramref name="rows"/> (fixed: <paramref name="fixedRows"/>) rows of <paramref name="width"/>.</summary>
            public void Add(string rows, int? fixedRows, int width)
            {
                if (fixedRows is not null)
                {
                    _constant += (long)fixedRows.Value * width;
                    return;
                }
                for (int k = 0; k < _terms.Count; k++)
                {
                    if (_terms[k].Key != rows) continue;
                    _terms[k] = new KeyValuePair<string, int>(rows, _terms[k].Value + width);
                    return;
                }
                _terms.Add(new KeyValuePair<string, int>(rows, width));
            }

            public bool IsZero => _constant == 0 && _terms.TrueForAll(term => term.Value == 0);

            /// <summary>The sum in C#, without its zero terms.</summary>
            public override string ToString()
            {
                var parts = new List<string>();
                foreach (KeyValuePair<string, int> term in _terms)
                {
                    if (term.Value != 0) parts.Add($"(long){term.Key} * {IntLiteral.Format(term.Value)}");
                }
                if (_constant != 0 || parts.Count == 0) parts.Add(IntLiteral.Format(_constant));
                return string.Join(" + ", parts);
            }
        }
    }
}
