using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LstmGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// Runs the real generator on an in-memory compilation, the way the compiler does in a build, and can
/// emit and load the result so tests call the generated Predict.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        // The running framework's assemblies plus the LstmGen runtime library.
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = tpa.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(LstmModelAttribute).Assembly.Location));
        return references.ToImmutableArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12);

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CreateCompilation(OptimizationLevel.Release, sources);

    /// <summary>A compilation as a Debug build (<see cref="OptimizationLevel.Debug"/>) or a Release one makes it.</summary>
    public static CSharpCompilation CreateCompilation(OptimizationLevel optimization, params string[] sources)
        => CSharpCompilation.Create(
            "LstmGenTestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/Source{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: optimization));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, bool trackSteps = false, AnalyzerConfigOptionsProvider? options = null)
        => CSharpGeneratorDriver.Create(
            new[] { new LstmModelGenerator().AsSourceGenerator() },
            files,
            ParseOptions,
            options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// Runs the generator with files that the LstmGen build step would have imported: each (path, text, importedFrom)
    /// with importedFrom set is an import document of the file at that path.
    /// </summary>
    public static GeneratorOutcome RunWithImports(string[] sources, (string Path, string Text, string? ImportedFrom)[] files)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        var metadata = files.Where(f => f.ImportedFrom is not null).ToDictionary(
            f => f.Path,
            f => new Dictionary<string, string> { ["build_metadata.AdditionalFiles.LstmGenImportedFrom"] = f.ImportedFrom! });
        GeneratorDriver driver = CreateDriver(files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)), options: new ItemMetadataOptions(metadata));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return new GeneratorOutcome(output, diagnostics, result);
    }

    /// <summary>
    /// Runs the generator twice on the same input (the second time on a clone of the compilation, as the IDE does)
    /// and asserts that the second run re-did nothing: every LstmGen step Cached or Unchanged, every output Cached.
    /// </summary>
    public static void AssertSecondRunIsCached(string source, params (string Path, string Text)[] files)
    {
        CSharpCompilation compilation = CreateCompilation(source);
        GeneratorDriver driver = CreateDriver(files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)), trackSteps: true);
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.Clone());
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        // Our steps (the compiler's own input nodes, such as the new compilation itself, do change).
        foreach (var step in result.TrackedSteps.Where(s => s.Key.StartsWith("LstmGen.", StringComparison.Ordinal)))
        {
            foreach (var output in step.Value.SelectMany(s => s.Outputs))
            {
                Xunit.Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"second run: step {step.Key} was {output.Reason}");
            }
        }
        foreach (var step in result.TrackedOutputSteps)
        {
            foreach (var output in step.Value.SelectMany(s => s.Outputs))
            {
                Xunit.Assert.True(output.Reason == IncrementalStepRunReason.Cached, $"second run: output {step.Key} was {output.Reason}");
            }
        }
    }

    /// <summary>Runs the generator once; returns the updated compilation and the generator's own result.</summary>
    public static GeneratorOutcome Run(string source, params (string Path, string Text)[] files)
        => Run(new[] { source }, files);

    public static GeneratorOutcome Run(string[] sources, (string Path, string Text)[] files, OptimizationLevel optimization = OptimizationLevel.Release)
    {
        CSharpCompilation compilation = CreateCompilation(optimization, sources);
        GeneratorDriver driver = CreateDriver(files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return new GeneratorOutcome(output, diagnostics, result);
    }

    /// <summary>
    /// Emits and loads a compilation (with the generator's diagnostics, if any, counted as its own); fails the test
    /// with every error or warning not in <paramref name="allowedWarnings"/> if it does not compile cleanly.
    /// </summary>
    public static Assembly Load(Compilation compilation, ImmutableArray<Diagnostic> generatorDiagnostics, params string[] allowedWarnings)
    {
        ThrowIfAny("Compilation failed", generatorDiagnostics, allowedWarnings);
        string? cached = CompiledAssemblyCache.PathFor(compilation, allowedWarnings);
        if (cached is not null && File.Exists(cached))
        {
            return LoadIntoNewContext(File.ReadAllBytes(cached));
        }
        ThrowIfAny("Compilation failed", compilation.GetDiagnostics(), allowedWarnings);
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emit.Diagnostics.Take(30)));
        }
        if (cached is not null) CompiledAssemblyCache.Store(cached, stream.ToArray());
        return LoadIntoNewContext(stream.ToArray());
    }

    private static void ThrowIfAny(string what, IEnumerable<Diagnostic> diagnostics, string[] allowedWarnings)
    {
        var problems = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !allowedWarnings.Contains(d.Id)))
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(what + ":\n" + string.Join("\n", problems.Take(30)));
        }
    }

    private static Assembly LoadIntoNewContext(byte[] image)
    {
        var context = new AssemblyLoadContext("LstmGenTest" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(new MemoryStream(image));
    }
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutcome(Compilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorRunResult Result)
{
    public string SingleSource => Result.GeneratedSources.Single().SourceText.ToString();

    /// <summary>Compiler diagnostics of the output compilation (warnings are errors in the harness).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => Compilation.GetDiagnostics();

    /// <summary>Emits and loads the compilation; fails the test with every diagnostic if it does not compile cleanly.</summary>
    public Assembly Load(params string[] allowedWarnings)
        => GeneratorHarness.Load(Compilation, GeneratorDiagnostics.IsDefault ? ImmutableArray<Diagnostic>.Empty : GeneratorDiagnostics, allowedWarnings);
}
