using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>
/// Builds import documents (what the build step writes for a binary model file) from a fixture in LstmGen's JSON,
/// naming the weights the way each source format does, so the generator's attachment rules can be checked against
/// the fixture's framework-computed outputs.
/// </summary>
internal static class ImportDocuments
{
    public static string Write(ImportDocument document)
    {
        using var stream = new MemoryStream();
        ImportDocumentWriter.Write(stream, document);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string WriteError(string source, ImportException error)
    {
        using var stream = new MemoryStream();
        ImportDocumentWriter.WriteError(stream, source, error);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The fixture's topology without its inline weights, and each layer's weights as (layer name, class, arrays).</summary>
    public static (JsonObject Topology, List<(string Layer, string ClassName, string? Inner, List<(int[] Shape, float[] Data)> Arrays)> Layers) Split(string fixtureJson)
    {
        var root = JsonNode.Parse(fixtureJson)!.AsObject();
        var layers = new List<(string, string, string?, List<(int[], float[])>)>();
        foreach (JsonNode? node in root["config"]!["layers"]!.AsArray())
        {
            JsonObject layer = node!.AsObject();
            string name = layer["config"]!["name"]!.GetValue<string>();
            string className = layer["class_name"]!.GetValue<string>();
            string? inner = layer["config"]!["layer"]?["class_name"]?.GetValue<string>();
            var arrays = new List<(int[], float[])>();
            if (layer["weights"] is JsonArray weights)
            {
                foreach (JsonNode? w in weights) arrays.Add(Flatten(w!));
            }
            layer.Remove("weights");
            layers.Add((name, className, inner, arrays));
        }
        return (root, layers);
    }

    /// <summary>Keras's variable names for a layer's get_weights() arrays.</summary>
    public static string[] Roles(string className, string? inner, int count)
    {
        string recurrent = inner ?? className;
        bool isRecurrent = recurrent is "LSTM" or "GRU" or "SimpleRNN";
        string[] one = isRecurrent ? new[] { "kernel", "recurrent_kernel", "bias" } : new[] { "kernel", "bias" };
        if (className == "Bidirectional") return one.Take(count / 2).Concat(one.Take(count / 2)).ToArray();
        return one.Take(count).ToArray();
    }

    private static (int[] Shape, float[] Data) Flatten(JsonNode node)
    {
        var shape = new List<int>();
        JsonNode probe = node;
        while (probe is JsonArray a)
        {
            shape.Add(a.Count);
            if (a.Count == 0) break;
            probe = a[0]!;
        }
        var data = new List<float>();
        void Walk(JsonNode n)
        {
            if (n is JsonArray a) { foreach (JsonNode? c in a) Walk(c!); }
            else data.Add(n.GetValue<float>());
        }
        Walk(node);
        return (shape.ToArray(), data.ToArray());
    }
}
