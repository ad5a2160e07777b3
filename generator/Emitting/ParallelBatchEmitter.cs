using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The opt-in PredictBatch over several cores: the same argument checks as the single-threaded form, then
    /// <c>LstmGen.Runtime.ParallelBatch</c> runs whole 64-sequence blocks of the batch on other threads through that
    /// form. Its arguments are Memory, not spans, because other threads read and write them.
    /// </summary>
    internal static class ParallelBatchEmitter
    {
        /// <summary>The public overload's signature (the kernel class's has the same parameters).</summary>
        public static string Signature(string inputType, string inputs = "inputs", string outputs = "outputs")
            => $"public static void PredictBatch(global::System.ReadOnlyMemory<{inputType}> {inputs}, int batchSize, global::System.Memory<float> {outputs}, int maxDegreeOfParallelism)";

        /// <summary>Emits the kernel class's overload and the cached delegate of the single-threaded PredictBatch it runs.</summary>
        public static void Emit(IndentedWriter w, ModelSpec model)
        {
            string type = model.InputType;
            w.Line("// The single-threaded PredictBatch each part of a parallel call runs, cached: no delegate per call.");
            w.Line($"private static readonly ParallelBatch.Runner<{type}> s_predictBatch = PredictBatch;");
            w.Line();
            using (w.Method(Signature(type, "inputsMemory", "outputsMemory")))
            {
                w.Line($"ReadOnlySpan<{type}> inputs = inputsMemory.Span;");
                w.Line("Span<float> outputs = outputsMemory.Span;");
                ArgumentChecksEmitter.Batch(w, model);
                w.Line("// Whole blocks of sequences per thread; each part computes its rows exactly as one call would.");
                w.Line("ParallelBatch.Run(inputsMemory, batchSize, sequenceLength, outputsMemory, outputLength, maxDegreeOfParallelism, s_predictBatch);");
            }
        }
    }
}
