using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace LstmGen.Import.Onnx;

/// <summary>Collects the Keras Sequential topology and its weights (named by layer) as the graph is walked.</summary>
internal sealed class KerasModelBuilder
{
    private readonly Dictionary<string, int> _counters = new();

    public JsonArray Layers { get; } = new();

    public List<NamedWeight> Weights { get; } = new();

    /// <summary>Keras-style unique names: lstm, lstm_1, dense, dense_1...</summary>
    public string NewName(string prefix)
    {
        int n = _counters.TryGetValue(prefix, out int c) ? c : 0;
        _counters[prefix] = n + 1;
        return n == 0 ? prefix : prefix + "_" + n;
    }

    public JsonObject Add(string className, JsonObject config, IEnumerable<(string Name, int[] Shape, float[] Data)> weights)
    {
        string name = (string)config["name"]!;
        var layer = new JsonObject { ["class_name"] = className, ["config"] = config };
        Layers.Add(layer);
        foreach ((string weightName, int[] shape, float[] data) in weights) Weights.Add(new NamedWeight(name, name + "/" + weightName, shape, data));
        return layer;
    }

    public JsonObject Build(string modelName)
        => new()
        {
            ["class_name"] = "Sequential",
            // Not "3..." and not "tfjs...": Keras 2 semantics, which is what ONNX HardSigmoid(0.2, 0.5) computes.
            ["keras_version"] = "onnx",
            ["config"] = new JsonObject { ["name"] = modelName, ["layers"] = Layers },
        };

    public static JsonArray Shape(params long?[] dims) => new(dims.Select(d => d is long v ? (JsonNode)JsonValue.Create(v) : null).ToArray());
}
