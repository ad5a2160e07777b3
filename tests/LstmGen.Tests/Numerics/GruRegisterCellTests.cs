using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// GRUs whose units fill one or two vectors run a timestep in registers (Layer{n}Cell{bits}) in Predict and Step
/// where that width is accelerated (elsewhere Predict computes the input parts per block, then the general step),
/// while PredictBatch keeps the general form (products over all rows, then GruCell over spans). A stack of GRUs of
/// 4 to 32 units, with and without reset_after and bias, checked three ways on whatever vector width this run has:
/// against a double-precision GRU written here from Keras's equations, Step against Predict and every batch row
/// against Predict, bit for bit.
/// </summary>
public sealed class GruRegisterCellTests
{
    private const int Features = 5, Steps = 9, Batch = 3;

    /// <summary>Every chunking of a gate into vectors: one Vector128, Vector256 or Vector512, and two of mixed widths.</summary>
    private static readonly int[] s_units = { 4, 8, 12, 16, 20, 24, 32 };

    private static readonly (bool ResetAfter, bool Bias)[] s_variants = { (true, true), (true, false), (false, true), (false, false) };

    private static readonly Dictionary<(bool, bool), GruStack> s_stacks = s_variants.ToDictionary(v => v, v => new GruStack(v.ResetAfter, v.Bias, seed: 40 + (v.ResetAfter ? 2 : 0) + (v.Bias ? 1 : 0)));

