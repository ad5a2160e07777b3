namespace LstmGen.Import.Keras;

/// <summary>Keras 3 .keras archives (zip: config.json, model.weights.h5, metadata.json).</summary>
internal static class KerasArchiveReader
{
    public static ImportDocument Read(string path)
        => throw new ImportException("Keras .keras import is not implemented yet");
}
