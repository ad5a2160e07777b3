using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Stacks of small LSTMs whose units fit two Vector512s together run Predict's rounds with the layers packed side
/// by side (Stage{n}Packed512, or Stage{n}Packed256 where Vector256 is the widest accelerated width), while Step keeps each layer's own cell and PredictBatch runs the driver row by row.
/// Stacks that cover one and two vectors per gate (three eight-lane ones on Vector256), one and two pool vectors (x in the first or second), a layer
/// sequence written to the next stage, no bias, hard_sigmoid, and sequences shorter than the skew: checked against
/// a double-precision Keras LSTM written here, Step against Predict and every batch row against Predict, bit for bit,
/// on whatever vector width this run has (test.sh runs this namespace again on AVX2, SSE and scalar).
/// </summary>
public sealed class PackedStageTests
{
    private const int Batch = 3;

    /// <summary>Name, features, units per layer, whether the last layer returns sequences, bias, recurrent activation.</summary>
    private static readonly StackSpec[] s_specs =
    {
        new("Tutorial", 1, new[] { 10, 10, 10 }, Sequences: false, Bias: true, "sigmoid"),
        new("Narrow", 3, new[] { 4, 8 }, Sequences: true, Bias: true, "sigmoid"),
        new("Straddle", 5, new[] { 8, 8 }, Sequences: true, Bias: false, "sigmoid"),
        new("Mixed", 2, new[] { 12, 9, 6 }, Sequences: false, Bias: true, "hard_sigmoid"),
        new("TooWide", 1, new[] { 16, 15 }, Sequences: true, Bias: true, "sigmoid"),
        new("OddVectors", 3, new[] { 12, 8 }, Sequences: true, Bias: true, "sigmoid"),
    };

    private static readonly Dictionary<string, LstmStack> s_stacks = s_specs.ToDictionary(s => s.Name, s => new LstmStack(s, seed: s.Name.Length * 7));

