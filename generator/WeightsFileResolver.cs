using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using LstmGen.Generator.Model;

namespace LstmGen.Generator
{
    /// <summary>
    /// Finds the AdditionalFiles item an attribute's path names: first relative to the source file that
    /// holds the attribute, then as a path suffix (the usual case: relative to the project directory).
    /// </summary>
    internal static class WeightsFileResolver
    {
        public static List<WeightsFile> Find(string path, string? sourceFilePath, ImmutableArray<WeightsFile> files)
        {
            string wanted = Normalize(path);
            var matches = new List<WeightsFile>();

            if (!string.IsNullOrEmpty(sourceFilePath) && !Path.IsPathRooted(path))
            {
                string besideSource = Normalize(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFilePath) ?? string.Empty, path)));
                foreach (WeightsFile file in files)
                {
                    if (string.Equals(Normalize(file.Path), besideSource, StringComparison.OrdinalIgnoreCase)) matches.Add(file);
                }
                if (matches.Count > 0) return matches;
            }

            string trimmed = wanted.TrimStart('.', '/');
            foreach (WeightsFile file in files)
            {
                string candidate = Normalize(file.Path);
                if (string.Equals(candidate, wanted, StringComparison.OrdinalIgnoreCase)
                    || candidate.EndsWith("/" + trimmed, StringComparison.OrdinalIgnoreCase))
                {
                    matches.Add(file);
                }
            }
            return matches;
        }

        private static string Normalize(string path) => path.Replace('\\', '/');
    }
}
