namespace LstmGen.Generator.Model
{
    /// <summary>
    /// A target paired with the text to read for it (null when it has none, with the diagnostics saying why). Cheap
    /// to make; the expensive read that follows runs again only when this value changes, so editing another
    /// model's file, which re-locates every target, re-reads only that model.
    /// </summary>
    internal sealed record LocatedModel(TargetSpec Target, ModelSource? Source, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A model's diagnostics by the target's full name, for the step that reports them with locations.</summary>
    internal sealed record ModelDiagnostics(string FullName, EquatableArray<DiagnosticInfo> Diagnostics);
}
