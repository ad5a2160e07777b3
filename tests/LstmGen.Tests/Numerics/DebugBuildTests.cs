using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Models compiled into a Debug (unoptimized) assembly: the generated code calls the runtime library's
/// precompiled matrix kernels, so it matches the references, gives the numbers a Release build gives, and
/// allocates nothing per call. CI runs this class again on the Vector256, Vector128 and scalar paths.
/// </summary>
public sealed class DebugBuildTests
{
    private static readonly Lazy<Assembly> s_debug = new(CompileDebug);

    /// <summary>Float-input models with Step, of every layer kind that streams (from StreamingTests).</summary>
    private static readonly string[] s_streaming =
    {
        "tutorial_3x_lstm10_t10",
        "gru_then_simple_rnn_relu",
        "torch_export_gru2_seq_softmax",
        "torch_export_lstm_wide_variable",
        "torch_export_rnn_wide",
        "glue_td_layer_norm_variable_length",
    };

    /// <summary>
    /// Every fourth fixture (in name order, so every layer kind and option is among them) and the streaming ones:
    /// all 199 would double this class's time in each of CI's four SIMD runs for little more coverage, since the
    /// Debug form differs from Release only in how matrix products, weights and stages are emitted.
    /// </summary>
    private static readonly string[] s_fixtures = Fixtures.Names().Where((_, i) => i % 4 == 0).Union(s_streaming).ToArray();

    public static IEnumerable<object[]> AllFixtures() => s_fixtures.Select(n => new object[] { n });

    public static TheoryData<string> Streaming => new(s_streaming);

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Debug_build_matches_the_reference_and_the_release_build(string fixture)
    {
        FixtureExpectation expected = Fixtures.Expected(fixture);
        string type = "Fixtures." + Fixtures.ClassName(fixture, false);
        PredictFunc debug = GeneratedModel.Predict(s_debug.Value, type);
        PredictFunc release = GeneratedModel.Predict(ReferenceModelTests.Compiled, type);
        foreach (FixtureCase c in expected.Cases)
        {
            var fromDebug = new float[c.Output.Length];
            var fromRelease = new float[c.Output.Length];
            fromDebug.AsSpan().Fill(float.NaN);
            debug(c.Input, fromDebug);
            release(c.Input, fromRelease);
            ReferenceModelTests.AssertClose(c.Output, fromDebug, $"{fixture} Debug (T={c.Timesteps}, {expected.Source})");
            ReferenceModelTests.AssertClose(fromRelease, fromDebug, $"{fixture} Debug vs Release (T={c.Timesteps})");
        }
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public void Debug_build_allocates_nothing_per_call(string fixture)
    {
        FixtureCase c = Fixtures.Expected(fixture).Cases[0];
        MethodInfo allocations = s_debug.Value.GetType("Fixtures.Driver_" + fixture, throwOnError: true)!.GetMethod("Allocations")!;
        var bytes = (long[])allocations.Invoke(null, new object[] { c.Input })!;
        Assert.True(bytes.All(b => b == 0), $"{fixture} in a Debug build allocated per 100 calls: Predict {bytes[0]} B, Step {bytes[1]} B, PredictBatch {bytes[2]} B");
    }

    private static Assembly CompileDebug()
    {
        var source = new StringBuilder("namespace Fixtures;\nusing System;\n");
        var files = new List<(string, string)>();
        foreach (string name in s_fixtures)
        {
            files.Add(($"/fixtures/{name}.json", Fixtures.ModelJson(name)));
            source.Append($"[LstmGen.LstmModel(\"fixtures/{name}.json\")] public static partial class {Fixtures.ClassName(name, false)} {{ }}\n");
        }
        foreach (string name in s_streaming)
        {
            string m = Fixtures.ClassName(name, false);
            source.Append($$"""
                public static class Driver_{{name}}
                {
                    /// <summary>
                    /// Bytes allocated by 100 calls each of Predict, Step and PredictBatch(3), the fewest of five rounds
                    /// after a warm-up: a gen-2 collection from another test may trim ArrayPool's cached scratch, and
                    /// renting it again once is not a per-call allocation (one that is would show in every round).
                    /// </summary>
                    public static long[] Allocations(float[] input)
                    {
                        const int F = {{m}}.InputFeatures, O = {{m}}.OutputUnits;
                        int steps = input.Length / F;
                        var output = new float[steps * O];
                        var batchInput = new float[3 * input.Length];
                        var batchOutput = new float[3 * output.Length];
                        var state = default({{m}}.State);
                        var bytes = new[] { long.MaxValue, long.MaxValue, long.MaxValue };
                        for (int round = 0; round < 6; round++)
                        {
                            long before = GC.GetAllocatedBytesForCurrentThread();
                            for (int i = 0; i < 100; i++) {{m}}.Predict(input, output);
                            long afterPredict = GC.GetAllocatedBytesForCurrentThread();
                            for (int i = 0; i < 100; i++) {{m}}.Step(ref state, input.AsSpan((i % steps) * F, F), output.AsSpan(0, O));
                            long afterStep = GC.GetAllocatedBytesForCurrentThread();
                            for (int i = 0; i < 100; i++) {{m}}.PredictBatch(batchInput, 3, batchOutput);
                            long afterBatch = GC.GetAllocatedBytesForCurrentThread();
                            if (round == 0) continue;
                            bytes[0] = Math.Min(bytes[0], afterPredict - before);
                            bytes[1] = Math.Min(bytes[1], afterStep - afterPredict);
                            bytes[2] = Math.Min(bytes[2], afterBatch - afterStep);
                        }
                        return bytes;
                    }
                }

                """);
        }
        GeneratorOutcome outcome = GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray(), OptimizationLevel.Debug);
        // go_backwards models have no Step (LSTMGEN018, info).
        var unexpected = outcome.GeneratorDiagnostics.Where(d => d.Id is not "LSTMGEN018").ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        return new GeneratorOutcome(outcome.Compilation, default, outcome.Result).Load();
    }
}
