using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// A model with its plan: what the emit step needs. <see cref="Plan"/> is null when the model could not be read
    /// (then <see cref="Spec"/> carries the diagnostics) or when planning failed (<see cref="PlanningFailure"/>, an
    /// LSTMGEN999 without a location: this step must not re-run when the attribute moves).
    /// </summary>
    internal sealed record PlannedModel(GenerationSpec Spec, ModelPlan? Plan, DiagnosticInfo? PlanningFailure);
}