    private static readonly Lazy<GeneratorOutcome> s_outcome = new(() =>
    {
        var source = new StringBuilder("using System;\n");
        var files = new List<(string, string)>();
        foreach ((bool resetAfter, bool bias) in s_variants)
        {
            string name = ClassName(resetAfter, bias);
            files.Add(($"/p/{name}.json", s_stacks[(resetAfter, bias)].Json()));
            source.Append($$"""
                [LstmGen.LstmModel("{{name}}.json")] public static partial class {{name}} { }

                """);
            source.Append(SequenceDriver.Source(name));
        }
        return GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray());
    });

    private static readonly Lazy<Assembly> s_assembly = new(() => s_outcome.Value.Load());

    public static TheoryData<bool, bool> Variants()
    {
        var data = new TheoryData<bool, bool>();
        foreach ((bool resetAfter, bool bias) in s_variants) data.Add(resetAfter, bias);
        return data;
    }

    private static string ClassName(bool resetAfter, bool bias) => $"Gru{(resetAfter ? "After" : "Before")}{(bias ? "Bias" : "NoBias")}";

    [Fact]
    public void Layers_that_fill_one_or_two_vectors_get_cells_and_the_others_do_not()
    {
        string generated = string.Join("\n", s_outcome.Value.Result.GeneratedSources.Select(s => s.SourceText.ToString()));
        // 4 units: one Vector128 on every width; 8: one Vector256, or two Vector128; 20: Vector512 + Vector128 only
        // (three vectors on narrower widths); 32: two Vector512 only.
        Assert.Contains("private static void Layer1Cell128(ref float x, ref float h)", generated);
        Assert.DoesNotContain("Layer1Cell256(", generated);
        Assert.Contains("private static void Layer2Cell256(ref float x, ref float h)", generated);
        Assert.Contains("private static void Layer2Cell128(ref float x, ref float h)", generated);
        Assert.Contains("private static void Layer5Cell512(ref float x, ref float h)", generated);
        Assert.DoesNotContain("Layer5Cell256(", generated);
        Assert.Contains("private static void Layer7Cell512(ref float x, ref float h)", generated);
        Assert.DoesNotContain("Layer7Cell128(", generated);
        // Where a layer's cells need Vector256 or Vector512, Predict computes its input parts per block of timesteps on
        // hardware without that width; the smallest layers' cells run on any vector width.
        Assert.Contains("if (Vector512.IsHardwareAccelerated)\n", generated);
        Assert.Contains("Layer3Project(", generated);
        Assert.Contains("Layer7Project(", generated);
        Assert.DoesNotContain("Layer1Project(", generated);
        Assert.DoesNotContain("Layer2Project(", generated);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Predict_matches_a_double_precision_GRU(bool resetAfter, bool bias)
    {
        GruStack stack = s_stacks[(resetAfter, bias)];
        float[] input = Input(Steps, seed: 7);
        float[] predicted = Call(resetAfter, bias, "Predict", input);
        double[] expected = stack.Reference(input, Steps);
        Assert.Equal(expected.Length, predicted.Length);
        Assert.Contains(predicted, v => Math.Abs(v) > 0.05f);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - predicted[i]) <= 2e-6, $"step {i / 32}, unit {i % 32}: Predict gave {predicted[i]:R}, the double-precision GRU {expected[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Step_and_every_batch_row_equal_Predict_bit_for_bit(bool resetAfter, bool bias)
        => SequenceDriver.AssertStepAndBatchRowsEqualPredict(s_assembly.Value, ClassName(resetAfter, bias), Input(Batch * Steps, seed: 11), Batch);

    private static float[] Call(bool resetAfter, bool bias, string method, params object[] arguments)
        => SequenceDriver.Call(s_assembly.Value, ClassName(resetAfter, bias), method, arguments);

    private static float[] Input(int steps, int seed)
    {
        var random = new Random(seed);
        var input = new float[steps * Features];
        for (int i = 0; i < input.Length; i++) input[i] = (float)((random.NextDouble() * 4) - 2);
        return input;
    }

    /// <summary>The stack's weights (Keras's layout: kernel (in, 3u), recurrent kernel (u, 3u), gates z, r, h), its JSON and a reference.</summary>
    private sealed class GruStack
    {
        private readonly bool _resetAfter, _bias;
        private readonly List<(int Inputs, int Units, float[] Kernel, float[] Recurrent, float[]? Bias)> _layers = new();

        public GruStack(bool resetAfter, bool bias, int seed)
        {
            _resetAfter = resetAfter;
            _bias = bias;
            var random = new Random(seed);
            float[] Weights(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            int inputs = Features;
            foreach (int u in s_units)
            {
                _layers.Add((inputs, u, Weights(inputs * 3 * u), Weights(u * 3 * u), bias ? Weights((resetAfter ? 2 : 1) * 3 * u) : null));
                inputs = u;
            }
        }

        public string Json()
        {
            static string Numbers(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            static string Matrix(float[] values, int rows) => "[" + string.Join(", ", Enumerable.Range(0, rows).Select(r => "[" + Numbers(values.Skip(r * (values.Length / rows)).Take(values.Length / rows)) + "]")) + "]";
            var layers = new List<string>();
            for (int l = 0; l < _layers.Count; l++)
            {
                (int inputs, int u, float[] kernel, float[] recurrent, float[]? bias) = _layers[l];
                string shape = l == 0 ? $"\"batch_input_shape\": [null, null, {Features}], " : string.Empty;
                var weights = new List<string> { Matrix(kernel, inputs), Matrix(recurrent, u) };
                if (bias is not null) weights.Add(_resetAfter ? Matrix(bias, 2) : "[" + Numbers(bias) + "]");
                layers.Add("{\"class_name\": \"GRU\", \"config\": {" + shape + $"\"name\": \"gru_{l}\", \"units\": {u}, \"return_sequences\": true, "
                    + $"\"reset_after\": {(_resetAfter ? "true" : "false")}, \"use_bias\": {(_bias ? "true" : "false")}}}, \"weights\": [{string.Join(", ", weights)}]}}");
            }
            return "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n" + string.Join(",\n", layers) + "]}}";
        }

        /// <summary>
        /// Keras's GRU in double: z = σ(x·W_z + h·U_z + b), r likewise; h̃ = tanh(x·W_h + b_h + (r∘h)·U_h), or with
        /// reset_after tanh(x·W_h + b_in_h + r∘(h·U_h + b_rec_h)); h = z∘h + (1 − z)∘h̃.
        /// </summary>
        public double[] Reference(float[] input, int steps)
        {
            double[] sequence = input.Select(v => (double)v).ToArray();
            foreach ((int inputs, int u, float[] kernel, float[] recurrent, float[]? bias) in _layers)
            {
                var output = new double[steps * u];
                var h = new double[u];
                for (int t = 0; t < steps; t++)
                {
                    var x = new double[3 * u];
                    var inner = new double[3 * u];
                    for (int j = 0; j < 3 * u; j++)
                    {
                        double sum = bias is null ? 0 : bias[j];
                        for (int k = 0; k < inputs; k++) sum += sequence[(t * inputs) + k] * kernel[(k * 3 * u) + j];
                        x[j] = sum;
                        double recurrentSum = bias is not null && _resetAfter ? bias[(3 * u) + j] : 0;
                        for (int k = 0; k < u; k++) recurrentSum += h[k] * recurrent[(k * 3 * u) + j];
                        inner[j] = recurrentSum;
                    }
                    var next = new double[u];
                    for (int j = 0; j < u; j++)
                    {
                        double z = Sigmoid(x[j] + inner[j]);
                        double r = Sigmoid(x[u + j] + inner[u + j]);
                        double candidate;
                        if (_resetAfter)
                        {
                            candidate = Math.Tanh(x[(2 * u) + j] + (r * inner[(2 * u) + j]));
                        }
                        else
                        {
                            double resetSum = 0;
                            for (int k = 0; k < u; k++) resetSum += Sigmoid(x[u + k] + inner[u + k]) * h[k] * recurrent[(k * 3 * u) + (2 * u) + j];
                            candidate = Math.Tanh(x[(2 * u) + j] + resetSum);
                        }
                        next[j] = (z * h[j]) + ((1 - z) * candidate);
                    }
                    h = next;
                    Array.Copy(h, 0, output, t * u, u);
                }
                sequence = output;
            }
            return sequence;
        }

        private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    }
}
