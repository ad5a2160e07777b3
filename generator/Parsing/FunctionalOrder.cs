using System.Collections.Generic;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Orders a functional model's layers by following "inbound_nodes" from the input, and rejects any
    /// graph that is not a single chain (branches, merges, shared layers, several inputs or outputs).
    /// </summary>
    internal static class FunctionalOrder
    {
        /// <summary>The class names of Keras's merge layers, the only layers a graph's layer may read several inputs with.</summary>
        public static readonly HashSet<string> MergeLayers = new HashSet<string> { "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate" };

        /// <summary>
        /// The layers in an order where each comes after the layers it reads, with what each reads (by name, in the
        /// file's order); <see cref="FunctionalLayers.Inbound"/> is null for a single chain (read as before).
        /// </summary>
        public static FunctionalLayers Read(List<LayerEntry> layers, JsonObject config, ReadContext context)
        {
            bool chain = true;
            var consumed = new HashSet<string>();
            foreach (LayerEntry layer in layers)
            {
                List<string> inbound = InboundNames(layer, context);
                if (inbound.Count > 1 || (inbound.Count == 1 && !consumed.Add(inbound[0]))) chain = false;
            }
            return chain
                ? new FunctionalLayers(Chain(layers, context), null)
                : FunctionalGraph.Order(layers, config, context);
        }

        public static List<LayerEntry> Chain(List<LayerEntry> layers, ReadContext context)
        {
            var byName = new Dictionary<string, LayerEntry>();
            var consumers = new Dictionary<string, List<LayerEntry>>();
            LayerEntry? first = null;
            foreach (LayerEntry layer in layers)
            {
                if (byName.ContainsKey(layer.Name))
                {
                    throw context.Invalid("two layers are named '" + layer.Name + "'", layer.Json);
                }
                byName[layer.Name] = layer;
            }
            foreach (LayerEntry layer in layers)
            {
                List<string> inbound = InboundNames(layer, context);
                if (inbound.Count == 0)
                {
                    if (first is not null)
                    {
                        throw context.Invalid("the model has several inputs ('" + first.Name + "', '" + layer.Name + "'); only single-chain models are supported", layer.Json);
                    }
                    first = layer;
                    continue;
                }
                if (inbound.Count > 1)
                {
                    throw context.Invalid("layer '" + layer.Name + "' has several inputs (" + string.Join(", ", inbound) + "); only single-chain models are supported", layer.Json);
                }
                if (!byName.ContainsKey(inbound[0]))
                {
                    throw context.Invalid("layer '" + layer.Name + "' takes its input from '" + inbound[0] + "', which is not in the model", layer.Json);
                }
                if (!consumers.TryGetValue(inbound[0], out List<LayerEntry>? list))
                {
                    consumers[inbound[0]] = list = new List<LayerEntry>();
                }
                list.Add(layer);
            }
            if (first is null)
            {
                throw context.Invalid("no layer of the functional model is its input");
            }

            var chain = new List<LayerEntry> { first };
            LayerEntry current = first;
            while (consumers.TryGetValue(current.Name, out List<LayerEntry>? next))
            {
                if (next.Count > 1)
                {
                    throw context.Invalid("the output of '" + current.Name + "' feeds several layers; only single-chain models are supported", current.Json);
                }
                current = next[0];
                chain.Add(current);
            }
            if (chain.Count != layers.Count)
            {
                throw context.Invalid("not every layer lies on the chain from '" + first.Name + "'; only single-chain models are supported");
            }
            return chain;
        }

        /// <summary>
        /// Names of the layers feeding <paramref name="layer"/>. Keras 2 and tfjs write
        /// <c>[[["name", 0, 0, {}]]]</c>; Keras 3 writes <c>[{"args": [{"config": {"keras_history": ["name", 0, 0]}}]}]</c>.
        /// </summary>
        public static List<string> InboundNames(LayerEntry layer, ReadContext context)
        {
            var names = new List<string>();
            if (layer.Json["inbound_nodes"] is not JsonArray nodes || nodes.Count == 0)
            {
                return names;
            }
            if (nodes.Count > 1)
            {
                throw context.Invalid("layer '" + layer.Name + "' is called " + nodes.Count + " times (a shared layer); LstmGen compiles each layer called once", nodes);
            }
            JsonNode node = nodes.Items[0];
            if (node is JsonArray refs)
            {
                foreach (JsonNode reference in refs.Items)
                {
                    if (reference is JsonArray parts && parts.Count > 0 && parts.Items[0] is JsonString name)
                    {
                        names.Add(name.Value);
                    }
                }
            }
            else if (node is JsonObject call)
            {
                CollectKerasHistory(call["args"], names, depth: 0);
            }
            return names;
        }

        private static void CollectKerasHistory(JsonNode? node, List<string> names, int depth)
        {
            if (node is null || depth > 8) return;
            if (node is JsonObject obj)
            {
                if (obj["keras_history"] is JsonArray history && history.Count > 0 && history.Items[0] is JsonString name)
                {
                    names.Add(name.Value);
                    return;
                }
                foreach (var member in obj.Members) CollectKerasHistory(member.Value, names, depth + 1);
            }
            else if (node is JsonArray array)
            {
                foreach (JsonNode item in array.Items) CollectKerasHistory(item, names, depth + 1);
            }
        }
    }
}
