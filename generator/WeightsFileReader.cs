using System;
using System.Threading;
using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LstmGen.Generator
{
    /// <summary>
    /// Reduces an AdditionalFiles item to a <see cref="WeightsFile"/>. Only JSON and the build step's import documents
    /// are read as text: binary model files (.h5, .keras, .onnx) reach a generator only as text, which would be
    /// garbage, so the LstmGen build targets convert them first and mark the result with <see cref="ImportedFromKey"/>.
    /// </summary>
    internal static class WeightsFileReader
    {
        /// <summary>The item metadata (made compiler-visible by build/LstmGen.targets) naming the file an import document came from.</summary>
        public const string ImportedFromKey = "build_metadata.AdditionalFiles.LstmGenImportedFrom";

        public static WeightsFile Read(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
        {
            if (options.TryGetValue(ImportedFromKey, out string? source) && !string.IsNullOrWhiteSpace(source))
            {
                return new WeightsFile(text.Path, text.GetText(cancellationToken)?.ToString(), WeightsFileKind.Imported, source);
            }
            if (text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                return new WeightsFile(text.Path, text.GetText(cancellationToken)?.ToString(), WeightsFileKind.Json);
            }
            return new WeightsFile(text.Path, null, WeightsFileKind.Other);
        }
    }
}
