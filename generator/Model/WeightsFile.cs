namespace LstmGen.Generator.Model
{
    /// <summary>What an AdditionalFiles item is to LstmGen.</summary>
    internal enum WeightsFileKind
    {
        /// <summary>A .json item: LstmGen's JSON, a Keras topology, or a TensorFlow.js model.json.</summary>
        Json,

        /// <summary>
        /// The import document the LstmGen build step wrote (under obj/) for a binary or tfjs model file;
        /// <see cref="WeightsFile.ImportedFrom"/> is the path of that file.
        /// </summary>
        Imported,

        /// <summary>Any other item (.h5, .keras, .onnx, ...): matched by path, its bytes are never read here.</summary>
        Other,
    }

    /// <summary>An AdditionalFiles item that may hold a model: its path, kind and text (null when not read or unreadable).</summary>
    internal sealed record WeightsFile(string Path, string? Text, WeightsFileKind Kind = WeightsFileKind.Json, string? ImportedFrom = null);
}
