using System.Collections.Generic;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// PredictBatch of a Functional graph (<see cref="ModelSpec.Graph"/>): the sequences go through the graph in
    /// blocks of up to <see cref="PredictBatchEmitter.BatchRows"/>, layer by layer as in Predict
    /// (<see cref="GraphEmitter"/>), each layer's output for the whole block in a buffer of its own
    /// (<see cref="GraphBatchPlace"/>). Recurrent layers step over the block (<see cref="GraphBatchRecurrentEmitter"/>:
    /// matrix-matrix products, each weight read once per block); per-row layers run their rows form over all the
    /// block's rows at once; element-wise merges run over the block; convolutions, pooling, concatenations and the
    /// other sequence layers run sequence by sequence with the calls Predict makes. Each float is computed as
    /// Predict computes it, so every row equals Predict on that sequence bit for bit.
    /// </summary>
    internal sealed class GraphBatchEmitter
    {
        /// <summary>A block's buffers stay under this many floats (64 MB) unless one sequence needs more, as in a chain's PredictBatch.</summary>
        private const int BlockBudgetFloats = 16 * 1024 * 1024;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly GraphBatchPlace[] _outputs;
        private readonly GraphBatchRecurrentEmitter _recurrent;

        public GraphBatchEmitter(IndentedWriter writer, ModelSpec model)
        {
            _w = writer;
            _model = model;
            _outputs = new GraphBatchPlace[model.Layers.Count];
            _recurrent = new GraphBatchRecurrentEmitter(writer);
        }

        private GraphSpec Graph => _model.Graph!;

        /// <summary>
        /// Whether every layer of the graph has a batched form here. Graphs with anything else (none today: masks are
        /// rejected in graphs) keep <see cref="LoopedBatchEmitter"/>, Predict once per sequence.
        /// </summary>
        public static bool CanBatch(ModelSpec model)
        {
            if (model.Graph is null || model.HasMask) return false;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                bool known = model.Layers[i] switch
                {
                    RecurrentLayerSpec or BidirectionalLayerSpec or SequenceLayerSpec or MergeLayerSpec or RepeatVectorLayerSpec => true,
                    FlattenLayerSpec or GlobalPoolingLayerSpec => true,
                    EmbeddingLayerSpec => i == 0,
                    { PassesDataThrough: true } => true,
                    LayerSpec layer => BatchLayerEmitter.HasOutputRows(layer),
                };
                if (!known) return false;
            }
            return true;
        }

        /// <summary>Where layer <paramref name="i"/>'s output is; -1 is the model input.</summary>
        private GraphBatchPlace Output(int i) => i < 0 ? GraphBatchPlace.Input(_model.Embedding is null ? _model.Features : 1) : _outputs[i];

        /// <summary>The rows of the sequence layer <paramref name="i"/> leaves, in generated code.</summary>
        private string Rows(int i) => SequenceLengths.After(_model, i, "timesteps");

        /// <summary>Emits PredictBatch and the layers' rows forms into the kernel class.</summary>
        public void Emit()
        {
            using (_w.Method($"public static void PredictBatch(ReadOnlySpan<{_model.InputType}> inputs, int batchSize, Span<float> outputs)"))
            {
                ArgumentChecksEmitter.Batch(_w, _model);
                EmitBlocks();
            }
            _w.Line();
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                BatchLayerEmitter.EmitMethod(_w, i + 1, _model.Layers[i]);
            }
        }

        private void EmitBlocks()
        {
            List<GraphBatchBuffers.Buffer> buffers = GraphBatchBuffers.For(_model, Rows);
            var sizes = new List<string>();
            int fixedFloats = 0;
            foreach (GraphBatchBuffers.Buffer buffer in buffers)
            {
                if (!buffer.PerBlock) continue;
                if (buffer.FixedFloats is int floats) fixedFloats += floats;
                else sizes.Add($"(long){buffer.Floats}");
            }
            sizes.Insert(0, IntLiteral.Format(fixedFloats));
            int history = 0;
            foreach (GraphBatchBuffers.Buffer buffer in buffers)
            {
                if (!buffer.PerBlock) history += buffer.FixedFloats ?? 0;
            }

            _w.Line($"// Up to {PredictBatchEmitter.BatchRows} sequences at a time: every layer's output for the block is a buffer of its own, [block, rows, width] for a");
            _w.Line("// sequence, [block, width] for a vector; long sequences run in smaller blocks.");
            _w.Line($"const int BatchRows = {PredictBatchEmitter.BatchRows};");
            _w.Line($"{(sizes.Count == 1 ? "const long" : "long")} sequenceFloats = {string.Join(" + ", sizes)};");
            _w.Line($"int block = (int)Math.Max(1, Math.Min(Math.Min(batchSize, BatchRows), {IntLiteral.Format(BlockBudgetFloats)} / sequenceFloats));");
            _w.Line($"int floats = checked((int)(block * sequenceFloats){(history > 0 ? $" + {IntLiteral.Format(history)}" : string.Empty)});");
            _w.Line($"float[]? rented = floats <= {IntLiteral.Format(MemoryBudget.StackFloats)} ? null : ArrayPool<float>.Shared.Rent(floats);");
            _w.Line("Span<float> scratch = rented is null ? stackalloc float[floats] : rented;");
            using (_w.Block("try"))
            {
                _w.Line("int offset = 0;");
                foreach (GraphBatchBuffers.Buffer buffer in buffers)
                {
                    string length = buffer.PerBlock ? IndexExpression.Times("block", buffer.Floats) : buffer.Floats;
                    _w.Line($"Span<float> {buffer.Name} = scratch.Slice(offset, {length}); // {buffer.Comment}");
                    _w.Line($"offset += {length};");
                }
                _w.Line();
                using (_w.Block("for (int b0 = 0; b0 < batchSize; b0 += block)"))
                {
                    _w.Line("int rows = Math.Min(block, batchSize - b0);");
                    _w.Line();
                    for (int i = 0; i < _model.Layers.Count; i++)
                    {
                        EmitLayer(i);
                        _w.Line();
                    }
                    EmitOutputs();
                }
            }
            using (_w.Block("finally"))
            {
                _w.Line("if (rented is not null) ArrayPool<float>.Shared.Return(rented);");
            }
        }

        private void EmitLayer(int i)
        {
            int n = i + 1;
            LayerSpec layer = _model.Layers[i];
            int source = Graph.Inputs[i][0];
            GraphBatchPlace from = Output(source);
            var names = new List<string>();
            foreach (int operand in Graph.Inputs[i]) names.Add(operand < 0 ? "the model input" : $"layer {operand + 1}");
            _w.Line($"// Layer {n}: {CommentText.Line(layer.Description)}; reads {string.Join(", ", names)}.");
            GraphBatchPlace sequence = GraphBatchPlace.Sequence($"k{n}", layer.OutputSize, Rows(i));
            switch (layer)
            {
                case RecurrentLayerSpec recurrent:
                    _outputs[i] = recurrent.ReturnSequences ? sequence : GraphBatchPlace.Vector($"h{n}", recurrent.Units);
                    _recurrent.EmitRecurrent(n, recurrent, from, recurrent.ReturnSequences ? sequence : null);
                    break;
                case BidirectionalLayerSpec bidirectional:
                    _outputs[i] = bidirectional.ReturnSequences ? sequence : GraphBatchPlace.Vector(BidirectionalEmitter.Output(n), bidirectional.OutputSize);
                    _recurrent.EmitBidirectional(n, bidirectional, from, bidirectional.ReturnSequences ? sequence : null);
                    break;
                case SequenceLayerSpec:
                    _outputs[i] = sequence;
                    EmitSequenceLayer(n, layer, from, sequence);
                    break;
                case MergeLayerSpec merge:
                    _outputs[i] = merge.IsSequence ? sequence : GraphBatchPlace.Vector($"a{n}", merge.OutputSize);
                    EmitMerge(i, merge);
                    break;
                case RepeatVectorLayerSpec repeat:
                    _outputs[i] = sequence;
                    _w.Line("// Each sequence's vector, copied into every row.");
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        using (_w.Block($"for (int t = 0; t < {IntLiteral.Format(repeat.Repeats)}; t++)"))
                        {
                            _w.Line($"{from.Of("r")}.CopyTo({sequence.Row("r", "t")});");
                        }
                    }
                    break;
                case FlattenLayerSpec { InputIsSequence: false }:
                case { PassesDataThrough: true }:
                    _w.Line("// Nothing to run: the data passes as it is.");
                    _outputs[i] = from;
                    break;
                case EmbeddingLayerSpec:
                    _outputs[i] = sequence;
                    _w.Line("// Every token id of the block, one after another, into its row.");
                    using (_w.Block($"for (int j = 0; j < {IndexExpression.Times("rows", "timesteps")}; j++)"))
                    {
                        _w.Line($"Layer{n}(inputs.Slice(b0 * sequenceLength + j, 1), k{n}.Slice({IndexExpression.Times("j", layer.OutputSize)}, {IntLiteral.Format(layer.OutputSize)}));");
                    }
                    break;
                case FlattenLayerSpec or GlobalPoolingLayerSpec:
                    _outputs[i] = GraphBatchPlace.Vector($"a{n}", layer.OutputSize);
                    EmitReducer(n, layer, from);
                    break;
                default:
                    // Dense, Activation, normalization: the rows form over every row of the block at once.
                    _outputs[i] = from.IsSequence ? sequence : GraphBatchPlace.Vector($"a{n}", layer.OutputSize);
                    string count = from.IsSequence ? IndexExpression.Times("rows", from.Rows!) : "rows";
                    _w.Line($"// Every row of the block at once ({(from.IsSequence ? "the block's sequences' rows, one after another" : "one vector per sequence")}).");
                    _w.Line($"Layer{n}Rows({from.Block}, {count}, {_outputs[i].Name});");
                    break;
            }
        }

        /// <summary>Conv1D, 1D pooling, padding, cropping, upsampling: Predict's call on each sequence (its own matrix work over the rows).</summary>
        private void EmitSequenceLayer(int n, LayerSpec layer, GraphBatchPlace from, GraphBatchPlace to)
        {
            _w.Line("// Sequence by sequence, as Predict runs it (its products already span the sequence's rows).");
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                if (SequenceLayerEmitter.HasHistory(layer)) _w.Line($"history{n}.Clear(); // Keras's causal padding: zeros before each sequence");
                _w.Line(SequenceLayerEmitter.Call(n, layer, from.Of("r"), from.Rows!, to.Of("r")));
            }
        }

        /// <summary>
        /// Element-wise merges over the whole block at once (every operand has the same layout); Concatenate sequence by
        /// sequence, as Predict copies.
        /// </summary>
        private void EmitMerge(int i, MergeLayerSpec merge)
        {
            int n = i + 1;
            EquatableArray<int> inputs = Graph.Inputs[i];
            GraphBatchPlace target = _outputs[i];
            var operands = new string[inputs.Count];
            if (merge.Kind != MergeKind.Concatenate)
            {
                _w.Line("// Element by element over the whole block: the operands' sequences line up.");
                for (int k = 0; k < operands.Length; k++) operands[k] = Output(inputs[k]).Block;
                MergeEmitter.EmitCall(_w, n, merge, operands, rows: null, target.Block);
                return;
            }
            _w.Line("// Sequence by sequence, as Predict copies.");
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                var rows = new string[inputs.Count];
                for (int k = 0; k < operands.Length; k++)
                {
                    GraphBatchPlace operand = Output(inputs[k]);
                    operands[k] = $"x{k}";
                    rows[k] = operand.Rows ?? "1";
                    _w.Line($"ReadOnlySpan<float> x{k} = {operand.Of("r")};");
                }
                _w.Line($"Span<float> y = {target.Of("r")};");
                MergeEmitter.EmitCall(_w, n, merge, operands, merge.IsSequence ? rows : null, "y");
            }
        }

        /// <summary>Flatten over the timesteps or a global pooling: each sequence's rows into its vector, in Predict's order.</summary>
        private void EmitReducer(int n, LayerSpec layer, GraphBatchPlace from)
        {
            string width = IntLiteral.Format(layer.OutputSize);
            _w.Line("// Sequence by sequence, row by row, as Predict runs it.");
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line($"Span<float> y = a{n}.Slice({IndexExpression.Times("r", width)}, {width});");
                if (layer is GlobalPoolingLayerSpec pooling) _w.Line(pooling.Max ? "y.Fill(float.NegativeInfinity);" : "y.Clear();");
                using (_w.Block($"for (int t = 0; t < {from.Rows}; t++)"))
                {
                    string row = from.Row("r", "t");
                    _w.Line(layer is GlobalPoolingLayerSpec p
                        ? $"GlobalPooling.{(p.Max ? "Maximum" : "Accumulate")}({row}, y);"
                        : $"Layer{n}({row}, y, t);");
                }
                if (layer is GlobalPoolingLayerSpec { Max: false }) _w.Line($"GlobalPooling.Divide(y, {from.Rows});");
            }
        }

        private void EmitOutputs()
        {
            GraphBatchPlace last = Output(_model.Layers.Count - 1);
            _w.Line("// Each sequence's output.");
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line($"{last.Of("r")}.CopyTo(outputs.Slice((b0 + r) * outputLength, outputLength));");
            }
        }
    }
}
