namespace LstmGen.Generator.Model
{
    /// <summary>
    /// What the emit step needs beyond the model: its share of the assembly's string constants
    /// (<see cref="StringBudget"/>) and whether the compilation is a Debug (unoptimized) one.
    /// </summary>
    internal sealed record EmitRequest(GenerationSpec Spec, int StringFloats, bool DebugBuild);
}
