using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads a Keras <c>Bidirectional</c> wrapper: the wrapped recurrent layer (<c>"layer"</c>), the optional
    /// <c>"backward_layer"</c> (absent: the wrapped layer's config with go_backwards flipped, as Keras and
    /// TensorFlow.js build it), <c>"merge_mode"</c>, and the weights: the forward layer's get_weights() followed by
    /// the backward layer's.
    /// </summary>
    internal sealed class BidirectionalLayerReader
    {
        private readonly ReadContext _context;
        private readonly WeightReader _weights;
        private readonly RecurrentLayerReader _recurrent;
        private readonly bool _keras3;

        public BidirectionalLayerReader(ReadContext context, WeightReader weights, RecurrentLayerReader recurrent, bool keras3)
        {
            _context = context;
            _weights = weights;
            _recurrent = recurrent;
            _keras3 = keras3;
        }

        public BidirectionalLayerSpec Read(LayerEntry entry, LayerConfig config, int inputSize)
        {
            MergeMode mergeMode = ReadMergeMode(config);

            JsonObject forwardJson = WrappedLayer(entry, config, "layer", out string forwardClass, out JsonObject forwardConfig);
            var forwardLayerConfig = new LayerConfig(WrappedName(forwardConfig, entry.Name + "/forward"),
                entry.InnerLabel(GivenName(forwardConfig), "forward", "forward " + forwardClass), forwardClass, forwardConfig, _keras3, _context);
            RecurrentLayerReader.Pending forward = _recurrent.Prepare(forwardClass, forwardLayerConfig.LayerName, forwardLayerConfig, inputSize);
            forwardLayerConfig.ReportUnknownKeys(_context.Diagnostics);

            RecurrentLayerReader.Pending backward;
            JsonNode? backwardNode = config.ReadNode("backward_layer");
            JsonNode backwardAt = forwardJson;
            if (backwardNode is null || backwardNode.Kind == JsonKind.Null)
            {
                // What Keras and tfjs do without a backward_layer: a copy of the forward config, go_backwards flipped.
                // Keras names it backward_<wrapped layer name>.
                var copy = new LayerConfig("backward_" + forwardLayerConfig.LayerName,
                    entry.InnerLabel(null, "backward", "backward " + forwardClass), forwardClass, forwardConfig, _keras3, _context);
                backward = _recurrent.Prepare(forwardClass, copy.LayerName, copy, inputSize, flipGoBackwards: true);
            }
            else
            {
                backwardAt = WrappedLayer(entry, config, "backward_layer", out string backwardClass, out JsonObject backwardConfig);
                var backwardLayerConfig = new LayerConfig(WrappedName(backwardConfig, entry.Name + "/backward"),
                    entry.InnerLabel(GivenName(backwardConfig), "backward", "backward " + backwardClass), backwardClass, backwardConfig, _keras3, _context);
                backward = _recurrent.Prepare(backwardClass, backwardLayerConfig.LayerName, backwardLayerConfig, inputSize);
                backwardLayerConfig.ReportUnknownKeys(_context.Diagnostics);
            }

            if (forward.GoBackwards == backward.GoBackwards)
            {
                throw _context.Invalid(entry.Described + ": the forward and backward layers both have go_backwards=" + (forward.GoBackwards ? "true" : "false") + "; Keras requires them to differ", backwardAt);
            }
            if (forward.ReturnSequences != backward.ReturnSequences)
            {
                throw _context.Invalid(entry.Described + ": the forward and backward layers differ in return_sequences; Keras requires them to agree", backwardAt);
            }
            if (mergeMode != MergeMode.Concat && forward.Units != backward.Units)
            {
                throw _context.Invalid(entry.Described + ": merge_mode " + Text(mergeMode) + " needs both directions to have the same units, found " + forward.Units + " and " + backward.Units, backwardAt);
            }

            // get_weights() of a Bidirectional: the forward layer's arrays, then the backward layer's.
            var names = new List<string>();
            var shapes = new List<int[]>();
            foreach (string name in forward.Names) names.Add("forward " + name);
            foreach (string name in backward.Names) names.Add("backward " + name);
            shapes.AddRange(forward.Shapes);
            shapes.AddRange(backward.Shapes);
            Tensor[] all = _weights.Read(entry.Label, entry.Json, names.ToArray(), shapes.ToArray());
            var forwardWeights = new Tensor[forward.Names.Length];
            var backwardWeights = new Tensor[backward.Names.Length];
            System.Array.Copy(all, 0, forwardWeights, 0, forwardWeights.Length);
            System.Array.Copy(all, forwardWeights.Length, backwardWeights, 0, backwardWeights.Length);
            return new BidirectionalLayerSpec(entry.Name, inputSize, forward.Build(forwardWeights), backward.Build(backwardWeights), mergeMode);
        }

        private MergeMode ReadMergeMode(LayerConfig config)
        {
            JsonNode? node = config.ReadNode("merge_mode");
            if (node is null) return MergeMode.Concat; // the Keras and tfjs default
            string? value = (node as JsonString)?.Value;
            switch (value)
            {
                case "concat": return MergeMode.Concat;
                case "sum": return MergeMode.Sum;
                case "ave": return MergeMode.Average;
                case "mul": return MergeMode.Multiply;
            }
            string reason = node.Kind == JsonKind.Null
                ? "merge_mode null makes the layer output a list of two tensors, which is not a single model output; use concat, sum, ave or mul"
                : "supported: concat, sum, ave, mul";
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, config.Label, "merge_mode", node is JsonString s ? s.Value : node.Kind == JsonKind.Null ? "null" : node.Describe(), reason);
        }

        /// <summary>The wrapped layer object under <paramref name="key"/>; it must be an LSTM, GRU or SimpleRNN.</summary>
        private JsonObject WrappedLayer(LayerEntry entry, LayerConfig config, string key, out string className, out JsonObject layerConfig)
        {
            JsonNode? node = config.ReadNode(key);
            if (node is not JsonObject layer)
            {
                throw _context.Invalid(entry.Described + " has no \"" + key + "\" object with the wrapped layer's class_name and config", node ?? entry.Json);
            }
            if (layer["class_name"] is not JsonString name)
            {
                throw _context.Invalid(entry.Described + ": \"" + key + "\" has no \"class_name\"", layer);
            }
            if (name.Value is not ("LSTM" or "GRU" or "SimpleRNN"))
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, name, entry.Label, key, name.Value, "Bidirectional can wrap LSTM, GRU or SimpleRNN");
            }
            className = name.Value;
            layerConfig = layer["config"] as JsonObject ?? JsonObject.Empty;
            return layer;
        }

        private static string WrappedName(JsonObject config, string fallback) => GivenName(config) ?? fallback;

        private static string? GivenName(JsonObject config) => (config["name"] as JsonString)?.Value;

        private static string Text(MergeMode mode) => mode switch
        {
            MergeMode.Sum => "sum",
            MergeMode.Average => "ave",
            MergeMode.Multiply => "mul",
            _ => "concat",
        };
    }
}
