using System;
using System.Linq;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>
/// Each activation against a double-precision reference written here, over a dense sweep and the special
/// values. test.sh runs this class on the widest SIMD path and with AVX-512, AVX2 and all intrinsics off.
/// </summary>
public sealed class ActivationAccuracyTests
{
    private delegate void Activation(Span<float> values);

    private static readonly float[] Sweep = Enumerable.Range(0, 200_001).Select(i => -30f + i * 0.0003f)
        .Concat(new[] { 0f, -0f, 1e-8f, -1e-8f, 1e-30f, float.Epsilon, 0.625f, -0.625f, 0.62499994f, 88f, -88f, 87.3f, -87.3f, 100f, -100f, 1e10f, -1e10f })
        .ToArray();

    private static double MaxAbsoluteError(Activation f, Func<double, double> reference, float[] inputs)
    {
        float[] values = (float[])inputs.Clone();
        f(values);
        double worst = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            double error = Math.Abs(values[i] - reference(inputs[i]));
            Assert.False(double.IsNaN(error), $"NaN for input {inputs[i]:R}: got {values[i]:R}, expected {reference(inputs[i]):R}");
            worst = Math.Max(worst, error);
        }
        return worst;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Tanh_is_within_3e7_of_double_precision()
        => Assert.InRange(MaxAbsoluteError(Activations.Tanh, Math.Tanh, Sweep), 0, 3e-7);

    [Fact]
    public void Sigmoid_is_within_3e7_of_double_precision()
        => Assert.InRange(MaxAbsoluteError(Activations.Sigmoid, Sigmoid, Sweep), 0, 3e-7);

    [Fact]
    public void Swish_is_within_a_few_ulps_of_double_precision()
    {
        float[] inputs = Sweep.Where(x => Math.Abs(x) <= 30).ToArray();
        float[] values = (float[])inputs.Clone();
        Activations.Swish(values);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = inputs[i] * Sigmoid(inputs[i]);
            Assert.True(Math.Abs(values[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"swish({inputs[i]:R}) = {values[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Exponential_has_relative_error_below_1e6_where_the_result_is_normal()
    {
        float[] inputs = Sweep.Where(x => x > -87 && x < 88).ToArray();
        float[] values = (float[])inputs.Clone();
        Activations.Exponential(values);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = Math.Exp(inputs[i]);
            Assert.True(Math.Abs(values[i] - expected) <= 1e-6 * expected, $"exp({inputs[i]:R}) = {values[i]:R}, expected {expected:R}");
        }
    }

    [Theory]
    [InlineData("hard_sigmoid_keras2")]
    [InlineData("hard_sigmoid_keras3")]
    [InlineData("relu")]
    [InlineData("softsign")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("softplus")]
    public void Other_activations_match_their_keras_formula(string name)
    {
        (Activation f, Func<double, double> reference) = name switch
        {
            "hard_sigmoid_keras2" => ((Activation)Activations.HardSigmoid, (Func<double, double>)(x => Math.Clamp(0.2 * x + 0.5, 0, 1))),
            "hard_sigmoid_keras3" => (Activations.HardSigmoidKeras3, x => Math.Clamp(x + 3, 0, 6) / 6),
            "relu" => (Activations.Relu, x => Math.Max(x, 0)),
            "softsign" => (Activations.Softsign, x => x / (1 + Math.Abs(x))),
            "elu" => (Activations.Elu, x => x > 0 ? x : Math.Exp(x) - 1),
            "selu" => (Activations.Selu, x => 1.0507009873554804934193349852946 * (x > 0 ? x : 1.6732632423543772848170429916717 * (Math.Exp(x) - 1))),
            "softplus" => (Activations.Softplus, x => Math.Log(1 + Math.Exp(x))),
            _ => throw new ArgumentException(name),
        };
        float[] inputs = Sweep.Where(x => Math.Abs(x) <= 30).ToArray();
        float[] values = (float[])inputs.Clone();
        f(values);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = reference(inputs[i]);
            Assert.True(Math.Abs(values[i] - expected) <= 2e-7 * Math.Max(1, Math.Abs(expected)), $"{name}({inputs[i]:R}) = {values[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Special_values_behave_as_in_keras()
    {
        float[] v = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1000f, -1000f };
        float[] t = (float[])v.Clone(); Activations.Tanh(t);
        Assert.True(float.IsNaN(t[0])); Assert.Equal(new[] { 1f, -1f, 1f, -1f }, t[1..]);
        float[] s = (float[])v.Clone(); Activations.Sigmoid(s);
        Assert.True(float.IsNaN(s[0])); Assert.Equal(new[] { 1f, 0f, 1f, 0f }, s[1..]);
        float[] e = (float[])v.Clone(); Activations.Exponential(e);
        Assert.True(float.IsNaN(e[0])); Assert.Equal(new[] { float.PositiveInfinity, 0f, float.PositiveInfinity, 0f }, e[1..]);
        foreach (Activation f in new Activation[] { Activations.Relu, Activations.HardSigmoid, Activations.HardSigmoidKeras3, Activations.Softsign, Activations.Swish, Activations.Elu, Activations.Selu, Activations.Softplus })
        {
            float[] n = { float.NaN, 1f, float.NaN, 2f, 3f, 4f, 5f, 6f, float.NaN };
            f(n);
            Assert.True(float.IsNaN(n[0]) && float.IsNaN(n[2]) && float.IsNaN(n[8]), f.Method.Name + " must keep NaN");
        }
        float[] soft = { 100f }; Activations.Softplus(soft); Assert.Equal(100f, soft[0]);
    }

    [Fact]
    public void Every_length_matches_the_element_by_element_result()
    {
        // Lengths 0..70 walk every vector width and tail; each element must equal the single-element result.
        for (int length = 0; length <= 70; length++)
        {
            float[] values = Enumerable.Range(0, length).Select(i => MathF.Sin(i * 1.3f) * 4).ToArray();
            float[] whole = (float[])values.Clone();
            Activations.Tanh(whole);
            for (int i = 0; i < length; i++)
            {
                float[] one = { values[i] };
                Activations.Tanh(one);
                Assert.True(Math.Abs(one[0] - whole[i]) <= 3e-7, $"length {length}, index {i}");
            }
        }
    }

    [Fact]
    public void Softmax_matches_the_reference_and_sums_to_one()
    {
        float[] x = { 1f, 2f, 3f, -50f, 80f, 80f };
        double max = x.Max();
        double sum = x.Sum(v => Math.Exp(v - max));
        float[] y = (float[])x.Clone();
        Activations.Softmax(y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Exp(x[i] - max) / sum, y[i], 1e-7);
    }

    [Fact]
    public void Activations_allocate_nothing()
    {
        float[] values = new float[37];
        for (int i = 0; i < 10; i++) { Activations.Tanh(values); Activations.Sigmoid(values); Activations.Softplus(values); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Activations.Tanh(values); Activations.Sigmoid(values); Activations.HardSigmoid(values); Activations.Relu(values);
            Activations.Softplus(values); Activations.Softmax(values);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
