namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// Everything decided about how one model becomes code, decided once by <see cref="Planner"/> in a pipeline step
    /// of its own (value-equatable, so an unchanged plan leaves the emit step cached): the emitters follow it and
    /// decide nothing of this themselves.
    /// </summary>
    /// <param name="Execution">Stages and phases of Predict and PredictBatch, and which stages run in registers.</param>
    /// <param name="Blocks">Predict's timestep blocks and scratch sizes.</param>
    /// <param name="Unroll">The timestep loops are written out (the attribute asked, the length is fixed and short, Release).</param>
    /// <param name="WhyNoState">Why the class gets no State struct (and no Predict with a State), or null when it does.</param>
    /// <param name="WhyNoStep">Why the class gets no Step, or null when it does (it has a State, and every layer is causal).</param>
    /// <param name="DebugBuild">The compilation is not optimized: the emitters call precompiled kernels (see IndentedWriter.DebugBuild).</param>
    /// <param name="StringFloats">The model's share of the assembly's string constants (<see cref="Model.StringBudget"/>).</param>
    internal sealed record ModelPlan(
        ExecutionPlan Execution,
        BlockPlan Blocks,
        bool Unroll,
        string? WhyNoState,
        string? WhyNoStep,
        bool DebugBuild,
        int StringFloats)
    {
        public bool WithState => WhyNoState is null;

        public bool WithStep => WithState && WhyNoStep is null;
    }
}
