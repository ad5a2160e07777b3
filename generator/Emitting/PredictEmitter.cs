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
            var stages = new StageEmitter(w, model, plan, buffers);
            ExecutionPlan.Phase last = plan.Execution.Phases[plan.Execution.Phases.Count - 1];
            // Rows of a sequence output that come from a RepeatVector (a constant, whatever the input length), or that Conv1D
            // and the like change from a fixed input length.
            int? fixedOutputSteps = !model.OutputIsSequence ? null
                : model.HasSequenceLayers ? model.OutputTimesteps
                : last.Steps is int n ? n : null;
            string team = TeamEmitter.Uses(model, plan) ? ", global::LstmGen.CoreTeam? team = null" : string.Empty;
            string signature = plan.WithState
                ? $"public static void Predict(ReadOnlySpan<{model.InputType}> input, Span<float> output, Span<float> state{team})"
                : $"public static void Predict(ReadOnlySpan<{model.InputType}> input, Span<float> output{team})";
            using (w.Method(signature))
            {
                ArgumentChecksEmitter.Predict(w, model, fixedOutputSteps);
                var declared = buffers.ForPredict();
                PredictBuffers.OnStackOrPooled(w, declared, pooled => buffers.EmitDeclarations(declared, pooled, stages.LoopsOverBlocks), () => stages.EmitStages(0));
            }
        }
    }
}
