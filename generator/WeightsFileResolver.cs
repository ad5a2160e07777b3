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
        public static List<WeightsFile> Find(string path, string? sourceFilePath, IEnumerable<WeightsFile> files)
        {
            string wanted = Normalize(path);
            var matches = new List<WeightsFile>();

            string? besideSource = BesideSource(path, sourceFilePath);
            if (besideSource is not null)
            {
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

        /// <summary>The path resolved against the attribute's source file, or null when it cannot be (rooted, or not a valid path).</summary>
        private static string? BesideSource(string path, string? sourceFilePath)
        {
            if (string.IsNullOrEmpty(sourceFilePath)) return null;
            try
            {
                if (Path.IsPathRooted(path)) return null;
                return Normalize(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFilePath) ?? string.Empty, path)));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                return null; // a path that is no valid file name simply matches nothing: LSTMGEN001 follows
            }
        }
    }
}
