using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Every reference fixture (TensorFlow.js / PyTorch outputs) compiled by the generator, in loop and unrolled
/// form, and compared with tolerance max(1e-5, 1e-4·|expected|). All fixtures go into one compilation so the
/// suite compiles once. CI runs this class again with AVX-512, AVX2 and all hardware intrinsics disabled.
/// </summary>
public sealed class ReferenceModelTests
{
    private static readonly Lazy<Assembly> s_assembly = new(CompileAllFixtures);

    /// <summary>Every fixture compiled (Release), as <c>Fixtures.Fixture_name</c> and <c>Fixtures.Fixture_name_Unrolled</c>.</summary>
    internal static Assembly Compiled => s_assembly.Value;

    public static IEnumerable<object[]> Cases()
        => Fixtures.Names().SelectMany(n => new[] { new object[] { n, false }, new object[] { n, true } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_predict_matches_reference(string fixture, bool unrolled)
    {
        FixtureExpectation expected = Fixtures.Expected(fixture);
        PredictFunc predict = GeneratedModel.Predict(s_assembly.Value, "Fixtures." + Fixtures.ClassName(fixture, unrolled));
        Assert.NotEmpty(expected.Cases);
        foreach (FixtureCase c in expected.Cases)
        {
            var output = new float[c.Output.Length];
            output.AsSpan().Fill(float.NaN); // every element must be written
            predict(c.Input, output);
            AssertClose(c.Output, output, $"{fixture} (T={c.Timesteps}, {expected.Source})");
        }
    }

    public static IEnumerable<object[]> Fixtures_() => Fixtures.Names().Select(n => new object[] { n });

    /// <summary>
    /// PredictBatch on 67 sequences (a full block of 64 and a partial one) per timestep count: the fixture's own
    /// inputs, whose rows must match the reference, and seeded variations of them (about half the timesteps
    /// changed, so masked models get sequences with different masks side by side; token models get other ids);
    /// every row must equal Predict on that sequence bit for bit (the batch computes each float in Predict's order).
    /// </summary>
    [Theory]
    [MemberData(nameof(Fixtures_))]
    public void Generated_predict_batch_matches_reference_and_predict(string fixture)
    {
        FixtureExpectation expected = Fixtures.Expected(fixture);
        string type = "Fixtures." + Fixtures.ClassName(fixture, false);
        PredictFunc predict = GeneratedModel.Predict(s_assembly.Value, type);
        PredictBatchFunc predictBatch = GeneratedModel.PredictBatch(s_assembly.Value, type);
        int? vocabulary = GeneratedModel.VocabularySize(s_assembly.Value, type);
        var random = new Random(fixture.Length);
        foreach (IGrouping<int, FixtureCase> group in expected.Cases.GroupBy(c => c.Timesteps))
        {
            FixtureCase[] cases = group.ToArray();
            int outputLength = cases[0].Output.Length, features = cases[0].Input.Length / group.Key;
            const int batch = 67;
            var sequences = new float[batch][];
            for (int b = 0; b < batch; b++)
            {
                sequences[b] = (float[])cases[b % cases.Length].Input.Clone();
                if (b < cases.Length) continue;
                for (int t = 0; t < group.Key; t++)
                {
                    if (random.Next(2) == 0) continue;
                    for (int f = 0; f < features; f++)
                    {
                        ref float value = ref sequences[b][t * features + f];
                        value = vocabulary is int size ? random.Next(size) : value + (float)(random.NextDouble() - 0.5);
                    }
                }
            }
            float[] inputs = sequences.SelectMany(x => x).ToArray();
            var outputs = new float[batch * outputLength];
            outputs.AsSpan().Fill(float.NaN);
            predictBatch(inputs, batch, outputs);
            for (int b = 0; b < batch; b++)
            {
                float[] row = outputs.AsSpan(b * outputLength, outputLength).ToArray();
                if (b < cases.Length) AssertClose(cases[b].Output, row, $"{fixture} batch row {b} (T={group.Key}, {expected.Source})");
                var single = new float[outputLength];
                predict(sequences[b], single);
                Assert.True(single.AsSpan().SequenceEqual(row), $"{fixture} batch row {b} (T={group.Key}) differs from Predict: {string.Join(", ", row)} vs {string.Join(", ", single)}");
            }
        }
    }

    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Math.Max(1e-5, 1e-4 * Math.Abs(expected[i]));
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : Math.Abs(expected[i] - actual[i]) <= tolerance;
            Assert.True(same, $"{what}: output[{i}] = {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance:G3})");
        }
    }

    private static Assembly CompileAllFixtures()
    {
        var source = new StringBuilder("namespace Fixtures;\n");
        var files = new List<(string, string)>();
        foreach (string name in Fixtures.Names())
        {
            files.Add(($"/fixtures/{name}.json", Fixtures.ModelJson(name)));
            source.Append($"[LstmGen.LstmModel(\"fixtures/{name}.json\")] public static partial class {Fixtures.ClassName(name, false)} {{ }}\n");
            source.Append($"[LstmGen.LstmModel(\"fixtures/{name}.json\", Unroll = true)] public static partial class {Fixtures.ClassName(name, true)} {{ }}\n");
        }
        GeneratorOutcome outcome = GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray());
        // Variable-length fixtures warn that Unroll was ignored (LSTMGEN010), go_backwards models have no Step
        // (LSTMGEN018, info); both expected here.
        var unexpected = outcome.GeneratorDiagnostics.Where(d => d.Id is not "LSTMGEN010" and not "LSTMGEN018").ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        return new GeneratorOutcome(outcome.Compilation, default, outcome.Result).Load();
    }
}
