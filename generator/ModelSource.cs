namespace LstmGen.Generator
{
    /// <summary>
    /// The text the reader gets for one target: the model file's own JSON, or the import document the build step
    /// wrote for it; plus, with the attribute's Weights, the import document of that weights file.
    /// </summary>
    /// <param name="FileName">The name the user knows the file by (the original, never the obj/ copy), for messages.</param>
    /// <param name="Path">The path of <paramref name="Text"/>'s file, for locations inside it.</param>
    /// <param name="IsImport">The text is an import document: positions in it mean nothing to the user.</param>
    internal sealed record ModelSource(string FileName, string Path, string Text, bool IsImport, string? WeightsFileName = null, string? WeightsText = null);
}
