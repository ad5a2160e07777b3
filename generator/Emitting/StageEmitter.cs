using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Predict's computation after the buffers: one timestep loop per <see cref="ExecutionPlan.Stage"/> (blocked, written
    /// out when unrolled, or the driver of a stage in registers), each inside the scope of the buffer its successor
    /// reads, then each phase's tail layers on the vector its sequence became.
    /// </summary>
    internal sealed partial class StageEmitter
    {
        /// <summary>Sequences up to this many floats live on the stack; longer ones come from ArrayPool.</summary>
        private const int StackBufferFloats = 4096;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ExecutionPlan _plan;
        private readonly BlockPlan _blocks;
        private readonly bool _unroll;
        private readonly LayerCallEmitter _calls;

        /// <summary>Predict's buffers, when the fallback branches of register stages declare the blocked form's own.</summary>
        private readonly PredictBuffers? _buffers;

        /// <summary>The timestep count in generated code: the constant when fixed, the local computed from the input otherwise.</summary>
        private readonly string _steps;

        public StageEmitter(IndentedWriter writer, ModelSpec model, ModelPlan plan, PredictBuffers? buffers = null)
        {
            _buffers = buffers;
            _w = writer;
            _model = model;
            _plan = plan.Execution;
            _blocks = plan.Blocks;
            _unroll = plan.Unroll;
            _calls = new LayerCallEmitter(writer, model);
            _steps = model.Timesteps is null ? "timesteps" : "Timesteps";
        }

        /// <summary>
        /// Whether a timestep loop steps by <c>BlockSteps</c>: a Bidirectional stage's, or a blocked stage whose rows
        /// one block does not hold (see <see cref="EmitBlocks"/>).
        /// </summary>
        public bool LoopsOverBlocks
        {
            get
            {
                if (_unroll) return false;
                foreach (ExecutionPlan.Stage stage in _plan.Stages)
                {
                    if (stage.IsBidirectional) return true;
                    if (stage.Reshapes || stage.Layers.Count == 0) continue;
                    if (OneBlockRows(stage) is null) return true;
                }
                return false;
            }
        }

        /// <summary>Emits stage <paramref name="index"/> and, inside its buffer's scope, every later stage and the tails.</summary>
        public void EmitStages(int index)
        {
            ExecutionPlan.Stage stage = _plan.Stages[index];
            ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
            if (index == phase.FirstStage + phase.StageCount - 1)
            {
                // The phase's last stage: its output is the model output, or its reducer's vector feeds the tail.
                EmitStage(index, stage, sink: null, sinkWidth: 0);
                EmitTail(phase);
                if (index + 1 < _plan.Stages.Count) EmitStages(index + 1);
                return;
            }

            int outputWidth = _model.Layers[stage.Layers[stage.Layers.Count - 1]].OutputSize;
            string buffer = $"sequence{index + 2}";

            // The next stage goes backwards over this stage's whole output (or both ways, or it follows a
            // Bidirectional stage, which writes whole sequences, or one of them changes the rows), so keep that output.
            ExecutionPlan.Stage next = _plan.Stages[index + 1];
            string how = next.IsBidirectional ? "in both directions" : next.ReadsBackwards ? "backwards" : next.Reshapes ? "as a whole" : "after it is complete";
            string count = OutputRows(stage);
            // Rows are named "timesteps" unless a Conv1D or the like changed them.
            string rows = !stage.Reshapes && stage.RowsLayer is null ? "timesteps" : FixedOutputRows(stage) is int known ? IntLiteral.Format(known) : count;
            _w.Line($"// Stage {index + 2} reads the output of stage {index + 1} {how}: buffer it ([{rows}, {outputWidth}]).");
            if (FixedOutputRows(stage) is int steps && steps * outputWidth <= StackBufferFloats)
            {
                _w.Line($"Span<float> {buffer} = stackalloc float[{steps * outputWidth}];");
                EmitStage(index, stage, buffer, outputWidth);
                EmitStages(index + 1);
                return;
            }
            _w.Line($"float[]? rented{index + 2} = {count} <= {StackBufferFloats / outputWidth} ? null : ArrayPool<float>.Shared.Rent(checked({count} * {outputWidth}));");
            _w.Line($"Span<float> {buffer} = rented{index + 2} is null ? stackalloc float[{StackBufferFloats}] : rented{index + 2};");
            using (_w.Block("try"))
            {
                EmitStage(index, stage, buffer, outputWidth);
                EmitStages(index + 1);
            }
            using (_w.Block("finally"))
            {
                _w.Line($"if (rented{index + 2} is not null) ArrayPool<float>.Shared.Return(rented{index + 2});");
            }
        }

        /// <summary>The phase's timestep count in generated code: the input's (constant or local), or RepeatVector's n.</summary>
        private string Steps(ExecutionPlan.Phase phase) => phase.Steps is int n ? IntLiteral.Format(n) : _steps;

        private int? FixedSteps(ExecutionPlan.Phase phase) => phase.Steps ?? _model.Timesteps;

        /// <summary>The rows of the stage's source in generated code: the phase's, or those a Conv1D (or the like) before it left.</summary>
        private string Rows(ExecutionPlan.Stage stage)
            => stage.RowsLayer is int layer ? SequenceLengths.After(_model, layer, _steps) : Steps(_plan.Phases[stage.Phase]);

        private int? FixedRows(ExecutionPlan.Stage stage)
            => stage.RowsLayer is int layer ? _model.StepsAfter(layer) : FixedSteps(_plan.Phases[stage.Phase]);

        /// <summary>The rows the stage writes: its source's, unless it is a layer that changes them.</summary>
        private string OutputRows(ExecutionPlan.Stage stage)
            => stage.Reshapes ? SequenceLengths.After(_model, stage.Layers[0], _steps) : Rows(stage);

        private int? FixedOutputRows(ExecutionPlan.Stage stage)
            => stage.Reshapes ? _model.StepsAfter(stage.Layers[0]) : FixedRows(stage);

        /// <summary>Whether the stage writes the model output: the last stage, when the output is a sequence.</summary>
        private bool WritesOutput(int index) => index == _plan.Stages.Count - 1 && _model.OutputIsSequence;

        /// <summary>Where stage <paramref name="index"/> reads its rows: the model input, or the buffer the stage before (or a RepeatVector) filled.</summary>
        private static string Source(int index) => index == 0 ? "input" : $"sequence{index + 1}";

        private void EmitStage(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth)
        {
            if (stage.IsBidirectional)
            {
                EmitBidirectionalStage(index, stage, sink);
                return;
            }
            if (stage.Reshapes)
            {
                EmitSequenceStage(index, stage, sink);
                return;
            }
            ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
            if (stage.Layers.Count == 0)
            {
                // RepeatVector is the last layer: its rows are the output.
                _w.Line($"// Stage {index + 1}: no layers; the rows of RepeatVector are the output.");
                _w.Line($"{Source(index)}.CopyTo(output);");
                return;
            }
            int first = stage.Layers[0] + 1, lastLayer = stage.Layers[stage.Layers.Count - 1] + 1;
            string layers = first == lastLayer ? $"layer {first}" : $"layers {first}-{lastLayer}";
            string direction = stage.ReadsBackwards ? "last timestep first (go_backwards)" : "first timestep first";
            string pace = _unroll ? "unrolled, one block per timestep" : "one timestep at a time";
            string over = stage.RowsLayer is int rowsLayer ? $" over the rows of layer {rowsLayer + 1}"
                : phase.Steps is int n ? $" over the {IntLiteral.Format(n)} rows of RepeatVector (layer {phase.RepeatLayer + 1})" : string.Empty;
            _w.Line($"// Stage {index + 1}: {layers}{over}, {pace}, {direction}.");
            if (_plan.Stages[index].InRegisters)
            {
                _w.Line($"// LSTMs of {RegisterStages.MinUnits} to {RegisterStages.MaxUnits} units: each gate in vector registers, the layers a timestep apart; the blocked form runs where no vector width is accelerated.");
                using (_w.Block("if (Vector128.IsHardwareAccelerated)"))
                {
                    _w.Line(RegisterStageEmitter.Call(_model, index, stage, Source(index), Rows(stage), Target(index, sink)));
                }
                using (_w.Block("else"))
                {
                    if (_buffers is { BlockedFormOnlyInFallback: true })
                    {
                        _w.Line("// The blocked form's buffers: declared here, since only this branch uses them.");
                        _buffers.Emit(_buffers.ForBlockedFallback(stage), pooled: false);
                    }
                    EmitTimesteps(index, stage, sink, sinkWidth);
                }
            }
            else
            {
                EmitTimesteps(index, stage, sink, sinkWidth);
            }
            _w.Line();
        }

        /// <summary>Where the stage writes its rows: the next stage's buffer, the output (a sequence output), or nowhere.</summary>
        private string? Target(int index, string? sink) => sink ?? (WritesOutput(index) ? "output" : null);

        /// <summary>The drivers of the stages that run in registers (see <see cref="RegisterStageEmitter"/>).</summary>
        public void EmitRegisterStages()
        {
            for (int index = 0; index < _plan.Stages.Count; index++)
            {
                if (!_plan.Stages[index].InRegisters) continue;
                ExecutionPlan.Stage stage = _plan.Stages[index];
                ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
                bool lastOfPhase = index == phase.FirstStage + phase.StageCount - 1;
                RegisterStageEmitter.EmitDriver(_w, _model, index, stage, hasSink: !lastOfPhase || WritesOutput(index), _unroll ? FixedRows(stage) : null);
            }
        }

        /// <summary>The stage's timesteps in the general form: every step written out, or the blocked loop.</summary>
        private void EmitTimesteps(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth)
        {
            if (_unroll)
            {
                int steps = FixedRows(stage)!.Value;
                for (int t = 0; t < steps; t++)
                {
                    int row = stage.ReadsBackwards ? steps - 1 - t : t;
                    using (_w.Block())
                    {
                        _w.Line($"// t = {IntLiteral.Format(t)}");
                        EmitStep(index, stage, IntLiteral.Format(t), IntLiteral.Format(row), sink, sinkWidth);
                    }
                }
            }
            else
            {
                EmitBlocks(index, stage, sink, sinkWidth);
            }
        }

        private void EmitBidirectionalStage(int index, ExecutionPlan.Stage stage, string? sink)
        {
            int i = stage.Layers[0];
            var layer = (BidirectionalLayerSpec)_model.Layers[i];
            string pace = _unroll ? "unrolled" : "in blocks of timesteps";
            _w.Line($"// Stage {index + 1}: layer {i + 1}, Bidirectional, {pace}: the forward direction over the whole sequence, then the backward one.");
            string width = index == 0 ? "InputFeatures" : IntLiteral.Format(layer.InputSize);
            string? target = sink ?? (layer.ReturnSequences ? "output" : null);
            BidirectionalEmitter.EmitStage(_w, i + 1, layer, Source(index), width, Rows(stage), _unroll ? FixedRows(stage) : null, target, stage.Masked, gruProjection: true);
            _w.Line();
        }

        /// <summary>A layer that changes the rows (Conv1D, pooling, padding, cropping, upsampling) over its whole source.</summary>
        private void EmitSequenceStage(int index, ExecutionPlan.Stage stage, string? sink)
        {
            int i = stage.Layers[0];
            _w.Line($"// Stage {index + 1}: layer {i + 1}, {CommentText.Line(_model.Layers[i].Description)}, over the whole sequence.");
            string? target = Target(index, sink);
            _w.Line(SequenceLayerEmitter.Call(i + 1, _model.Layers[i], Source(index), Rows(stage), target ?? "default"));
            _w.Line();
        }

        private void EmitStep(int index, ExecutionPlan.Stage stage, string t, string row, string? sink, int sinkWidth)
        {
            string source;
            if (index == 0)
            {
                source = $"input.Slice({IndexExpression.Times(row, "InputFeatures")}, InputFeatures)";
            }
            else
            {
                int width = _model.Layers[stage.Layers[0]].InputSize;
                source = $"sequence{index + 1}.Slice({IndexExpression.Times(row, IntLiteral.Format(width))}, {width})";
            }
            _w.Line($"ReadOnlySpan<{(index == 0 ? _model.InputType : "float")}> x = {source};");

            string current = "x";
            bool sourceOrder = stage.ReadsBackwards; // as in EmitBlocks: source rows until the first recurrent layer
            foreach (int i in stage.Layers)
            {
                bool recurrent = _model.Layers[i] is RecurrentLayerSpec;
                current = _calls.Emit(i, current, t, stage.Masked && recurrent ? (sourceOrder ? row : t) : null);
                if (recurrent) sourceOrder = false;
            }

            if (sink is not null)
            {
                _w.Line($"{current}.CopyTo({sink}.Slice({IndexExpression.Times(t, IntLiteral.Format(sinkWidth))}, {sinkWidth}));");
            }
            else if (WritesOutput(index))
            {
                _w.Line($"{current}.CopyTo(output.Slice({IndexExpression.Times(t, "OutputUnits")}, OutputUnits));");
            }
        }

        /// <summary>
        /// After the phase's loops: the reducer's vector (a many-to-one layer's state, Flatten's rows, the pooled
        /// features) goes through the tail layers, then to the output or into the next phase's RepeatVector rows.
        /// </summary>
        private void EmitTail(ExecutionPlan.Phase phase)
        {
            if (phase.Reducer is not int reducer) return; // a sequence output, written by the stages
            string current = ReducerOutput(reducer, phase);
            if (phase.Tail.Count > 0)
            {
                _w.Line(_model.Layers[reducer].ReducesTimeAxis
                    ? $"// Layers after the sequence became a vector (layer {reducer + 1}) run once, on that vector."
                    : "// Layers after the last many-to-one layer run once, on its final output.");
            }
            foreach (int i in phase.Tail)
            {
                current = _calls.Emit(i, current);
            }
            if (phase.Index == _plan.Phases.Count - 1)
            {
                _w.Line($"{current}.CopyTo(output);");
                return;
            }
            ExecutionPlan.Phase next = _plan.Phases[phase.Index + 1];
            int n = next.Steps!.Value, width = next.InputWidth;
            string rows = $"sequence{next.FirstStage + 1}";
            if (phase.Tail.Count > 0) _w.Line();
            _w.Line($"// Layer {next.RepeatLayer + 1}: {CommentText.Line(_model.Layers[next.RepeatLayer!.Value].Description)}.");
            using (_w.Block($"for (int t = 0; t < {IntLiteral.Format(n)}; t++)"))
            {
                _w.Line($"{current}.Slice(0, {width}).CopyTo({rows}.Slice({IndexExpression.Times("t", IntLiteral.Format(width))}, {width}));");
            }
            _w.Line();
        }

        /// <summary>The vector the phase's sequence became: a recurrent layer's final h, a Bidirectional's merged output, or a reducer's buffer.</summary>
        private string ReducerOutput(int reducer, ExecutionPlan.Phase phase)
        {
            int n = reducer + 1;
            switch (_model.Layers[reducer])
            {
                case RecurrentLayerSpec:
                    return $"h{n}";
                case BidirectionalLayerSpec:
                    return BidirectionalEmitter.Output(n);
                case GlobalPoolingLayerSpec { Max: false }:
                    _w.Line($"// Layer {n}: the mean is the sum over the timesteps divided by their count.");
                    _w.Line($"GlobalPooling.Divide(a{n}, {Rows(_plan.Stages[phase.FirstStage + phase.StageCount - 1])});");
                    return $"a{n}";
                default:
                    return $"a{n}";
            }
        }
    }
}
