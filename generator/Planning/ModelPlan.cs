namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// Everything decided about how one model becomes code, decided once by <see cref="Planner"/>: the emitters
    /// follow it and decide nothing of this themselves.
    /// </summary>
    internal sealed class ModelPlan
    {
        public ModelPlan(ExecutionPlan execution, bool unroll, string? whyNoState, string? whyNoStep, bool debugBuild, int stringFloats)
        {
            Execution = execution;
            Unroll = unroll;
            WhyNoState = whyNoState;
            WhyNoStep = whyNoStep;
            DebugBuild = debugBuild;
            StringFloats = stringFloats;
        }

        /// <summary>Stages and phases of Predict and PredictBatch, and which stages run in registers.</summary>
        public ExecutionPlan Execution { get; }

        /// <summary>The timestep loops are written out (the attribute asked, the length is fixed and short, Release).</summary>
        public bool Unroll { get; }

        /// <summary>Why the class gets no State struct (and no Predict with a State), or null when it does.</summary>
        public string? WhyNoState { get; }

        /// <summary>Why the class gets no Step, or null when it does (it has a State, and every layer is causal).</summary>
        public string? WhyNoStep { get; }

        public bool WithState => WhyNoState is null;

        public bool WithStep => WithState && WhyNoStep is null;

        /// <summary>The compilation is not optimized: the emitters call precompiled kernels (see IndentedWriter.DebugBuild).</summary>
        public bool DebugBuild { get; }

        /// <summary>The model's share of the assembly's string constants (<see cref="Model.StringBudget"/>).</summary>
        public int StringFloats { get; }
    }
}
