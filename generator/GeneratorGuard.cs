using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Emitting;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;
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

        public static void Emit(SourceProductionContext context, GenerationSpec spec)
        {
            foreach (DiagnosticInfo diagnostic in spec.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            if (spec.Model is null) return;

            string source;
            try
            {
                source = ModelEmitter.Emit(spec.Target, spec.Model);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                context.ReportDiagnostic(Failed(spec.Target, e).Diagnostics[0].ToDiagnostic());
                return;
            }
            context.AddSource(ModelEmitter.HintName(spec.Target), SourceText.From(source, System.Text.Encoding.UTF8));
        }

        /// <summary>Turns an unexpected exception into the LSTMGEN999 diagnostic, located on the attribute.</summary>
        public static GenerationSpec Failed(TargetSpec target, Exception e)
        {
            string what = e.GetType().Name + ": " + e.Message.Replace('\r', ' ').Replace('\n', ' ');
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, target.PathLocation, target.ModelPath ?? target.TypeName, what);
            return new GenerationSpec(target, null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
        }
    }
}
