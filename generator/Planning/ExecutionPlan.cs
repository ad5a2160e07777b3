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
    /// all the tail's output, read by the next stages like a buffered sequence.
    /// </summary>
    internal sealed class ExecutionPlan
    {
        private ExecutionPlan(List<Stage> stages, List<Phase> phases, bool registerStages)
        {
            Stages = stages;
            Phases = phases;
            RegisterStages = registerStages;
        }

        /// <summary>Whether stages of small LSTMs may run in registers (not in Debug builds: see <see cref="IndentedWriter.DebugBuild"/>).</summary>
        public bool RegisterStages { get; }

        /// <summary>Every stage of every phase, in order (a stage's buffer is named after its index).</summary>
        public IReadOnlyList<Stage> Stages { get; }

        public IReadOnlyList<Phase> Phases { get; }

        /// <summary>
        /// The last phase's tail: the layers after the last many-to-one layer (or Flatten / pooling), run once on its
        /// vector. For a model without RepeatVector, the only phase's tail.
        /// </summary>
        public IReadOnlyList<int> Tail => Phases[Phases.Count - 1].Tail;

        public static ExecutionPlan For(ModelSpec model, bool registerStages = true)
        {
            var stages = new List<Stage>();
            var phases = new List<Phase>();
            var current = new List<int>();
            var phase = new Phase(phases.Count, repeatLayer: null, steps: null, firstStage: 0, inputWidth: model.Features);
            bool currentHasRecurrent = false;
            bool inTail = false;

            void CloseStage()
            {
                if (current.Count > 0) stages.Add(new Stage(current, ReadsBackwards(model, current), phase.Index));
                current = new List<int>();
            }

            void ClosePhase()
            {
                CloseStage();
                // A phase with no sequence layer (RepeatVector as the last layer) still gets a stage: it copies its source.
                if (stages.Count == phase.FirstStage) stages.Add(new Stage(new List<int>(), readsBackwards: false, phase.Index));
                phase.StageCount = stages.Count - phase.FirstStage;
                phases.Add(phase);
            }

            for (int i = 0; i < model.Layers.Count; i++)
            {
                LayerSpec layer = model.Layers[i];
                if (layer is RepeatVectorLayerSpec repeat)
                {
                    ClosePhase();
                    phase = new Phase(phases.Count, i, repeat.Repeats, stages.Count, repeat.OutputSize);
                    currentHasRecurrent = false;
                    inTail = false;
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
                    stages.Add(new Stage(new List<int> { i }, readsBackwards: false, phase.Index, isBidirectional: true));
                    // The next stage reads a buffered sequence, so a go_backwards layer there needs no new stage.
                    currentHasRecurrent = false;
                    if (!bidirectional.ReturnSequences) EndSequence(i);
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
                if (IsReducer(layer)) EndSequence(i);
            }
            ClosePhase();
            return new ExecutionPlan(stages, phases, registerStages);

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
                if (model.Layers[i] is not (IdentityLayerSpec or MaskingLayerSpec)) return false;
            }
            return true;
        }

        /// <summary>Flatten and global pooling run per timestep inside the loop, filling their output vector.</summary>
        public static bool IsReducer(LayerSpec layer) => layer is FlattenLayerSpec { InputIsSequence: true } or GlobalPoolingLayerSpec;

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

        /// <summary>Layers that advance together over one pass of the timesteps.</summary>
        internal sealed class Stage
        {
            public Stage(List<int> layers, bool readsBackwards, int phase, bool isBidirectional = false)
            {
                Layers = layers;
                ReadsBackwards = readsBackwards;
                Phase = phase;
                IsBidirectional = isBidirectional;
            }

            public IReadOnlyList<int> Layers { get; }

            public bool ReadsBackwards { get; }

            /// <summary>The index of the <see cref="ExecutionPlan.Phase"/> the stage belongs to.</summary>
            public int Phase { get; }

            /// <summary>The stage is one Bidirectional layer, which runs its two directions over the whole source.</summary>
            public bool IsBidirectional { get; }
        }

        /// <summary>
        /// One sequence and what follows it: the model input (phase 0) or the rows of a RepeatVector, its stages, and,
        /// once the sequence has become a vector, the tail layers, up to the next RepeatVector or the output.
        /// </summary>
        internal sealed class Phase
        {
            public Phase(int index, int? repeatLayer, int? steps, int firstStage, int inputWidth)
            {
                Index = index;
                RepeatLayer = repeatLayer;
                Steps = steps;
                FirstStage = firstStage;
                InputWidth = inputWidth;
            }

            public int Index { get; }

            /// <summary>The RepeatVector layer whose rows this phase reads, or null for the model input.</summary>
            public int? RepeatLayer { get; }

            /// <summary>The phase's fixed row count n (RepeatVector); null: the model input's timesteps.</summary>
            public int? Steps { get; }

            public int FirstStage { get; }

            public int StageCount { get; set; }

            /// <summary>Floats per row of the phase's source.</summary>
            public int InputWidth { get; }

            /// <summary>The layer whose output is a single vector, or null when the phase's output is a sequence (the model output).</summary>
            public int? Reducer { get; set; }

            /// <summary>Indices of the layers that run once, after the loops, on the reducer's vector.</summary>
            public List<int> Tail { get; } = new List<int>();
        }
    }
}
