namespace LstmGen.Import.Keras;

/// <summary>Keras HDF5 files: model.save("m.h5") (model_config + model_weights), and save_weights() files.</summary>
internal static class KerasHdf5Reader
{
    /// <summary>An HDF5 file on its own: a full model, or a weights-only file (then <see cref="ImportDocument.Model"/> is null).</summary>
    public static ImportDocument Read(string path)
        => throw new ImportException("Keras HDF5 import is not implemented yet");

    /// <summary>A Keras to_json() topology plus a save_weights() HDF5 file (Keras 2 or Keras 3 layout).</summary>
    public static ImportDocument ReadTopologyWithWeights(string topologyPath, string weightsPath)
        => throw new ImportException("Keras HDF5 import is not implemented yet");
}
