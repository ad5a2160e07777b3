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
        bool SupportsInlineArrays = true)
    {
        /// <summary>The generated file's name: unique per class (the full name), without characters a file name cannot hold.</summary>
        public string HintName => FullName.Replace("global::", string.Empty).Replace('<', '_').Replace('>', '_') + ".g.cs";

        /// <summary>The class cannot take generated members (not partial, generic): nothing is read or emitted.</summary>
        public bool Unusable { get; init; }

        /// <summary>
        /// The target as the model steps see it: without locations, which change with every edit above the attribute,
        /// so typing in the file neither re-reads the model nor re-emits its source. Diagnostics made without a
        /// location are placed on the attribute when reported (<see cref="DiagnosticReporter"/>).
        /// </summary>
        public TargetSpec WithoutLocations()
            => this with { PathLocation = null, Diagnostics = EquatableArray<DiagnosticInfo>.Empty, Unusable = Unusable || Diagnostics.Count > 0 };
    }
}
