using System;
using System.Linq;
using System.Text.Json.Nodes;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>
/// Turns a <see cref="WeightsLayout.Layers"/> import document into LstmGen's own JSON (each layer object carries
/// "weights" as nested lists; a Bidirectional's forward arrays then backward arrays), so an importer's translation
/// can be compiled by the generator and checked end to end independently of the generator's import reading.
/// </summary>
internal static class LegacyJson
{
    public static string Write(ImportDocument document)
    {
        if (document.Layout != WeightsLayout.Layers) throw new ArgumentException("only the Layers layout names weights by layer", nameof(document));
        var model = (JsonObject)document.Model!.DeepClone();
        foreach (JsonNode? node in model["config"]!["layers"]!.AsArray())
        {
            string name = (string)node!["config"]!["name"]!;
            var arrays = document.Weights.Where(w => w.Layer == name).ToList();
            if (arrays.Count > 0) node.AsObject()["weights"] = new JsonArray(arrays.Select(w => Nested(w.Data, w.Shape, 0, 0)).ToArray());
        }
        int attached = model["config"]!["layers"]!.AsArray().Sum(l => l!["weights"]?.AsArray().Count ?? 0);
        if (attached != document.Weights.Count) throw new InvalidOperationException("some weights name no layer of the topology");
        return model.ToJsonString();
    }

    private static JsonNode Nested(float[] data, int[] shape, int axis, int offset)
    {
        if (shape.Length == 0) return JsonValue.Create(data[offset]);
        int stride = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        if (axis == shape.Length - 1) return new JsonArray(Enumerable.Range(0, shape[axis]).Select(i => (JsonNode)JsonValue.Create(data[offset + i])).ToArray());
        return new JsonArray(Enumerable.Range(0, shape[axis]).Select(i => Nested(data, shape, axis + 1, offset + i * stride)).ToArray());
    }
}
