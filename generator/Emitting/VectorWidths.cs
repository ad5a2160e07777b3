using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>The vector types generated register cells choose among at run time, widest first.</summary>
    internal static class VectorWidths
    {
        /// <summary>Each type's name, its float lanes and its bits (the suffix of the cell methods, e.g. <c>Layer1Cell256</c>).</summary>
        public static readonly IReadOnlyList<(string Type, int Lanes, int Bits)> WidestFirst = new[]
        {
            ("Vector512", 16, 512),
            ("Vector256", 8, 256),
            ("Vector128", 4, 128),
        };
    }
}
