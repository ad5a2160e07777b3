using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>PredictBatch</c>: a batch of equal-length sequences, <c>[batch, timesteps, features]</c> in,
    /// <c>[batch, output]</c> out. Sequences go through the model together in blocks of up to
    /// <see cref="BatchRows"/>: each timestep gathers the block's input rows into one matrix, and every layer runs
    /// its <c>Layer{n}Rows</c> form (matrix-matrix products, <see cref="BatchLayerEmitter"/>), so a weight is read
    /// once per four sequences instead of once per sequence. Models whose layers do not all have that form (see
    /// <see cref="WhyPerSequence"/>) run the sequences one after another through Predict.
    /// </summary>
    internal sealed class PredictBatchEmitter
    {
        /// <summary>Sequences computed together: enough that the weights are read a few times per timestep for a batch of 64.</summary>
        public const int BatchRows = 64;

        /// <summary>Block buffers up to this many floats (64 KB) live on the stack; more come from ArrayPool.</summary>
        private const int StackBudgetFloats = 16384;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ExecutionPlan _plan;

        public PredictBatchEmitter(IndentedWriter writer, ModelSpec model)
        {
            _w = writer;
            _model = model;
            _plan = ExecutionPlan.For(model);
        }

        /// <summary>Why PredictBatch runs one sequence at a time for this model, or null when it runs the batch together.</summary>
        public static string? WhyPerSequence(ModelSpec model)
        {
            ExecutionPlan plan = ExecutionPlan.For(model);
            foreach (LayerSpec layer in model.Layers)
            {
                if (layer is BidirectionalLayerSpec) return $"layer '{layer.Name}' is Bidirectional";
                if (!BatchLayerEmitter.Supports(layer)) return $"layer '{layer.Name}' ({layer.ClassName}) has no batched form yet";
            }
            if (plan.Stages.Count != 1) return "a go_backwards layer inside the stack needs the whole output of the layer below it first";
            return null;
        }

        /// <summary>Emits PredictBatch into the kernel class; <paramref name="stateLength"/> is the State's float count when the kernel's Predict takes one.</summary>
        public void Emit(int? stateLength)
        {
            using (_w.Block("public static void PredictBatch(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs)"))
            {
                EmitChecks();
                if (WhyPerSequence(_model) is string reason)
                {
                    EmitPerSequence(reason, stateLength);
                    return;
                }
                EmitBatched();
            }
            if (WhyPerSequence(_model) is null)
            {
                _w.Line();
                for (int i = 0; i < _model.Layers.Count; i++)
                {
                    BatchLayerEmitter.EmitMethod(_w, i + 1, _model.Layers[i]);
                }
            }
        }

        /// <summary>Checks the arguments and declares <c>timesteps</c>, <c>sequenceLength</c> and <c>outputLength</c> (floats per sequence).</summary>
        private void EmitChecks()
        {
            using (_w.Block("if (batchSize <= 0)"))
            {
                _w.Line("throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch needs at least one sequence.\");");
            }
            string shape = _model.Timesteps is int t
                ? $"{t} timesteps, {_model.Features} feature{(_model.Features == 1 ? "" : "s")}"
                : $"timesteps, {_model.Features} feature{(_model.Features == 1 ? "" : "s")}";
            if (_model.Timesteps is not null)
            {
                using (_w.Block("if (inputs.Length != (long)batchSize * InputLength)"))
                {
                    _w.Line($"throw new ArgumentException($\"Expected {{(long)batchSize * InputLength}} input floats ([{{batchSize}} sequences, {shape}]) but got {{inputs.Length}}.\", nameof(inputs));");
                }
                _w.Line("const int timesteps = Timesteps;");
            }
            else
            {
                using (_w.Block("if (inputs.Length == 0 || inputs.Length % ((long)batchSize * InputFeatures) != 0)"))
                {
                    _w.Line($"throw new ArgumentException($\"Expected a non-zero multiple of {{(long)batchSize * InputFeatures}} input floats ([{{batchSize}} sequences, {shape}]) but got {{inputs.Length}}.\", nameof(inputs));");
                }
                _w.Line("int timesteps = (int)(inputs.Length / ((long)batchSize * InputFeatures));");
            }
            _w.Line("int sequenceLength = timesteps * InputFeatures;");
            if (_model.OutputIsSequence)
            {
                _w.Line("long outputFloats = (long)timesteps * OutputUnits;");
            }
            else
            {
                _w.Line("const long outputFloats = OutputUnits;");
            }
            using (_w.Block("if (outputs.Length < batchSize * outputFloats)"))
            {
                _w.Line("throw new ArgumentException($\"The outputs need {batchSize * outputFloats} floats ({batchSize} sequences) but have {outputs.Length}.\", nameof(outputs));");
            }
            using (_w.Block("if (inputs.Overlaps(outputs))"))
            {
                _w.Line("throw new ArgumentException(\"The inputs and outputs spans overlap; pass separate buffers.\", nameof(outputs));");
            }
            _w.Line("int outputLength = (int)outputFloats;");
            _w.Line();
        }

        private void EmitPerSequence(string reason, int? stateLength)
        {
            _w.Line($"// One sequence at a time: {CommentText.Line(reason)}.");
            if (stateLength is int floats)
            {
                _w.Line($"Span<float> state = stackalloc float[{IntLiteral.Format(floats)}];");
            }
            using (_w.Block("for (int b = 0; b < batchSize; b++)"))
            {
                if (stateLength is null)
                {
                    _w.Line("Predict(inputs.Slice(b * sequenceLength, sequenceLength), outputs.Slice(b * outputLength, outputLength));");
                    return;
                }
                _w.Line("state.Clear();");
                _w.Line("Predict(inputs.Slice(b * sequenceLength, sequenceLength), outputs.Slice(b * outputLength, outputLength), state);");
            }
        }

        /// <summary>A matrix of the block: <see cref="Floats"/> per sequence, so it spans <c>rows × Floats</c> floats.</summary>
        private readonly struct Matrix
        {
            public Matrix(string name, int floats, bool isState)
            {
                Name = name;
                Floats = floats;
                IsState = isState;
            }

            public string Name { get; }

            public int Floats { get; }

            public bool IsState { get; }
        }

        private List<Matrix> Matrices()
        {
            var matrices = new List<Matrix> { new Matrix("xs", _model.Features, isState: false) };
            int scratch = 0;
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                int n = i + 1;
                switch (_model.Layers[i])
                {
                    case LstmLayerSpec lstm:
                        matrices.Add(new Matrix($"h{n}", lstm.Units, isState: true));
                        matrices.Add(new Matrix($"c{n}", lstm.Units, isState: true));
                        scratch = System.Math.Max(scratch, lstm.ScratchSize);
                        break;
                    case RecurrentLayerSpec recurrent:
                        matrices.Add(new Matrix($"h{n}", recurrent.Units, isState: true));
                        scratch = System.Math.Max(scratch, recurrent.ScratchSize);
                        break;
                    case DenseLayerSpec or ActivationLayerSpec:
                        matrices.Add(new Matrix($"a{n}", _model.Layers[i].OutputSize, isState: false));
                        break;
                }
            }
            matrices.Add(new Matrix("zs", scratch, isState: false));
            return matrices;
        }

        private void EmitBatched()
        {
            List<Matrix> matrices = Matrices();
            int rowFloats = 0;
            foreach (Matrix m in matrices) rowFloats += m.Floats;
            ExecutionPlan.Stage stage = _plan.Stages[0];

            _w.Line($"// Up to {BatchRows} sequences at a time, each a row of the block's matrices ({IntLiteral.Format(rowFloats)} floats per sequence).");
            _w.Line($"const int BatchRows = {BatchRows};");
            _w.Line("int block = Math.Min(batchSize, BatchRows);");
            _w.Line($"int floats = block * {IntLiteral.Format(rowFloats)};");
            _w.Line($"float[]? rented = floats <= {StackBudgetFloats} ? null : ArrayPool<float>.Shared.Rent(floats);");
            _w.Line("Span<float> scratch = rented is null ? stackalloc float[floats] : rented;");
            using (_w.Block("try"))
            {
                int offset = 0;
                foreach (Matrix m in matrices)
                {
                    _w.Line($"Span<float> {m.Name} = scratch.Slice(block * {IntLiteral.Format(offset)}, block * {IntLiteral.Format(m.Floats)});");
                    offset += m.Floats;
                }
                using (_w.Block("for (int b0 = 0; b0 < batchSize; b0 += BatchRows)"))
                {
                    _w.Line("int rows = Math.Min(BatchRows, batchSize - b0);");
                    _w.Line("// Every sequence starts from Keras's zero state.");
                    foreach (Matrix m in matrices)
                    {
                        if (m.IsState) _w.Line($"{m.Name}.Clear();");
                    }
                    string last = EmitTimestepLoop(stage);
                    EmitTail(last);
                }
            }
            using (_w.Block("finally"))
            {
                _w.Line("if (rented is not null) ArrayPool<float>.Shared.Return(rented);");
            }
        }

        /// <summary>Emits the loop over the timesteps; returns the matrix holding the stage's last output.</summary>
        private string EmitTimestepLoop(ExecutionPlan.Stage stage)
        {
            string current = "xs";
            using (_w.Block("for (int t = 0; t < timesteps; t++)"))
            {
                string step = stage.ReadsBackwards ? "(timesteps - 1 - t)" : "t";
                _w.Line(stage.ReadsBackwards
                    ? "// go_backwards: the stage reads the last timestep first; gather that timestep of every sequence."
                    : "// Gather timestep t of every sequence of the block into one matrix.");
                using (_w.Block("for (int r = 0; r < rows; r++)"))
                {
                    _w.Line($"inputs.Slice((b0 + r) * sequenceLength + {step} * InputFeatures, InputFeatures).CopyTo(xs.Slice(r * InputFeatures, InputFeatures));");
                }
                foreach (int i in stage.Layers)
                {
                    current = EmitRows(i, current);
                }
                if (_model.OutputIsSequence)
                {
                    _w.Line("// Row t of every sequence's output.");
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        _w.Line($"{current}.Slice(r * OutputUnits, OutputUnits).CopyTo(outputs.Slice((b0 + r) * outputLength + t * OutputUnits, OutputUnits));");
                    }
                }
            }
            return current;
        }

        /// <summary>For many-to-one models: the layers after the loop, on the final outputs in <paramref name="current"/>, then the output rows.</summary>
        private void EmitTail(string current)
        {
            if (_model.OutputIsSequence) return;
            if (_plan.Tail.Count > 0) _w.Line("// Layers after the many-to-one layer run once, on every sequence's final output.");
            foreach (int i in _plan.Tail)
            {
                current = EmitRows(i, current);
            }
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line($"{current}.Slice(r * OutputUnits, OutputUnits).CopyTo(outputs.Slice((b0 + r) * outputLength, OutputUnits));");
            }
        }

        /// <summary>Emits layer <paramref name="i"/> for the block's rows; returns the matrix holding its output.</summary>
        private string EmitRows(int i, string input)
        {
            int n = i + 1;
            switch (_model.Layers[i])
            {
                case LstmLayerSpec:
                    _w.Line($"Layer{n}Rows({input}, rows, h{n}, c{n}, zs);");
                    return $"h{n}";
                case RecurrentLayerSpec:
                    _w.Line($"Layer{n}Rows({input}, rows, h{n}, zs);");
                    return $"h{n}";
                case DenseLayerSpec or ActivationLayerSpec:
                    _w.Line($"Layer{n}Rows({input}, rows, a{n});");
                    return $"a{n}";
                default:
                    _w.Line($"// Layer {n}: {CommentText.Line(LayerEmitter.Describe(_model.Layers[i]))}.");
                    return input;
            }
        }
    }
}
