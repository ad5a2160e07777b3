namespace LstmGen.Generator.Model
{
    /// <summary>
    /// The annotated class, reduced to plain values: where to emit the partial declaration and
    /// what the attribute asked for.
    /// </summary>
    /// <param name="Namespace">The namespace, or null for the global namespace.</param>
    /// <param name="ContainingTypes">Declarations of enclosing types, outermost first (e.g. "partial class Outer").</param>
    /// <param name="Declaration">The target's own declaration head, e.g. "static partial class Forecast".</param>
    /// <param name="TypeName">The target's name, used for messages and the hint name.</param>
    /// <param name="FullName">Fully qualified metadata-style name, for a unique hint name.</param>
    /// <param name="WeightsPath">The attribute's Weights: a save_weights() HDF5 file for the topology at ModelPath, or null.</param>
    /// <param name="PathLocation">Where diagnostics about the model go: the attribute's path argument.</param>
    /// <param name="SupportsInlineArrays">C# 12 or later: the State struct (an inline array) can be generated.</param>
    internal sealed record TargetSpec(
        string? Namespace,
        EquatableArray<string> ContainingTypes,
        string Declaration,
        string TypeName,
        string FullName,
        string? ModelPath,
        bool Unroll,
        string? WeightsPath,
        string? SourceFilePath,
        LocationInfo? PathLocation,
        EquatableArray<DiagnosticInfo> Diagnostics,
        bool SupportsInlineArrays = true);
}
