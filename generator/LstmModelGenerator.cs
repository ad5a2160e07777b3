using System;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using LstmGen.Generator.Emitting;
using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator
{
    /// <summary>
    /// Compiles Keras LSTM models named by <c>[LstmModel("path")]</c> into C#. The pipeline has three phases:
    /// read (attribute → <see cref="TargetSpec"/>, file → <see cref="WeightsFile"/>), validate (both → a
    /// value-equatable <see cref="GenerationSpec"/>), emit (spec → source + diagnostics).
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class LstmModelGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<TargetSpec> targets = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    TargetReader.AttributeName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    static (ctx, ct) => TargetReader.Read(ctx, ct))
                .WithTrackingName(TrackingNames.Targets);

            // Every item takes part in path matching; only JSON and import documents are read as text.
            IncrementalValueProvider<ImmutableArray<WeightsFile>> files = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select(static (pair, ct) => WeightsFileReader.Read(pair.Left, pair.Right.GetOptions(pair.Left), ct))
                .WithTrackingName(TrackingNames.WeightsFiles)
                .Collect();

            // The model steps see the target without locations: typing above the attribute changes only those.
            IncrementalValuesProvider<TargetSpec> shapes = targets
                .Select(static (target, _) => target.WithoutLocations())
                .WithTrackingName(TrackingNames.TargetShapes);

            // Cheap: find each target's file. Equal results leave the expensive read below cached.
            IncrementalValuesProvider<LocatedModel> located = shapes
                .Combine(files)
                .Select(static (pair, _) => GeneratorGuard.Locate(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.LocatedModels);

            IncrementalValuesProvider<GenerationSpec> models = located
                .Select(static (model, ct) => GeneratorGuard.Build(model, ct))
                .WithTrackingName(TrackingNames.Models);

            // Every model's share of the assembly's string constants; a model's share changes only when the
            // parameter count of a model before it (by file name) does.
            IncrementalValueProvider<EquatableArray<StringBudgetClaim>> shares = models
                .Select(static (spec, _) => StringBudget.Claim(spec))
                .Collect()
                .Select(static (claims, _) => StringBudget.Share(claims))
                .WithTrackingName(TrackingNames.StringBudget);

            // A Debug compilation runs unoptimized: its models call precompiled kernels (IndentedWriter.DebugBuild).
            IncrementalValueProvider<bool> debugBuild = context.CompilationProvider
                .Select(static (compilation, _) => compilation.Options.OptimizationLevel == OptimizationLevel.Debug);

            IncrementalValuesProvider<EmitRequest> emits = models
                .Combine(shares)
                .Combine(debugBuild)
                .Select(static (pair, _) => new EmitRequest(
                    pair.Left.Left,
                    StringBudget.For(pair.Left.Right, ModelEmitter.HintName(pair.Left.Left.Target)),
                    pair.Right))
                .WithTrackingName(TrackingNames.Emits);

            context.RegisterSourceOutput(emits, static (spc, emit) => GeneratorGuard.Emit(spc, emit));

            // Diagnostics apart from the source: a moved attribute re-reports them without re-emitting anything.
            IncrementalValueProvider<ImmutableArray<ModelDiagnostics>> reports = models
                .Select(static (spec, _) => DiagnosticReporter.Collect(spec))
                .WithTrackingName(TrackingNames.Diagnostics)
                .Collect();
            context.RegisterSourceOutput(targets.Combine(reports), static (spc, pair) => DiagnosticReporter.Report(spc, pair.Left, pair.Right));
        }
    }
}
