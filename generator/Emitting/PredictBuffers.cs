using System.Collections.Generic;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The buffers of Predict and Step: recurrent state (locals, or slices of the caller's State), scratch, block rows,
    /// RepeatVector rows and each feed-forward layer's output, on the stack or in one pooled array.
    /// </summary>
    internal sealed class PredictBuffers
    {
        /// <summary>
        /// State and scratch up to this many floats (64 KB) live on the stack, so Predict runs on small thread stacks
        /// (256 KB); wider models rent one array from ArrayPool per call instead (no allocation after warm-up).
        /// </summary>
        public const int StackBudgetFloats = MemoryBudget.StackFloats;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ExecutionPlan _plan;
        private readonly BlockPlan _blocks;
        private readonly bool _unroll;

        /// <summary>
        /// Whether Predict starts from and leaves its state in the caller's State, passed as its span of floats (so
        /// the file-local kernel class never names the user's types, which may be private).
        /// </summary>
        private readonly bool _stateful;

        public PredictBuffers(IndentedWriter writer, ModelSpec model, ModelPlan plan)
        {
            _w = writer;
            _model = model;
            _plan = plan.Execution;
            _blocks = plan.Blocks;
            _unroll = plan.Unroll;
            _stateful = plan.WithState;
        }

        /// <summary>One fixed-size buffer of Predict: recurrent state (cleared: Keras starts from zero) or scratch.</summary>
        internal readonly struct Buffer
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

        public List<Buffer> ForPredict()
        {
            var buffers = new List<Buffer>(LocalState());
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                if (_model.Layers[i] is BidirectionalLayerSpec { ReturnSequences: false } bidirectional)
                {
                    buffers.Add(new Buffer(BidirectionalEmitter.Output(i + 1), IntLiteral.Format(bidirectional.OutputSize), bidirectional.OutputSize, clear: false, "The merged final output of a Bidirectional layer."));
                }
            }
            if (!BlockedFormOnlyInFallback) buffers.Add(Scratch(_blocks.ScratchFloats));
            foreach (ExecutionPlan.Phase phase in _plan.Phases)
            {
                if (phase.Steps is int n)
                {
                    string comment = $"The {IntLiteral.Format(n)} rows of RepeatVector (layer {phase.RepeatLayer + 1}) that stage {phase.FirstStage + 1} reads.";
                    buffers.Add(new Buffer($"sequence{phase.FirstStage + 1}", IntLiteral.Format(n * phase.InputWidth), n * phase.InputWidth, clear: false, comment));
                }
            }
            if (!BlockedFormOnlyInFallback)
            {
                for (int i = 0; i < _model.Layers.Count; i++) AddBlockRows(buffers, i);
            }
            buffers.AddRange(LayerOutputs());
            return buffers;
        }

        /// <summary>
        /// Whether every stage with layers runs in registers, so that the blocked form, and with it the scratch, the
        /// block of gate rows and the block rows of each layer, runs only where no vector width is accelerated. Each
        /// stage's fallback branch then declares those buffers itself (<see cref="ForBlockedFallback"/>) instead of
        /// Predict clearing them at every call for a branch that does not run (2.5 KB and 4 % of the tutorial
        /// model's call).
        /// </summary>
        public bool BlockedFormOnlyInFallback
        {
            get
            {
                bool any = false;
                foreach (ExecutionPlan.Stage stage in _plan.Stages)
                {
                    if (stage.Layers.Count == 0) continue;
                    if (!stage.InRegisters) return false;
                    any = true;
                }
                return any;
            }
        }

        /// <summary>The buffers the blocked form of a register stage uses, declared in its fallback branch.</summary>
        public List<Buffer> ForBlockedFallback(ExecutionPlan.Stage stage)
        {
            var buffers = new List<Buffer> { Scratch(_blocks.ScratchFloats) };
            foreach (int i in stage.Layers) AddBlockRows(buffers, i);
            return buffers;
        }

        /// <summary>
        /// The block buffers that come with layer index <paramref name="i"/> when the timesteps run in blocks: the
        /// gate rows zs (once, with the first layer), and the layer's own block rows when something reads them.
        /// </summary>
        private void AddBlockRows(List<Buffer> buffers, int i)
        {
            if (_unroll) return;
            int maxProjection = _blocks.ProjectionFloats;
            if (maxProjection > 0 && !buffers.Exists(b => b.Name == "zs"))
            {
                buffers.Add(new Buffer("zs", $"BlockSteps * {maxProjection}", _blocks.BlockSteps * maxProjection, clear: false, "Gate inputs x·W + b of a block of timesteps, and each layer's outputs for the block."));
            }
            int width = _model.Layers[i].OutputSize;
            if (_blocks.KeepsBlock[i]) buffers.Add(new Buffer($"b{i + 1}", $"BlockSteps * {width}", _blocks.BlockSteps * width, clear: false));
        }

        /// <summary>Without a State, every h and c (and a causal Conv1D's history) is a local buffer starting from zero, like Keras.</summary>
        public IEnumerable<Buffer> LocalState()
        {
            if (_stateful) yield break;
            string? comment = "Recurrent state, starting from zero like Keras.";
            foreach (StateLayout.Entry entry in StateLayout.For(_model))
            {
                yield return new Buffer(entry.Local, IntLiteral.Format(entry.Size), entry.Size, clear: true, comment);
                comment = null;
            }
        }

        /// <summary>
        /// Emits <paramref name="declare"/> (told whether the buffers are slices of a pooled array) and then
        /// <paramref name="body"/>: on the stack when <paramref name="buffers"/> fit <see cref="StackBudgetFloats"/>
        /// together, else inside a try block that rents one array for them and a finally block that returns it.
        /// </summary>
        public static void OnStackOrPooled(IndentedWriter w, List<Buffer> buffers, System.Action<bool> declare, System.Action body)
        {
            int total = 0;
            foreach (Buffer buffer in buffers) total += buffer.Floats;
            if (total <= StackBudgetFloats)
            {
                declare(false);
                body();
                return;
            }
            w.Line($"// {IntLiteral.Format(total)} floats of state and scratch: too many for the stack, so one pooled array holds them.");
            w.Line($"float[] scratch = ArrayPool<float>.Shared.Rent({IntLiteral.Format(total)});");
            using (w.Block("try"))
            {
                declare(true);
                body();
            }
            using (w.Block("finally"))
            {
                w.Line("ArrayPool<float>.Shared.Return(scratch);");
            }
        }

        public static Buffer Scratch(int floats)
            => new Buffer("z", IntLiteral.Format(floats), floats, clear: false, "Scratch: gate pre-activations (sized for the widest recurrent layer) and each feed-forward layer's output.");

        /// <summary>The output vector of each feed-forward layer (Dense, Activation) for one timestep.</summary>
        public IEnumerable<Buffer> LayerOutputs()
        {
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                LayerSpec layer = _model.Layers[i];
                if (layer is DenseLayerSpec or ActivationLayerSpec or EmbeddingLayerSpec or BatchNormalizationLayerSpec or LayerNormalizationLayerSpec or FlattenLayerSpec { InputIsSequence: true } or Conv1DLayerSpec { Streams: true })
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
        public void EmitStateSlices()
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
        /// <param name="loopsOverBlocks">Whether a stage loops over blocks (<see cref="StageEmitter.LoopsOverBlocks"/>); the
        /// BlockSteps constant is declared only when a loop or a buffer's size names it.</param>
        public void EmitDeclarations(List<Buffer> buffers, bool pooled, bool loopsOverBlocks)
        {
            if (!_unroll && (loopsOverBlocks || NamesBlockSteps(buffers) || FallbacksNameBlockSteps()))
            {
                if (_blocks.BlockSteps == 1)
                {
                    _w.Line("// The timesteps run one at a time (a block of one): each LSTM and GRU computes the input part of its gates, then takes the step.");
                }
                else
                {
                    _w.Line($"// The timesteps run in blocks of up to {_blocks.BlockSteps}: each LSTM and GRU computes the input part of its gates for a");
                    _w.Line("// whole block at once (reading its input kernel once per block), then steps through the block.");
                }
                _w.Line($"const int BlockSteps = {_blocks.BlockSteps};");
            }
            if (_stateful) EmitStateSlices();
            Emit(buffers, pooled);
        }

        private static bool NamesBlockSteps(List<Buffer> buffers) => buffers.Exists(b => b.Size.Contains("BlockSteps"));

        /// <summary>Whether a fallback branch declares a buffer sized in BlockSteps (the constant is declared at the top, for all of them).</summary>
        private bool FallbacksNameBlockSteps()
        {
            if (!BlockedFormOnlyInFallback) return false;
            foreach (ExecutionPlan.Stage stage in _plan.Stages)
            {
                if (stage.Layers.Count > 0 && NamesBlockSteps(ForBlockedFallback(stage))) return true;
            }
            return false;
        }

        public void Emit(List<Buffer> buffers, bool pooled)
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
    }
}
