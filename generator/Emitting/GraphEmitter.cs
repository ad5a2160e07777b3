using System.Collections.Generic;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Predict and Step of a Functional graph (<see cref="ModelSpec.Graph"/>): the layers run one after another in
    /// the model's order, each over its whole input. A layer with a sequence output writes it into a buffer of its
    /// own (<c>k{n}</c>: on the stack when every buffer is fixed and small, else slices of one pooled array), which
    /// every layer reading it takes as its source; a vector output stays in the layer's h, y or a local. Step walks
    /// the same graph one row at a time.
    /// </summary>
    internal sealed class GraphEmitter
    {
        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ModelPlan _plan;
        private readonly LayerCallEmitter _calls;
        private readonly string[] _outputs;

        /// <summary>The input's timestep count in generated code.</summary>
        private readonly string _steps;

        public GraphEmitter(IndentedWriter writer, ModelSpec model, ModelPlan plan)
        {
            _w = writer;
            _model = model;
            _plan = plan;
            _calls = new LayerCallEmitter(writer, model);
            _outputs = new string[model.Layers.Count];
            _steps = model.Timesteps is null ? "timesteps" : "Timesteps";
        }

        private GraphSpec Graph => _model.Graph!;

        /// <summary>What layer <paramref name="i"/> leaves (its buffer, vector or the input); -1 is the model input.</summary>
        private string Output(int i) => i < 0 ? "input" : _outputs[i];

        /// <summary>The rows of the sequence layer <paramref name="i"/> leaves, in generated code.</summary>
        private string Rows(int i) => SequenceLengths.After(_model, i, _steps);

        private int Width(int i) => i < 0 ? _model.Features : _model.Layers[i].OutputSize;

        /// <summary>Whether layer <paramref name="i"/> writes a sequence buffer of its own.</summary>
        private bool HasBuffer(int i) => _model.Layers[i].IsSequence && !_model.Layers[i].PassesDataThrough;

        public void EmitPredict()
        {
            var buffers = new PredictBuffers(_w, _model, _plan);
            string signature = _plan.WithState
                ? $"public static void Predict(ReadOnlySpan<{_model.InputType}> input, Span<float> output, Span<float> state)"
                : $"public static void Predict(ReadOnlySpan<{_model.InputType}> input, Span<float> output)";
            using (_w.Method(signature))
            {
                ArgumentChecksEmitter.Predict(_w, _model, _model.OutputIsSequence ? _model.OutputTimesteps : null);
                var small = new List<PredictBuffers.Buffer>(buffers.LocalState());
                small.Add(PredictBuffers.Scratch(_plan.Blocks.ScratchFloats));
                if (_plan.Blocks.ProjectionFloats > 0)
                {
                    int floats = _plan.Blocks.BlockSteps * _plan.Blocks.ProjectionFloats;
                    small.Add(new PredictBuffers.Buffer("zs", $"BlockSteps * {_plan.Blocks.ProjectionFloats}", floats, clear: false, "Gate inputs x·W + b of a block of timesteps."));
                }
                small.AddRange(VectorOutputs(buffers));
                if (UsesBlockSteps) _w.Line($"const int BlockSteps = {_plan.Blocks.BlockSteps};");
                if (_plan.WithState) buffers.EmitStateSlices();
                // As in a chain: state and scratch beyond the stack budget come from one pooled array.
                PredictBuffers.OnStackOrPooled(_w, small, pooled => buffers.Emit(small, pooled), () => EmitSequenceBuffers(EmitLayers));
            }
        }

        /// <summary>Whether a buffer's size or a loop names BlockSteps: the LSTM block buffer, a Bidirectional, or a recurrent layer over more rows than a block.</summary>
        private bool UsesBlockSteps
        {
            get
            {
                if (_plan.Blocks.ProjectionFloats > 0) return true;
                for (int i = 0; i < _model.Layers.Count; i++)
                {
                    if (_model.Layers[i] is BidirectionalLayerSpec) return true;
                    if (_model.Layers[i] is RecurrentLayerSpec && _plan.Blocks.OneBlock(_model.StepsAfter(Graph.Inputs[i][0])) is null) return true;
                }
                return false;
            }
        }

        /// <summary>The vectors Predict keeps: each Bidirectional's merged last output, and each per-row layer's and vector merge's output.</summary>
        private IEnumerable<PredictBuffers.Buffer> VectorOutputs(PredictBuffers buffers)
        {
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                if (_model.Layers[i] is BidirectionalLayerSpec { ReturnSequences: false } bidirectional)
                {
                    yield return new PredictBuffers.Buffer(BidirectionalEmitter.Output(i + 1), IntLiteral.Format(bidirectional.OutputSize), bidirectional.OutputSize, clear: false, "The merged final output of a Bidirectional layer.");
                }
                else if (_model.Layers[i] is MergeLayerSpec { IsSequence: false } merge)
                {
                    yield return new PredictBuffers.Buffer($"a{i + 1}", IntLiteral.Format(merge.OutputSize), merge.OutputSize, clear: false);
                }
            }
            foreach (PredictBuffers.Buffer buffer in buffers.LayerOutputs()) yield return buffer;
        }

        /// <summary>
        /// Declares the sequence buffers, then emits <paramref name="body"/> in their scope: on the stack when every
        /// length is fixed and all fit the stack budget, else as slices of one array rented for the call.
        /// </summary>
        private void EmitSequenceBuffers(System.Action body)
        {
            var lengths = new List<(string Name, string Length, int? Floats, int Layer)>();
            long fixedTotal = 0;
            bool allFixed = true;
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                if (!HasBuffer(i)) continue;
                int? rows = _model.StepsAfter(i);
                int width = _model.Layers[i].OutputSize;
                lengths.Add(($"k{i + 1}", IndexExpression.Times(Rows(i), IntLiteral.Format(width)), rows * width, i));
                if (rows is int r) fixedTotal += (long)r * width;
                else allFixed = false;
            }
            if (lengths.Count == 0)
            {
                body();
                return;
            }
            _w.Line("// Each layer with a sequence output writes all its rows into a buffer of its own, which the layers reading it take whole.");
            if (allFixed && fixedTotal <= MemoryBudget.StackFloats / 2)
            {
                foreach (var buffer in lengths)
                {
                    _w.Line($"Span<float> {buffer.Name} = stackalloc float[{IntLiteral.Format(buffer.Floats!.Value)}]; // layer {buffer.Layer + 1}: [{Rows(buffer.Layer)}, {_model.Layers[buffer.Layer].OutputSize}]");
                }
                _w.Line();
                body();
                return;
            }
            var total = new List<string>();
            foreach (var buffer in lengths) total.Add(buffer.Length);
            _w.Line($"float[] rows = ArrayPool<float>.Shared.Rent(checked({string.Join(" + ", total)}));");
            using (_w.Block("try"))
            {
                _w.Line("int offset = 0;");
                foreach (var buffer in lengths)
                {
                    _w.Line($"Span<float> {buffer.Name} = rows.AsSpan(offset, {buffer.Length}); // layer {buffer.Layer + 1}: [{Rows(buffer.Layer)}, {_model.Layers[buffer.Layer].OutputSize}]");
                    _w.Line($"offset += {buffer.Length};");
                }
                _w.Line();
                body();
            }
            using (_w.Block("finally"))
            {
                _w.Line("ArrayPool<float>.Shared.Return(rows);");
            }
        }

        private void EmitLayers()
        {
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                EmitLayer(i);
            }
            int last = _model.Layers.Count - 1;
            _w.Line(_model.OutputIsSequence
                ? $"{Output(last)}.Slice(0, {IndexExpression.Times(Rows(last), "OutputUnits")}).CopyTo(output);"
                : $"{Output(last)}.Slice(0, OutputUnits).CopyTo(output);");
        }

        private void EmitLayer(int i)
        {
            int n = i + 1;
            LayerSpec layer = _model.Layers[i];
            int source = Graph.Inputs[i][0];
            string reads = source < 0 ? "the model input" : $"layer {source + 1}";
            if (layer is MergeLayerSpec)
            {
                var names = new List<string>();
                foreach (int operand in Graph.Inputs[i]) names.Add(operand < 0 ? "the model input" : $"layer {operand + 1}");
                reads = string.Join(", ", names);
            }
            _w.Line($"// Layer {n}: {CommentText.Line(layer.Description)}; reads {reads}.");
            string kept = $"k{n}";
            switch (layer)
            {
                case RecurrentLayerSpec recurrent:
                    EmitRecurrent(i, recurrent, source);
                    _outputs[i] = recurrent.ReturnSequences ? kept : $"h{n}";
                    break;
                case BidirectionalLayerSpec bidirectional:
                    BidirectionalEmitter.EmitStage(_w, n, bidirectional, Output(source), IntLiteral.Format(Width(source)), Rows(source), null, bidirectional.ReturnSequences ? kept : null);
                    _outputs[i] = bidirectional.ReturnSequences ? kept : BidirectionalEmitter.Output(n);
                    break;
                case SequenceLayerSpec:
                    _w.Line(SequenceLayerEmitter.Call(n, layer, Output(source), Rows(source), kept));
                    _outputs[i] = kept;
                    break;
                case MergeLayerSpec merge:
                    EmitMerge(i, merge);
                    break;
                case RepeatVectorLayerSpec repeat:
                    using (_w.Block($"for (int t = 0; t < {IntLiteral.Format(repeat.Repeats)}; t++)"))
                    {
                        _w.Line($"{Output(source)}.Slice(0, {repeat.OutputSize}).CopyTo({kept}.Slice({IndexExpression.Times("t", IntLiteral.Format(repeat.OutputSize))}, {repeat.OutputSize}));");
                    }
                    _outputs[i] = kept;
                    break;
                case { PassesDataThrough: true }:
                    _outputs[i] = Output(source);
                    break;
                default:
                    EmitPerRow(i, layer, source);
                    break;
            }
            _w.Line();
        }

        /// <summary>
        /// An LSTM, GRU or SimpleRNN over its source's rows, in blocks (an LSTM projects each block at once), as in a
        /// chain; when one block holds every row, without the block loop.
        /// </summary>
        private void EmitRecurrent(int i, RecurrentLayerSpec layer, int source)
        {
            string rows = Rows(source);
            if (_plan.Blocks.OneBlock(_model.StepsAfter(source)) is int fixedRows)
            {
                _w.Line($"// One block holds all {Plural.Count(fixedRows, "row")}.");
                EmitRecurrentBlock(i, layer, source, "0", rows);
                return;
            }
            using (_w.Block($"for (int t0 = 0; t0 < {rows}; t0 += BlockSteps)"))
            {
                _w.Line($"int count = Math.Min(BlockSteps, {rows} - t0);");
                EmitRecurrentBlock(i, layer, source, "t0", "count");
            }
        }

        /// <summary>One block of <paramref name="count"/> rows from row <paramref name="t0"/> (names, or literals for the one block).</summary>
        private void EmitRecurrentBlock(int i, RecurrentLayerSpec layer, int source, string t0, string count)
        {
            int n = i + 1, width = Width(source);
            string rows = Rows(source), src = Output(source), block = src;
            if (t0 != "0")
            {
                string start = layer.GoBackwards ? $"({rows} - t0 - count)" : "t0";
                _w.Line($"ReadOnlySpan<float> block = {src}.Slice({IndexExpression.Times(start, IntLiteral.Format(width))}, count * {width});");
                block = "block";
            }
            if (layer is LstmLayerSpec) _w.Line($"Layer{n}Project({block}, {count}, zs);");
            string row = !layer.GoBackwards ? "r" : int.TryParse(count, out int rows1) ? $"({IntLiteral.Format(rows1 - 1)} - r)" : "(count - 1 - r)";
            string t = t0 == "0" ? "r" : "t0 + r";
            using (_w.Block($"for (int r = 0; r < {count}; r++)"))
            {
                if (layer is LstmLayerSpec lstm)
                {
                    string alternate = LayerEmitter.AlternatesPanels(lstm) ? $", ({(t == "r" ? "r" : "(t0 + r)")} & 1) != 0" : string.Empty;
                    _w.Line($"Layer{n}Step(zs.Slice({IndexExpression.Times(row, IntLiteral.Format(lstm.GateWidth))}, {lstm.GateWidth}), h{n}, c{n}{alternate});");
                }
                else
                {
                    _calls.Emit(i, $"{block}.Slice({IndexExpression.Times(row, IntLiteral.Format(width))}, {width})");
                }
                // A go_backwards layer's output row k is its k-th step (Keras keeps the processing order).
                if (layer.ReturnSequences) _w.Line($"h{n}.CopyTo(k{n}.Slice({IndexExpression.Times(t, IntLiteral.Format(layer.Units))}, {layer.Units}));");
            }
        }

        /// <summary>A layer applied to each row (Dense, Activation, normalization, Embedding) or folding the rows into a vector (Flatten, global pooling).</summary>
        private void EmitPerRow(int i, LayerSpec layer, int source)
        {
            int n = i + 1;
            string src = Output(source);
            bool sequenceIn = source < 0 || _model.Layers[source].IsSequence;
            if (!sequenceIn)
            {
                _outputs[i] = _calls.Emit(i, $"{src}.Slice(0, {Width(source)})");
                return;
            }
            int width = source < 0 ? (_model.Embedding is null ? _model.Features : 1) : Width(source);
            string rows = Rows(source);
            string result = string.Empty;
            using (_w.Block($"for (int t = 0; t < {rows}; t++)"))
            {
                result = _calls.Emit(i, $"{src}.Slice({IndexExpression.Times("t", IntLiteral.Format(width))}, {width})", "t");
                if (layer.IsSequence) _w.Line($"{result}.CopyTo(k{n}.Slice({IndexExpression.Times("t", IntLiteral.Format(layer.OutputSize))}, {layer.OutputSize}));");
            }
            if (layer is GlobalPoolingLayerSpec { Max: false })
            {
                _w.Line($"GlobalPooling.Divide(a{n}, {rows});");
            }
            _outputs[i] = layer.IsSequence ? $"k{n}" : result;
        }

        private void EmitMerge(int i, MergeLayerSpec merge)
        {
            int n = i + 1;
            EquatableArray<int> inputs = Graph.Inputs[i];
            var operands = new string[inputs.Count];
            var rows = new string[inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                operands[k] = Output(inputs[k]);
                rows[k] = Rows(inputs[k]);
            }
            string target = merge.IsSequence ? $"k{n}" : $"a{n}";
            MergeEmitter.EmitCall(_w, n, merge, operands, merge.IsSequence ? rows : null, merge.IsSequence && !merge.TimeAxis ? $"{target}.Slice(0, {IndexExpression.Times(rows[0], IntLiteral.Format(merge.OutputSize))})" : target);
            _outputs[i] = target;
        }

        /// <summary>Step of a causal graph: one row through every layer in the model's order, from and into the caller's State.</summary>
        public void EmitStep()
        {
            var buffers = new PredictBuffers(_w, _model, _plan);
            using (_w.Method($"public static void Step(Span<float> state, ReadOnlySpan<{_model.InputType}> input, Span<float> output)"))
            {
                ArgumentChecksEmitter.Step(_w, _model);
                buffers.EmitStateSlices();
                var declared = new List<PredictBuffers.Buffer> { PredictBuffers.Scratch(_plan.Blocks.ScratchFloats) };
                for (int i = 0; i < _model.Layers.Count; i++)
                {
                    // A merge's row (sequence or vector alike) is one vector here.
                    if (_model.Layers[i] is MergeLayerSpec merge) declared.Add(new PredictBuffers.Buffer($"a{i + 1}", IntLiteral.Format(merge.OutputSize), merge.OutputSize, clear: false));
                }
                declared.AddRange(buffers.LayerOutputs());
                buffers.Emit(declared, pooled: false);
                for (int i = 0; i < _model.Layers.Count; i++)
                {
                    int n = i + 1;
                    LayerSpec layer = _model.Layers[i];
                    int source = Graph.Inputs[i][0];
                    if (layer is MergeLayerSpec merge)
                    {
                        var operands = new string[Graph.Inputs[i].Count];
                        for (int k = 0; k < operands.Length; k++) operands[k] = Output(Graph.Inputs[i][k]);
                        _w.Line($"// Layer {n}: {CommentText.Line(layer.Description)}.");
                        MergeEmitter.EmitCall(_w, n, merge, operands, rows: null, $"a{n}");
                        _outputs[i] = $"a{n}";
                        continue;
                    }
                    _outputs[i] = _calls.Emit(i, Output(source));
                }
                _w.Line($"{Output(_model.Layers.Count - 1)}.Slice(0, OutputUnits).CopyTo(output);");
            }
        }
    }
}
