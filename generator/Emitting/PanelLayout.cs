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
        /// <summary>Columns per panel as stored: one pass of 8 Vector512 accumulators reads a panel's row whole.</summary>
        public const int Width = 128;

        /// <summary>
        /// Columns per panel where Vector512 is not accelerated: the aligned block re-lays every panel matrix in
        /// halves (LstmGen.Runtime.WeightBlock.SplitPanels), so that a pass of 8 Vector256 accumulators also reads
        /// whole rows, one contiguous stream. Walking half of each 128-column row instead, a Zen 3 core streamed a
        /// 1 MB matrix from L3 at 45 GB/s against 61 for whole 64-column rows, and a 256 KB one from L2 at 69 against 80.
        /// </summary>
        public const int NarrowWidth = 64;

        /// <summary>Whether a matrix of <paramref name="columns"/> is stored in panels at all (else row-major).</summary>
        public static bool HasPanels(int columns) => columns > Width;

        /// <summary>
        /// The panel width the code emitted inside <paramref name="w"/>'s current tier reads (<see cref="Tier"/>):
        /// <see cref="Width"/> in Vector512's, <see cref="NarrowWidth"/> in the others and outside any, and
        /// <see cref="Width"/> everywhere in Debug builds, whose block is not re-laid (their kernels,
        /// LstmGen.Runtime.MatrixProduct, read 128-column panels).
        /// </summary>
        public static int CurrentWidth(IndentedWriter w) => w.DebugBuild || w.PanelTier == "Vector512" ? Width : NarrowWidth;

        /// <summary>Emits the code of one hardware tier (<paramref name="type"/>, or null for scalar code) inside the returned scope.</summary>
        public static TierScope Tier(IndentedWriter w, string? type) => new TierScope(w, type);

        /// <summary>Restores the enclosing tier when the tier's code is written.</summary>
        internal readonly struct TierScope : IDisposable
        {
            private readonly IndentedWriter _writer;
            private readonly string? _outer;

            public TierScope(IndentedWriter writer, string? type)
            {
                _writer = writer;
                _outer = writer.PanelTier;
                writer.PanelTier = type;
            }

            public void Dispose() => _writer.PanelTier = _outer;
        }

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
        /// (<c>panel</c>) and the width (<c>panelWidth</c>) of the panel holding <paramref name="column"/>, in the
        /// current tier's layout. Column blocks never straddle panels: every pass a tier other than Vector512's runs
        /// is at most <see cref="NarrowWidth"/> columns and divides it.
        /// </summary>
        public static void EmitPanelStart(IndentedWriter w, int columns, string column = "j")
        {
            if (!HasPanels(columns) || IsConstant(column, out _)) return;
            int width = CurrentWidth(w);
            int last = (columns - 1) / width * width;
            w.Line($"nuint panel = {column} & ~(nuint){width - 1};");
            w.Line($"nuint panelWidth = panel == {last} ? {columns - last}u : {width}u;");
        }

        /// <summary>
        /// Declares where <paramref name="matrix"/>'s panel for <paramref name="column"/> starts (as
        /// <paramref name="local"/>); returns the expression for the element at row <paramref name="row"/> (a
        /// variable, or null for row 0) of that column.
        /// </summary>
        public static string EmitPanelBase(IndentedWriter w, string matrix, string local, int rows, int columns, string column = "j", string? row = "k")
        {
            if (!HasPanels(columns))
            {
                return Index.Element(matrix, Index.Linear(row, columns, column));
            }
            if (IsConstant(column, out int value))
            {
                int width = CurrentWidth(w);
                int panel = value / width * width;
                int last = (columns - 1) / width * width;
                int panelWidth = panel == last ? columns - last : width;
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