    private static readonly Lazy<GeneratorOutcome> s_outcome = new(() =>
    {
        var source = new StringBuilder("using System;\n");
        var files = new List<(string, string)>();
        foreach (StackSpec spec in s_specs)
        {
            string name = spec.Name;
            files.Add(($"/p/{name}.json", s_stacks[name].Json()));
            source.Append($$"""
                [LstmGen.LstmModel("{{name}}.json")] public static partial class {{name}} { }

                """);
            source.Append(SequenceDriver.Source(name));
        }
        return GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray());
    });

    private static readonly Lazy<Assembly> s_assembly = new(() => s_outcome.Value.Load());

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (StackSpec spec in s_specs)
        {
            foreach (int steps in new[] { 1, 2, 3, 9 }) data.Add(spec.Name, steps);
        }
        return data;
    }

    [Fact]
    public void Stacks_that_fit_two_vectors_with_their_input_pack_and_a_wider_one_does_not()
    {
        string generated = string.Join("\n", s_outcome.Value.Result.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Equal(5, CountOf(generated, "private static void Stage1Packed512("));
        // Each also has rounds on Vector256 (for AVX2 without AVX-512), which broadcast each layer's input of a row.
        Assert.Equal(5, CountOf(generated, "private static void Stage1Packed256("));
        Assert.Equal(5, CountOf(generated, "private static ReadOnlySpan<int> Stage1PackedSources =>"));
        // 20 units take three eight-lane vectors per gate: two halves, the second with one vector.
        string odd = s_outcome.Value.Result.GeneratedSources.Single(s => s.HintName.Contains("OddVectors")).SourceText.ToString();
        Assert.Contains("private static void Stage1Packed256Half1(", odd);
        Assert.DoesNotContain("Stage1Packed256Half2", odd);
        // The tutorial stack: layers in lanes 0-9, 10-19, 20-29; x in lane 30, the zero lane 31; two pool vectors.
        Assert.Contains("layer 1 in lanes 0-9, layer 2 in lanes 10-19, layer 3 in lanes 20-29", generated);
        Assert.Contains("Avx512F.PermuteVar16x32x2(pool0", generated);
        // Narrow: 12 units and 3 features fit one pool vector.
        Assert.Contains("Avx512F.PermuteVar16x32(pool0", generated);
        Assert.Contains("partial class TooWide", generated);
        string tooWide = s_outcome.Value.Result.GeneratedSources.Single(s => s.HintName.Contains("TooWide")).SourceText.ToString();
        Assert.DoesNotContain("Packed512", tooWide);
        Assert.DoesNotContain("Packed256", tooWide);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Predict_matches_a_double_precision_LSTM_stack(string name, int steps)
    {
        LstmStack stack = s_stacks[name];
        float[] input = Input(stack.Spec.Features, steps, seed: 7 + steps);
        float[] predicted = Call(name, "Predict", input);
        double[] expected = stack.Reference(input, steps);
        Assert.Equal(expected.Length, predicted.Length);
        Assert.Contains(predicted, v => Math.Abs(v) > 0.02f);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - predicted[i]) <= 2e-6, $"{name}, value {i}: Predict gave {predicted[i]:R}, the double-precision LSTM {expected[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_and_every_batch_row_equal_Predict_bit_for_bit(string name, int steps)
        => SequenceDriver.AssertStepAndBatchRowsEqualPredict(s_assembly.Value, name, Input(s_stacks[name].Spec.Features, Batch * steps, seed: 11 + steps), Batch);

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static float[] Call(string name, string method, params object[] arguments)
        => SequenceDriver.Call(s_assembly.Value, name, method, arguments);

    private static float[] Input(int features, int steps, int seed)
    {
        var random = new Random(seed);
        var input = new float[steps * features];
        for (int i = 0; i < input.Length; i++) input[i] = (float)((random.NextDouble() * 4) - 2);
        return input;
    }

    private sealed record StackSpec(string Name, int Features, int[] Units, bool Sequences, bool Bias, string RecurrentActivation);

    /// <summary>The stack's weights (Keras's layout: kernel (in, 4u), recurrent kernel (u, 4u), gates i, f, c, o), its JSON and a reference.</summary>
    private sealed class LstmStack
    {
        private readonly List<(int Inputs, int Units, float[] Kernel, float[] Recurrent, float[]? Bias)> _layers = new();

        public LstmStack(StackSpec spec, int seed)
        {
            Spec = spec;
            var random = new Random(seed);
            float[] Weights(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            int inputs = spec.Features;
            foreach (int u in spec.Units)
            {
                _layers.Add((inputs, u, Weights(inputs * 4 * u), Weights(u * 4 * u), spec.Bias ? Weights(4 * u) : null));
                inputs = u;
            }
        }

        public StackSpec Spec { get; }

        public string Json()
        {
            static string Numbers(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            static string Matrix(float[] values, int rows) => "[" + string.Join(", ", Enumerable.Range(0, rows).Select(r => "[" + Numbers(values.Skip(r * (values.Length / rows)).Take(values.Length / rows)) + "]")) + "]";
            var layers = new List<string>();
            for (int l = 0; l < _layers.Count; l++)
            {
                (int inputs, int u, float[] kernel, float[] recurrent, float[]? bias) = _layers[l];
                string shape = l == 0 ? $"\"batch_input_shape\": [null, null, {Spec.Features}], " : string.Empty;
                bool sequences = l < _layers.Count - 1 || Spec.Sequences;
                var weights = new List<string> { Matrix(kernel, inputs), Matrix(recurrent, u) };
                if (bias is not null) weights.Add("[" + Numbers(bias) + "]");
                layers.Add("{\"class_name\": \"LSTM\", \"config\": {" + shape + $"\"name\": \"lstm_{l}\", \"units\": {u}, \"return_sequences\": {(sequences ? "true" : "false")}, "
                    + $"\"activation\": \"tanh\", \"recurrent_activation\": \"{Spec.RecurrentActivation}\", \"use_bias\": {(Spec.Bias ? "true" : "false")}}}, \"weights\": [{string.Join(", ", weights)}]}}");
            }
            return "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n" + string.Join(",\n", layers) + "]}}";
        }

        /// <summary>Keras's LSTM in double: z = x·W + h·U + b; c = σ(z_f)·c + σ(z_i)·tanh(z_c); h = σ(z_o)·tanh(c).</summary>
        public double[] Reference(float[] input, int steps)
        {
            double[] sequence = input.Select(v => (double)v).ToArray();
            foreach ((int inputs, int u, float[] kernel, float[] recurrent, float[]? bias) in _layers)
            {
                var output = new double[steps * u];
                var h = new double[u];
                var c = new double[u];
                for (int t = 0; t < steps; t++)
                {
                    var z = new double[4 * u];
                    for (int j = 0; j < 4 * u; j++)
                    {
                        double sum = bias is null ? 0 : bias[j];
                        for (int k = 0; k < inputs; k++) sum += sequence[(t * inputs) + k] * kernel[(k * 4 * u) + j];
                        for (int k = 0; k < u; k++) sum += h[k] * recurrent[(k * 4 * u) + j];
                        z[j] = sum;
                    }
                    for (int j = 0; j < u; j++)
                    {
                        c[j] = (Gate(z[u + j]) * c[j]) + (Gate(z[j]) * Math.Tanh(z[(2 * u) + j]));
                        h[j] = Gate(z[(3 * u) + j]) * Math.Tanh(c[j]);
                    }
                    Array.Copy(h, 0, output, t * u, u);
                }
                sequence = output;
            }
            return Spec.Sequences ? sequence : sequence.AsSpan(sequence.Length - Spec.Units[^1]).ToArray();
        }

        private double Gate(double x) => Spec.RecurrentActivation == "hard_sigmoid" ? Math.Clamp((0.2 * x) + 0.5, 0, 1) : 1 / (1 + Math.Exp(-x));
    }
}
