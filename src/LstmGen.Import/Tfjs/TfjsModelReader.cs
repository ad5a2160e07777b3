namespace LstmGen.Import.Tfjs;

/// <summary>TensorFlow.js Layers model.json (modelTopology + weightsManifest) and the shards beside it.</summary>
internal static class TfjsModelReader
{
    public static ImportDocument Read(string modelJsonPath)
        => throw new ImportException("TensorFlow.js import is not implemented yet");
}
