using System;
using System.Collections.Generic;

namespace LstmGen.Generator
{
    /// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
    internal static class EditDistance
    {
        public static int Compute(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                    current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
                }
                (previous, current) = (current, previous);
            }
            return previous[b.Length];
        }

        /// <summary>The candidate nearest to <paramref name="wanted"/>, if it is near enough to be a typo.</summary>
        public static string? Closest(string wanted, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in candidates)
            {
                int distance = Compute(wanted, candidate);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = candidate;
                }
            }
            return best is not null && bestDistance > 0 && bestDistance <= Math.Max(2, wanted.Length / 3) ? best : null;
        }
    }
}
