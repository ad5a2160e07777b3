using System;
using System.Runtime.InteropServices;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>The block generated code copies its weights into: room for every float from a 64-byte boundary on.</summary>
public sealed class WeightBlockTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1000)]
    [InlineData(262_144)]
    public void The_aligned_start_is_on_a_cache_line_with_room_for_every_float(int floats)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            float[] block = WeightBlock.Allocate(floats);
            int start = WeightBlock.AlignedStart(block);
            Assert.InRange(start, 0, WeightBlock.LineFloats - 1);
            Assert.True(start + floats <= block.Length, $"{floats} floats from {start} do not fit {block.Length}");
            GCHandle handle = GCHandle.Alloc(block, GCHandleType.Pinned);
            try
            {
                long address = handle.AddrOfPinnedObject().ToInt64() + (4L * start);
                Assert.Equal(0, address % 64);
            }
            finally
            {
                handle.Free();
            }
            // Pinned: a collection does not move it, so the start stays aligned.
            GC.Collect();
            Assert.Equal(start, WeightBlock.AlignedStart(block));
        }
    }

    [Fact]
    public void A_negative_size_is_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => WeightBlock.Allocate(-1));

    // Where (row, column) of a rows × columns matrix sits when stored in panels of `width` columns, the last narrower.
    private static int PanelIndex(int row, int column, int rows, int columns, int width)
    {
        int panel = column / width * width;
        return panel * rows + row * Math.Min(width, columns - panel) + column - panel;
    }

    [Theory]
    [InlineData(3, 200)]  // two panels of 128 columns, the second 72 wide: split into 64, 64, 64 and 8
    [InlineData(5, 256)]
    [InlineData(2, 129)]
    [InlineData(4, 64)]   // one panel no wider than the narrow width: unchanged
    public void Split_panels_hold_every_value_where_the_narrow_layout_reads_it(int rows, int columns)
    {
        float[] matrix = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) matrix[PanelIndex(r, c, rows, columns, 128)] = r * 1000 + c;
        }

        WeightBlock.SplitPanels(matrix, rows, columns, 128, 64);

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) Assert.Equal(r * 1000 + c, matrix[PanelIndex(r, c, rows, columns, 64)]);
        }
    }

    [Fact]
    public void Split_panels_refuse_a_wrong_length_or_width()
    {
        Assert.Throws<ArgumentException>(() => WeightBlock.SplitPanels(new float[10], 3, 4, 128, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightBlock.SplitPanels(new float[12], 3, 4, 128, 48));
    }
}
