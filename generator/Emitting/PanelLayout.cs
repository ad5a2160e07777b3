using System;
using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// How weight matrices are stored in the generated code. Keras's <c>(in, out)</c> kernels are row-major;
    /// the matrix-vector loops walk all rows for one block of columns at a time, so with the Keras layout each
    /// row of a pass sits a whole matrix row (often a 4 KB page) after the previous one and the hardware
    /// prefetcher loses the stream. Stored as column panels instead — the first <see cref="Width"/> columns of
    /// every row, then the next <see cref="Width"/>, and so on, the last panel narrower — each pass reads one
    /// contiguous block.
    /// </summary>
    internal static class PanelLayout
    {
        /// <summary>Columns per panel: one pass of 8 Vector512, 16 Vector256 or 32 Vector128 accumulators.</summary>
        public const int Width = 128;

        /// <summary>The matrix's values in panel order (row-major inside each panel).</summary>
        public static float[] Reorder(IReadOnlyList<float> rowMajor, int rows, int columns)
        {
            var result = new float[rows * columns];
            int index = 0;
            for (int start = 0; start < columns; start += Width)
            {
                int width = Math.Min(Width, columns - start);
                for (int row = 0; row < rows; row++)
                {
                    for (int column = start; column < start + width; column++)
                    {
                        result[index++] = rowMajor[row * columns + column];
                    }
                }
            }
            return result;
        }


        /// <summary>
        /// For matrices wider than one panel and a column only known at run time: declares the first column
        /// (<c>panel</c>) and the width (<c>panelWidth</c>) of the panel holding <paramref name="column"/>. Column
        /// blocks never straddle panels: every block width the emitters use divides <see cref="Width"/>.
        /// </summary>
        public static void EmitPanelStart(IndentedWriter w, int columns, string column = "j")
        {
            if (columns <= Width || IsConstant(column, out _)) return;
            int last = (columns - 1) / Width * Width;
            w.Line($"nuint panel = {column} & ~(nuint){Width - 1};");
            w.Line($"nuint panelWidth = panel == {last} ? {columns - last}u : {Width}u;");
        }

        /// <summary>
        /// Declares where <paramref name="matrix"/>'s panel for <paramref name="column"/> starts (as
        /// <paramref name="local"/>); returns the expression for the element at row <paramref name="row"/> (a
        /// variable, or null for row 0) of that column.
        /// </summary>
        public static string EmitPanelBase(IndentedWriter w, string matrix, string local, int rows, int columns, string column = "j", string? row = "k")
        {
            if (columns <= Width)
            {
                return Index.Element(matrix, Index.Linear(row, columns, column));
            }
            if (IsConstant(column, out int value))
            {
                int panel = value / Width * Width;
                int last = (columns - 1) / Width * Width;
                int panelWidth = panel == last ? columns - last : Width;
                w.Line($"ref float {local} = ref {Index.Element(matrix, IntLiteral.Format((long)panel * rows + (value - panel)))};");
                return Index.Element(local, Index.Linear(row, panelWidth, "0"));
            }
            w.Line($"ref float {local} = ref Unsafe.Add(ref {matrix}, panel * {IntLiteral.Format(rows)} + ({column} - panel));");
            return row is null ? local : $"Unsafe.Add(ref {local}, {row} * panelWidth)";
        }

        private static bool IsConstant(string column, out int value)
            => int.TryParse(column, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
