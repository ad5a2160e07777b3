namespace LstmGen.Generator.Planning
{
    /// <summary>The sizes, in floats, at which the generated code changes where it keeps data.</summary>
    internal static class MemoryBudget
    {
        /// <summary>
        /// 64 KB: the most a generated call keeps on the caller's stack (scratch buffers, a State), so it runs on
        /// small thread stacks (256 KB); past it, scratch comes from ArrayPool and a model gets no State struct.
        /// </summary>
        public const int StackFloats = 16384;

        /// <summary>
        /// 64 KB: a matrix from this size on is larger than a core's L1 data cache (32 to 48 KB today), so the cache
        /// cannot be trusted to keep it between timesteps.
        /// </summary>
        public const int LargerThanL1Floats = 16384;

        /// <summary>
        /// 65,536 floats: 256 KB, the smallest L2 of today's x86 cores; matrices below it stay in any core's L2
        /// between timesteps.
        /// </summary>
        public const int SmallestL2Floats = 65536;
    }
}
