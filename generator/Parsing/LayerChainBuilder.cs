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
        private readonly List<LayerSpec> _layers = new List<LayerSpec>();
        private readonly WeightReader _weights;
        private readonly RecurrentLayerReader _recurrent;
        private readonly BidirectionalLayerReader _bidirectional;
        private readonly GlueLayerReader _glue;
        private bool _isSequence = true;
        private int _width;

        /// <summary>Timesteps of the running sequence: the input's (null when variable), or n after RepeatVector(n).</summary>
        private int? _steps;

        public LayerChainBuilder(ReadContext context, bool keras3, bool tfjs, InputShape input)
        {
            _context = context;
            _keras3 = keras3;
            _width = input.Features;
            _steps = input.Timesteps;
            _weights = new WeightReader(context);
            _recurrent = new RecurrentLayerReader(_weights, tfjs);
            _bidirectional = new BidirectionalLayerReader(context, _weights, _recurrent, keras3);
            _glue = new GlueLayerReader(context, _weights);
        }

        public void Add(LayerEntry entry)
        {
            if (entry.ClassName == "InputLayer")
            {
                if (_layers.Count > 0)
                {
                    throw _context.Invalid("InputLayer '" + entry.Name + "' appears after other layers", entry.Json);
                }
                return;
            }

            var config = new LayerConfig(entry.Name, entry.ClassName, entry.Config, _keras3, _context);
            LayerSpec spec = entry.ClassName switch
            {
                "LSTM" or "GRU" or "SimpleRNN" or "Bidirectional" => ReadRecurrent(entry, config),
                "Dense" => ReadDense(entry, config, entry.Name, timeDistributed: false),
                "TimeDistributed" => ReadTimeDistributed(entry, config),
                "RepeatVector" => _glue.RepeatVector(entry, config, _isSequence, _width),
                "Flatten" => _glue.Flatten(entry, config, _isSequence, _width, _steps),
                "GlobalAveragePooling1D" or "GlobalMaxPooling1D" => _glue.GlobalPooling(entry, config, _isSequence, _width),
                "BatchNormalization" => _glue.BatchNormalization(entry, config, _isSequence, _width),
                "LayerNormalization" => _glue.LayerNormalization(entry, config, _isSequence, _width),
                "Activation" => new ActivationLayerSpec(entry.Name, _width, config.ReadActivation("activation", Activation.Linear, allowSoftmax: true), _isSequence),
                _ when s_identityLayers.Contains(entry.ClassName) => new IdentityLayerSpec(entry.Name, entry.ClassName, _width, _isSequence),
                _ => throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Name, entry.ClassName, UnsupportedHint(entry.ClassName)),
            };
            config.ReportUnknownKeys(_context.Diagnostics);
            _layers.Add(spec);
            _isSequence = spec.IsSequence;
            _width = spec.OutputSize;
            if (spec is RepeatVectorLayerSpec repeat) _steps = repeat.Repeats;
        }

        public EquatableArray<LayerSpec> Finish()
        {
            bool hasRecurrent = false;
            foreach (LayerSpec layer in _layers)
            {
                hasRecurrent |= layer is RecurrentLayerSpec or BidirectionalLayerSpec;
            }
            if (!hasRecurrent)
            {
                throw _context.Fail(DiagnosticDescriptors.MissingInputShape, _context.FileName, "the model has no recurrent (LSTM, GRU or SimpleRNN) layer, so there is no [timesteps, features] input to compile");
            }
            return new EquatableArray<LayerSpec>(_layers.ToArray());
        }

        private LayerSpec ReadRecurrent(LayerEntry entry, LayerConfig config)
        {
            if (!_isSequence)
            {
                throw _context.Invalid(entry.ClassName + " '" + entry.Name + "' receives a single vector (the layer before it has return_sequences=false); a recurrent layer needs a sequence", entry.Json);
            }
            return entry.ClassName == "Bidirectional"
                ? _bidirectional.Read(entry, config, _width)
                : _recurrent.Read(entry, config, _width);
        }

        /// <summary>
        /// <c>TimeDistributed(Dense)</c>: the wrapped config under <c>"layer"</c> (the same nesting in Keras 2, Keras 3
        /// and tfjs), its weights the Dense's get_weights() on the wrapper. On a sequence it is Dense per timestep.
        /// </summary>
        private LayerSpec ReadTimeDistributed(LayerEntry entry, LayerConfig config)
        {
            JsonNode? node = config.ReadNode("layer");
            if (node is not JsonObject layer)
            {
                throw _context.Invalid("TimeDistributed '" + entry.Name + "' has no \"layer\" object with the wrapped layer's class_name and config", node ?? entry.Json);
            }
            if (layer["class_name"] is not JsonString className)
            {
                throw _context.Invalid("TimeDistributed '" + entry.Name + "': \"layer\" has no \"class_name\"", layer);
            }
            if (className.Value != "Dense")
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, className, entry.Name, "layer", className.Value, "TimeDistributed can wrap Dense only");
            }
            if (!_isSequence)
            {
                throw _context.Invalid("TimeDistributed '" + entry.Name + "' receives a single vector; it applies its layer to every timestep of a sequence", entry.Json);
            }
            JsonObject innerJson = layer["config"] as JsonObject ?? JsonObject.Empty;
            string innerName = (innerJson["name"] as JsonString)?.Value ?? entry.Name + "/dense";
            var inner = new LayerConfig(innerName, "Dense", innerJson, _keras3, _context);
            LayerSpec spec = ReadDense(entry, inner, entry.Name, timeDistributed: true);
            inner.ReportUnknownKeys(_context.Diagnostics);
            return spec;
        }

        private LayerSpec ReadDense(LayerEntry entry, LayerConfig config, string name, bool timeDistributed)
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
            Tensor[] w = _weights.Read(name, entry.Json, names, shapes);
            return new DenseLayerSpec(name, _width, units, activation, _isSequence, w[0], useBias ? w[1] : null, timeDistributed);
        }

        private const string Supported = "LSTM, GRU, SimpleRNN, Bidirectional, Dense, TimeDistributed(Dense), Activation, RepeatVector, Flatten, "
            + "GlobalAveragePooling1D, GlobalMaxPooling1D, BatchNormalization, LayerNormalization, Dropout (and other inference no-ops), InputLayer";

        private static string UnsupportedHint(string className) => className switch
        {
            "Embedding" or "Masking"
                => " yet (planned); supported now: " + Supported,
            _ => "; supported: " + Supported,
        };
    }
}
