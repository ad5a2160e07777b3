using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// Phase 3 of the pipeline (the LstmGen.Plans step): a validated model → its <see cref="ModelPlan"/>. The rules live here once; the
    /// resolver asks the same questions to explain, with LSTMGEN010 / 016 / 018, what the plan leaves out.
    /// </summary>
    internal static class Planner
    {
        /// <summary>Unrolling emits a block per timestep; beyond this the code grows with no measured gain (docs/performance.md).</summary>
        public const int MaxUnrolledTimesteps = 1024;

        /// <summary>States up to this many floats (64 KB) get the State API; larger ones would not fit a thread's stack.</summary>
        public const int MaxStateFloats = MemoryBudget.StackFloats;

        public static ModelPlan Plan(TargetSpec target, ModelSpec model, int stringFloats, bool debugBuild)
        {
            // Unrolled code only pays where the JIT optimizes it; in a Debug build it is just more code to compile.
            if (model.Graph is not null)
            {
                // A graph runs layer after layer over whole sequences (see GraphPlan); nothing is unrolled or in registers.
                var graph = new ExecutionPlan(EquatableArray<ExecutionPlan.Stage>.Empty, EquatableArray<ExecutionPlan.Phase>.Empty, RegisterStages: false);
                return new ModelPlan(graph, BlockPlan.ForGraph(model), Unroll: false, WhyNoState(target, model), StateLayout.WhyNoStep(model), debugBuild, stringFloats);
            }
            bool unroll = target.Unroll && !debugBuild && model.Timesteps is not null
                && model.LongestFixedSequence is int steps && steps <= MaxUnrolledTimesteps;
            // Stages in registers inline many small vector operations: in a Debug build each would be a call.
            ExecutionPlan execution = ExecutionPlan.For(model, registerStages: !debugBuild);
            return new ModelPlan(execution, BlockPlan.For(model, execution, debugBuild), unroll, WhyNoState(target, model), StateLayout.WhyNoStep(model), debugBuild, stringFloats);
        }

        /// <summary>Why the model gets no State struct, or null when it does.</summary>
        public static string? WhyNoState(TargetSpec target, ModelSpec model)
        {
            if (!target.SupportsInlineArrays) return "the State struct needs C# 12 or later (LangVersion)";
            int floats = StateLayout.TotalFloats(model);
            if (floats > MaxStateFloats) return $"its recurrent state of {IntLiteral.Format(floats)} floats is more than {IntLiteral.Format(MaxStateFloats)}";
            return null;
        }
    }
}
