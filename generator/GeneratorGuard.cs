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
    /// The two phases that touch user input, each behind a catch-all: an exception here is a bug in LstmGen,
    /// and it must become an LSTMGEN999 diagnostic, never a compiler crash (CS8785) or a silent no-op.
    /// </summary>
    internal static class GeneratorGuard
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

        /// <summary>
        /// Adds the model's source: the compiled model, or, when it cannot be compiled, the members the user's code
        /// names, each throwing (one mistake, one error). Diagnostics are reported by <see cref="DiagnosticReporter"/>,
        /// except a failure of this step itself.
        /// </summary>
        public static void Emit(SourceProductionContext context, EmitRequest request)
        {
            GenerationSpec spec = request.Spec;
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

            string source;
            try
            {
                ModelPlan plan = Planner.Plan(spec.Target, spec.Model, request.StringFloats, request.DebugBuild);
                source = ModelEmitter.Emit(spec.Target, spec.Model, plan);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // This step has no location (it must not re-run when the attribute moves): the message names the model.
                Diagnostic failure = Failed(spec.Target, e).Diagnostics[0].ToDiagnostic();
                context.ReportDiagnostic(failure);
                if (FallbackEmitter.Applies(spec)) AddFallback(context, spec.Target, Describe(failure));
                return;
            }
            context.AddSource(ModelEmitter.HintName(spec.Target), SourceText.From(source, System.Text.Encoding.UTF8));
        }

        private static void AddFallback(SourceProductionContext context, TargetSpec target, string error)
            => context.AddSource(ModelEmitter.HintName(target), SourceText.From(FallbackEmitter.Emit(target, error), System.Text.Encoding.UTF8));

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
