namespace LstmGen.Generator.Model
{
    /// <summary>
    /// The last cached step of the pipeline: one annotated class, its validated model (null when the
    /// model could not be read) and the diagnostics to report.
    /// </summary>
    internal sealed record GenerationSpec(TargetSpec Target, ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
