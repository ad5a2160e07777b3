namespace LstmGen.Generator.Model
{
    /// <summary>
    /// A validated model, ready to emit: everything the emitter needs and nothing from the compilation.
    /// </summary>
    /// <param name="FileName">The weights file's name (no directory), for the generated header.</param>
    /// <param name="Dialect">Who wrote the file, e.g. "Keras 2.15.0" or "TensorFlow.js (tfjs-layers 4.22.0)".</param>
    /// <param name="Timesteps">Fixed timestep count, or null for variable-length input.</param>
    /// <param name="Features">Features per timestep.</param>
    internal sealed record ModelSpec(
        string FileName,
        string Dialect,
        int? Timesteps,
        int Features,
        EquatableArray<LayerSpec> Layers)
    {
        /// <summary>Echoed into the generated header, so made safe like layer names.</summary>
        public string FileName { get; } = DisplayText.Escape(FileName, 2 * DisplayText.MaxNameLength);

        /// <summary>Partly copied from the file's keras_version, so made safe like layer names.</summary>
        public string Dialect { get; } = DisplayText.Escape(Dialect, 2 * DisplayText.MaxNameLength);

        /// <summary>
        /// For a Functional graph that is not a single chain (branches and merges): which layers each layer reads.
        /// Null for a chain, where layer i reads layer i - 1. The layers are then in an order where each comes after
        /// the layers it reads, and the output layer is last.
        /// </summary>
        public GraphSpec? Graph { get; init; }

        /// <summary>The layer index whose output layer <paramref name="layer"/> reads first (its only input outside merges); -1 is the model input.</summary>
        public int PrimaryInput(int layer) => Graph is null ? layer - 1 : Graph.Inputs[layer][0];

        public LayerSpec OutputLayer => Layers[Layers.Count - 1];

        public int OutputUnits => OutputLayer.OutputSize;

        public bool OutputIsSequence => OutputLayer.IsSequence;

        /// <summary>The first layer when it is an Embedding: the input is then token ids (int), one per timestep.</summary>
        public EmbeddingLayerSpec? Embedding => Layers[0] as EmbeddingLayerSpec;

        /// <summary>The first layer when it is a Masking layer.</summary>
        public MaskingLayerSpec? Masking => Layers[0] as MaskingLayerSpec;

        /// <summary>Whether input timesteps can be masked (Masking, or Embedding with mask_zero).</summary>
        public bool HasMask => Masking is not null || Embedding is { MaskZero: true };

        /// <summary>The element type of the input span in generated code.</summary>
        public string InputType => Embedding is null ? "float" : "int";

        /// <summary>Whether a RepeatVector starts a new sequence somewhere in the model.</summary>
        public bool HasRepeatVector
        {
            get
            {
                foreach (LayerSpec layer in Layers)
                {
                    if (layer is RepeatVectorLayerSpec) return true;
                }
                return false;
            }
        }

        /// <summary>
        /// Rows of a sequence output: those of the sequence leaving the last layer (see <see cref="StepsAfter"/>); a
        /// constant after a RepeatVector even for variable-length input, null when they follow the input's length.
        /// </summary>
        public int? OutputTimesteps => StepsAfter(Layers.Count - 1);

        /// <summary>
        /// Rows of the sequence leaving layer <paramref name="layer"/> when they are fixed: the input's timesteps, n after a
        /// RepeatVector(n), changed by each Conv1D, pooling, padding, cropping or upsampling on the way; else null.
        /// </summary>
        public int? StepsAfter(int layer)
        {
            if (Graph is not null) return GraphStepsAfter(layer, Timesteps);
            int? steps = Timesteps;
            for (int i = 0; i <= layer; i++)
            {
                if (Layers[i] is RepeatVectorLayerSpec repeat) steps = repeat.Repeats;
                else if (Layers[i] is SequenceLayerSpec sequence && steps is int n) steps = sequence.OutputSteps(n);
            }
            return steps;
        }

        /// <summary>
        /// <see cref="StepsAfter"/> along the graph for an input of <paramref name="timesteps"/> rows: the rows of the
        /// layer's first input, changed as the layer changes them.
        /// </summary>
        public int? GraphStepsAfter(int layer, int? timesteps)
        {
            if (layer < 0) return timesteps;
            switch (Layers[layer])
            {
                case RepeatVectorLayerSpec repeat:
                    return repeat.Repeats;
                case MergeLayerSpec { TimeAxis: true }:
                    int total = 0;
                    foreach (int operand in Graph!.Inputs[layer])
                    {
                        if (GraphStepsAfter(operand, timesteps) is not int rows) return null;
                        total += rows;
                    }
                    return total;
                case SequenceLayerSpec sequence:
                    return GraphStepsAfter(PrimaryInput(layer), timesteps) is int n ? sequence.OutputSteps(n) : null;
                default:
                    return GraphStepsAfter(PrimaryInput(layer), timesteps);
            }
        }

        /// <summary>The longest sequence any layer runs over when all lengths are fixed (the input's and each later one), else null.</summary>
        public int? LongestFixedSequence
        {
            get
            {
                if (Timesteps is not int longest) return null;
                for (int i = 0; i < Layers.Count; i++)
                {
                    if (StepsAfter(i) is int steps && steps > longest) longest = steps;
                }
                return longest;
            }
        }

        /// <summary>Whether a layer changes the sequence's rows (Conv1D and the other <see cref="SequenceLayerSpec"/>s).</summary>
        public bool HasSequenceLayers
        {
            get
            {
                foreach (LayerSpec layer in Layers)
                {
                    if (layer.ChangesSequence) return true;
                }
                return false;
            }
        }

        public int ParameterCount
        {
            get
            {
                int total = 0;
                foreach (LayerSpec layer in Layers) total += layer.ParameterCount;
                return total;
            }
        }
    }

    /// <summary>The edges of a Functional graph: for each layer (in <see cref="ModelSpec.Layers"/> order), the layers it reads in the file's order, -1 for the model input.</summary>
    internal sealed record GraphSpec(EquatableArray<EquatableArray<int>> Inputs);
}
