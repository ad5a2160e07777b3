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
}
