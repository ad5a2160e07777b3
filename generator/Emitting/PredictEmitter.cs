using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>Predict</c>: the argument checks (<see cref="ArgumentChecksEmitter"/>), the buffers on the stack or in
    /// one pooled array (<see cref="PredictBuffers"/>), then the stages and tails (<see cref="StageEmitter"/>).
    /// </summary>
    internal static class PredictEmitter
    {
        public static void Emit(IndentedWriter w, ModelSpec model, ModelPlan plan)
        {
            var buffers = new PredictBuffers(w, model, plan);
            var stages = new StageEmitter(w, model, plan);
            ExecutionPlan.Phase last = plan.Execution.Phases[plan.Execution.Phases.Count - 1];
            // Rows of a sequence output that come from a RepeatVector (a constant, whatever the input length), or that Conv1D
            // and the like change from a fixed input length.
            int? fixedOutputSteps = !model.OutputIsSequence ? null
                : model.HasSequenceLayers ? model.OutputTimesteps
                : last.Steps is int n ? n : null;
            string signature = plan.WithState
                ? $"public static void Predict(ReadOnlySpan<{model.InputType}> input, Span<float> output, Span<float> state)"
                : $"public static void Predict(ReadOnlySpan<{model.InputType}> input, Span<float> output)";
            using (w.Method(signature))
            {
                ArgumentChecksEmitter.Predict(w, model, fixedOutputSteps);
                var declared = buffers.ForPredict();
                int total = 0;
                foreach (PredictBuffers.Buffer buffer in declared) total += buffer.Floats;
                if (total <= PredictBuffers.StackBudgetFloats)
                {
                    buffers.EmitDeclarations(declared, pooled: false, stages.LoopsOverBlocks);
                    stages.EmitStages(0);
                    return;
                }
                w.Line($"// {IntLiteral.Format(total)} floats of state and scratch: too many for the stack, so one pooled array holds them.");
                w.Line($"float[] scratch = ArrayPool<float>.Shared.Rent({IntLiteral.Format(total)});");
                using (w.Block("try"))
                {
                    buffers.EmitDeclarations(declared, pooled: true, stages.LoopsOverBlocks);
                    stages.EmitStages(0);
                }
                using (w.Block("finally"))
                {
                    w.Line("ArrayPool<float>.Shared.Return(scratch);");
                }
            }
        }
    }
}
