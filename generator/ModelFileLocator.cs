using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator
{
    /// <summary>
    /// Finds the text to read for a target: the AdditionalFiles item its path names (whatever the extension), and
    /// when that is a binary or TensorFlow.js file, the import document the build step made of it. Every failure is
    /// one diagnostic that says what to do; none gives advice that would not work.
    /// </summary>
    internal static class ModelFileLocator
    {
        /// <summary>Extensions of the binary formats the build step converts.</summary>
        private static readonly string[] s_importedExtensions = { ".h5", ".hdf5", ".keras", ".onnx" };

        public static ModelSource? Locate(TargetSpec target, ImmutableArray<WeightsFile> files, List<DiagnosticInfo> diagnostics)
        {
            string modelPath = target.ModelPath!;
            WeightsFile? model = FindOne(modelPath, target, files, diagnostics);
            if (model is null) return null;

            if (target.WeightsPath is not null)
            {
                WeightsFile? weights = FindOne(target.WeightsPath, target, files, diagnostics);
                if (weights is null) return null;
                if (model.Kind != WeightsFileKind.Json || model.Text is null || FindImport(model, files) is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableModelFile, target.PathLocation, FileName(model),
                        "cannot take Weights: with Weights = \"" + target.WeightsPath + "\" the path must name a Keras model.to_json() topology (.json); a model file that has its weights needs no Weights"));
                    return null;
                }
                WeightsFile? weightsImport = FindImport(weights, files);
                if (weightsImport?.Text is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableModelFile, target.PathLocation, FileName(weights), NotConverted(weights)));
                    return null;
                }
                return new ModelSource(FileName(model), model.Path, model.Text, IsImport: false, FileName(weights), weightsImport.Text);
            }

            WeightsFile? import = FindImport(model, files);
            if (import is not null)
            {
                if (import.Text is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImportFailed, target.PathLocation, FileName(model), "the converted file '" + import.Path + "' could not be read; rebuild the project"));
                    return null;
                }
                return new ModelSource(FileName(model), import.Path, import.Text, IsImport: true);
            }
            if (model.Kind == WeightsFileKind.Json)
            {
                if (model.Text is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJson, target.PathLocation, FileName(model), "the file could not be read", "1", "1"));
                    return null;
                }
                if (LooksLikeTfjs(model.Text))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableModelFile, target.PathLocation, FileName(model), NotConverted(model)));
                    return null;
                }
                return new ModelSource(FileName(model), model.Path, model.Text, IsImport: false);
            }
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableModelFile, target.PathLocation, FileName(model), NotConverted(model)));
            return null;
        }

        private static WeightsFile? FindOne(string path, TargetSpec target, ImmutableArray<WeightsFile> files, List<DiagnosticInfo> diagnostics)
        {
            var candidates = new List<WeightsFile>();
            foreach (WeightsFile file in files)
            {
                if (file.Kind != WeightsFileKind.Imported) candidates.Add(file);
            }
            List<WeightsFile> matches = WeightsFileResolver.Find(path, target.SourceFilePath, candidates);
            if (matches.Count == 1) return matches[0];
            if (matches.Count == 0)
            {
                string? similar = PathSuggestion.Closest(path, candidates);
                string advice = similar is not null
                    ? "did you mean '" + similar + "'?"
                    : "add <AdditionalFiles Include=\"" + path + "\" /> to the project file (the path is matched relative to this source file first, then as the end of an AdditionalFiles item's path)";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileNotFound, target.PathLocation, path, advice));
                return null;
            }
            var paths = new List<string>();
            foreach (WeightsFile m in matches) paths.Add(m.Path);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AmbiguousWeightsFile, target.PathLocation, path, string.Join(", ", paths)));
            return null;
        }

        /// <summary>The build step's import document for <paramref name="file"/>, if it made one.</summary>
        private static WeightsFile? FindImport(WeightsFile file, ImmutableArray<WeightsFile> files)
        {
            string wanted = Normalize(file.Path);
            foreach (WeightsFile candidate in files)
            {
                if (candidate.Kind == WeightsFileKind.Imported
                    && string.Equals(Normalize(candidate.ImportedFrom!), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }
            }
            return null;
        }

        private static string NotConverted(WeightsFile file)
        {
            string extension = Path.GetExtension(file.Path).ToLowerInvariant();
            bool known = file.Kind == WeightsFileKind.Json || Array.IndexOf(s_importedExtensions, extension) >= 0;
            if (known)
            {
                string what = file.Kind == WeightsFileKind.Json ? "is a TensorFlow.js model.json, whose weight shards" : "is a binary model file, which";
                return what + " LstmGen converts in a build step before compilation, and that step did not run: reference the LstmGen package with its build assets (no ExcludeAssets=\"build\"), or convert the file once with 'lstmgen convert' and name the .json it writes";
            }
            return "is not in a format LstmGen reads: use a TensorFlow.js model.json, a Keras .h5 or .keras file, an ONNX .onnx file, or LstmGen's .json";
        }

        private static bool LooksLikeTfjs(string text)
            => text.IndexOf("\"weightsManifest\"", StringComparison.Ordinal) >= 0 && text.IndexOf("\"modelTopology\"", StringComparison.Ordinal) >= 0;

        private static string FileName(WeightsFile file) => Path.GetFileName(file.Path);

        private static string Normalize(string path) => path.Replace('\\', '/');
    }
}
