using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using LstmGen.Import;
using LstmGen.Tests.Infrastructure;
using LstmGen.Tests.Import;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Emitting;

/// <summary>
/// An assembly's string literals share one 16 MB heap (CS8103 past it), and large weights are stored as strings
/// while they fit. Several large models in one project must still compile: the generator shares the strings among
/// the models and stores the rest as base64 constant data, with the same numbers either way.
/// </summary>
public sealed class AssemblyStringBudgetTests
{
    private const int Units = 1000;
    private const int Timesteps = 2;

    [Fact]
    public void Sixteen_million_weights_in_four_models_compile_into_one_assembly()
    {
        // A and D have the same weights: A's are stored mostly as strings, D's (past the budget) as base64.
        var weights = new Dictionary<string, float[][]>
        {
            ["A"] = RandomLstm(seed: 1),
            ["B"] = RandomLstm(seed: 2),
            ["C"] = RandomLstm(seed: 3),
        };
        weights["D"] = weights["A"];
        Assert.True(weights.Values.Sum(w => w.Sum(a => a.Length)) >= 16_000_000);

        string source = string.Concat(weights.Keys.Select(name => $"[LstmGen.LstmModel(\"Models/{name}.h5\")] public static partial class {name} {{ }}\n"));
        var files = new List<(string Path, string Text, string? ImportedFrom)>();
        foreach ((string name, float[][] arrays) in weights)
        {
            files.Add(($"/project/Models/{name}.h5", "binary model file", null));
            files.Add(($"/project/obj/lstmgen/{name}.h5.lstmgen.json", ImportDocument(name, arrays), $"/project/Models/{name}.h5"));
        }
        GeneratorOutcome outcome = GeneratorHarness.RunWithImports(new[] { source }, files.ToArray());

        string Generated(string name) => outcome.Result.GeneratedSources.Single(s => s.HintName == name + ".g.cs").SourceText.ToString();
        Assert.Contains("MemoryMarshal.Cast<char, float>(", Generated("A"));
        Assert.Contains("private static class EncodedWeights", Generated("D"));
        Assert.DoesNotContain("MemoryMarshal.Cast<char, float>(", Generated("D"));
        // Decoded straight into the aligned block, not kept a second time in an array of their own.
        Assert.Matches(@"EncodedWeights\.Decode\w+Source\(values\.Slice\(", Generated("D"));
        Assert.DoesNotContain("static readonly float[]", Generated("D").Replace("float[] s_block", "", StringComparison.Ordinal));

        Assembly assembly = outcome.Load();   // emits: CS8103 would fail here
        var input = new float[] { 0.5f, -1.25f };
        float[] Predict(string name)
        {
            var output = new float[Units];
            GeneratedModel.Predict(assembly, name)(input, output);
            return output;
        }
        float[] a = Predict("A"), b = Predict("B"), c = Predict("C"), d = Predict("D");
        Assert.Equal(a, d);   // bit for bit: both storages hold the same floats
        AssertClose(Reference(weights["A"], input), a);
        AssertClose(Reference(weights["B"], input), b);
        AssertClose(Reference(weights["C"], input), c);
    }

    /// <summary>Kernel (1, 4u), recurrent kernel (u, 4u), bias (4u), gates i, f, c, o; values small enough to keep the gates unsaturated.</summary>
    private static float[][] RandomLstm(int seed)
    {
        var random = new Random(seed);
        float[] Values(int count, float scale) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        return new[] { Values(4 * Units, 1f), Values(Units * 4 * Units, 0.05f), Values(4 * Units, 0.5f) };
    }

    private static string ImportDocument(string name, float[][] arrays)
    {
        var topology = JsonNode.Parse($$$"""
            {"class_name": "Sequential", "config": {"name": "big_{{{name}}}", "layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "batch_input_shape": [null, {{{Timesteps}}}, 1], "units": {{{Units}}},
               "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true, "return_sequences": false}}]},
             "keras_version": "2.15.0", "backend": "tensorflow"}
            """)!.AsObject();
        var document = new ImportDocument(name + ".h5", "test", WeightsLayout.Keras2) { Model = topology };
        string[] roles = { "kernel", "recurrent_kernel", "bias" };
        int[][] shapes = { new[] { 1, 4 * Units }, new[] { Units, 4 * Units }, new[] { 4 * Units } };
        for (int i = 0; i < 3; i++) document.Weights.Add(new NamedWeight("lstm", $"lstm/lstm_cell/{roles[i]}:0", shapes[i], arrays[i]));
        return ImportDocuments.Write(document);
    }

    /// <summary>Keras's LSTM in double precision, written out independently of the generated code.</summary>
    private static double[] Reference(float[][] w, float[] input)
    {
        float[] kernel = w[0], recurrent = w[1], bias = w[2];
        var h = new double[Units];
        var c = new double[Units];
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        foreach (float x in input)
        {
            var z = new double[4 * Units];
            for (int j = 0; j < 4 * Units; j++)
            {
                double sum = bias[j] + x * kernel[j];
                for (int k = 0; k < Units; k++) sum += h[k] * recurrent[k * 4 * Units + j];
                z[j] = sum;
            }
            for (int u = 0; u < Units; u++)
            {
                double i = Sigmoid(z[u]), f = Sigmoid(z[Units + u]), g = Math.Tanh(z[2 * Units + u]), o = Sigmoid(z[3 * Units + u]);
                c[u] = f * c[u] + i * g;
                h[u] = o * Math.Tanh(c[u]);
            }
        }
        return h;
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"[{i}]: {actual[i]} vs {expected[i]}");
        }
    }
}
