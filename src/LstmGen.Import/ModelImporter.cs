using System;
using System.IO;
using LstmGen.Import.Keras;
using LstmGen.Import.Onnx;
using LstmGen.Import.Tfjs;

namespace LstmGen.Import;

/// <summary>Entry point: a model file (and optionally a separate weights file) → an <see cref="ImportDocument"/>.</summary>
internal static class ModelImporter
{
    /// <summary>The formats the importer reads, for messages.</summary>
    public const string SupportedFormats =
        "TensorFlow.js Layers model.json (+ shards), Keras .h5 (model.save or save_weights), Keras 3 .keras, ONNX .onnx, and LstmGen's JSON";

    /// <summary>
    /// Reads <paramref name="modelPath"/>; with <paramref name="weightsPath"/> the model file is a Keras to_json()
    /// topology and the weights come from that HDF5 file. Throws <see cref="ImportException"/> for anything wrong with the files.
    /// </summary>
    public static ImportDocument Import(string modelPath, string? weightsPath = null)
    {
        try
        {
            if (weightsPath is not null) return KerasHdf5Reader.ReadTopologyWithWeights(modelPath, weightsPath);
            return Detect(modelPath) switch
            {
                ModelFileKind.TfjsJson => TfjsModelReader.Read(modelPath),
                ModelFileKind.Hdf5 => KerasHdf5Reader.Read(modelPath),
                ModelFileKind.Zip => KerasArchiveReader.Read(modelPath),
                ModelFileKind.Onnx => OnnxModelReader.Read(modelPath),
                ModelFileKind.OtherJson => throw new ImportException(
                    "the file is JSON but not a TensorFlow.js model.json (no \"modelTopology\" and \"weightsManifest\"); LstmGen's own JSON and Keras topologies need no import",
                    help: "name it in [LstmModel] directly; a Keras to_json() topology without weights needs Weights = \"its .h5 file\""),
                _ => throw new ImportException(
                    "the file is none of the formats LstmGen reads (" + SupportedFormats + ")",
                    help: "export the model as one of these formats"),
            };
        }
        catch (ImportException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportException("the file could not be read: " + e.Message, inner: e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Library errors (a truncated HDF5 file, a malformed protobuf) end here: a clear error, never a crash.
            throw new ImportException("the file is damaged or not what its format claims: " + e.GetType().Name + ": " + e.Message, inner: e);
        }
    }

    /// <summary>Which of the known formats the file is, from its bytes (a .keras name can hold HDF5).</summary>
    public static ModelFileKind Detect(string path) => FormatSniffer.Detect(path);
}
