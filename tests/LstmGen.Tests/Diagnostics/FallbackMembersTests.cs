using System;
using System.Linq;
using System.Reflection;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>One mistake, one error: a model that cannot be compiled still gives its class the members user code names.</summary>
public sealed class FallbackMembersTests
{
    private const string Path = "/project/Models/m.json";

    /// <summary>An LSTM whose kernel has 3 columns instead of 4: LSTMGEN006.</summary>
    private const string BrokenModel = """
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, 3, 1]},
           "weights": [[[0.1, 0.2, 0.3]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}]}}
        """;

    /// <summary>A ten-line program as a new user writes it.</summary>
    private const string Program = """
        using System;
        using LstmGen;

        [LstmModel("Models/m.json")]
        public static partial class Forecast { }

        public static class App
        {
            public static float[] Run()
            {
                float[] window = new float[Forecast.InputLength];
                float[] output = new float[Forecast.OutputLength];
                Forecast.Predict(window, output);
                Forecast.PredictBatch(window, 1, output);
                int steps = window.Length / Forecast.InputFeatures;
                var state = default(Forecast.State);
                Forecast.Step(ref state, window.AsSpan(0, Forecast.InputFeatures), output);
                const int units = Forecast.OutputUnits;
                return steps + units > 0 ? output : window;
            }
        }
        """;

    [Fact]
    public void Broken_model_gives_exactly_one_error_ours()
    {
        var outcome = GeneratorHarness.Run(Program, (Path, BrokenModel));
        var problems = outcome.GeneratorDiagnostics.Concat(outcome.CompilationDiagnostics)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();
        Diagnostic only = Assert.Single(problems);
        Assert.Equal("LSTMGEN006", only.Id);
    }

    [Fact]
    public void Fallback_members_throw_naming_the_error()
    {
        var outcome = GeneratorHarness.Run(Program, (Path, BrokenModel));
        Assert.Contains("LSTMGEN006", outcome.SingleSource);
        var compilation = outcome.Compilation;
        using var stream = new System.IO.MemoryStream();
        Assert.True(compilation.Emit(stream).Success);
        var assembly = Assembly.Load(stream.ToArray());
        MethodInfo run = assembly.GetType("App")!.GetMethod("Run")!;
        var e = Assert.Throws<TargetInvocationException>(() => run.Invoke(null, null));
        var inner = Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Contains("LSTMGEN006", inner.Message);
        Assert.Contains("kernel", inner.Message);
    }

    [Fact]
    public void Missing_file_also_gives_one_error()
    {
        var outcome = GeneratorHarness.Run(Program.Replace("Models/m.json", "Models/other.json"), (Path, BrokenModel));
        Diagnostic only = Assert.Single(outcome.GeneratorDiagnostics.Concat(outcome.CompilationDiagnostics), d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal("LSTMGEN001", only.Id);
    }

    [Fact]
    public void Non_partial_class_gets_no_fallback()
    {
        var outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"Models/m.json\")] public static class M { }", (Path, BrokenModel));
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    [Fact]
    public void Fallback_compiles_warning_free_with_documentation_in_a_namespace_and_nested_class()
    {
        const string source = """
            namespace App.Models
            {
                public static partial class Outer
                {
                    [LstmGen.LstmModel("Models/m.json")]
                    public partial class Inner { }
                }
            }
            """;
        var outcome = GeneratorHarness.Run(source, (Path, BrokenModel));
        Assert.Single(outcome.Result.GeneratedSources);
        Assert.DoesNotContain(outcome.CompilationDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
    }
}
