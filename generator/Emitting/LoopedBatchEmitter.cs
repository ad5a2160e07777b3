using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// PredictBatch for what <see cref="PredictBatchEmitter"/> does not run over blocks of sequences (see
    /// <see cref="PredictBatchEmitter.Batches"/>): each sequence runs through Predict in turn, so every row is
    /// Predict's by construction.
    /// </summary>
    internal static class LoopedBatchEmitter
    {
        public static void Emit(IndentedWriter w, ModelSpec model, ModelPlan plan)
        {
            using (w.Method($"public static void PredictBatch(ReadOnlySpan<{model.InputType}> inputs, int batchSize, Span<float> outputs)"))
            {
                ArgumentChecksEmitter.Batch(w, model);
                string state = string.Empty;
                if (plan.WithState)
                {
                    int floats = StateLayout.TotalFloats(model);
                    w.Line("// Predict continues from the state it is given: each sequence starts from zeros, like Keras.");
                    w.Line($"Span<float> state = stackalloc float[{IntLiteral.Format(floats)}];");
                    state = ", state";
                }
                w.Line("// One sequence at a time through Predict: its convolution-like layers run over the whole sequence.");
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    if (plan.WithState) w.Line("state.Clear();");
                    w.Line($"Predict(inputs.Slice(b * sequenceLength, sequenceLength), outputs.Slice(b * outputLength, outputLength){state});");
                }
            }
        }
    }
}
