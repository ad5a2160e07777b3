using System.ComponentModel;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Runtime
{
    /// <summary>
    /// The running core's cache sizes, for generated code that chooses between compiled variants of the same
    /// arithmetic (the same numbers either way, only the memory traffic differs).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class CacheSizes
    {
        /// <summary>
        /// Bytes of one core's L2 cache from CPUID (leaf 0x80000006, which AMD and Intel x86 CPUs both report), or 0
        /// where it is not known (other architectures, or a CPU or hypervisor that does not report it).
        /// </summary>
        public static readonly int L2Bytes = ReadL2Bytes();

        private static int ReadL2Bytes()
        {
            if (!X86Base.IsSupported) return 0;
            const int Leaf = unchecked((int)0x80000006);
            (int highestExtended, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
            if ((uint)highestExtended < 0x80000006u) return 0;
            (_, _, int ecx, _) = X86Base.CpuId(Leaf, 0);
            int kilobytes = (int)((uint)ecx >> 16);
            return kilobytes is > 0 and <= 1 << 20 ? kilobytes * 1024 : 0;
        }
    }
}
