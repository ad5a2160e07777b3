using System.Collections.Immutable;
using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator
{
    /// <summary>
    /// Reports a target's diagnostics with locations. The model steps work without locations (so moving the
    /// attribute re-reads nothing); this last step joins each target, as it is now, with its model's diagnostics
    /// and places those made without a location on the attribute's path argument.
    /// </summary>
    internal static class DiagnosticReporter
    {
        public static ModelDiagnostics Collect(GenerationSpec spec) => new ModelDiagnostics(spec.Target.FullName, spec.Diagnostics);

        public static void Report(SourceProductionContext context, TargetSpec target, ImmutableArray<ModelDiagnostics> models)
        {
            // The class's own problems (not partial, generic) carry their locations from the target.
            foreach (DiagnosticInfo diagnostic in target.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            foreach (ModelDiagnostics model in models)
            {
                if (model.FullName != target.FullName) continue;
                foreach (DiagnosticInfo diagnostic in model.Diagnostics)
                {
                    DiagnosticInfo located = diagnostic.Location is null ? diagnostic with { Location = target.PathLocation } : diagnostic;
                    context.ReportDiagnostic(located.ToDiagnostic());
                }
                return;
            }
        }
    }
}
