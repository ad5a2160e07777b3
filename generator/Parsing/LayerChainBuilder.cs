using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the layers in order while tracking the running shape (sequence or not, width), so each layer's
    /// weights are checked against the size that really reaches it. The layers of a Functional graph come through
    /// <c>AddToGraph</c> (LayerChainBuilder.Graph.cs), which sets the running shape to each layer's input first.
    /// </summary>
    internal sealed partial class LayerChainBuilder
    {
        private static readonly HashSet<string> s_identityLayers = new HashSet<string>
        {
            "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
        };

        /// <summary>The layers <see cref="Add"/> reads, each of one input.</summary>
        private static readonly HashSet<string> s_singleInputLayers = new HashSet<string>
        {
            "LSTM", "GRU", "SimpleRNN", "Bidirectional", "Dense", "Masking", "Embedding", "TimeDistributed", "RepeatVector", "Flatten",
            "GlobalAveragePooling1D", "GlobalMaxPooling1D", "BatchNormalization", "LayerNormalization", "Conv1D", "MaxPooling1D",
            "AveragePooling1D", "ZeroPadding1D", "Cropping1D", "UpSampling1D", "Activation", "DepthwiseConv1D", "SeparableConv1D", "Permute",
        };

        /// <summary>
        /// The layers with a Keras <c>data_format</c> that LstmGen reads as a transpose, the channels_last layer and
        /// (when the layer outputs a sequence) a transpose back. Flatten has its own channels_first.
        /// </summary>
        private static readonly HashSet<string> s_dataFormatLayers = new HashSet<string>
        {
            "Conv1D", "DepthwiseConv1D", "SeparableConv1D", "MaxPooling1D", "AveragePooling1D", "GlobalAveragePooling1D", "GlobalMaxPooling1D",
        };

        private readonly ReadContext _context;
        private readonly bool _keras3;
        private readonly bool _tfjs;
        private readonly List<LayerSpec> _layers = new List<LayerSpec>();
        private readonly WeightReader _weights;
        private readonly RecurrentLayerReader _recurrent;
        private readonly BidirectionalLayerReader _bidirectional;
        private readonly ReshapingLayerReader _reshaping;
        private readonly NormalizationLayerReader _normalization;
        private readonly SequenceLayerReader _sequence;
        private bool _isSequence = true;
        private int _width;

        /// <summary>Whether a mask reaches the next layer (from Masking or Embedding mask_zero, until a many-to-one layer consumes it).</summary>
        private bool _masked;

        /// <summary>Timesteps of the running sequence: the input's (null when variable), or n after RepeatVector(n).</summary>
        private int? _steps;

        /// <summary>Set by <c>AddToGraph</c>: the specs are a graph's, so adjacent transposes are not cancelled (others may read them).</summary>
        private bool _inGraph;

        public LayerChainBuilder(ReadContext context, bool keras3, bool tfjs, InputShape input)
        {
            _context = context;
            _keras3 = keras3;
            _tfjs = tfjs;
            _width = input.Features;
            _steps = input.Timesteps;
            _weights = new WeightReader(context);
            _recurrent = new RecurrentLayerReader(_weights, tfjs);
            _bidirectional = new BidirectionalLayerReader(context, _weights, _recurrent, keras3);
            _reshaping = new ReshapingLayerReader(context);
            _normalization = new NormalizationLayerReader(context, _weights);
            _sequence = new SequenceLayerReader(context, _weights);
        }

        public void Add(LayerEntry entry)
        {
            if (entry.ClassName == "InputLayer")
            {
                if (_layers.Count > 0)
                {
                    throw _context.Invalid(entry.Described + " appears after other layers", entry.Json);
                }
                return;
            }

            var config = new LayerConfig(entry.Name, entry.Label, entry.ClassName, entry.Config, _keras3, _context);
            if (_masked && entry.ClassName is "Conv1D" or "DepthwiseConv1D" or "SeparableConv1D" or "MaxPooling1D" or "AveragePooling1D" or "ZeroPadding1D" or "Cropping1D" or "UpSampling1D" or "Permute")
            {
                // Keras refuses a mask here too ("does not support masking"); after Permute a mask would be over features.
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName,
                    " on a masked sequence (the mask of Masking or Embedding mask_zero reaches it; Keras does not support that either); drop the mask");
            }
            if (_masked && entry.ClassName is "Flatten" or "GlobalAveragePooling1D" or "GlobalMaxPooling1D")
            {
                // Keras averages only the unmasked steps or refuses the mask here; neither is compiled yet.
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName,
                    " on a masked sequence (the mask of Masking or Embedding mask_zero reaches it); end the sequence with a recurrent layer (return_sequences=false) before it, or drop the mask");
            }
            // data_format channels_first: Keras reads the sample as [channels, steps]; LstmGen transposes it to
            // [steps, channels], runs the channels_last layer and transposes a sequence output back, as Keras returns it.
            bool channelsFirst = s_dataFormatLayers.Contains(entry.ClassName) && SequenceLayerReader.ChannelsFirst(_context, config) && _isSequence;
            if (channelsFirst) BeginChannelsFirst(entry, config);
            if (entry.ClassName == "SeparableConv1D")
            {
                (Conv1DLayerSpec depthwise, Conv1DLayerSpec pointwise) = _sequence.ReadSeparable(entry, config, _isSequence, _width, _steps);
                config.ReportUnknownKeys(_context.Diagnostics);
                Append(depthwise);
                Append(pointwise);
            }
            else
            {
                LayerSpec spec = entry.ClassName switch
                {
                    "LSTM" or "GRU" or "SimpleRNN" or "Bidirectional" => ReadRecurrent(entry, config),
                    "Dense" => ReadDense(entry, config, entry.Name, timeDistributed: false),
                    "Masking" => ReadMasking(entry, config),
                    "Embedding" => ReadEmbedding(entry, config),
                    "TimeDistributed" => ReadTimeDistributed(entry, config),
                    "RepeatVector" => _reshaping.RepeatVector(entry, config, _isSequence, _width),
                    "Flatten" => _reshaping.Flatten(entry, config, _isSequence, _width, _steps),
                    "GlobalAveragePooling1D" or "GlobalMaxPooling1D" => _reshaping.GlobalPooling(entry, config, _isSequence, _width),
                    "Permute" => _reshaping.Permute(entry, config, _isSequence, _width, _steps),
                    "BatchNormalization" => _normalization.BatchNormalization(entry, config, _isSequence, _width),
                    "LayerNormalization" => _normalization.LayerNormalization(entry, config, _isSequence, _width),
                    "Conv1D" or "DepthwiseConv1D" or "MaxPooling1D" or "AveragePooling1D" or "ZeroPadding1D" or "Cropping1D" or "UpSampling1D" => _sequence.Read(entry, config, _isSequence, _width, _steps),
                    "Activation" => new ActivationLayerSpec(entry.Name, _width, config.ReadActivation("activation", Activation.Linear, allowSoftmax: true), _isSequence),
                    _ when s_identityLayers.Contains(entry.ClassName) => new IdentityLayerSpec(entry.Name, entry.ClassName, _width, _isSequence),
                    _ => throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName, UnsupportedHint(entry.ClassName)),
                };
                config.ReportUnknownKeys(_context.Diagnostics);
                Append(spec);
            }
            if (channelsFirst && _isSequence && _steps is int outputRows)
            {
                Append(new PermuteLayerSpec(entry.Name + " (channels_first out)", _width, outputRows, entry.Name, entry.ClassName));
            }
        }

        /// <summary>
        /// The transpose in front of a channels_first layer: its [channels, steps] input as [steps, channels]. The
        /// channels are the rows of the running sequence, so they must be fixed.
        /// </summary>
        private void BeginChannelsFirst(LayerEntry entry, LayerConfig config)
        {
            if (_steps is not int rows)
            {
                JsonNode? node = config.ReadNode("data_format");
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, entry.Label, "data_format", node is null ? "channels_first" : SequenceLayerReader.Shown(node),
                    "Keras reads this layer's input as [channels, steps], the channels being the rows of the sequence that reaches it, but the model accepts any number of timesteps; "
                    + "LstmGen transposes the input to compute it, which needs a fixed number of rows: give the input a fixed length, or use channels_last");
            }
            if ((long)rows * _width > ModelLimits.MaxParameters)
            {
                throw _context.Invalid(entry.Described + " (data_format channels_first): its input of " + IntLiteral.Format(rows) + " × " + IntLiteral.Format(_width) + " floats is more than " + IntLiteral.Format(ModelLimits.MaxParameters) + " floats", entry.Json);
            }
            Append(new PermuteLayerSpec(entry.Name + " (channels_first in)", _width, rows, entry.Name, entry.ClassName));
        }

        /// <summary>Adds a spec and moves the running shape past it.</summary>
        private void Append(LayerSpec spec)
        {
            // In a chain two transposes in a row cancel (Conv1D channels_first, then Permute((2, 1)), costs one
            // transpose), and a transpose before Flatten is Flatten with the other data_format.
            if (!_inGraph && _layers.Count > 0 && _layers[_layers.Count - 1] is PermuteLayerSpec previous
                && spec is PermuteLayerSpec or FlattenLayerSpec { InputIsSequence: true })
            {
                _layers.RemoveAt(_layers.Count - 1);
                _isSequence = true;
                _width = previous.InputSize;
                _steps = previous.Rows;
                if (spec is PermuteLayerSpec) return;
                var flatten = (FlattenLayerSpec)spec;
                spec = new FlattenLayerSpec(flatten.Name, previous.InputSize, previous.Rows, InputIsSequence: true, ChannelsFirst: !flatten.ChannelsFirst);
            }
            _layers.Add(spec);
            _isSequence = spec.IsSequence;
            _width = spec.OutputSize;
            _masked = (_masked || spec is MaskingLayerSpec || spec is EmbeddingLayerSpec { MaskZero: true }) && spec.IsSequence;
            if (spec is RepeatVectorLayerSpec repeat) _steps = repeat.Repeats;
            if (spec is SequenceLayerSpec sequence && _steps is int steps) _steps = sequence.OutputSteps(steps);
        }

        public EquatableArray<LayerSpec> Finish()
        {
            if (_graphInputs.Count > 0 && _layers.Count > 0 && _layers[0] is EmbeddingLayerSpec embedding)
            {
                for (int i = 1; i < _graphInputs.Count; i++)
                {
                    if (System.Linq.Enumerable.Contains(_graphInputs[i], -1))
                    {
                        throw _context.Invalid("layer '" + _layers[i].Name + "' reads the model input, which is token ids for Embedding '" + embedding.Name + "'; only the Embedding may read them", null);
                    }
                }
            }
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
                throw _context.Invalid(entry.Described + " receives a single vector (the layer before it has return_sequences=false); a recurrent layer needs a sequence", entry.Json);
            }
            if (entry.ClassName == "Bidirectional")
            {
                BidirectionalLayerSpec bidirectional = _bidirectional.Read(entry, config, _width);
                // Keras 2 and 3 set zero_output_for_mask = return_sequences on both inner layers; tfjs has no such option.
                if (!_masked || _tfjs || !bidirectional.ReturnSequences) return bidirectional;
                return bidirectional with
                {
                    Forward = bidirectional.Forward with { ZeroMaskedOutput = true },
                    Backward = bidirectional.Backward with { ZeroMaskedOutput = true },
                };
            }
            JsonNode? zeroOutput = config.ReadNode("zero_output_for_mask");
            if (_masked && !_tfjs && zeroOutput is { Kind: JsonKind.True })
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, zeroOutput, entry.Label, "zero_output_for_mask", "true",
                    "on a masked sequence LstmGen repeats the previous output at masked timesteps (the Keras default); zeroed outputs are supported inside Bidirectional only");
            }
            return _recurrent.Read(entry, config, _width);
        }

        /// <summary>Keras <c>Masking</c>: only on the model input, where the mask is a function of the input row alone.</summary>
        private LayerSpec ReadMasking(LayerEntry entry, LayerConfig config)
        {
            if (_layers.Count > 0)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName,
                    " after other layers; put Masking first, directly on the model input");
            }
            JsonNode? node = config.ReadNode("mask_value");
            float maskValue = 0f;
            if (node is JsonNumber number)
            {
                maskValue = (float)number.Value;
            }
            else if (node is not null && node.Kind != JsonKind.Null)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, entry.Label, "mask_value", node.Describe(), "expected a number");
            }
            return new MaskingLayerSpec(entry.Name, _width, maskValue);
        }

        /// <summary>Keras <c>Embedding</c>: only first, where the model input is token ids.</summary>
        private LayerSpec ReadEmbedding(LayerEntry entry, LayerConfig config)
        {
            if (_layers.Count > 0)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName,
                    " after other layers; Embedding must be the first layer (the model input is then token ids)");
            }
            int inputDim = config.ReadPositiveInt("input_dim");
            int outputDim = config.ReadPositiveInt("output_dim");
            bool maskZero = config.ReadBool("mask_zero", false);
            config.RequireNull("lora_rank", "LoRA-adapted Embedding layers are not supported; merge the adapter into the embeddings before exporting");
            config.RequireNull("quantization_config", "quantized Embedding layers are not supported; export float32 weights");
            config.RequireNull("embeddings_quantizer", "quantized Embedding layers are not supported; export float32 weights");
            Tensor[] w = _weights.Read(entry.Label, entry.Json, new[] { "embeddings" }, new[] { new[] { inputDim, outputDim } });
            return new EmbeddingLayerSpec(entry.Name, inputDim, outputDim, maskZero, w[0]);
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
                throw _context.Invalid(entry.Described + " has no \"layer\" object with the wrapped layer's class_name and config", node ?? entry.Json);
            }
            if (layer["class_name"] is not JsonString className)
            {
                throw _context.Invalid(entry.Described + ": \"layer\" has no \"class_name\"", layer);
            }
            if (className.Value != "Dense")
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, className, entry.Label, "layer", className.Value, "TimeDistributed can wrap Dense only");
            }
            if (!_isSequence)
            {
                throw _context.Invalid(entry.Described + " receives a single vector; it applies its layer to every timestep of a sequence", entry.Json);
            }
            JsonObject innerJson = layer["config"] as JsonObject ?? JsonObject.Empty;
            string? givenName = (innerJson["name"] as JsonString)?.Value;
            var inner = new LayerConfig(givenName ?? entry.Name + "/dense", entry.InnerLabel(givenName, "dense", "its Dense"), "Dense", innerJson, _keras3, _context);
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
            Tensor[] w = _weights.Read(entry.Label, entry.Json, names, shapes);
            return new DenseLayerSpec(name, _width, units, activation, _isSequence, w[0], useBias ? w[1] : null, timeDistributed);
        }

        private const string Supported = "LSTM, GRU, SimpleRNN, Bidirectional, Dense, TimeDistributed(Dense), Activation, Conv1D, DepthwiseConv1D, SeparableConv1D, "
            + "MaxPooling1D, AveragePooling1D, ZeroPadding1D, Cropping1D, UpSampling1D, RepeatVector, Flatten, Permute((2, 1)), "
            + "GlobalAveragePooling1D, GlobalMaxPooling1D, BatchNormalization, LayerNormalization, Masking, Embedding, Dropout (and other inference no-ops), InputLayer; "
            + "in functional graphs also Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate";

        private static string UnsupportedHint(string className) => className switch
        {
            "Attention" or "AdditiveAttention" or "MultiHeadAttention" =>
                "; attention layers are not compiled yet (a model that pools an LSTM's sequence with GlobalAveragePooling1D or ends it with return_sequences=false compiles); supported: " + Supported,
            "Conv2D" or "Conv3D" or "Conv1DTranspose" or "Conv2DTranspose" => "; only 1D convolutions over the timesteps (Conv1D) are compiled; supported: " + Supported,
            "Reshape" or "Lambda" => "; layers that reshape axes (Permute((2, 1)) aside), and Lambda layers (arbitrary code), are not compiled; supported: " + Supported,
            _ => "; supported: " + Supported,
        };
    }
}
