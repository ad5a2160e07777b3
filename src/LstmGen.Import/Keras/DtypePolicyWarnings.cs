using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace LstmGen.Import.Keras;

/// <summary>
/// Finds float dtype policies other than float32 (mixed_float16, bfloat16, float64...) anywhere in a topology:
/// the framework computed in that precision, LstmGen computes in float32, so outputs can differ slightly.
/// </summary>
internal static class DtypePolicyWarnings
{
    public static void Add(JsonObject? model, List<string> warnings)
    {
        if (model is null) return;
        var policies = new SortedSet<string>(StringComparer.Ordinal);
        Collect(model, policies, depth: 0);
        if (policies.Count == 0) return;
        warnings.Add("the model uses dtype policy " + string.Join(", ", policies.Select(p => "'" + p + "'"))
            + "; LstmGen computes in float32, so outputs may differ slightly from the framework's");
    }

    private static void Collect(JsonNode? node, SortedSet<string> policies, int depth)
    {
        if (depth > 200) return;
        switch (node)
        {
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> pair in obj)
                {
                    if (pair.Key == "dtype" && PolicyName(pair.Value) is string name && IsOtherFloat(name)) policies.Add(name);
                    else Collect(pair.Value, policies, depth + 1);
                }
                break;
            case JsonArray array:
                foreach (JsonNode? item in array) Collect(item, policies, depth + 1);
                break;
        }
    }

    /// <summary>"mixed_float16", or {"class_name": "DTypePolicy"|"Policy"|..., "config": {"name": ...}}.</summary>
    private static string? PolicyName(JsonNode? dtype) => dtype switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonObject obj => obj["config"]?["name"] is JsonValue name && name.TryGetValue(out string? text) ? text : null,
        _ => null,
    };

    // Integer dtypes (an InputLayer of token ids) are inputs, not compute precision.
    private static bool IsOtherFloat(string name)
        => name != "float32" && name.Contains("float", StringComparison.Ordinal);
}
