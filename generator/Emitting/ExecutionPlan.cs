using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// How Predict walks the layers. Layers that see a sequence run inside the timestep loop, all together,
    /// one step at a time, so memory stays O(layers · units) however long the input. A <c>go_backwards</c>
    /// recurrent layer (LSTM, GRU, SimpleRNN) below another recurrent layer must see that layer's whole output
    /// first, so it starts a new <see cref="Stage"/> fed from a buffered sequence. A Bidirectional layer reads
    /// its whole input in both directions, so it is a stage of its own (<see cref="Stage.IsBidirectional"/>), fed
    /// from the model input or a buffered sequence; with return_sequences the layers after it form a new stage
    /// fed from its buffered output. Layers after the last many-to-one layer form the tail.
    /// </summary>
    internal sealed class ExecutionPlan
    {
        private ExecutionPlan(List<Stage> stages, List<int> tail)
        {
            Stages = stages;
            Tail = tail;
        }

        public IReadOnlyList<Stage> Stages { get; }

        /// <summary>Indices of the layers that run once, after the loops, on a single vector.</summary>
        public IReadOnlyList<int> Tail { get; }

        public static ExecutionPlan For(ModelSpec model)
        {
            var stages = new List<Stage>();
            var tail = new List<int>();
            var current = new List<int>();
            bool currentHasRecurrent = false;
            bool inTail = false;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                LayerSpec layer = model.Layers[i];
                if (inTail)
                {
                    tail.Add(i);
                    continue;
                }
                if (layer is BidirectionalLayerSpec bidirectional)
                {
                    // Layers that leave the data as it is (Masking, Dropout) need no pass of their own before it.
                    if (current.Count > 0 && !PassesThrough(model, current)) stages.Add(new Stage(current, ReadsBackwards(model, current)));
                    stages.Add(new Stage(new List<int> { i }, readsBackwards: false, isBidirectional: true));
                    current = new List<int>();
                    // The next stage reads a buffered sequence, so a go_backwards layer there needs no new stage.
                    currentHasRecurrent = false;
                    if (!bidirectional.ReturnSequences) inTail = true;
                    continue;
                }
                if (layer is RecurrentLayerSpec recurrent)
                {
                    if (recurrent.GoBackwards && currentHasRecurrent)
                    {
                        stages.Add(new Stage(current, ReadsBackwards(model, current)));
                        current = new List<int>();
                    }
                    currentHasRecurrent = true;
                    current.Add(i);
                    if (!recurrent.ReturnSequences) inTail = true;
                    continue;
                }
                current.Add(i);
            }
            if (current.Count > 0 || stages.Count == 0) stages.Add(new Stage(current, ReadsBackwards(model, current)));
            return new ExecutionPlan(stages, tail);
        }

        private static bool PassesThrough(ModelSpec model, List<int> layers)
        {
            foreach (int i in layers)
            {
                if (model.Layers[i] is not (IdentityLayerSpec or MaskingLayerSpec)) return false;
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

        /// <summary>Layers that advance together over one pass of the timesteps.</summary>
        internal sealed class Stage
        {
            public Stage(List<int> layers, bool readsBackwards, bool isBidirectional = false)
            {
                Layers = layers;
                ReadsBackwards = readsBackwards;
                IsBidirectional = isBidirectional;
            }

            public IReadOnlyList<int> Layers { get; }

            public bool ReadsBackwards { get; }

            /// <summary>The stage is one Bidirectional layer, which runs its two directions over the whole source.</summary>
            public bool IsBidirectional { get; }
        }
    }
}
