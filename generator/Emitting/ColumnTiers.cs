using System;
using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// One run of column passes of a matrix product: <see cref="Count"/> passes of <see cref="Blocks"/> vectors of
    /// <see cref="Type"/> each, the first at column <see cref="Start"/>.
    /// </summary>
    internal readonly struct ColumnPass
    {
        public ColumnPass(string type, int width, int blocks, int start, int count)
        {
            Type = type;
            Width = width;
            Blocks = blocks;
            Start = start;
            Count = count;
        }

        public string Type { get; }

        public int Width { get; }

        public int Blocks { get; }

        public int Start { get; }

        public int Count { get; }

        public int Step => Width * Blocks;

        public int End => Start + Count * Step;
    }

    /// <summary>
    /// The column passes of a matrix product for each hardware tier, all at generation time. The tiers are the
    /// widest accelerated vector type: Vector512, Vector256, Vector128, none. .NET accelerates them in that
    /// order only (Vector512 needs AVX-512, which implies AVX2, which accelerates Vector256; ARM64 has Vector128
    /// alone), so a tier's hardware also accelerates every narrower type: its columns run widest first, and
    /// whatever a type leaves over goes to the next narrower one, then to scalar code. Because every start column
    /// is known, a pass that never runs is not emitted and one that runs once is its body with a constant
    /// column; a tier whose widest type has no pass is left out (the next tier's code is the same).
    /// </summary>
    internal sealed class ColumnTier
    {
        private ColumnTier(string type, List<ColumnPass> passes, int scalarStart)
        {
            Type = type;
            Passes = passes;
            ScalarStart = scalarStart;
        }

        /// <summary>The tier's widest vector type: the one whose IsHardwareAccelerated selects it.</summary>
        public string Type { get; }

        public IReadOnlyList<ColumnPass> Passes { get; }

        /// <summary>The first column left to scalar code.</summary>
        public int ScalarStart { get; }

        /// <summary>
        /// The tiers worth emitting, widest first. <paramref name="widths"/> are (type, lanes), widest first;
        /// <paramref name="blocks"/> gives the vectors per pass for a width (1 means single vectors only); a run
        /// of multi-vector passes comes before the single-vector passes of the same type.
        /// </summary>
        public static List<ColumnTier> Plan(int columns, IReadOnlyList<(string Type, int Width)> widths, Func<string, int, int> blocks)
        {
            var tiers = new List<ColumnTier>();
            for (int tier = 0; tier < widths.Count; tier++)
            {
                if (columns < widths[tier].Width) continue; // the next tier's code is the same
                var passes = new List<ColumnPass>();
                int j = 0;
                for (int i = tier; i < widths.Count; i++)
                {
                    (string type, int width) = widths[i];
                    if (columns < width) continue;
                    int count = Math.Min(blocks(type, width), columns / width);
                    if (count >= 2) j = Add(passes, type, width, count, j, columns);
                    j = Add(passes, type, width, 1, j, columns);
                }
                tiers.Add(new ColumnTier(widths[tier].Type, passes, j));
            }
            return tiers;
        }

        private static int Add(List<ColumnPass> passes, string type, int width, int blocks, int start, int columns)
        {
            int step = width * blocks;
            int count = start <= columns - step ? (columns - step - start) / step + 1 : 0;
            if (count > 0) passes.Add(new ColumnPass(type, width, blocks, start, count));
            return start + count * step;
        }
    }

    /// <summary>Index expressions of generated matrix loops, with constants folded.</summary>
    internal static class Index
    {
        /// <summary><paramref name="index"/> (a variable, or null for 0) times <paramref name="scale"/> plus <paramref name="offset"/>.</summary>
        public static string Linear(string? index, int scale, string offset)
        {
            string? product = index is null || scale == 0 ? null : scale == 1 ? index : $"{index} * {IntLiteral.Format(scale)}";
            if (product is null) return offset;
            return offset == "0" ? product : $"{product} + {offset}";
        }

        /// <summary>A column expression plus a constant: "j + 8", "24".</summary>
        public static string Plus(string column, int add)
        {
            if (add == 0) return column;
            return int.TryParse(column, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value)
                ? IntLiteral.Format(value + add)
                : $"{column} + {IntLiteral.Format(add)}";
        }

        /// <summary><c>Unsafe.Add(ref start, offset)</c>, or just <paramref name="start"/> when the offset is 0.</summary>
        public static string Element(string start, string offset) => offset == "0" ? start : $"Unsafe.Add(ref {start}, {offset})";

        /// <summary><c>{type}.LoadUnsafe(ref start, offset)</c>, without the offset when it is 0.</summary>
        public static string Load(string type, string start, string offset)
            => offset == "0" ? $"{type}.LoadUnsafe(ref {start})" : $"{type}.LoadUnsafe(ref {start}, {offset})";

        /// <summary><c>{type}.StoreUnsafe(value, ref start, offset)</c>, without the offset when it is 0.</summary>
        public static string Store(string type, string value, string start, string offset)
            => offset == "0" ? $"{type}.StoreUnsafe({value}, ref {start});" : $"{type}.StoreUnsafe({value}, ref {start}, {offset});";
    }
}
