using System.Collections.Generic;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>PredictBatch</c>: a batch of equal-length sequences, <c>[batch, timesteps, features]</c> in,
    /// <c>[batch, output]</c> out. Sequences go through the model together in blocks of up to
    /// <see cref="BatchRows"/>: each timestep gathers the block's input rows into one matrix, and every layer runs
    /// its <c>Layer{n}Rows</c> form (matrix-matrix products, <see cref="BatchLayerEmitter"/>), so a weight is read
    /// once per four sequences instead of once per sequence. The stages and phases are Predict's
    /// (<see cref="ExecutionPlan"/>): sequences between stages are buffered per sequence, a RepeatVector's rows are
    /// the same vector at every timestep.
    /// </summary>
    internal sealed partial class PredictBatchEmitter
    {
        /// <summary>Sequences computed together: enough that the weights are read a few times per timestep for a batch of 64.</summary>
        public const int BatchRows = 64;

        /// <summary>Block buffers up to this many floats (64 KB) live on the stack; more come from ArrayPool.</summary>
        private const int StackBudgetFloats = MemoryBudget.StackFloats;

        /// <summary>Buffered intermediate sequences of a block stay under this many floats (64 MB) unless one sequence needs more.</summary>
        private const int SequenceBudgetFloats = 16 * 1024 * 1024;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ExecutionPlan _plan;
        private readonly BatchRowsEmitter _rows;

        /// <summary>
        /// The rows the stage being emitted reads, in generated code: <c>timesteps</c> (the input's), a RepeatVector's n,
        /// or the rows a Conv1D (or the like) before it left.
        /// </summary>
        private string _steps = "timesteps";

        public PredictBatchEmitter(IndentedWriter writer, ModelSpec model, ExecutionPlan plan)
        {
            _w = writer;
            _model = model;
            _plan = plan;
            _rows = new BatchRowsEmitter(writer, model);
        }

        /// <summary>Emits PredictBatch and the layers' rows forms into the kernel class.</summary>
        public void Emit()
        {
            using (_w.Method($"public static void PredictBatch(ReadOnlySpan<{_model.InputType}> inputs, int batchSize, Span<float> outputs)"))
            {
                ArgumentChecksEmitter.Batch(_w, _model);
                EmitBatched();
            }
            _w.Line();
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                BatchLayerEmitter.EmitMethod(_w, i + 1, _model.Layers[i]);
            }
            if (_model.HasMask) BatchMaskEmitter.EmitHelpers(_w, _model);
        }

        /// <summary>The output width of stage <paramref name="index"/> (its last layer's).</summary>
        private int StageWidth(int index)
        {
            ExecutionPlan.Stage stage = _plan.Stages[index];
            return stage.Layers.Count == 0 ? _plan.Phases[stage.Phase].InputWidth : _model.Layers[stage.Layers[stage.Layers.Count - 1]].OutputSize;
        }

        private void EmitBatched()
        {
            List<BatchMatrices.Matrix> matrices = BatchMatrices.For(_model, _plan);
            int rowFloats = 0;
            foreach (BatchMatrices.Matrix m in matrices) rowFloats += m.Floats;
            // Stages read whole sequences of the stage before them in the same phase, buffered per sequence.
            var bufferStarts = new Dictionary<int, FloatsPerSequence>();
            var bufferedFloats = new FloatsPerSequence();
            for (int s = 0; s + 1 < _plan.Stages.Count; s++)
            {
                if (!Buffered(s)) continue;
                bufferStarts[s] = bufferedFloats.Copy();
                bufferedFloats.Add(OutputRows(_plan.Stages[s]), FixedOutputRows(_plan.Stages[s]), StageWidth(s));
            }
            bool buffers = bufferStarts.Count > 0;

            _w.Line($"// Up to {BatchRows} sequences at a time, each a row of the block's matrices ({IntLiteral.Format(rowFloats)} floats per sequence).");
            _w.Line($"const int BatchRows = {BatchRows};");
            if (buffers)
            {
                _w.Line("// Later stages read whole sequences of earlier ones, kept per sequence in a pooled array; long sequences run in smaller blocks.");
                _w.Line($"long bufferedFloats = {bufferedFloats};");
                _w.Line($"int block = (int)Math.Max(1, Math.Min(Math.Min(batchSize, BatchRows), {SequenceBudgetFloats} / bufferedFloats));");
                _w.Line("float[] buffered = ArrayPool<float>.Shared.Rent(checked((int)(block * bufferedFloats)));");
            }
            else
            {
                _w.Line("int block = Math.Min(batchSize, BatchRows);");
            }
            _w.Line($"int floats = block * {IntLiteral.Format(rowFloats)};");
            _w.Line($"float[]? rented = floats <= {StackBudgetFloats} ? null : ArrayPool<float>.Shared.Rent(floats);");
            _w.Line("Span<float> scratch = rented is null ? stackalloc float[floats] : rented;");
            if (_model.HasMask) _w.Line("Span<bool> masked = stackalloc bool[BatchRows];");
            using (_w.Block("try"))
            {
                int offset = 0;
                foreach (BatchMatrices.Matrix m in matrices)
                {
                    _w.Line($"Span<float> {m.Name} = scratch.Slice({IndexExpression.Times("block", IntLiteral.Format(offset))}, {IndexExpression.Times("block", IntLiteral.Format(m.Floats))});");
                    offset += m.Floats;
                }
                foreach (KeyValuePair<int, FloatsPerSequence> buffer in bufferStarts)
                {
                    int s = buffer.Key;
                    string rows = OutputRows(_plan.Stages[s]);
                    string start = buffer.Value.IsZero ? "0" : $"(int)(block * ({buffer.Value}))";
                    _w.Line($"Span<float> sequence{s + 2} = buffered.AsSpan({start}, {IndexExpression.Times("block", IndexExpression.Times(rows, IntLiteral.Format(StageWidth(s))))});");
                }
                EmitHistories();
                using (_w.Block("for (int b0 = 0; b0 < batchSize; b0 += block)"))
                {
                    _w.Line("int rows = Math.Min(block, batchSize - b0);");
                    _w.Line("// Every sequence starts from Keras's zero state.");
                    foreach (BatchMatrices.Matrix m in matrices)
                    {
                        if (m.IsState) _w.Line($"{m.Name}.Clear();");
                    }
                    for (int i = 0; i < _model.Layers.Count; i++)
                    {
                        if (_model.Layers[i] is GlobalPoolingLayerSpec pooling)
                        {
                            _w.Line(pooling.Max ? $"a{i + 1}.Fill(float.NegativeInfinity);" : $"a{i + 1}.Clear();");
                        }
                    }
                    string vector = "xs";
                    foreach (ExecutionPlan.Phase phase in _plan.Phases)
                    {
                        if (phase.RepeatLayer is int repeat)
                        {
                            _w.Line($"// Layer {repeat + 1}: {CommentText.Line(_model.Layers[repeat].Description)}: the next {StepsOf(phase)} timesteps all read each sequence's vector.");
                        }
                        string last = vector;
                        for (int s = phase.FirstStage; s < phase.FirstStage + phase.StageCount; s++)
                        {
                            last = EmitStage(s, vector);
                        }
                        vector = EmitTail(phase, last);
                    }
                }
            }
            using (_w.Block("finally"))
            {
                _w.Line("if (rented is not null) ArrayPool<float>.Shared.Return(rented);");
                if (buffers) _w.Line("ArrayPool<float>.Shared.Return(buffered);");
            }
        }

        /// <summary>Emits stage <paramref name="index"/> for the block; returns the matrix holding its final output (many-to-one).</summary>
        private string EmitStage(int index, string vector)
        {
            ExecutionPlan.Stage stage = _plan.Stages[index];
            ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
            BatchRowsEmitter.Sequence source;
            if (index == 0)
            {
                source = new BatchRowsEmitter.Sequence("inputs", "(b0 + r) * sequenceLength", "InputFeatures");
            }
            else if (index == phase.FirstStage)
            {
                string width = IntLiteral.Format(phase.InputWidth);
                source = new BatchRowsEmitter.Sequence(vector, IndexExpression.Times("r", width), width, repeated: true);
            }
            else
            {
                string width = IntLiteral.Format(StageWidth(index - 1));
                source = new BatchRowsEmitter.Sequence($"sequence{index + 1}", $"r * {Rows(stage)} * {width}", width);
            }
            BatchRowsEmitter.Sequence? sink = null;
            if (Buffered(index))
            {
                string width = IntLiteral.Format(StageWidth(index));
                sink = new BatchRowsEmitter.Sequence($"sequence{index + 2}", $"r * {OutputRows(stage)} * {width}", width);
            }
            else if (index + 1 == _plan.Stages.Count && _model.OutputIsSequence)
            {
                sink = new BatchRowsEmitter.Sequence("outputs", "(b0 + r) * outputLength", "OutputUnits");
            }

            _steps = Rows(stage);
            if (stage.Reshapes) return EmitSequenceStage(index, stage, source, sink);
            string layers = stage.Layers.Count == 0 ? "no layers (the rows pass as they are)"
                : stage.Layers.Count == 1 ? $"layer {stage.Layers[0] + 1}" : $"layers {stage.Layers[0] + 1}-{stage.Layers[stage.Layers.Count - 1] + 1}";
            if (stage.IsBidirectional)
            {
                _w.Line($"// Stage {index + 1}: {layers}, Bidirectional: the forward direction over every timestep, then the backward one.");
                return EmitBidirectionalStage(stage.Layers[0], source, sink, masked: stage.Masked);
            }
            _w.Line($"// Stage {index + 1}: {layers}, {(stage.ReadsBackwards ? "last timestep first (go_backwards)" : "first timestep first")}.");
            if (_plan.Stages[index].InRegisters && !source.Repeated)
            {
                // Predict's kernel sequence after sequence: with 4 to 16 units the products over the block gain less
                // than keeping each sequence's gates in registers (and the rows are Predict's by construction).
                _w.Line($"// LSTMs of {RegisterStages.MinUnits} to {RegisterStages.MaxUnits} units: each sequence runs Predict's kernel (gates in vector registers), faster here than products over the block.");
                using (_w.Block("if (Vector128.IsHardwareAccelerated)"))
                {
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        string from = $"{source.Name}.Slice({source.Start}, {IndexExpression.Times(_steps, source.Width)})";
                        string? to = sink is BatchRowsEmitter.Sequence target ? $"{target.Name}.Slice({target.Start}, {IndexExpression.Times(_steps, target.Width)})" : null;
                        _w.Line(RegisterStageEmitter.Call(_model, index, stage, from, _steps, to, row: "r"));
                    }
                }
                using (_w.Block("else"))
                {
                    EmitTimestepLoop(stage, source, sink);
                }
                return RegisterStageEmitter.Output(_model, stage);
            }
            return EmitTimestepLoop(stage, source, sink);
        }

        /// <summary>The stage over the block, timestep by timestep: every layer's rows form on the block's matrices.</summary>
        private string EmitTimestepLoop(ExecutionPlan.Stage stage, BatchRowsEmitter.Sequence source, BatchRowsEmitter.Sequence? sink)
        {
            string current = "xs";
            using (_w.Block($"for (int t = 0; t < {_steps}; t++)"))
            {
                current = _rows.EmitGather(source, stage.ReadsBackwards, _steps);
                // Keras masks by input timestep and never reverses the mask: until the stage's first recurrent layer
                // a stage read backwards holds input timestep T-1-t, after it the rows are in processing order.
                bool sourceOrder = stage.ReadsBackwards;
                foreach (int i in stage.Layers)
                {
                    bool recurrent = _model.Layers[i] is RecurrentLayerSpec;
                    string? maskStep = stage.Masked && recurrent ? (sourceOrder ? "timesteps - 1 - t" : "t") : null;
                    if (recurrent) sourceOrder = false;
                    current = maskStep is null ? _rows.EmitRows(i, current) : _rows.EmitMaskedRows(i, current, maskStep);
                }
                if (sink is BatchRowsEmitter.Sequence target)
                {
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        _w.Line($"{current}.Slice({IndexExpression.Times("r", target.Width)}, {target.Width}).CopyTo({target.Row("t")});");
                    }
                }
            }
            return current;
        }

        /// <summary>
        /// A Bidirectional stage for the block, as Predict runs it: each direction over every timestep in its own
        /// order; with return_sequences the forward output of step t goes to row t and the backward one is merged
        /// into row T-1-t, otherwise the final outputs are merged into <c>y{n}</c>.
        /// </summary>
        private string EmitBidirectionalStage(int i, BatchRowsEmitter.Sequence source, BatchRowsEmitter.Sequence? sink, bool masked)
        {
            int n = i + 1;
            var layer = (BidirectionalLayerSpec)_model.Layers[i];
            foreach (bool forward in new[] { true, false })
            {
                RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
                string label = BidirectionalEmitter.Label(n, forward);
                _w.Line($"// {(forward ? "Forward" : "Backward")} direction ({CommentText.Line(direction.ClassName + " '" + direction.Name + "'")}).");
                using (_w.Block($"for (int t = 0; t < {_steps}; t++)"))
                {
                    string input = _rows.EmitGather(source, direction.GoBackwards, _steps);
                    if (masked)
                    {
                        _rows.EmitMaskedStep(label, direction, input, direction.GoBackwards ? "timesteps - 1 - t" : "t");
                    }
                    else
                    {
                        _w.Line(BatchRowsEmitter.RowsCall(label, direction, input));
                    }
                    if (sink is not BatchRowsEmitter.Sequence target) continue;
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        string h = $"h{label}.Slice({IndexExpression.Times("r", IntLiteral.Format(direction.Units))}, {IntLiteral.Format(direction.Units)})";
                        if (masked && direction.ZeroMaskedOutput)
                        {
                            // Keras's zero_output_for_mask inside Bidirectional: a masked timestep outputs zeros.
                            string units = IntLiteral.Format(direction.Units);
                            _w.Line($"Span<float> part = {h};");
                            _w.Line($"if (anyMasked && masked[r]) {{ part = zs.Slice(0, {units}); part.Clear(); }}");
                            h = "part";
                        }
                        BatchRowsEmitter.EmitBidirectionalRow(_w, n, layer, forward, h, target.Row("t"), target.Row($"({_steps} - 1 - t)"));
                    }
                }
            }
            if (sink is not null) return "xs";
            BatchRowsEmitter.EmitBidirectionalMerge(_w, n, layer);
            return BidirectionalEmitter.Output(n);
        }

        /// <summary>
        /// After a phase's loops: the reducer's vectors (a many-to-one layer's state, Flatten's or a pooling's) go
        /// through the phase's tail layers; the last phase writes them to the outputs. Returns the matrix of vectors
        /// the next phase's RepeatVector repeats.
        /// </summary>
        private string EmitTail(ExecutionPlan.Phase phase, string current)
        {
            if (phase.Reducer is not int reducer) return current; // a sequence output, written by the stages
            if (_model.Layers[reducer] is GlobalPoolingLayerSpec { Max: false } pooling)
            {
                _w.Line($"// Layer {reducer + 1}: the mean is the sum over the timesteps divided by their count.");
                using (_w.Block("for (int r = 0; r < rows; r++)"))
                {
                    _w.Line($"GlobalPooling.Divide({current}.Slice({IndexExpression.Times("r", IntLiteral.Format(pooling.OutputSize))}, {IntLiteral.Format(pooling.OutputSize)}), {_steps});");
                }
            }
            if (phase.Tail.Count > 0) _w.Line("// Layers after the many-to-one layer run once, on every sequence's final output.");
            foreach (int i in phase.Tail)
            {
                current = _rows.EmitRows(i, current);
            }
            if (phase.Index + 1 < _plan.Phases.Count) return current;
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line($"{current}.Slice(r * OutputUnits, OutputUnits).CopyTo(outputs.Slice((b0 + r) * outputLength, OutputUnits));");
            }
            return current;
        }

        /// <summary>Whether stage <paramref name="index"/>'s output is buffered for the next stage of its phase.</summary>
        private bool Buffered(int index)
            => index + 1 < _plan.Stages.Count && _plan.Stages[index + 1].Phase == _plan.Stages[index].Phase;

        /// <summary>The phase's timestep count in generated code.</summary>
        private static string StepsOf(ExecutionPlan.Phase phase) => phase.Steps is int n ? IntLiteral.Format(n) : "timesteps";

    }
}
