using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using LstmGen.Generator;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LstmGen.Tests.Pipeline;

/// <summary>
/// The pipeline must not redo work on unrelated edits (IDE typing) and must redo it when the weights change.
/// Checked through the driver's step tracking, by the tracking names in <see cref="TrackingNames"/>.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string Source = "namespace App; [LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }";

    private static string Model(float bias) => $$$"""
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, 2, 1]},
           "weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [{{{bias.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}, 0.2, 0.3, 0.4]]}]}}
        """;

    [Fact]
    public void Unrelated_source_edit_leaves_every_model_step_cached()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var file = new InMemoryAdditionalText("/p/Models/m.json", Model(0.1f));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { file }, trackSteps: true);
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App; public class Unrelated { int X => 1; }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Targets, TrackingNames.Models })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} output was {o.Reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_the_weights_file_regenerates_the_model()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var file = new InMemoryAdditionalText("/p/Models/m.json", Model(0.1f));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { file }, trackSteps: true);
        driver = driver.RunGenerators(compilation);
        string before = driver.GetRunResult().GeneratedTrees.Single().ToString();

        driver = driver.ReplaceAdditionalText(file, new InMemoryAdditionalText("/p/Models/m.json", Model(0.25f)));
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        string after = result.GeneratedSources.Single().SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("0.25f", after);
    }

    [Fact]
    public void Typing_above_the_attribute_rereads_nothing_and_reemits_nothing()
    {
        // Unroll on a variable-length model: a warning (LSTMGEN010) on the attribute, which must move with it.
        const string attributed = "[LstmGen.LstmModel(\"Models/v.json\", Unroll = true)] public static partial class V { }";
        const string variable = """
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, null, 1]},
               "weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}]}}
            """;
        SyntaxTree before = CSharpSyntaxTree.ParseText("namespace App;\n" + attributed, GeneratorHarness.ParseOptions, path: "/src/V.cs");
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(before);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { new InMemoryAdditionalText("/p/Models/v.json", variable) }, trackSteps: true);
        driver = driver.RunGenerators(compilation);
        Assert.Equal(2, DiagnosticLine(driver));

        SyntaxTree after = CSharpSyntaxTree.ParseText("namespace App;\n// a comment typed above\n\n" + attributed, GeneratorHarness.ParseOptions, path: "/src/V.cs");
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(before, after));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.LocatedModels, TrackingNames.Models, TrackingNames.Plans })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(o.Reason == IncrementalStepRunReason.Cached, $"{step} was {o.Reason}"));
        }
        Assert.Equal(4, DiagnosticLine(driver));   // the warning moved with the attribute
    }

    /// <summary>The 1-based line of the generator's only diagnostic.</summary>
    private static int DiagnosticLine(GeneratorDriver driver)
    {
        Diagnostic diagnostic = Assert.Single(driver.GetRunResult().Diagnostics, d => d.Id == "LSTMGEN010");
        return diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;
    }

    [Fact]
    public void Editing_one_of_two_weights_files_rereads_and_replans_only_that_model()
    {
        // Both models take part in sharing the assembly's string constants; a weights edit that keeps the
        // parameter count leaves the other model's share, and so its plan and source, as they were.
        string sources = Source + "\nnamespace App; [LstmGen.LstmModel(\"Models/n.json\")] public static partial class N { }";
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var m = new InMemoryAdditionalText("/p/Models/m.json", Model(0.1f));
        var n = new InMemoryAdditionalText("/p/Models/n.json", Model(0.1f));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { m, n }, trackSteps: true);
        driver = driver.RunGenerators(compilation);

        driver = driver.ReplaceAdditionalText(n, new InMemoryAdditionalText("/p/Models/n.json", Model(0.25f)));
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        var reads = result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, reads.Count);
        Assert.Single(reads, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(reads, o => o.Reason == IncrementalStepRunReason.Cached);

        var plans = result.TrackedSteps[TrackingNames.Plans].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, plans.Count);
        Assert.Single(plans, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(plans, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedSteps[TrackingNames.StringBudget].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"string budget was {o.Reason}"));
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilation()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { new InMemoryAdditionalText("/p/Models/m.json", Model(0.1f)) }, trackSteps: true);
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Targets, TrackingNames.WeightsFiles, TrackingNames.TargetShapes, TrackingNames.LocatedModels, TrackingNames.Models, TrackingNames.Diagnostics, TrackingNames.StringBudget, TrackingNames.Plans })
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(output.Value, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) AssertNoRoslynObjects(item, seen, $"{path}[{i++}]");
        }
        for (Type? t = value.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer) continue;
                AssertNoRoslynObjects(field.GetValue(value), seen, $"{path}.{field.Name}");
            }
        }
    }
}
