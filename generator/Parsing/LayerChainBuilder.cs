using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the layers in order while tracking the running shape (sequence or not, width), so each layer's
    /// weights are checked against the size that really reaches it.
    /// </summary>
    internal sealed class LayerChainBuilder
    {
        private static readonly HashSet<string> s_identityLayers = new HashSet<string>
        {
            "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
        };

        private readonly ReadContext _context;
        private readonly bool _keras3;
        private readonly bool _tfjs;
        private readonly List<LayerSpec> _layers = new List<LayerSpec>();
        private readonly WeightReader _weights;
        private bool _isSequence = true;
        private int _width;

        public LayerChainBuilder(ReadContext context, bool keras3, bool tfjs, InputShape input)
        {
            _context = context;
            _keras3 = keras3;
            _tfjs = tfjs;
            _width = input.Features;
            _weights = new WeightReader(context.Location, context.Diagnostics);
        }

        public void Add(LayerEntry entry)
        {
            if (entry.ClassName == "InputLayer")
            {
                if (_layers.Count > 0)
                {
                    throw _context.Invalid("InputLayer '" + entry.Name + "' appears after other layers");
                }
                return;
            }

            var config = new LayerConfig(entry.Name, entry.ClassName, entry.Config, _keras3, _context.Location);
            LayerSpec spec = entry.ClassName switch
            {
                "LSTM" => ReadLstm(entry, config),
                "GRU" => ReadGru(entry, config),
                "SimpleRNN" => ReadSimpleRnn(entry, config),
                "Dense" => ReadDense(entry, config),
                "Activation" => new ActivationLayerSpec(entry.Name, _width, config.ReadActivation("activation", Activation.Linear, allowSoftmax: true), _isSequence),
                _ when s_identityLayers.Contains(entry.ClassName) => new IdentityLayerSpec(entry.Name, entry.ClassName, _width, _isSequence),
                _ => throw _context.Fail(DiagnosticDescriptors.UnsupportedLayer, entry.Name, entry.ClassName, UnsupportedHint(entry.ClassName)),
            };
            config.ReportUnknownKeys(_context.Diagnostics);
            _layers.Add(spec);
            _isSequence = spec.IsSequence;
            _width = spec.OutputSize;
        }

        public EquatableArray<LayerSpec> Finish()
        {
            bool hasRecurrent = false;
            foreach (LayerSpec layer in _layers)
            {
                hasRecurrent |= layer is RecurrentLayerSpec;
            }
            if (!hasRecurrent)
            {
                throw _context.Fail(DiagnosticDescriptors.MissingInputShape, _context.FileName, "the model has no recurrent (LSTM, GRU or SimpleRNN) layer, so there is no [timesteps, features] input to compile");
            }
            return new EquatableArray<LayerSpec>(_layers.ToArray());
        }

        private LayerSpec ReadLstm(LayerEntry entry, LayerConfig config)
        {
            RequireSequence(entry);
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            Activation recurrent = config.ReadActivation("recurrent_activation", Activation.Sigmoid, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config);

            int gates = 4 * units;
            Tensor[] w = ReadRecurrentWeights(entry, options.UseBias, new[] { _width, gates }, new[] { units, gates }, new[] { gates });
            return new LstmLayerSpec(entry.Name, _width, units, activation, recurrent, options.ReturnSequences, options.GoBackwards, w[0], w[1], options.UseBias ? w[2] : null);
        }

        private LayerSpec ReadGru(LayerEntry entry, LayerConfig config)
        {
            RequireSequence(entry);
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            Activation recurrent = config.ReadActivation("recurrent_activation", Activation.Sigmoid, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config);
            // Absent reset_after: true as in tf.keras 2.x and Keras 3, false in tfjs files (tfjs computes only that).
            bool resetAfter = config.ReadBool("reset_after", !_tfjs);

            int gates = 3 * units;
            int[] biasShape = resetAfter ? new[] { 2, gates } : new[] { gates };
            Tensor[] w = ReadRecurrentWeights(entry, options.UseBias, new[] { _width, gates }, new[] { units, gates }, biasShape);
            return new GruLayerSpec(entry.Name, _width, units, activation, recurrent, options.ReturnSequences, options.GoBackwards, resetAfter, w[0], w[1], options.UseBias ? w[2] : null);
        }

        private LayerSpec ReadSimpleRnn(LayerEntry entry, LayerConfig config)
        {
            RequireSequence(entry);
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Tanh, allowSoftmax: false);
            RecurrentOptions options = ReadRecurrentOptions(config);

            Tensor[] w = ReadRecurrentWeights(entry, options.UseBias, new[] { _width, units }, new[] { units, units }, new[] { units });
            return new SimpleRnnLayerSpec(entry.Name, _width, units, activation, options.ReturnSequences, options.GoBackwards, w[0], w[1], options.UseBias ? w[2] : null);
        }

        private void RequireSequence(LayerEntry entry)
        {
            if (!_isSequence)
            {
                throw _context.Invalid(entry.ClassName + " '" + entry.Name + "' receives a single vector (the layer before it has return_sequences=false); a recurrent layer needs a sequence");
            }
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

        private LayerSpec ReadDense(LayerEntry entry, LayerConfig config)
        {
            int units = config.ReadPositiveInt("units");
            Activation activation = config.ReadActivation("activation", Activation.Linear, allowSoftmax: true);
            bool useBias = config.ReadBool("use_bias", true);
            config.RequireNull("lora_rank", "LoRA-adapted Dense layers are not supported; merge the adapter into the kernel before exporting");
            config.RequireNull("quantization_config", "quantized Dense layers are not supported; export float32 weights");

            string[] names = useBias ? new[] { "kernel", "bias" } : new[] { "kernel" };
            int[][] shapes = useBias
                ? new[] { new[] { _width, units }, new[] { units } }
                : new[] { new[] { _width, units } };
            Tensor[] w = _weights.Read(entry.Name, entry.Json, names, shapes);
            return new DenseLayerSpec(entry.Name, _width, units, activation, _isSequence, w[0], useBias ? w[1] : null);
        }

        private static string UnsupportedHint(string className) => className switch
        {
            "Bidirectional" or "Embedding" or "Masking" or "TimeDistributed" or "RepeatVector"
                or "Flatten" or "GlobalAveragePooling1D" or "GlobalMaxPooling1D" or "BatchNormalization" or "LayerNormalization"
                => " yet (planned); supported now: LSTM, GRU, SimpleRNN, Dense, Activation, Dropout, InputLayer",
            _ => "; supported: LSTM, GRU, SimpleRNN, Dense, Activation, Dropout (and other inference no-ops), InputLayer",
        };
    }
}
