using System;
using System.Linq;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>Softmax over one row: double-precision reference, any length, extreme values, NaN and infinity.</summary>
public sealed class SoftmaxTests
{
    private static double[] Reference(float[] x)
    {
        if (x.Length == 0) return Array.Empty<double>();
        double max = x.Max(v => (double)v);
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    [Fact]
    public void Softmax_is_correctly_rounded_from_double_and_sums_to_one_at_every_length_0_to_70()
    {
        var random = new Random(7);
        for (int length = 0; length <= 70; length++)
        {
            float[] x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 60 - 30)).ToArray();
            float[] y = (float[])x.Clone();
            SpanActivations.Softmax(y);
            double[] expected = Reference(x);
            for (int k = 0; k < length; k++)
            {
                Assert.True(Math.Abs(y[k] - expected[k]) <= 6e-8 * expected[k] + 2 * float.Epsilon, $"length {length}, k {k}: {y[k]:R}, expected {expected[k]:R}");
            }
            if (length > 0) Assert.Equal(1.0, y.Sum(v => (double)v), 1e-6);
        }
    }

    [Fact]
    public void Softmax_does_not_overflow_on_huge_inputs()
    {
        float[] y = { float.MaxValue, float.MaxValue, -float.MaxValue, 1e30f, 88f, 89f };
        SpanActivations.Softmax(y);
        Assert.Equal(new[] { 0.5f, 0.5f, 0f, 0f, 0f, 0f }, y);
        float[] one = { -1234.5f };
        SpanActivations.Softmax(one);
        Assert.Equal(1f, one[0]);
    }

    [Fact]
    public void Softmax_with_a_nan_is_nan_everywhere()
    {
        float[] y = { 1f, float.NaN, 3f };
        SpanActivations.Softmax(y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Softmax_gives_the_limit_for_infinities()
    {
        float[] y = { float.PositiveInfinity, 1f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue };
        SpanActivations.Softmax(y);
        Assert.Equal(new[] { 0.5f, 0f, 0.5f, 0f, 0f }, y);
        float[] z = { float.NegativeInfinity, 2f };
        SpanActivations.Softmax(z);
        Assert.Equal(new[] { 0f, 1f }, z);
        float[] none = { float.NegativeInfinity, float.NegativeInfinity };
        SpanActivations.Softmax(none);
        Assert.All(none, v => Assert.True(float.IsNaN(v)));
    }
}
