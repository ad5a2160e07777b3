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
        public LayerSpec Read(LayerEntry entry, LayerConfig config, int inputSize) => entry.ClassName switch
        {
            "LSTM" => ReadLstm(entry, config, inputSize),
            "GRU" => ReadGru(entry, config, inputSize),
            "SimpleRNN" => ReadSimpleRnn(entry, config, inputSize),
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.ClassName, "not a recurrent layer"),
        };

        private LayerSpec ReadLstm(LayerEntry entry, LayerConfig config, int inputSize)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            Activation recurrent = config.ReadActivation("recurrent_activation", Activation.Sigmoid, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config);

            int gates = 4 * units;
            Tensor[] w = ReadRecurrentWeights(entry, options.UseBias, new[] { inputSize, gates }, new[] { units, gates }, new[] { gates });
            return new LstmLayerSpec(entry.Name, inputSize, units, activation, recurrent, options.ReturnSequences, options.GoBackwards, w[0], w[1], options.UseBias ? w[2] : null);
        }

        private LayerSpec ReadGru(LayerEntry entry, LayerConfig config, int inputSize)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            Activation recurrent = config.ReadActivation("recurrent_activation", Activation.Sigmoid, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config);
            // Absent reset_after: true as in tf.keras 2.x and Keras 3, false in tfjs files (tfjs computes only that).
            bool resetAfter = config.ReadBool("reset_after", !_tfjs);

            int gates = 3 * units;
            int[] biasShape = resetAfter ? new[] { 2, gates } : new[] { gates };
            Tensor[] w = ReadRecurrentWeights(entry, options.UseBias, new[] { inputSize, gates }, new[] { units, gates }, biasShape);
            return new GruLayerSpec(entry.Name, inputSize, units, activation, recurrent, options.ReturnSequences, options.GoBackwards, resetAfter, w[0], w[1], options.UseBias ? w[2] : null);
        }

        private LayerSpec ReadSimpleRnn(LayerEntry entry, LayerConfig config, int inputSize)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config);

            Tensor[] w = ReadRecurrentWeights(entry, options.UseBias, new[] { inputSize, units }, new[] { units, units }, new[] { units });
            return new SimpleRnnLayerSpec(entry.Name, inputSize, units, activation, options.ReturnSequences, options.GoBackwards, w[0], w[1], options.UseBias ? w[2] : null);
        }

        /// <summary>The options every recurrent layer shares; the ones that would change the numbers are accepted only at their default.</summary>
        private static RecurrentOptions ReadRecurrentOptions(LayerConfig config)
        {
            bool useBias = config.ReadBool("use_bias", true);
            bool returnSequences = config.ReadBool("return_sequences", false);
            bool goBackwards = config.ReadBool("go_backwards", false);
            config.RequireBool("return_state", false, "a model output can only be the layer's output; read states with a later LstmGen version");
            config.RequireBool("stateful", false, "Predict always starts from the zero state; a stateful model would carry state between calls");
            config.RequireBool("time_major", false, "inputs are read as [timesteps, features] (batch-major)");
            return new RecurrentOptions(useBias, returnSequences, goBackwards);
        }

        private Tensor[] ReadRecurrentWeights(LayerEntry entry, bool useBias, int[] kernel, int[] recurrentKernel, int[] bias)
        {
            string[] names = useBias ? new[] { "kernel", "recurrent_kernel", "bias" } : new[] { "kernel", "recurrent_kernel" };
            int[][] shapes = useBias ? new[] { kernel, recurrentKernel, bias } : new[] { kernel, recurrentKernel };
            return _weights.Read(entry.Name, entry.Json, names, shapes);
        }

        private readonly struct RecurrentOptions
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
