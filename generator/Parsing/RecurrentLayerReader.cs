using System;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the recurrent layers (LSTM, GRU, SimpleRNN): their activations, the options they share (those that
    /// would change the numbers are accepted only at the value LstmGen computes) and weights of the exact shapes.
    /// </summary>
    internal sealed class RecurrentLayerReader
    {
        private readonly WeightReader _weights;
        private readonly bool _tfjs;

        /// <param name="weights">Reads and checks the weight arrays.</param>
        /// <param name="tfjs">Whether TensorFlow.js wrote the file: an absent GRU reset_after then means false.</param>
        public RecurrentLayerReader(WeightReader weights, bool tfjs)
        {
            _weights = weights;
            _tfjs = tfjs;
        }

        /// <summary>Reads the layer, whose input is a sequence of <paramref name="inputSize"/> floats per timestep.</summary>
        public LayerSpec Read(LayerEntry entry, LayerConfig config, int inputSize)
        {
            Pending pending = Prepare(entry.ClassName, entry.Name, config, inputSize);
            return pending.Build(_weights.Read(entry.Label, entry.Json, pending.Names, pending.Shapes));
        }

        /// <summary>
        /// Reads the configuration of a recurrent layer called <paramref name="name"/> (a top-level layer, or one
        /// wrapped in Bidirectional): the names and shapes of the weights it needs, and how to build it from them.
        /// </summary>
        public Pending Prepare(string className, string name, LayerConfig config, int inputSize, bool flipGoBackwards = false) => className switch
        {
            "LSTM" => PrepareLstm(name, config, inputSize, flipGoBackwards),
            "GRU" => PrepareGru(name, config, inputSize, flipGoBackwards),
            "SimpleRNN" => PrepareSimpleRnn(name, config, inputSize, flipGoBackwards),
            _ => throw new ArgumentOutOfRangeException(nameof(className), className, "not a recurrent layer"),
        };

        private Pending PrepareLstm(string name, LayerConfig config, int inputSize, bool flipGoBackwards)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            Activation recurrent = config.ReadActivation("recurrent_activation", Activation.Sigmoid, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config, flipGoBackwards);

            int gates = 4 * units;
            return new Pending(options.UseBias, new[] { inputSize, gates }, new[] { units, gates }, new[] { gates }, options,
                w => new LstmLayerSpec(name, inputSize, units, activation, recurrent, options.ReturnSequences, options.GoBackwards, w[0], w[1], options.UseBias ? w[2] : null));
        }

        private Pending PrepareGru(string name, LayerConfig config, int inputSize, bool flipGoBackwards)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            Activation recurrent = config.ReadActivation("recurrent_activation", Activation.Sigmoid, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config, flipGoBackwards);
            // Absent reset_after: true as in tf.keras 2.x and Keras 3, false in tfjs files (tfjs computes only that).
            bool resetAfter = config.ReadBool("reset_after", !_tfjs);

            int gates = 3 * units;
            int[] biasShape = resetAfter ? new[] { 2, gates } : new[] { gates };
            return new Pending(options.UseBias, new[] { inputSize, gates }, new[] { units, gates }, biasShape, options,
                w => new GruLayerSpec(name, inputSize, units, activation, recurrent, options.ReturnSequences, options.GoBackwards, resetAfter, w[0], w[1], options.UseBias ? w[2] : null));
        }

        private static Pending PrepareSimpleRnn(string name, LayerConfig config, int inputSize, bool flipGoBackwards)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config, flipGoBackwards);

            return new Pending(options.UseBias, new[] { inputSize, units }, new[] { units, units }, new[] { units }, options,
                w => new SimpleRnnLayerSpec(name, inputSize, units, activation, options.ReturnSequences, options.GoBackwards, w[0], w[1], options.UseBias ? w[2] : null));
        }

        /// <summary>The options every recurrent layer shares (go_backwards flipped when <paramref name="flipGoBackwards"/>); the ones that would change the numbers are accepted only at their default.</summary>
        private static RecurrentOptions ReadRecurrentOptions(LayerConfig config, bool flipGoBackwards)
        {
            bool useBias = config.ReadBool("use_bias", true);
            bool returnSequences = config.ReadBool("return_sequences", false);
            // Bidirectional derives its backward layer from the forward layer's config with go_backwards flipped.
            bool goBackwards = config.ReadBool("go_backwards", false) != flipGoBackwards;
            config.RequireBool("return_state", false, "a model output can only be the layer's output; read the final states from the generated State (Predict(input, output, ref state)) instead");
            config.RequireBool("stateful", false, "export it with stateful=false and keep the state yourself: the generated State with Step or Predict(input, output, ref state) carries it between calls");
            config.RequireBool("time_major", false, "inputs are read as [timesteps, features] (batch-major)");
            return new RecurrentOptions(useBias, returnSequences, goBackwards);
        }

        /// <summary>A recurrent layer whose configuration is read and whose weights are still to come.</summary>
        internal sealed class Pending
        {
            private readonly Func<Tensor[], RecurrentLayerSpec> _build;

            public Pending(bool useBias, int[] kernel, int[] recurrentKernel, int[] bias, RecurrentOptions options, Func<Tensor[], RecurrentLayerSpec> build)
            {
                Names = useBias ? new[] { "kernel", "recurrent_kernel", "bias" } : new[] { "kernel", "recurrent_kernel" };
                Shapes = useBias ? new[] { kernel, recurrentKernel, bias } : new[] { kernel, recurrentKernel };
                ReturnSequences = options.ReturnSequences;
                GoBackwards = options.GoBackwards;
                Units = recurrentKernel[0];
                _build = build;
            }

            /// <summary>The layer's get_weights() entries, in order.</summary>
            public string[] Names { get; }

            public int[][] Shapes { get; }

            public int Units { get; }

            public bool ReturnSequences { get; }

            public bool GoBackwards { get; }

            public RecurrentLayerSpec Build(Tensor[] weights) => _build(weights);
        }

        internal readonly struct RecurrentOptions
        {
            public RecurrentOptions(bool useBias, bool returnSequences, bool goBackwards)
            {
                UseBias = useBias;
                ReturnSequences = returnSequences;
                GoBackwards = goBackwards;
            }

            public bool UseBias { get; }

            public bool ReturnSequences { get; }

            public bool GoBackwards { get; }
        }
    }
}
