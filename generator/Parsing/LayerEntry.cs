using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>One element of the topology's layer list: its class, name, config and the raw JSON object.</summary>
    internal sealed class LayerEntry
    {
        private LayerEntry(JsonObject json, string className, string name, JsonObject config)
        {
            Json = json;
            ClassName = className;
            Name = name;
            Config = config;
        }

        public JsonObject Json { get; }

        public string ClassName { get; }

        public string Name { get; }

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
            string name = (config["name"] as JsonString)?.Value
                ?? (obj["name"] as JsonString)?.Value
                ?? className.Value.ToLowerInvariant() + "_" + (index + 1);
            return new LayerEntry(obj, className.Value, name, config);
        }
    }
}
