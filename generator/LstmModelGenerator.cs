using System;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator
{
    /// <summary>
    /// Compiles the recurrent models named by <c>[LstmModel("path")]</c> into C#. The phases, each a folder:
    /// read (attribute → <see cref="TargetSpec"/>, file → <see cref="WeightsFile"/>, text → <see cref="ModelSpec"/>
    /// in Parsing/), model (value-equatable records in Model/), plan (a <see cref="Planning.ModelPlan"/> per model in
    /// Planning/), emit (model + plan → source in Emitting/); diagnostics are a separate output. docs/design/architecture.md
    /// walks through the steps and what each one caches.
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
                .Select(static (pair, _) => PipelineSteps.Locate(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.LocatedModels);

            IncrementalValuesProvider<GenerationSpec> models = located
                .Select(static (model, ct) => PipelineSteps.Build(model, ct))
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

            // One plan per model, decided once; an equal plan (and model) leaves the emitted source cached.
            IncrementalValuesProvider<PlannedModel> plans = models
                .Combine(shares)
                .Combine(debugBuild)
                .Select(static (pair, _) => PipelineSteps.Plan(
                    pair.Left.Left,
                    StringBudget.For(pair.Left.Right, pair.Left.Left.Target.HintName),
                    pair.Right))
                .WithTrackingName(TrackingNames.Plans);

            context.RegisterSourceOutput(plans, static (spc, planned) => PipelineSteps.Emit(spc, planned));

            // Diagnostics apart from the source: a moved attribute re-reports them without re-emitting anything.
            IncrementalValueProvider<ImmutableArray<ModelDiagnostics>> reports = models
                .Select(static (spec, _) => DiagnosticReporter.Collect(spec))
                .WithTrackingName(TrackingNames.Diagnostics)
                .Collect();
            context.RegisterSourceOutput(targets.Combine(reports), static (spc, pair) => DiagnosticReporter.Report(spc, pair.Left, pair.Right));
        }
    }
}
