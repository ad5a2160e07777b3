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

        /// <summary>The first index of <paramref name="block"/> whose address is a multiple of 64 bytes.</summary>
        public static unsafe int AlignedStart(float[] block)
        {
            if (block is null) throw new ArgumentNullException(nameof(block));
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(block));
            return (int)((LineFloats * sizeof(float) - (address & (LineFloats * sizeof(float) - 1))) & (LineFloats * sizeof(float) - 1)) / sizeof(float);
        }
    }
}
