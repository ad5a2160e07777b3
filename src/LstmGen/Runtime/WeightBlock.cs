using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Memory for a model's weights at cache-line boundaries, for generated code. The assembly keeps weights only
    /// 4-byte aligned (string and array constants), so nearly every 64-byte vector load of a weight row straddles
    /// two cache lines and costs two reads of L1; one step of an LSTM(32) over 32 inputs ran 1.7 times as long from
    /// that storage as from aligned memory. Generated code copies every tensor, once, into one block from
    /// <see cref="Allocate"/>, each tensor starting at a 64-byte boundary.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class WeightBlock
    {
        /// <summary>Floats per cache line: every tensor in a block starts at a multiple of this from <see cref="AlignedStart"/>.</summary>
        public const int LineFloats = 16;

        /// <summary>
        /// A block for <paramref name="floats"/> floats from <see cref="AlignedStart"/> on. It is allocated on the pinned
        /// object heap, so its address, and with it the alignment, never changes.
        /// </summary>
        public static float[] Allocate(int floats)
        {
            if (floats < 0) throw new ArgumentOutOfRangeException(nameof(floats));
            return GC.AllocateArray<float>(floats + LineFloats - 1, pinned: true);
        }

        /// <summary>
        /// Re-lays a matrix stored in panels of <paramref name="width"/> columns (each row-major, the last narrower)
        /// in panels of <paramref name="narrowWidth"/>, in place: generated code reads the narrower panels where
        /// Vector512 is not accelerated, so that each pass of its 256-bit accumulators reads whole panel rows, one
        /// contiguous stream.
        /// </summary>
        public static void SplitPanels(Span<float> matrix, int rows, int columns, int width, int narrowWidth)
        {
            if (rows < 0 || columns < 0 || matrix.Length != (long)rows * columns) throw new ArgumentException("Expected rows × columns floats.", nameof(matrix));
            if (narrowWidth < 1 || width < narrowWidth || width % narrowWidth != 0) throw new ArgumentOutOfRangeException(nameof(narrowWidth), narrowWidth, "The narrow width must divide the width.");
            if (columns <= narrowWidth) return;
            var panel = new float[rows * Math.Min(width, columns)];
            for (int first = 0; first < columns; first += width)
            {
                int panelWidth = Math.Min(width, columns - first);
                Span<float> stored = matrix.Slice(first * rows, rows * panelWidth);
                stored.CopyTo(panel);
                for (int start = 0; start < panelWidth; start += narrowWidth)
                {
                    int narrow = Math.Min(narrowWidth, panelWidth - start);
                    Span<float> target = stored.Slice(start * rows, rows * narrow);
                    for (int row = 0; row < rows; row++)
                    {
                        panel.AsSpan(row * panelWidth + start, narrow).CopyTo(target.Slice(row * narrow, narrow));
                    }
                }
            }
        }

        /// <summary>The first index of <paramref name="block"/> whose address is a multiple of 64 bytes.</summary>
        public static unsafe int AlignedStart(float[] block)
        {
            if (block is null) throw new ArgumentNullException(nameof(block));
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(block));
            return (int)((LineFloats * sizeof(float) - (address & (LineFloats * sizeof(float) - 1))) & (LineFloats * sizeof(float) - 1)) / sizeof(float);
        }
    }
}
