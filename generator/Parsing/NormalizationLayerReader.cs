using System.Globalization;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads BatchNormalization and LayerNormalization in their inference form. Keys that would change the numbers
    /// and are not computed are errors located at the key; keys that only matter while training are read and ignored.
    /// </summary>
    internal sealed class NormalizationLayerReader
    {
        /// <summary>Keys of the normalization layers that only matter while training.</summary>
        private static readonly string[] s_trainingOnlyKeys =
        {
            "momentum", "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
            "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "fused", "renorm_momentum",
        };

        private readonly ReadContext _context;
        private readonly WeightReader _weights;

        public NormalizationLayerReader(ReadContext context, WeightReader weights)
        {
            _context = context;
            _weights = weights;
        }

        public LayerSpec BatchNormalization(LayerEntry entry, LayerConfig config, bool isSequence, int width)
        {
            ReadLastAxis(config, entry.Label, isSequence);
            float epsilon = ReadEpsilon(config, entry.Label);
            bool center = config.ReadBool("center", true);
            bool scale = config.ReadBool("scale", true);
            config.RequireBool("renorm", false, "batch renormalization is not supported; export the model without it");
            config.RequireNull("renorm_clipping", "batch renormalization is not supported");
            config.RequireNull("virtual_batch_size", "virtual batches are not supported");
            config.RequireNull("adjustment", "adjustment functions are not supported");
            Ignore(config);

            // get_weights(): gamma (scale), beta (center), moving_mean, moving_variance.
            var names = new System.Collections.Generic.List<string>();
            if (scale) names.Add("gamma");
            if (center) names.Add("beta");
            names.Add("moving_mean");
            names.Add("moving_variance");
            Tensor[] w = _weights.Read(entry.Label, entry.Json, names.ToArray(), Vectors(names.Count, width));
            int k = 0;
            Tensor? gamma = scale ? w[k++] : null;
            Tensor? beta = center ? w[k++] : null;
            return new BatchNormalizationLayerSpec(entry.Name, width, isSequence, epsilon, gamma, beta, w[k], w[k + 1]);
        }

        public LayerSpec LayerNormalization(LayerEntry entry, LayerConfig config, bool isSequence, int width)
        {
            ReadLastAxis(config, entry.Label, isSequence);
            float epsilon = ReadEpsilon(config, entry.Label);
            bool center = config.ReadBool("center", true);
            bool scale = config.ReadBool("scale", true);
            config.RequireBool("rms_scaling", false, "RMS scaling is not supported");
            Ignore(config);

            // get_weights(): gamma (scale), then beta (center).
            var names = new System.Collections.Generic.List<string>();
            if (scale) names.Add("gamma");
            if (center) names.Add("beta");
            Tensor[] w = names.Count == 0 ? System.Array.Empty<Tensor>() : _weights.Read(entry.Label, entry.Json, names.ToArray(), Vectors(names.Count, width));
            Tensor? gamma = scale ? w[0] : null;
            Tensor? beta = center ? w[scale ? 1 : 0] : null;
            return new LayerNormalizationLayerSpec(entry.Name, width, isSequence, epsilon, gamma, beta);
        }

        private static void Ignore(LayerConfig config)
        {
            foreach (string key in s_trainingOnlyKeys) config.ReadNode(key);
        }

        private static int[][] Vectors(int count, int width)
        {
            var shapes = new int[count][];
            for (int i = 0; i < count; i++) shapes[i] = new[] { width };
            return shapes;
        }

        /// <summary>Normalization over the last axis only: -1, or its positive index (Keras 2 writes [2] after build).</summary>
        private void ReadLastAxis(LayerConfig config, string layer, bool isSequence)
        {
            JsonNode? node = config.ReadNode("axis");
            if (node is null || node.Kind == JsonKind.Null) return; // the default, -1
            int last = isSequence ? 2 : 1;
            JsonNode single = node is JsonArray { Count: 1 } list ? list.Items[0] : node;
            if (single is JsonNumber { IsInteger: true } number && (number.Value == -1 || number.Value == last))
            {
                return;
            }
            string text = node is JsonNumber n ? n.Value.ToString(CultureInfo.InvariantCulture) : node.Describe();
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, layer, "axis", text, "only the last axis (-1, here " + last + ") is supported");
        }

        private float ReadEpsilon(LayerConfig config, string layer)
        {
            JsonNode? node = config.ReadNode("epsilon");
            if (node is null || node.Kind == JsonKind.Null) return 0.001f; // the Keras 2 / 3 and tfjs default
            if (node is JsonNumber number && number.Value >= 0 && number.Value <= 1e6)
            {
                return (float)number.Value;
            }
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, layer, "epsilon", node is JsonNumber n ? n.Value.ToString("R", CultureInfo.InvariantCulture) : node.Describe(), "it must be a number from 0 to 1e6");
        }
    }
}
