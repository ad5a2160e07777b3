using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Emitting;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;
using LstmGen.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LstmGen.Generator
{
    /// <summary>
    /// The pipeline's transforms that touch user input (locate, read, plan and emit), each behind a catch-all: an
    /// exception here is a bug in LstmGen, and it must become an LSTMGEN999 diagnostic, never a compiler crash
    /// (CS8785) or a silent no-op.
    /// </summary>
    internal static class PipelineSteps
    {
        public static GenerationSpec Build(TargetSpec target, ImmutableArray<WeightsFile> files, CancellationToken cancellationToken)
            => Build(target, files, cancellationToken, ModelResolver.Resolve);

        /// <summary>The guarded <see cref="ModelResolver.Locate"/>.</summary>
        public static LocatedModel Locate(TargetSpec target, ImmutableArray<WeightsFile> files)
        {
            try
            {
                return ModelResolver.Locate(target, files);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new LocatedModel(target, null, Failed(target, e).Diagnostics);
            }
        }

        /// <summary>The guarded read and validation of a located model.</summary>
        public static GenerationSpec Build(LocatedModel located, CancellationToken cancellationToken)
        {
            try
            {
                return ModelResolver.Resolve(located, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Failed(located.Target, e);
            }
        }

        /// <summary>The guarded build with the resolver as a parameter, so tests can prove the catch-all works.</summary>
        internal static GenerationSpec Build(
            TargetSpec target,
            ImmutableArray<WeightsFile> files,
            CancellationToken cancellationToken,
            Func<TargetSpec, ImmutableArray<WeightsFile>, CancellationToken, GenerationSpec> resolve)
        {
            try
            {
                return resolve(target, files, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Failed(target, e);
            }
        }

        /// <summary>The guarded planning of a read model (no plan for a model that could not be read).</summary>
        public static PlannedModel Plan(GenerationSpec spec, int stringFloats, bool debugBuild)
        {
            if (spec.Model is null) return new PlannedModel(spec, null, null);
            try
            {
                return new PlannedModel(spec, Planner.Plan(spec.Target, spec.Model, stringFloats, debugBuild), null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new PlannedModel(spec, null, Failed(spec.Target, e).Diagnostics[0]);
            }
        }

        /// <summary>
        /// Adds the model's source: the compiled model, or, when it cannot be compiled, the members the user's code
        /// names, each throwing (one mistake, one error). Diagnostics are reported by <see cref="DiagnosticReporter"/>,
        /// except a failure of planning or of this step, which have no location (they must not re-run when the
        /// attribute moves) and name the model instead.
        /// </summary>
        public static void Emit(SourceProductionContext context, PlannedModel planned)
        {
            GenerationSpec spec = planned.Spec;
            string? error = null;
            foreach (DiagnosticInfo diagnostic in spec.Diagnostics)
            {
                Diagnostic reported = diagnostic.ToDiagnostic();
                if (reported.Severity == DiagnosticSeverity.Error)
                {
                    error = Describe(reported);
                    break;
                }
            }
            if (spec.Model is null)
            {
                if (error is not null && FallbackEmitter.Applies(spec)) AddFallback(context, spec.Target, error);
                return;
            }
            if (planned.Plan is null)
            {
                ReportFailure(context, spec, planned.PlanningFailure!.ToDiagnostic());
                return;
            }

            string source;
            try
            {
                source = ModelEmitter.Emit(spec.Target, spec.Model, planned.Plan);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReportFailure(context, spec, Failed(spec.Target, e).Diagnostics[0].ToDiagnostic());
                return;
            }
            context.AddSource(spec.Target.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
        }

        private static void ReportFailure(SourceProductionContext context, GenerationSpec spec, Diagnostic failure)
        {
            context.ReportDiagnostic(failure);
            if (FallbackEmitter.Applies(spec)) AddFallback(context, spec.Target, Describe(failure));
        }

        private static void AddFallback(SourceProductionContext context, TargetSpec target, string error)
            => context.AddSource(target.HintName, SourceText.From(FallbackEmitter.Emit(target, error), System.Text.Encoding.UTF8));

        private static string Describe(Diagnostic diagnostic)
            => diagnostic.Id + ": " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Turns an unexpected exception into the LSTMGEN999 diagnostic, located on the attribute.</summary>
        public static GenerationSpec Failed(TargetSpec target, Exception e)
        {
            string what = e.GetType().Name + ": " + e.Message.Replace('\r', ' ').Replace('\n', ' ');
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, target.PathLocation, target.ModelPath ?? target.TypeName, what);
            return new GenerationSpec(target, null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
        }
    }
}
