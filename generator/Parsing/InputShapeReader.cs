using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Diagnostics;

namespace LstmGen.Generator.Parsing
{
    /// <summary>The model's per-sequence input: timesteps (null when variable) and features.</summary>
    internal readonly struct InputShape
    {
        public InputShape(int? timesteps, int features)
        {
            Timesteps = timesteps;
            Features = features;
        }

        public int? Timesteps { get; }

        public int Features { get; }
    }

    /// <summary>
    /// Finds the input shape where each dialect writes it: an InputLayer's <c>batch_shape</c> (Keras 3) or
    /// <c>batch_input_shape</c> (Keras 2, tfjs), the first layer's <c>batch_input_shape</c>, a
    /// <c>build_config.input_shape</c> (for a first Bidirectional layer also its wrapped layer's shape keys), or the
    /// Sequential config's <c>build_input_shape</c>.
    /// </summary>
    internal static class InputShapeReader
    {
        public static InputShape Find(JsonObject root, JsonObject? modelConfig, List<LayerEntry> layers, ReadContext context)
        {
            // An Embedding first takes [batch, timesteps] token ids: one id per timestep.
            bool tokens = false;
            bool transposed = false;
            foreach (LayerEntry layer in layers)
            {
                if (layer.ClassName == "InputLayer") continue;
                tokens = layer.ClassName == "Embedding";
                // A first Permute or channels_first layer reads [channels, steps]: its steps are the last axis.
                transposed = layer.ClassName == "Permute"
                    || (layer.Config["data_format"] is JsonString { Value: "channels_first" or "channelsFirst" });
                break;
            }
            foreach (LayerEntry layer in layers)
            {
                bool isInput = layer.ClassName == "InputLayer";
                if (TryLayerShape(layer, out JsonNode? shape, out string where))
                {
                    return Interpret(shape!, where, tokens, transposed, context);
                }
                if (!isInput) break; // only the first real layer can declare the model's input
            }
            if (modelConfig?["build_input_shape"] is JsonArray buildInput)
            {
                return Interpret(buildInput, "config.build_input_shape", tokens, transposed, context);
            }
            if (root["build_config"] is JsonObject build && build["input_shape"] is JsonArray rootShape)
            {
                return Interpret(rootShape, "build_config.input_shape", tokens, transposed, context);
            }
            throw context.Fail(
                DiagnosticDescriptors.MissingInputShape,
                context.FileName,
                "no InputLayer batch_shape, no batch_input_shape on the first layer and no build_config.input_shape; declare the input, e.g. \"batch_input_shape\": [null, timesteps, features] (null timesteps = any length)");
        }

        private static bool TryLayerShape(LayerEntry layer, out JsonNode? shape, out string where)
        {
            foreach (string key in new[] { "batch_shape", "batch_input_shape" })
            {
                if (layer.Config[key] is JsonArray batchShape)
                {
                    shape = batchShape;
                    where = "layer " + layer.Label + " " + key;
                    return true;
                }
            }
            if (layer.Config["input_shape"] is JsonArray inputShape)
            {
                // input_shape omits the batch axis; put it back so every source reads the same way.
                shape = inputShape;
                where = "layer " + layer.Label + " input_shape (no batch axis)";
                return true;
            }
            if (layer.Json["build_config"] is JsonObject build && build["input_shape"] is JsonArray built)
            {
                shape = built;
                where = "layer " + layer.Label + " build_config.input_shape";
                return true;
            }
            // Bidirectional(LSTM(..., input_shape=...)): the shape may sit on the wrapped layer's config.
            if (layer.ClassName == "Bidirectional" && layer.Config["layer"] is JsonObject wrapped && wrapped["config"] is JsonObject wrappedConfig)
            {
                foreach (string key in new[] { "batch_shape", "batch_input_shape", "input_shape" })
                {
                    if (wrappedConfig[key] is JsonArray wrappedShape)
                    {
                        shape = wrappedShape;
                        where = "layer " + layer.Label + " layer." + key + (key == "input_shape" ? " (no batch axis)" : string.Empty);
                        return true;
                    }
                }
            }
            shape = null;
            where = string.Empty;
            return false;
        }

        /// <param name="transposed">The first layer is a Permute or channels_first layer, which reads [channels, steps].</param>
        private static InputShape Interpret(JsonNode node, string where, bool tokens, bool transposed, ReadContext context)
        {
            var array = (JsonArray)node;
            var dims = new List<int?>();
            foreach (JsonNode item in array.Items)
            {
                if (item.Kind == JsonKind.Null) dims.Add(null);
                else if (item is JsonNumber n && n.IsInteger && n.Value >= 1 && n.Value <= int.MaxValue) dims.Add((int)n.Value);
                else throw Bad(array, where, "dimension " + item.Describe() + " is not a positive whole number or null", context);
            }
            if (where.EndsWith("(no batch axis)", System.StringComparison.Ordinal))
            {
                dims.Insert(0, null);
            }
            if (tokens)
            {
                if (dims.Count != 2)
                {
                    throw Bad(array, where, "an Embedding model takes [batch, timesteps] token ids, found " + dims.Count + " dimensions", context);
                }
                dims.Add(1);
            }
            if (dims.Count != 3)
            {
                throw Bad(array, where, "a recurrent model needs [batch, timesteps, features], found " + dims.Count + " dimensions", context);
            }
            if (dims[2] is null)
            {
                throw Bad(array, where, "the feature count (last dimension) must be fixed"
                    + (transposed ? "; the first layer reads [channels, steps] (Permute, or data_format channels_first), so its steps are the last dimension: give the input a fixed length" : string.Empty), context);
            }
            if (dims[1] is int t && t > ModelLimits.MaxTimesteps)
            {
                throw Bad(array, where, "more than " + ModelLimits.MaxTimesteps.ToString(CultureInfo.InvariantCulture) + " timesteps", context);
            }
            return new InputShape(dims[1], dims[2]!.Value);
        }

        private static ModelReadException Bad(JsonArray array, string where, string reason, ReadContext context)
            => context.FailAt(DiagnosticDescriptors.MissingInputShape, array, context.FileName, "input shape " + Text(array) + " from " + where + ": " + reason);

        private static string Text(JsonArray array)
        {
            var parts = new List<string>();
            foreach (JsonNode item in array.Items)
            {
                parts.Add(item is JsonNumber n ? n.Value.ToString(CultureInfo.InvariantCulture) : item.Kind == JsonKind.Null ? "null" : item.Describe());
            }
            return "[" + string.Join(", ", parts) + "]";
        }
    }
}
