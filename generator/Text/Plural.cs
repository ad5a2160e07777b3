using System.Globalization;

namespace LstmGen.Generator
{
    /// <summary>Counts in messages and comments: "1 timestep", "3 timesteps", never "1 floats".</summary>
    internal static class Plural
    {
        /// <summary>The number and the noun: 1 timestep, 3 timesteps.</summary>
        public static string Count(long n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + Noun(n, noun);

        /// <summary>The noun alone, for text that prints the number itself: float or floats.</summary>
        public static string Noun(long n, string noun) => n == 1 ? noun : noun + "s";
    }
}
