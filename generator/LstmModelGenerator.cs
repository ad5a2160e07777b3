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

            // Only .json items can be models; the text is read here, with the cancellation token.
            IncrementalValueProvider<ImmutableArray<WeightsFile>> files = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                .Select(static (text, ct) => new WeightsFile(text.Path, text.GetText(ct)?.ToString()))
                .WithTrackingName(TrackingNames.WeightsFiles)
                .Collect();

            IncrementalValuesProvider<GenerationSpec> models = targets
                .Combine(files)
                .Select(static (pair, ct) => GeneratorGuard.Build(pair.Left, pair.Right, ct))
                .WithTrackingName(TrackingNames.Models);

            context.RegisterSourceOutput(models, static (spc, spec) => GeneratorGuard.Emit(spc, spec));
        }
    }
}
