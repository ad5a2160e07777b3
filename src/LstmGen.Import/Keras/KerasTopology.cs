using System;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmGen.Import.Keras;

/// <summary>
/// Keras topologies as files carry them: a to_json() object with class_name, or wrapped as
/// {"model_config": {...}, "keras_version", "backend"} (h5 files' root attributes, tfjs converter output).
/// </summary>
internal static class KerasTopology
{
    /// <summary>Parses JSON text into the topology object with class_name (unwrapping model_config).</summary>
    public static JsonObject Parse(string json, string where)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new ImportException("the model topology is not valid JSON: " + e.Message, where: where,
                help: "save the topology again with model.to_json()", inner: e);
        }
        return Unwrap(node, where);
    }

    /// <summary>The object with class_name; keras_version and backend of a wrapper move into it when it lacks them.</summary>
    public static JsonObject Unwrap(JsonNode? node, string where)
    {
        if (node is not JsonObject outer)
        {
            throw new ImportException("the model topology is not a JSON object", where: where,
                help: "the topology must be a Keras model as model.to_json() writes it");
        }
        if (outer.ContainsKey("class_name")) return outer;
        if (!outer.TryGetPropertyValue("model_config", out JsonNode? inner) || inner is null)
        {
            throw new ImportException("the model topology has neither \"class_name\" nor \"model_config\"", where: where,
                help: "the topology must be a Keras model as model.to_json() writes it");
        }
        // Some writers store the wrapped config as a JSON string.
        JsonObject model = inner is JsonValue text && text.TryGetValue(out string? json)
            ? Parse(json, where)
            : Unwrap(inner.DeepClone(), where);
        AddMissing(model, "keras_version", StringOf(outer["keras_version"]));
        AddMissing(model, "backend", StringOf(outer["backend"]));
        return model;
    }

    /// <summary>Sets <paramref name="key"/> when the model lacks it and the file has a value.</summary>
    public static void AddMissing(JsonObject model, string key, string? value)
    {
        if (value is not null && !model.ContainsKey(key)) model[key] = value;
    }

    private static string? StringOf(JsonNode? node)
        => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
