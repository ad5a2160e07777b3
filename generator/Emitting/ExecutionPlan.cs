using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// How Predict walks the layers. Layers that see a sequence run inside the timestep loop, all together,
    /// one step at a time, so memory stays O(layers · units) however long the input. A <c>go_backwards</c>
    /// recurrent layer (LSTM, GRU, SimpleRNN) below another recurrent layer must see that layer's whole output
    /// first, so it starts a new <see cref="Stage"/> fed from a buffered sequence. Layers after the last
    /// many-to-one layer form the tail.
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
            stages.Add(new Stage(current, ReadsBackwards(model, current)));
            return new ExecutionPlan(stages, tail);
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
            public Stage(List<int> layers, bool readsBackwards)
            {
                Layers = layers;
                ReadsBackwards = readsBackwards;
            }

            public IReadOnlyList<int> Layers { get; }

            public bool ReadsBackwards { get; }
        }
    }
}
