using System.Collections.Generic;

namespace LstmGen.Generator.Parsing
{
    /// <summary>A functional model's layers in reading order and, for a graph that is not a chain, what each reads.</summary>
    internal sealed class FunctionalLayers
    {
        public FunctionalLayers(List<LayerEntry> order, Dictionary<string, List<string>>? inbound)
        {
            Order = order;
            Inbound = inbound;
        }

        /// <summary>Each layer after the layers it reads; the model's output layer last.</summary>
        public List<LayerEntry> Order { get; }

        /// <summary>For a graph: the names of the layers each layer reads, in the file's order (empty for the input). Null for a chain.</summary>
        public Dictionary<string, List<string>>? Inbound { get; }
    }

    /// <summary>
    /// Orders a Functional model that is a directed acyclic graph over one input and one output (branches and merge
    /// layers): depth first from the output through each layer's inputs in the file's order, so each branch is
    /// read as a whole before the next and every layer comes after what it reads. Rejects several inputs or
    /// outputs, cycles and layers that do not lead to the output, each with the layer named.
    /// </summary>
    internal static class FunctionalGraph
    {
        public static FunctionalLayers Order(List<LayerEntry> layers, JsonObject config, ReadContext context)
        {
            var byName = new Dictionary<string, LayerEntry>();
            var inbound = new Dictionary<string, List<string>>();
            LayerEntry? input = null;
            foreach (LayerEntry layer in layers)
            {
                if (byName.ContainsKey(layer.Name)) throw context.Invalid("two layers are named '" + layer.Name + "'", layer.Json);
                byName[layer.Name] = layer;
            }
            foreach (LayerEntry layer in layers)
            {
                List<string> names = FunctionalOrder.InboundNames(layer, context);
                inbound[layer.Name] = names;
                foreach (string name in names)
                {
                    if (!byName.ContainsKey(name)) throw context.Invalid("layer '" + layer.Name + "' takes its input from '" + name + "', which is not in the model", layer.Json);
                }
                if (names.Count > 0) continue;
                if (input is not null)
                {
                    throw context.Invalid("the model has several inputs ('" + input.Name + "', '" + layer.Name + "'); LstmGen compiles models with one input (merge the inputs into one [timesteps, features] tensor before the model)", layer.Json);
                }
                input = layer;
            }
            if (input is null) throw context.Invalid("no layer of the functional model is its input");

            LayerEntry output = OutputLayer(config, layers, byName, inbound, context);
            var order = new List<LayerEntry>();
            var state = new Dictionary<string, bool>(); // false: being visited (on the path), true: done
            Visit(output, order, state, byName, inbound, context, depth: 0);
            foreach (LayerEntry layer in layers)
            {
                if (!state.ContainsKey(layer.Name))
                {
                    throw context.Invalid("layer '" + layer.Name + "' does not lead to the model output '" + output.Name + "'; LstmGen compiles models with one output (remove the layer or make it part of the output)", layer.Json);
                }
            }
            return new FunctionalLayers(order, inbound);
        }

        /// <summary>The one output layer: <c>output_layers</c> when the file has it (Keras 2 and 3 write it), else the layer nothing reads.</summary>
        private static LayerEntry OutputLayer(JsonObject config, List<LayerEntry> layers, Dictionary<string, LayerEntry> byName, Dictionary<string, List<string>> inbound, ReadContext context)
        {
            var names = new List<string>();
            JsonNode? outputs = config["output_layers"];
            if (outputs is JsonArray array && array.Count > 0)
            {
                // [["name", 0, 0], ...] (Keras 2, Keras 3 with several) or ["name", 0, 0] (Keras 3, one output).
                if (array.Items[0] is JsonString single) names.Add(single.Value);
                else foreach (JsonNode item in array.Items) if (item is JsonArray entry && entry.Count > 0 && entry.Items[0] is JsonString name) names.Add(name.Value);
            }
            else
            {
                var read = new HashSet<string>();
                foreach (List<string> list in inbound.Values) foreach (string name in list) read.Add(name);
                foreach (LayerEntry layer in layers) if (!read.Contains(layer.Name)) names.Add(layer.Name);
            }
            if (names.Count != 1)
            {
                throw context.Invalid("the model has " + (names.Count == 0 ? "no output" : names.Count + " outputs (" + string.Join(", ", names) + ")") + "; LstmGen compiles models with one output (build a model of the output you need, e.g. keras.Model(inputs, outputs[0]))", outputs ?? config);
            }
            if (!byName.TryGetValue(names[0], out LayerEntry? output)) throw context.Invalid("the model output '" + names[0] + "' is not one of its layers", outputs);
            return output;
        }

        private static void Visit(LayerEntry layer, List<LayerEntry> order, Dictionary<string, bool> state, Dictionary<string, LayerEntry> byName, Dictionary<string, List<string>> inbound, ReadContext context, int depth)
        {
            if (state.TryGetValue(layer.Name, out bool done))
            {
                if (!done) throw context.Invalid("layer '" + layer.Name + "' reads its own output (a cycle); a model must be acyclic", layer.Json);
                return;
            }
            if (depth > 2000) throw context.Invalid("the graph is too deep (more than 2,000 layers on one path)", layer.Json);
            state[layer.Name] = false;
            foreach (string name in inbound[layer.Name]) Visit(byName[name], order, state, byName, inbound, context, depth + 1);
            state[layer.Name] = true;
            order.Add(layer);
        }
    }
}
