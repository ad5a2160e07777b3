using System;
using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator
{
    /// <summary>"Did you mean": the AdditionalFiles item whose path ends most like the path the user wrote.</summary>
    internal static class PathSuggestion
    {
        public static string? Closest(string wanted, IEnumerable<WeightsFile> files)
        {
            string target = wanted.Replace('\\', '/').TrimStart('.', '/');
            int segments = target.Split('/').Length;
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (WeightsFile file in files)
            {
                string candidate = Tail(file.Path.Replace('\\', '/'), segments);
                int distance = EditDistance.Compute(target.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = candidate;
                }
            }
            // A suggestion only when it is plainly a slip: a few characters, at most a third of the path.
            return best is not null && bestDistance > 0 && bestDistance <= (target.Length > 20 ? 3 : 2) ? best : null;
        }

        /// <summary>The last <paramref name="count"/> segments of the path.</summary>
        private static string Tail(string path, int count)
        {
            int index = path.Length;
            for (int i = 0; i < count && index > 0; i++)
            {
                index = path.LastIndexOf('/', index - 1);
                if (index < 0) return path;
            }
            return path.Substring(index + 1);
        }
    }
}
