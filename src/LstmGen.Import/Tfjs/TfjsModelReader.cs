using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstmGen.Import.Keras;

namespace LstmGen.Import.Tfjs;

/// <summary>TensorFlow.js Layers model.json (modelTopology + weightsManifest) and the shards beside it.</summary>
internal static class TfjsModelReader
{
    /// <summary>A model.json is topology-sized; anything bigger is not one.</summary>
    private const long MaxJsonBytes = 256L << 20;

    public static ImportDocument Read(string modelJsonPath)
    {
        string fileName = Path.GetFileName(modelJsonPath);
        JsonObject root = ParseRoot(modelJsonPath, fileName);
        JsonObject model = KerasTopology.Unwrap(root["modelTopology"], "modelTopology");
        List<TfjsWeightGroup> groups = TfjsManifest.Parse(root["weightsManifest"]);

        var weights = new List<NamedWeight>();
        int shardCount = 0;
        foreach (TfjsWeightGroup group in groups)
        {
            if (group.Weights.Count == 0 && group.Paths.Count == 0) continue;
            TfjsShards shards = TfjsShards.Read(modelJsonPath, group);
            shardCount += shards.ShardCount;
            long offset = 0;
            foreach (TfjsWeightSpec spec in group.Weights)
            {
                float[] data = TfjsWeightDecoder.Decode(spec, shards.Bytes.AsSpan((int)offset, (int)spec.ByteLength));
                weights.Add(new NamedWeight(null, spec.Name, spec.Shape, data));
                offset += spec.ByteLength;
            }
        }

        var document = new ImportDocument(fileName, Describe(fileName, shardCount, groups), WeightsLayout.Tfjs) { Model = model };
        document.Weights.AddRange(weights);
        return document;
    }

    private static JsonObject ParseRoot(string path, string fileName)
    {
        if (new FileInfo(path).Length > MaxJsonBytes)
        {
            throw new ImportException(fileName + " is larger than " + (MaxJsonBytes >> 20) + " MiB, too large for a model.json",
                where: fileName, help: "a tfjs model.json holds the topology and manifest; the weights belong in shard files");
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject
                ?? throw new ImportException(fileName + " is not a JSON object", where: fileName);
        }
        catch (JsonException e)
        {
            throw new ImportException(fileName + " is not valid JSON: " + e.Message, where: fileName,
                help: "convert the model again with tensorflowjs_converter", inner: e);
        }
    }

    /// <summary>e.g. "TensorFlow.js Layers model (model.json + 2 shards, uint8-quantized)".</summary>
    private static string Describe(string fileName, int shards, List<TfjsWeightGroup> groups)
    {
        var stored = groups.SelectMany(g => g.Weights)
            .Select(w => w.Quantization is null ? (w.Dtype == "float32" ? null : w.Dtype) : w.Quantization.Dtype + "-quantized")
            .Where(s => s is not null).Distinct().OrderBy(s => s, StringComparer.Ordinal);
        string extra = string.Concat(stored.Select(s => ", " + s));
        return "TensorFlow.js Layers model (" + fileName + " + " + shards + (shards == 1 ? " shard" : " shards") + extra + ")";
    }
}
