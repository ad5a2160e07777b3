using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>One element of the topology's layer list: its class, name, config and the raw JSON object.</summary>
    internal sealed class LayerEntry
    {
        private LayerEntry(JsonObject json, string className, string name, JsonObject config, int number, bool named)
        {
            Json = json;
            ClassName = className;
            Name = name;
            Config = config;
            Number = number;
            IsNamed = named;
        }

        public JsonObject Json { get; }

        public string ClassName { get; }

        /// <summary>The file's name, or a made-up one ("lstm_2") for the generated code when the file has none.</summary>
        public string Name { get; }

        /// <summary>1-based place in the file's layer list.</summary>
        public int Number { get; }

        /// <summary>Whether the file names the layer; a made-up name would mean nothing to the user in a message.</summary>
        public bool IsNamed { get; }

        /// <summary>
        /// The layer as a message names it after "Layer ": 'lstm' when the file names it, else its place and class,
        /// 2 (LSTM).
        /// </summary>
        public string Label => IsNamed ? "'" + Name + "'" : Number + " (" + ClassName + ")";

        /// <summary>The layer as a sentence starts: LSTM 'lstm', or layer 2 (LSTM).</summary>
        public string Described => IsNamed ? ClassName + " '" + Name + "'" : "layer " + Label;

        /// <summary>
        /// The label of a layer this one wraps: its own name, this name with <paramref name="suffix"/>, or this layer's
        /// place with <paramref name="what"/>, 2 (Bidirectional, forward LSTM).
        /// </summary>
        public string InnerLabel(string? innerName, string suffix, string what)
            => innerName is not null ? "'" + innerName + "'"
            : IsNamed ? "'" + Name + "/" + suffix + "'"
            : Number + " (" + ClassName + ", " + what + ")";

        public JsonObject Config { get; }

        public static LayerEntry From(JsonNode node, int index, ReadContext context)
        {
            if (node is not JsonObject obj)
            {
                throw context.Invalid("layer " + (index + 1) + " is a " + node.Describe() + ", expected an object with \"class_name\" and \"config\"", node);
            }
            if (obj["class_name"] is not JsonString className)
            {
                throw context.Invalid("layer " + (index + 1) + " (line " + obj.Line + ") has no \"class_name\"", obj);
            }
            JsonObject config = obj["config"] as JsonObject ?? JsonObject.Empty;
            string? given = (config["name"] as JsonString)?.Value ?? (obj["name"] as JsonString)?.Value;
            string name = given ?? className.Value.ToLowerInvariant() + "_" + (index + 1);
            return new LayerEntry(obj, className.Value, name, config, index + 1, given is not null);
        }
    }
}
