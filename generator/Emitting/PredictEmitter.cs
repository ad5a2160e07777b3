using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits the body of <c>Predict</c>: argument checks, state on the stack, one timestep loop per
    /// <see cref="ExecutionPlan.Stage"/> (or the loop fully unrolled), then the tail layers.
    /// </summary>
    internal sealed class PredictEmitter
    {
        /// <summary>Sequences up to this many floats live on the stack; longer ones come from ArrayPool.</summary>
        private const int StackBufferFloats = 4096;

        /// <summary>Most timesteps per block: enough to read each input kernel once per 16 timesteps.</summary>
        private const int MaxBlockSteps = 16;

        /// <summary>Floats the block buffers may take (32 KB), which bounds the block length for wide layers.</summary>
        private const int BlockBudgetFloats = 8192;

        /// <summary>
        /// State and scratch up to this many floats (64 KB) live on the stack, so Predict runs on small thread stacks
        /// (256 KB); wider models rent one array from ArrayPool per call instead (no allocation after warm-up).
        /// </summary>
        private const int StackBudgetFloats = MemoryBudget.StackFloats;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ExecutionPlan _plan;
        private readonly bool _unroll;

        /// <summary>Timesteps per block of the timestep loop (not used when unrolled).</summary>
        private readonly int _blockSteps;

        /// <summary>Layers whose per-block output rows are kept (another layer of the stage, a buffer or the output reads them).</summary>
        private readonly bool[] _keepsBlock;

        /// <summary>The timestep count in generated code: the constant when fixed, the local computed from the input otherwise.</summary>
        private readonly string _steps;

        /// <summary>
        /// Whether Predict starts from and leaves its state in the caller's State, passed as its span of floats (so
        /// this file-local class never names the user's types, which may be private).
        /// </summary>
        private readonly bool _stateful;

        /// <summary>Rows of a sequence output that come from a RepeatVector (a constant, whatever the input length).</summary>
        private readonly int? _fixedOutputSteps;

        public PredictEmitter(IndentedWriter writer, ModelSpec model, ModelPlan plan)
        {
            _stateful = plan.WithState;
            _w = writer;
            _model = model;
            _plan = plan.Execution;
            _unroll = plan.Unroll;
            _fixedOutputSteps = model.OutputIsSequence && _plan.Phases[_plan.Phases.Count - 1].Steps is int n ? n : null;
            _steps = model.Timesteps is null ? "timesteps" : "Timesteps";
            _keepsBlock = KeptBlocks(model, _plan);
            _blockSteps = BlockSteps(model, _plan, _keepsBlock);
        }

        private static bool[] KeptBlocks(ModelSpec model, ExecutionPlan plan)
        {
            var keeps = new bool[model.Layers.Count];
            for (int s = 0; s < plan.Stages.Count; s++)
            {
                ExecutionPlan.Stage stage = plan.Stages[s];
                ExecutionPlan.Phase phase = plan.Phases[stage.Phase];
                bool stageOutputRead = s < phase.FirstStage + phase.StageCount - 1 || phase.Reducer is null;
                for (int k = 0; k < stage.Layers.Count; k++)
                {
                    int i = stage.Layers[k];
                    bool last = k == stage.Layers.Count - 1;
                    keeps[i] = model.Layers[i] is not (IdentityLayerSpec or MaskingLayerSpec or BidirectionalLayerSpec) && !ExecutionPlan.IsReducer(model.Layers[i]) && (!last || stageOutputRead);
                }
            }
            return keeps;
        }

        private static int BlockSteps(ModelSpec model, ExecutionPlan plan, bool[] keepsBlock)
        {
            int perStep = Widest(model).LstmGates;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (keepsBlock[i]) perStep += model.Layers[i].OutputSize;
            }
            int steps = System.Math.Max(1, System.Math.Min(MaxBlockSteps, BlockBudgetFloats / System.Math.Max(1, perStep)));
            // No longer than the longest sequence when every length is fixed (the input's and each RepeatVector's).
            int? longest = model.Timesteps;
            foreach (ExecutionPlan.Phase phase in plan.Phases)
            {
                if (phase.Steps is int n && longest is int l) longest = System.Math.Max(l, n);
            }
            return longest is int t ? System.Math.Min(steps, t) : steps;
        }

        /// <summary>
        /// The widest per-step scratch of any recurrent layer (the <c>z</c> buffer) and the widest LSTM gate row (a
        /// row of the block buffer <c>zs</c>), over plain layers and the directions of Bidirectional ones.
        /// </summary>
        private static (int Scratch, int LstmGates) Widest(ModelSpec model)
        {
            int scratch = 0, gates = 0;
            foreach (LayerSpec layer in model.Layers)
            {
                switch (layer)
                {
                    case RecurrentLayerSpec recurrent:
                        scratch = System.Math.Max(scratch, recurrent.ScratchSize);
                        if (recurrent is LstmLayerSpec lstm) gates = System.Math.Max(gates, lstm.GateWidth);
                        break;
                    case BidirectionalLayerSpec bidirectional:
                        scratch = System.Math.Max(scratch, BidirectionalEmitter.ScratchSize(bidirectional));
                        gates = System.Math.Max(gates, BidirectionalEmitter.LstmGateWidth(bidirectional));
                        break;
                }
            }
            return (scratch, gates);
        }

        public void Emit()
        {
            string signature = _stateful
                ? $"public static void Predict(ReadOnlySpan<{_model.InputType}> input, Span<float> output, Span<float> state)"
                : $"public static void Predict(ReadOnlySpan<{_model.InputType}> input, Span<float> output)";
            using (_w.Method(signature))
            {
                EmitChecks();
                var buffers = Buffers();
                int total = 0;
                foreach (Buffer buffer in buffers) total += buffer.Floats;
                if (total <= StackBudgetFloats)
                {
                    EmitState(buffers, pooled: false);
                    EmitStages(0);
                    return;
                }
                _w.Line($"// {IntLiteral.Format(total)} floats of state and scratch: too many for the stack, so one pooled array holds them.");
                _w.Line($"float[] scratch = ArrayPool<float>.Shared.Rent({IntLiteral.Format(total)});");
                using (_w.Block("try"))
                {
                    EmitState(buffers, pooled: true);
                    EmitStages(0);
                }
                using (_w.Block("finally"))
                {
                    _w.Line("ArrayPool<float>.Shared.Return(scratch);");
                }
            }
        }

        /// <summary>
        /// Emits <c>Step</c>: one timestep through every layer, from and into the caller's State (causal models
        /// only; see <see cref="StateLayout.WhyNoStep"/>). Layers after a many-to-one layer run on its current
        /// output, which is what Predict gives for the sequence so far.
        /// </summary>
        public void EmitStepMethod()
        {
            using (_w.Method($"public static void Step(Span<float> state, ReadOnlySpan<{_model.InputType}> input, Span<float> output)"))
            {
                using (_w.Block("if (input.Length != InputFeatures)"))
                {
                    string what = _model.Embedding is null ? Plural.Noun(_model.Features, "input float") + " (one timestep)" : "token id (one timestep)";
                    _w.Line($"throw new ArgumentException($\"Expected {{InputFeatures}} {what} but got {{input.Length}}.\", nameof(input));");
                }
                InputEmitter.EmitTokenCheck(_w, _model);
                EmitOutputChecks("OutputUnits");
                EmitStateSlices();
                var buffers = new System.Collections.Generic.List<Buffer> { ScratchBuffer(Widest(_model).Scratch) };
                buffers.AddRange(LayerOutputBuffers());
                EmitBuffers(buffers, pooled: false);
                string current = "input";
                for (int i = 0; i < _model.Layers.Count; i++)
                {
                    current = EmitLayerCall(i, current, "0", _model.HasMask ? "0" : null);
                }
                _w.Line($"{current}.Slice(0, OutputUnits).CopyTo(output);");
            }
        }

        private void EmitChecks()
        {
            string shape = _model.Embedding is null ? Plural.Count(_model.Features, "feature") : "one token id each";
            if (_model.Timesteps is int fixedSteps)
            {
                int inputLength = fixedSteps * _model.Features;
                string what = Plural.Noun(inputLength, _model.Embedding is null ? "input float" : "token id");
                using (_w.Block("if (input.Length != InputLength)"))
                {
                    _w.Line($"throw new ArgumentException($\"Expected {{InputLength}} {what} ([{Plural.Count(fixedSteps, "timestep")}, {shape}]) but got {{input.Length}}.\", nameof(input));");
                }
            }
            else if (_model.Embedding is not null)
            {
                using (_w.Block("if (input.Length == 0)"))
                {
                    _w.Line($"throw new ArgumentException(\"Expected at least one token id ([timesteps, {shape}]) but got none.\", nameof(input));");
                }
                _w.Line("int timesteps = input.Length;");
            }
            else
            {
                using (_w.Block("if (input.Length == 0 || input.Length % InputFeatures != 0)"))
                {
                    _w.Line($"throw new ArgumentException($\"Expected a number of input floats that is a non-zero multiple of {{InputFeatures}} ([timesteps, {shape}]) but got {{input.Length}}.\", nameof(input));");
                }
                _w.Line("int timesteps = input.Length / InputFeatures;");
            }
            InputEmitter.EmitTokenCheck(_w, _model);
            string outputLength = !_model.OutputIsSequence ? "OutputUnits"
                : _fixedOutputSteps is int rows ? "OutputLength"
                : _model.Timesteps is null ? "(long)timesteps * OutputUnits" : "Timesteps * OutputUnits";
            EmitOutputChecks(outputLength);
        }

        /// <summary>The checks Predict and Step share: the output is long enough, and input and output are separate.</summary>
        private void EmitOutputChecks(string outputLength)
        {
            using (_w.Block($"if (output.Length < {outputLength})"))
            {
                // The count is known here unless it depends on the input length; then the plural is chosen at run time.
                string floats = KnownOutputLength(outputLength) is int known ? Plural.Noun(known, "float") : $"float{{({outputLength} == 1 ? \"\" : \"s\")}}";
                _w.Line($"throw new ArgumentException($\"The output needs {{{outputLength}}} {floats} but has {{output.Length}}.\", nameof(output));");
            }
            if (_model.Embedding is null) // token ids are ints: a float output cannot be the same span
            {
                using (_w.Block("if (input.Overlaps(output))"))
                {
                    _w.Line("throw new ArgumentException(\"The input and output spans overlap; pass separate buffers.\", nameof(output));");
                }
            }
            _w.Line();
        }

        /// <summary>The value of a constant output length (OutputUnits, OutputLength or Timesteps * OutputUnits), else null.</summary>
        private int? KnownOutputLength(string expression) => expression switch
        {
            "OutputUnits" => _model.OutputUnits,
            "OutputLength" => _fixedOutputSteps is int rows ? rows * _model.OutputUnits : null,
            "Timesteps * OutputUnits" => _model.Timesteps is int t ? t * _model.OutputUnits : null,
            _ => null,
        };

        /// <summary>One fixed-size buffer of Predict: recurrent state (cleared: Keras starts from zero) or scratch.</summary>
        private readonly struct Buffer
        {
            public Buffer(string name, string size, int floats, bool clear, string? comment = null, string? fill = null)
            {
                Name = name;
                Size = size;
                Floats = floats;
                Clear = clear;
                Comment = comment;
                Fill = fill;
            }

            /// <summary>A value every element starts from (e.g. float.NegativeInfinity for a running maximum).</summary>
            public string? Fill { get; }

            public string Name { get; }

            public string Size { get; }

            public int Floats { get; }

            public bool Clear { get; }

            public string? Comment { get; }
        }

        private System.Collections.Generic.List<Buffer> Buffers()
        {
            var buffers = new System.Collections.Generic.List<Buffer>();
            if (!_stateful)
            {
                // Without a State, every h and c is a local buffer starting from zero, like Keras.
                string? comment = "Recurrent state, starting from zero like Keras.";
                foreach (StateLayout.Entry entry in StateLayout.For(_model))
                {
                    buffers.Add(new Buffer(entry.Local, IntLiteral.Format(entry.Size), entry.Size, clear: true, comment));
                    comment = null;
                }
            }
            (int maxScratch, int maxLstmGates) = Widest(_model);
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                if (_model.Layers[i] is BidirectionalLayerSpec { ReturnSequences: false } bidirectional)
                {
                    buffers.Add(new Buffer(BidirectionalEmitter.Output(i + 1), IntLiteral.Format(bidirectional.OutputSize), bidirectional.OutputSize, clear: false, "The merged final output of a Bidirectional layer."));
                }
            }
            buffers.Add(ScratchBuffer(maxScratch));
            foreach (ExecutionPlan.Phase phase in _plan.Phases)
            {
                if (phase.Steps is int n)
                {
                    string comment = $"The {IntLiteral.Format(n)} rows of RepeatVector (layer {phase.RepeatLayer + 1}) that stage {phase.FirstStage + 1} reads.";
                    buffers.Add(new Buffer($"sequence{phase.FirstStage + 1}", IntLiteral.Format(n * phase.InputWidth), n * phase.InputWidth, clear: false, comment));
                }
            }
            if (!_unroll)
            {
                if (maxLstmGates > 0)
                {
                    buffers.Add(new Buffer("zs", $"BlockSteps * {maxLstmGates}", _blockSteps * maxLstmGates, clear: false, "Gate inputs x·W + b of a block of timesteps, and each layer's outputs for the block."));
                }
                for (int i = 0; i < _model.Layers.Count; i++)
                {
                    int width = _model.Layers[i].OutputSize;
                    if (_keepsBlock[i]) buffers.Add(new Buffer($"b{i + 1}", $"BlockSteps * {width}", _blockSteps * width, clear: false));
                }
            }
            buffers.AddRange(LayerOutputBuffers());
            return buffers;
        }

        private static Buffer ScratchBuffer(int floats)
            => new Buffer("z", IntLiteral.Format(floats), floats, clear: false, "Scratch: gate pre-activations (sized for the widest recurrent layer) and each feed-forward layer's output.");

        /// <summary>The output vector of each feed-forward layer (Dense, Activation) for one timestep.</summary>
        private System.Collections.Generic.IEnumerable<Buffer> LayerOutputBuffers()
        {
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                LayerSpec layer = _model.Layers[i];
                if (layer is DenseLayerSpec or ActivationLayerSpec or EmbeddingLayerSpec or BatchNormalizationLayerSpec or LayerNormalizationLayerSpec or FlattenLayerSpec { InputIsSequence: true })
                {
                    yield return new Buffer($"a{i + 1}", IntLiteral.Format(layer.OutputSize), layer.OutputSize, clear: false);
                }
                else if (layer is GlobalPoolingLayerSpec pooling)
                {
                    // A running sum or maximum over the timesteps.
                    yield return new Buffer($"a{i + 1}", IntLiteral.Format(layer.OutputSize), layer.OutputSize, clear: !pooling.Max, fill: pooling.Max ? "float.NegativeInfinity" : null);
                }
            }
        }

        /// <summary>With a State: h and c of every recurrent layer are slices of the caller's state span.</summary>
        private void EmitStateSlices()
        {
            _w.Line("// Recurrent state: the caller's State, read at the start and left holding the final state.");
            foreach (StateLayout.Entry entry in StateLayout.For(_model))
            {
                _w.Line($"Span<float> {entry.Local} = state.Slice({IntLiteral.Format(entry.Offset)}, {IntLiteral.Format(entry.Size)});");
            }
        }

        /// <summary>
        /// Declares every buffer: on the stack when they fit <see cref="StackBudgetFloats"/> together, otherwise as
        /// slices of one array rented from ArrayPool (returned in the finally block the caller emits).
        /// </summary>
        private void EmitState(System.Collections.Generic.List<Buffer> buffers, bool pooled)
        {
            if (!_unroll)
            {
                if (_blockSteps == 1)
                {
                    _w.Line("// The timesteps run one at a time (a block of one): each LSTM computes the input part of its gates, then takes the step.");
                }
                else
                {
                    _w.Line($"// The timesteps run in blocks of up to {_blockSteps}: each LSTM computes the input part of its gates for a");
                    _w.Line("// whole block at once (reading its input kernel once per block), then steps through the block.");
                }
                _w.Line($"const int BlockSteps = {_blockSteps};");
            }
            if (_stateful) EmitStateSlices();
            EmitBuffers(buffers, pooled);
        }

        private void EmitBuffers(System.Collections.Generic.List<Buffer> buffers, bool pooled)
        {
            int offset = 0;
            foreach (Buffer buffer in buffers)
            {
                if (buffer.Comment is not null) _w.Line("// " + buffer.Comment);
                _w.Line(pooled
                    ? $"Span<float> {buffer.Name} = scratch.AsSpan({IntLiteral.Format(offset)}, {buffer.Size});"
                    : $"Span<float> {buffer.Name} = stackalloc float[{buffer.Size}];");
                // Cleared explicitly: pooled arrays hold old values, and stackalloc is not zeroed under SkipLocalsInit.
                if (buffer.Clear) _w.Line($"{buffer.Name}.Clear();");
                if (buffer.Fill is not null) _w.Line($"{buffer.Name}.Fill({buffer.Fill});");
                offset += buffer.Floats;
            }
            _w.Line();
        }

        /// <summary>Emits stage <paramref name="index"/> and, inside its buffer's scope, every later stage and the tails.</summary>
        private void EmitStages(int index)
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
            // Bidirectional stage, which writes whole sequences), so keep that output.
            ExecutionPlan.Stage next = _plan.Stages[index + 1];
            string how = next.IsBidirectional ? "in both directions" : next.ReadsBackwards ? "backwards" : "after it is complete";
            _w.Line($"// Stage {index + 2} reads the output of stage {index + 1} {how}: buffer it ([timesteps, {outputWidth}]).");
            if (FixedSteps(phase) is int steps && steps * outputWidth <= StackBufferFloats)
            {
                _w.Line($"Span<float> {buffer} = stackalloc float[{steps * outputWidth}];");
                EmitStage(index, stage, buffer, outputWidth);
                EmitStages(index + 1);
                return;
            }
            string count = Steps(phase);
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
            string over = phase.Steps is int n ? $" over the {IntLiteral.Format(n)} rows of RepeatVector (layer {phase.RepeatLayer + 1})" : string.Empty;
            _w.Line($"// Stage {index + 1}: {layers}{over}, {pace}, {direction}.");
            if (RegisterStageEmitter.Fits(_model, _plan, index))
            {
                _w.Line($"// LSTMs of {RegisterStageEmitter.MinUnits} to {RegisterStageEmitter.MaxUnits} units: each gate in vector registers, the layers a timestep apart; the blocked form runs where no vector width is accelerated.");
                using (_w.Block("if (Vector128.IsHardwareAccelerated)"))
                {
                    _w.Line(RegisterStageEmitter.Call(_model, index, stage, Source(index), Steps(phase), Target(index, sink)));
                }
                using (_w.Block("else"))
                {
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
                if (!RegisterStageEmitter.Fits(_model, _plan, index)) continue;
                ExecutionPlan.Stage stage = _plan.Stages[index];
                ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
                bool lastOfPhase = index == phase.FirstStage + phase.StageCount - 1;
                RegisterStageEmitter.EmitDriver(_w, _model, index, stage, hasSink: !lastOfPhase || WritesOutput(index), _unroll ? FixedSteps(phase) : null);
            }
        }

        /// <summary>The stage's timesteps in the general form: every step written out, or the blocked loop.</summary>
        private void EmitTimesteps(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth)
        {
            ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
            if (_unroll)
            {
                int steps = FixedSteps(phase)!.Value;
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
            ExecutionPlan.Phase phase = _plan.Phases[stage.Phase];
            string pace = _unroll ? "unrolled" : "in blocks of timesteps";
            _w.Line($"// Stage {index + 1}: layer {i + 1}, Bidirectional, {pace}: the forward direction over the whole sequence, then the backward one.");
            string width = index == 0 ? "InputFeatures" : IntLiteral.Format(layer.InputSize);
            string? target = sink ?? (layer.ReturnSequences ? "output" : null);
            BidirectionalEmitter.EmitStage(_w, i + 1, layer, Source(index), width, Steps(phase), _unroll ? FixedSteps(phase) : null, target, Masked(stage));
            _w.Line();
        }

        /// <summary>
        /// The stage's timestep loop, in blocks: each layer runs over the whole block before the next one, reading
        /// the previous layer's block rows. Rows are kept in processing order, except that a stage read backwards
        /// takes its source rows as they lie in memory and its first stateful layer walks them last first.
        /// </summary>
        private void EmitBlocks(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth)
        {
            string source = Source(index);
            string steps = Steps(_plan.Phases[stage.Phase]);
            int width = _model.Layers[stage.Layers[0]].InputSize;
            using (_w.Block($"for (int t0 = 0; t0 < {steps}; t0 += BlockSteps)"))
            {
                _w.Line($"int count = Math.Min(BlockSteps, {steps} - t0);");
                string start = stage.ReadsBackwards ? $"({steps} - t0 - count)" : "t0";
                string type = index == 0 ? _model.InputType : "float";
                _w.Line($"ReadOnlySpan<{type}> block = {source}.Slice({IndexExpression.Times(start, IntLiteral.Format(width))}, count * {width});");
                string current = "block";
                int currentWidth = width;
                bool reversed = stage.ReadsBackwards;
                // Until its first recurrent layer, a stage read backwards holds source row steps - 1 - (t0 + r) in row r;
                // after it, row r is sequence row t0 + r (Keras never reverses the mask, only a go_backwards layer's walk).
                bool sourceOrder = stage.ReadsBackwards;
                foreach (int i in stage.Layers)
                {
                    int n = i + 1;
                    LayerSpec layer = _model.Layers[i];
                    if (layer is IdentityLayerSpec or MaskingLayerSpec)
                    {
                        _w.Line($"// Layer {n}: {CommentText.Line(LayerEmitter.Describe(layer))}.");
                        continue;
                    }
                    string row = reversed ? "(count - 1 - r)" : "r";
                    string? maskRow = !Masked(stage) || layer is not RecurrentLayerSpec ? null : sourceOrder ? $"{steps} - 1 - t0 - r" : "t0 + r";
                    if (layer is RecurrentLayerSpec) sourceOrder = false;
                    if (layer is LstmLayerSpec lstm)
                    {
                        _w.Line($"Layer{n}Project({current}, count, zs);");
                        using (_w.Block("for (int r = 0; r < count; r++)"))
                        {
                            string alternate = LayerEmitter.AlternatesPanels(lstm) ? ", ((t0 + r) & 1) != 0" : string.Empty;
                            string step = $"Layer{n}Step(zs.Slice({IndexExpression.Times(row, IntLiteral.Format(lstm.GateWidth))}, {lstm.GateWidth}), h{n}, c{n}{alternate});";
                            if (maskRow is null)
                            {
                                _w.Line(step);
                            }
                            else
                            {
                                _w.Line("// A masked timestep keeps h and c; its output is the previous h.");
                                _w.Line($"if (!Masked(input, {maskRow})) {step}");
                            }
                            if (_keepsBlock[i]) _w.Line($"h{n}.CopyTo(b{n}.Slice({IndexExpression.Times("r", IntLiteral.Format(lstm.Units))}, {lstm.Units}));");
                        }
                    }
                    else
                    {
                        using (_w.Block("for (int r = 0; r < count; r++)"))
                        {
                            // A reducer (Flatten, pooling) comes after the stage's first recurrent layer, so t0 + r is its timestep.
                            string result = EmitLayerCall(i, $"{current}.Slice({IndexExpression.Times(row, IntLiteral.Format(currentWidth))}, {currentWidth})", "t0 + r", maskRow);
                            if (_keepsBlock[i]) _w.Line($"{result}.CopyTo(b{n}.Slice({IndexExpression.Times("r", IntLiteral.Format(layer.OutputSize))}, {layer.OutputSize}));");
                        }
                    }
                    current = $"b{n}";
                    currentWidth = layer.OutputSize;
                    reversed = false;
                }

                string? target = Target(index, sink);
                if (target is not null)
                {
                    int targetWidth = sink is null ? _model.OutputUnits : sinkWidth;
                    _w.Line($"{current}.Slice(0, count * {targetWidth}).CopyTo({target}.Slice(t0 * {targetWidth}, count * {targetWidth}));");
                }
            }
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
                current = EmitLayerCall(i, current, t, Masked(stage) && recurrent ? (sourceOrder ? row : t) : null);
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
                _w.Line(ExecutionPlan.IsReducer(_model.Layers[reducer])
                    ? $"// Layers after the sequence became a vector (layer {reducer + 1}) run once, on that vector."
                    : "// Layers after the last many-to-one layer run once, on its final output.");
            }
            foreach (int i in phase.Tail)
            {
                current = EmitLayerCall(i, current);
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
            _w.Line($"// Layer {next.RepeatLayer + 1}: {CommentText.Line(LayerEmitter.Describe(_model.Layers[next.RepeatLayer!.Value]))}.");
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
                    _w.Line($"Normalization.Divide(a{n}, {Steps(phase)});");
                    return $"a{n}";
                default:
                    return $"a{n}";
            }
        }

        /// <summary>
        /// Emits the call for layer index <paramref name="i"/> on <paramref name="input"/>, the row of timestep
        /// <paramref name="t"/>; returns the name of its output. A recurrent layer given <paramref name="maskRow"/>
        /// (the input timestep its row comes from) skips a masked timestep, keeping its state, so its output there
        /// is the previous h.
        /// </summary>
        private string EmitLayerCall(int i, string input, string t = "0", string? maskRow = null)
        {
            int n = i + 1;
            LayerSpec layer = _model.Layers[i];
            if (maskRow is not null && layer is RecurrentLayerSpec)
            {
                _w.Line("// A masked timestep keeps h (and c); the output is the previous h.");
                using (_w.Block($"if (!Masked(input, {maskRow}))"))
                {
                    EmitLayerCall(i, input, t);
                }
                return $"h{n}";
            }
            switch (layer)
            {
                case LstmLayerSpec:
                    _w.Line($"Layer{n}Project({input}, 1, z);");
                    _w.Line($"Layer{n}Step(z, h{n}, c{n});");
                    return $"h{n}";
                case RecurrentLayerSpec:
                    _w.Line($"Layer{n}({input}, h{n}, z);");
                    return $"h{n}";
                case DenseLayerSpec:
                case ActivationLayerSpec:
                case EmbeddingLayerSpec:
                case BatchNormalizationLayerSpec:
                case LayerNormalizationLayerSpec:
                    _w.Line($"Layer{n}({input}, a{n});");
                    return $"a{n}";
                case FlattenLayerSpec { InputIsSequence: true }:
                    _w.Line($"Layer{n}({input}, a{n}, {t});");
                    return $"a{n}";
                case GlobalPoolingLayerSpec pooling:
                    _w.Line($"Normalization.{(pooling.Max ? "Maximum" : "Accumulate")}({input}, a{n}); // layer {n}, {pooling.ClassName}");
                    return $"a{n}";
                default:
                    _w.Line($"// Layer {n}: {CommentText.Line(LayerEmitter.Describe(_model.Layers[i]))}.");
                    return input;
            }
        }

        /// <summary>
        /// Whether the stage's recurrent layers skip masked timesteps: the mask of Masking or Embedding mask_zero
        /// lives in the first phase only (a many-to-one layer consumes it before any RepeatVector).
        /// </summary>
        private bool Masked(ExecutionPlan.Stage stage) => _model.HasMask && stage.Phase == 0;
    }
}
