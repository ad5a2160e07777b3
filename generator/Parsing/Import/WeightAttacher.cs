using System;
using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Puts an import document's weights on the topology's layers, as the "weights" list each layer carries in
    /// LstmGen's JSON, by the rule of the file's layout:
    /// <list type="bullet">
    /// <item>keras2 / layers: the layer's name is given; the weights come in get_weights() order.</item>
    /// <item>keras3: the key Keras 3 saves a layer under (its class in snake case, numbered per class in model order).</item>
    /// <item>tfjs: the manifest name "[model/]layer[/forward_x|backward_x][/cell]/role", ordered by role.</item>
    /// </list>
    /// </summary>
    internal static class WeightAttacher
    {
        public static JsonObject Attach(JsonObject topology, string layout, JsonArray weights, string fileName, ReadContext context)
        {
            LayerList layers = LayerList.Of(topology, context);
            var assigned = new List<(int Order, JsonNode Weight)>[layers.Count];
            for (int i = 0; i < assigned.Length; i++) assigned[i] = new List<(int, JsonNode)>();

            string[] keys = layout switch
            {
                "keras2" or "layers" => layers.Names,
                "keras3" => Keras3Keys(layers),
                "tfjs" => layers.Names,
                _ => throw context.Fail(DiagnosticDescriptors.ImportFailed, fileName, "the converted copy under obj/ has an unknown weights layout '" + layout + "'; rebuild the project"),
            };

            for (int index = 0; index < weights.Count; index++)
            {
                if (weights[index] is not JsonObject weight) continue;
                string name = (weight["name"] as JsonString)?.Value ?? "";
                if (layout == "tfjs")
                {
                    (int layer, int order) = TfjsPlace(name, keys);
                    if (layer < 0) throw Unmatched(name, null, layers, fileName, context);
                    assigned[layer].Add((order * 100_000 + index, weight));
                }
                else
                {
                    string? key = (weight["layer"] as JsonString)?.Value;
                    int layer = key is null ? -1 : Array.IndexOf(keys, key);
                    if (layer < 0) throw Unmatched(name, key, layers, fileName, context);
                    assigned[layer].Add((index, weight));
                }
            }

            var lists = new JsonArray?[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                if (assigned[i].Count == 0) continue;
                assigned[i].Sort((a, b) => a.Order.CompareTo(b.Order));
                var items = new List<JsonNode>(assigned[i].Count);
                foreach ((int _, JsonNode weight) in assigned[i]) items.Add(weight);
                lists[i] = new JsonArray(0, 0, items);
            }
            return layers.WithWeights(lists);
        }

        private static ModelReadException Unmatched(string name, string? key, LayerList layers, string fileName, ReadContext context)
            => context.Fail(DiagnosticDescriptors.ImportFailed, fileName,
                "the weight '" + name + "'" + (key is null ? "" : " (of '" + key + "')") + " belongs to no layer of the model's topology (" + string.Join(", ", layers.Names)
                + "); the topology and the weights come from different models");

        /// <summary>
        /// Keras 3 saves model.layers under "layers/KEY": the class name in snake case, and from the second layer of
        /// a class on, "_1", "_2"... (keras/src/saving/saving_lib.py, _save_container_state).
        /// </summary>
        private static string[] Keras3Keys(LayerList layers)
        {
            var used = new Dictionary<string, int>(StringComparer.Ordinal);
            var keys = new string[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                string key = SnakeCase(layers.ClassNames[i]);
                if (used.TryGetValue(key, out int count))
                {
                    used[key] = count + 1;
                    key = key + "_" + (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    used[key] = 0;
                }
                keys[i] = key;
            }
            return keys;
        }

        /// <summary>keras.src.utils.naming.to_snake_case: "SimpleRNN" → "simple_rnn", "BatchNormalization" → "batch_normalization".</summary>
        internal static string SnakeCase(string name)
        {
            var letters = new System.Text.StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (char.IsLetterOrDigit(c) || c == '_') letters.Append(c);
            }
            string s = letters.ToString();
            // (.)([A-Z][a-z]+) → \1_\2
            var first = new System.Text.StringBuilder(s.Length + 8);
            for (int i = 0; i < s.Length; i++)
            {
                if (i > 0 && IsUpper(s[i]) && i + 1 < s.Length && IsLower(s[i + 1])) first.Append('_');
                first.Append(s[i]);
            }
            // ([a-z])([A-Z]) → \1_\2, then lower case
            string t = first.ToString();
            var second = new System.Text.StringBuilder(t.Length + 8);
            for (int i = 0; i < t.Length; i++)
            {
                if (i > 0 && IsUpper(t[i]) && IsLower(t[i - 1])) second.Append('_');
                second.Append(char.ToLowerInvariant(t[i]));
            }
            return second.ToString();
        }

        private static bool IsUpper(char c) => c >= 'A' && c <= 'Z';

        private static bool IsLower(char c) => c >= 'a' && c <= 'z';

        /// <summary>
        /// The layer a tfjs manifest name belongs to (its first segment that is a layer name, so model-name prefixes
        /// are skipped) and its place among that layer's weights: forward before backward, then by role.
        /// </summary>
        private static (int Layer, int Order) TfjsPlace(string name, string[] layerNames)
        {
            string[] segments = name.Split('/');
            for (int i = 0; i < segments.Length - 1; i++)
            {
                int layer = Array.IndexOf(layerNames, segments[i]);
                if (layer < 0) continue;
                int direction = 0;
                for (int j = i + 1; j < segments.Length - 1; j++)
                {
                    if (segments[j].StartsWith("backward", StringComparison.Ordinal)) direction = 1;
                }
                string role = segments[segments.Length - 1];
                int colon = role.IndexOf(':');
                if (colon >= 0) role = role.Substring(0, colon);
                return (layer, direction * 100 + RoleRank(role));
            }
            return (-1, 0);
        }

        /// <summary>get_weights() order of the roles Keras layers have; unknown roles keep their manifest order after these.</summary>
        private static int RoleRank(string role) => role switch
        {
            "kernel" or "embeddings" or "gamma" or "depthwise_kernel" => 0,
            "recurrent_kernel" or "beta" or "pointwise_kernel" => 1,
            "bias" => 2,
            "moving_mean" => 2,
            "moving_variance" => 3,
            _ => 50,
        };
    }
}
