using System.Collections.Generic;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// The layer objects of a topology (Sequential "config.layers", Keras 2.0-2.2's bare "config" list, Functional
    /// "config.layers"), and a copy of the topology with a "weights" list on chosen layers.
    /// </summary>
    internal sealed class LayerList
    {
        private readonly JsonObject _topology;
        private readonly JsonObject? _config;
        private readonly JsonArray _layers;

        private LayerList(JsonObject topology, JsonObject? config, JsonArray layers)
        {
            _topology = topology;
            _config = config;
            _layers = layers;
            Names = new string[layers.Count];
            ClassNames = new string[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i] as JsonObject;
                JsonObject? layerConfig = layer?["config"] as JsonObject;
                Names[i] = (layerConfig?["name"] as JsonString)?.Value ?? (layer?["name"] as JsonString)?.Value ?? "";
                ClassNames[i] = (layer?["class_name"] as JsonString)?.Value ?? "";
            }
        }

        public int Count => _layers.Count;

        public string[] Names { get; }

        public string[] ClassNames { get; }

        public static LayerList Of(JsonObject topology, ReadContext context)
        {
            JsonNode? config = topology["config"];
            if (config is JsonArray bare) return new LayerList(topology, null, bare);
            if (config is JsonObject obj && obj["layers"] is JsonArray layers) return new LayerList(topology, obj, layers);
            throw context.Invalid("the model's topology has no \"config\".\"layers\" list", topology);
        }

        /// <summary>The topology again, where layer i carries <paramref name="weights"/>[i] as "weights" (when not null).</summary>
        public JsonObject WithWeights(JsonArray?[] weights)
        {
            var items = new List<JsonNode>(_layers.Count);
            for (int i = 0; i < _layers.Count; i++)
            {
                JsonNode item = _layers[i];
                if (weights[i] is JsonArray list && item is JsonObject layer)
                {
                    item = Replace(layer, "weights", list);
                }
                items.Add(item);
            }
            var layersArray = new JsonArray(_layers.Line, _layers.Column, items);
            JsonNode newConfig = _config is null ? layersArray : Replace(_config, "layers", layersArray);
            return Replace(_topology, "config", newConfig);
        }

        private static JsonObject Replace(JsonObject obj, string key, JsonNode value)
        {
            var members = new List<KeyValuePair<string, JsonNode>>(obj.Count + 1);
            foreach (KeyValuePair<string, JsonNode> member in obj.Members)
            {
                if (member.Key != key) members.Add(member);
            }
            members.Add(new KeyValuePair<string, JsonNode>(key, value));
            return new JsonObject(obj.Line, obj.Column, members);
        }
    }
}
