using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace LstmGen.Import.Tfjs;

/// <summary>One weightsManifest group: shard files concatenated in order hold its weights back to back.</summary>
internal sealed record TfjsWeightGroup(IReadOnlyList<string> Paths, IReadOnlyList<TfjsWeightSpec> Weights);

/// <summary>A manifest entry: <paramref name="Dtype"/> is the tensor's dtype, <paramref name="Quantization"/> how its bytes store it.</summary>
internal sealed record TfjsWeightSpec(string Name, int[] Shape, int Count, string Dtype, TfjsQuantization? Quantization)
{
    /// <summary>The dtype of the bytes in the shard (the quantization dtype when quantized).</summary>
    public string StoredDtype => Quantization?.Dtype ?? Dtype;

    public long ByteLength => (long)Count * TfjsManifest.BytesPerValue(StoredDtype);
}

/// <summary>uint8/uint16 affine (value = q*scale + min) or float16 storage.</summary>
internal sealed record TfjsQuantization(string Dtype, double Scale, double Min);

/// <summary>Reads and checks "weightsManifest" before any shard is opened.</summary>
internal static class TfjsManifest
{
    private const string Help = "convert the model again with tensorflowjs_converter, or fix the manifest in model.json";

    public static int BytesPerValue(string dtype) => dtype switch
    {
        "float32" or "int32" => 4,
        "float16" or "uint16" => 2,
        "uint8" => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public static List<TfjsWeightGroup> Parse(JsonNode? manifest)
    {
        if (manifest is not JsonArray groups)
        {
            throw new ImportException("\"weightsManifest\" is not a list of weight groups", where: "weightsManifest", help: Help);
        }
        var result = new List<TfjsWeightGroup>();
        for (int g = 0; g < groups.Count; g++)
        {
            string where = "weightsManifest[" + g + "]";
            if (groups[g] is not JsonObject group || group["paths"] is not JsonArray paths || group["weights"] is not JsonArray weights)
            {
                throw new ImportException(where + " needs \"paths\" and \"weights\" lists", where: where, help: Help);
            }
            var files = new List<string>();
            foreach (JsonNode? path in paths) files.Add(Text(path, where + ".paths"));
            var specs = new List<TfjsWeightSpec>();
            foreach (JsonNode? weight in weights) specs.Add(ParseWeight(weight, where));
            if (files.Count == 0 && specs.Count > 0)
            {
                throw new ImportException(where + " lists weights but no shard files", where: where, help: Help);
            }
            result.Add(new TfjsWeightGroup(files, specs));
        }
        return result;
    }

    private static TfjsWeightSpec ParseWeight(JsonNode? node, string groupWhere)
    {
        if (node is not JsonObject weight) throw new ImportException(groupWhere + " has a weight that is not an object", where: groupWhere, help: Help);
        string name = Text(weight["name"], groupWhere + " weight name");
        string dtype = weight["dtype"] is null ? "float32" : Text(weight["dtype"], name);
        if (dtype is not ("float32" or "float16" or "int32"))
        {
            throw new ImportException("weight '" + name + "' has dtype '" + dtype + "', which LstmGen cannot read (float32, float16 and int32 only)",
                where: name, help: "only numeric weights belong to a recurrent model; convert the model with float32 weights");
        }
        int[] shape = Shape(weight["shape"], name, out int count);
        TfjsQuantization? quantization = weight["quantization"] is JsonNode q ? Quantization(q, name, dtype) : null;
        return new TfjsWeightSpec(name, shape, count, dtype, quantization);
    }

    private static TfjsQuantization Quantization(JsonNode node, string name, string dtype)
    {
        if (node is not JsonObject q) throw new ImportException("weight '" + name + "' has a \"quantization\" that is not an object", where: name, help: Help);
        string stored = Text(q["dtype"], name + " quantization dtype");
        switch (stored)
        {
            case "uint8" or "uint16":
                double scale = Number(q["scale"], name, "scale"), min = Number(q["min"], name, "min");
                return new TfjsQuantization(stored, scale, min);
            case "float16" when dtype == "float32":
                return new TfjsQuantization(stored, 0, 0);
            default:
                throw new ImportException("weight '" + name + "' has quantization dtype '" + stored + "' for a " + dtype
                    + " weight; TensorFlow.js reads uint8 and uint16 (and float16 for float32 weights) only", where: name, help: Help);
        }
    }

    private static double Number(JsonNode? node, string name, string key)
    {
        double value = node is JsonValue v && v.TryGetValue(out double d) ? d
            : throw new ImportException("weight '" + name + "' is quantized without a numeric \"" + key + "\"", where: name, help: Help);
        if (!double.IsFinite(value))
        {
            throw new ImportException("weight '" + name + "' has a non-finite quantization " + key, where: name, help: Help);
        }
        return value;
    }

    private static int[] Shape(JsonNode? node, string name, out int count)
    {
        if (node is not JsonArray dims) throw new ImportException("weight '" + name + "' has no \"shape\" list", where: name, help: Help);
        var shape = new int[dims.Count];
        long total = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] is not JsonValue v || !v.TryGetValue(out long dim) || dim < 0 || dim > Array.MaxLength)
            {
                throw new ImportException("weight '" + name + "' has shape " + dims.ToJsonString() + "; dimensions must be whole numbers from 0 to " + Array.MaxLength,
                    where: name, help: Help);
            }
            shape[i] = (int)dim;
            total *= dim;
            if (total > Array.MaxLength)
            {
                throw new ImportException("weight '" + name + "' with shape " + dims.ToJsonString() + " has more values than one array can hold",
                    where: name, help: Help);
            }
        }
        count = (int)total;
        return shape;
    }

    private static string Text(JsonNode? node, string where)
        => node is JsonValue v && v.TryGetValue(out string? text) ? text
            : throw new ImportException(where + " is not a string", where: where, help: Help);
}
