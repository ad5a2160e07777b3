using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// How Predict walks the layers. Layers that see a sequence run inside the timestep loop, all together,
    /// one step at a time, so memory stays O(layers · units) however long the input. A <c>go_backwards</c>
    /// recurrent layer (LSTM, GRU, SimpleRNN) below another recurrent layer must see that layer's whole output
    /// first, so it starts a new <see cref="Stage"/> fed from a buffered sequence. A Bidirectional layer reads
    /// its whole input in both directions, so it is a stage of its own (<see cref="Stage.IsBidirectional"/>), fed
    /// from the model input or a buffered sequence; with return_sequences the layers after it form a new stage
    /// fed from its buffered output. The layer that turns the sequence into a vector (a many-to-one recurrent
    /// layer, Flatten, global pooling: the <see cref="Phase.Reducer"/>) ends the sequence part; the vector layers
    /// after it form the phase's tail. A RepeatVector(n) starts a new <see cref="Phase"/>: a sequence of n rows,
    /// all the tail's output, read by the next stages like a buffered sequence. A layer that changes the sequence's
    /// rows (Conv1D, pooling, padding, cropping, upsampling: <see cref="Stage.Reshapes"/>) is a stage of its own that
    /// reads its whole source and writes a buffered sequence; the stages after it run over that sequence's rows.
    /// </summary>
    internal sealed record ExecutionPlan(EquatableArray<ExecutionPlan.Stage> Stages, EquatableArray<ExecutionPlan.Phase> Phases, bool RegisterStages)
    {
        // Stages: every stage of every phase, in order (a stage's buffer is named after its index).
        // RegisterStages: whether stages of small LSTMs may run in registers (not in Debug builds: see IndentedWriter.DebugBuild).

        /// <summary>
        /// The last phase's tail: the layers after the last many-to-one layer (or Flatten / pooling), run once on its
        /// vector. For a model without RepeatVector, the only phase's tail.
        /// </summary>
        public EquatableArray<int> Tail => Phases[Phases.Count - 1].Tail;

        public static ExecutionPlan For(ModelSpec model, bool registerStages = true)
        {
            var stages = new List<Stage>();
            var phases = new List<Phase>();
            var current = new List<int>();
            var phase = new PhaseBuilder(phases.Count, repeatLayer: null, steps: null, firstStage: 0, inputWidth: model.Features);
            bool currentHasRecurrent = false;
            bool inTail = false;
            // The layer whose output rows the stages now read; null: the phase's own rows.
            int? rowsLayer = null;

            void CloseStage()
            {
                if (current.Count > 0) stages.Add(new Stage(new EquatableArray<int>(current), ReadsBackwards(model, current), phase.Index, IsBidirectional: false) { RowsLayer = rowsLayer });
                current = new List<int>();
            }

            void ClosePhase()
            {
                CloseStage();
                // A phase with no sequence layer (RepeatVector as the last layer) still gets a stage: it copies its source.
                if (stages.Count == phase.FirstStage) stages.Add(new Stage(EquatableArray<int>.Empty, ReadsBackwards: false, phase.Index, IsBidirectional: false) { RowsLayer = rowsLayer });
                phases.Add(phase.Build(stages.Count - phase.FirstStage));
            }

            for (int i = 0; i < model.Layers.Count; i++)
            {
                LayerSpec layer = model.Layers[i];
                if (layer is RepeatVectorLayerSpec repeat)
                {
                    ClosePhase();
                    phase = new PhaseBuilder(phases.Count, i, repeat.Repeats, stages.Count, repeat.OutputSize);
                    currentHasRecurrent = false;
                    inTail = false;
                    rowsLayer = null;
                    continue;
                }
                if (inTail)
                {
                    phase.Tail.Add(i);
                    continue;
                }
                if (layer is BidirectionalLayerSpec bidirectional)
                {
                    // Layers that leave the data as it is (Masking, Dropout) need no pass of their own before it.
                    if (PassesThrough(model, current)) current = new List<int>();
                    CloseStage();
                    stages.Add(new Stage(new EquatableArray<int>(new[] { i }), ReadsBackwards: false, phase.Index, IsBidirectional: true) { RowsLayer = rowsLayer });
                    // The next stage reads a buffered sequence, so a go_backwards layer there needs no new stage.
                    currentHasRecurrent = false;
                    if (!bidirectional.ReturnSequences) EndSequence(i);
                    continue;
                }
                if (layer.ChangesSequence)
                {
                    if (PassesThrough(model, current)) current = new List<int>();
                    CloseStage();
                    stages.Add(new Stage(new EquatableArray<int>(new[] { i }), ReadsBackwards: false, phase.Index, IsBidirectional: false) { RowsLayer = rowsLayer, Reshapes = true });
                    rowsLayer = i;
                    // The next stage reads a buffered sequence, so a go_backwards layer there needs no new stage.
                    currentHasRecurrent = false;
                    continue;
                }
                if (layer is RecurrentLayerSpec recurrent)
                {
                    if (recurrent.GoBackwards && currentHasRecurrent) CloseStage();
                    currentHasRecurrent = true;
                    current.Add(i);
                    if (!recurrent.ReturnSequences) EndSequence(i);
                    continue;
                }
                current.Add(i);
                // Flatten and global pooling run per timestep inside the loop, filling their output vector.
                if (layer.ReducesTimeAxis) EndSequence(i);
            }
            ClosePhase();
            for (int s = 0; s < stages.Count; s++)
            {
                // The mask of Masking or Embedding mask_zero lives in the first phase only (a many-to-one layer consumes it before any RepeatVector).
                Stage stage = stages[s] with { Masked = model.HasMask && stages[s].Phase == 0 };
                stages[s] = registerStages ? stage with { Registers = Planning.RegisterStages.For(model, stage, s) } : stage;
            }
            return new ExecutionPlan(new EquatableArray<Stage>(stages), new EquatableArray<Phase>(phases), registerStages);

            void EndSequence(int reducer)
            {
                phase.Reducer = reducer;
                inTail = true;
            }
        }

        private static bool PassesThrough(ModelSpec model, List<int> layers)
        {
            foreach (int i in layers)
            {
                if (!model.Layers[i].PassesDataThrough) return false;
            }
            return true;
        }

        /// <summary>
        /// A stage reads its source backwards when its first recurrent layer goes backwards; the per-timestep
        /// layers before it commute with the reversal.
        /// </summary>
        private static bool ReadsBackwards(ModelSpec model, List<int> layers)
        {
            foreach (int i in layers)
            {
                if (model.Layers[i] is RecurrentLayerSpec recurrent) return recurrent.GoBackwards;
            }
            return false;
        }

        /// <summary>
        /// Layers that advance together over one pass of the timesteps. <paramref name="Phase"/> is the index of the
        /// <see cref="ExecutionPlan.Phase"/> the stage belongs to; <paramref name="IsBidirectional"/>: the stage is one
        /// Bidirectional layer, which runs its two directions over the whole source.
        /// </summary>
        internal sealed record Stage(EquatableArray<int> Layers, bool ReadsBackwards, int Phase, bool IsBidirectional)
        {
            /// <summary>Whether the stage runs in vector registers (<see cref="RegisterStages"/>), and how wide its cells are.</summary>
            public RegisterCells Registers { get; init; }

            public bool InRegisters => Registers != RegisterCells.None;

            /// <summary>Whether the stage's recurrent layers skip masked timesteps.</summary>
            public bool Masked { get; init; }

            /// <summary>
            /// The stage is one layer that maps its whole source to a new sequence, whose rows may differ in number
            /// (<see cref="LayerSpec.ChangesSequence"/>).
            /// </summary>
            public bool Reshapes { get; init; }

            /// <summary>The layer whose output rows the stage's source has, or null for the phase's own rows (the input's, or RepeatVector's n).</summary>
            public int? RowsLayer { get; init; }
        }

        /// <summary>
        /// One sequence and what follows it: the model input (phase 0) or the rows of a RepeatVector, its stages, and,
        /// once the sequence has become a vector, the tail layers, up to the next RepeatVector or the output.
        /// </summary>
        /// <param name="RepeatLayer">The RepeatVector layer whose rows this phase reads, or null for the model input.</param>
        /// <param name="Steps">The phase's fixed row count n (RepeatVector); null: the model input's timesteps.</param>
        /// <param name="InputWidth">Floats per row of the phase's source.</param>
        /// <param name="Reducer">The layer whose output is a single vector, or null when the phase's output is a sequence (the model output).</param>
        /// <param name="Tail">Indices of the layers that run once, after the loops, on the reducer's vector.</param>
        internal sealed record Phase(int Index, int? RepeatLayer, int? Steps, int FirstStage, int StageCount, int InputWidth, int? Reducer, EquatableArray<int> Tail);

        /// <summary>A phase while <see cref="For"/> walks its layers.</summary>
        private sealed class PhaseBuilder
        {
            public PhaseBuilder(int index, int? repeatLayer, int? steps, int firstStage, int inputWidth)
            {
                Index = index;
                RepeatLayer = repeatLayer;
                Steps = steps;
                FirstStage = firstStage;
                InputWidth = inputWidth;
            }

            public int Index { get; }

            public int? RepeatLayer { get; }

            public int? Steps { get; }

            public int FirstStage { get; }

            public int InputWidth { get; }

            public int? Reducer { get; set; }

            public List<int> Tail { get; } = new List<int>();

            public Phase Build(int stageCount)
                => new Phase(Index, RepeatLayer, Steps, FirstStage, stageCount, InputWidth, Reducer, new EquatableArray<int>(Tail));
        }
    }
}
