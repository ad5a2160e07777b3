using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using PureHDF;

namespace LstmGen.Import.Keras;

/// <summary>Keras HDF5 files: model.save("m.h5") (model_config + model_weights), and save_weights() files.</summary>
internal static class KerasHdf5Reader
{
    /// <summary>An HDF5 file on its own: a full model, or a weights-only file (then <see cref="ImportDocument.Model"/> is null).</summary>
    public static ImportDocument Read(string path)
    {
        string fileName = Path.GetFileName(path);
        return Hdf5Guard.Run(fileName, () =>
        {
            using FileStream stream = File.OpenRead(path);
            Hdf5Length.Check(stream, fileName);
            using var file = H5File.Open(stream, leaveOpen: true);
            return ReadOpen(file, fileName);
        });
    }

    /// <summary>A Keras to_json() topology plus a save_weights() HDF5 file (Keras 2 or Keras 3 layout).</summary>
    public static ImportDocument ReadTopologyWithWeights(string topologyPath, string weightsPath)
    {
        string topologyName = Path.GetFileName(topologyPath);
        JsonObject model = KerasTopology.Parse(File.ReadAllText(topologyPath), topologyName);
        ImportDocument weights = Read(weightsPath);
        var document = new ImportDocument(topologyName, "Keras topology (" + topologyName + ") + " + weights.Format, weights.Layout) { Model = model };
        // The weights file's own copy of the version fills in a topology that lacks it.
        KerasTopology.AddMissing(model, "keras_version", weights.Model?["keras_version"]?.GetValue<string>());
        document.Weights.AddRange(weights.Weights);
        document.Warnings.AddRange(weights.Warnings);
        return document;
    }

    /// <summary>Reads an opened file: model.save (Keras 2 / Keras 3 legacy h5), save_weights, or a Keras 3 .weights.h5.</summary>
    internal static ImportDocument ReadOpen(IH5Group file, string fileName)
    {
        string? kerasVersion = Hdf5Values.ReadText(file, "keras_version");
        string? backend = Hdf5Values.ReadText(file, "backend");
        string? config = Hdf5Values.ReadText(file, "model_config");

        if (file.AttributeExists("layer_names"))
        {
            // save_weights() of Keras 2: the root is the weights group.
            var weightsOnly = new ImportDocument(fileName, Keras(kerasVersion) + " HDF5 weights (save_weights)", WeightsLayout.Keras2);
            weightsOnly.Weights.AddRange(Keras2Weights.Read(file, "/"));
            return weightsOnly;
        }
        if (file.LinkExists("model_weights"))
        {
            IH5Group weightsGroup = file.Group("model_weights");
            kerasVersion ??= Hdf5Values.ReadText(weightsGroup, "keras_version");
            backend ??= Hdf5Values.ReadText(weightsGroup, "backend");
            var full = new ImportDocument(fileName, Keras(kerasVersion) + " HDF5 model (model.save)", WeightsLayout.Keras2);
            if (config is not null)
            {
                full.Model = KerasTopology.Parse(config, fileName + "@model_config");
                KerasTopology.AddMissing(full.Model, "keras_version", kerasVersion);
                KerasTopology.AddMissing(full.Model, "backend", backend);
            }
            full.Weights.AddRange(Keras2Weights.Read(weightsGroup, "model_weights"));
            return full;
        }
        if (file.LinkExists("layers"))
        {
            var keras3 = new ImportDocument(fileName, "Keras 3 weights (.weights.h5)", WeightsLayout.Keras3);
            keras3.Weights.AddRange(Keras3Weights.Read(file, keras3.Warnings));
            return keras3;
        }
        throw new ImportException("the HDF5 file has no Keras weights (no model_weights group, layer_names attribute or layers group)",
            where: fileName, help: "save the model with Keras: model.save(\"m.h5\"), model.save_weights(...) or model.save(\"m.keras\")");
    }

    private static string Keras(string? kerasVersion) => kerasVersion is null ? "Keras" : "Keras " + kerasVersion;
}
