using System;
using System.Linq;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>The fused GRU passes equal the textbook formula for every unit count (16/8/4-lane blocks, overlapping last block, scalar).</summary>
public sealed class GruCellTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static float[] Wave(int length, float frequency, float amplitude)
        => Enumerable.Range(0, length).Select(k => MathF.Sin((k * frequency) + 0.3f) * amplitude).ToArray();

    [Fact]
    public void Reset_matches_the_formula_at_every_unit_count_in_place_and_apart()
    {
        for (int units = 0; units <= 70; units++)
        {
            float[] r = Wave(units, 0.7f, 3);
            float[] values = Wave(units, 1.1f, 2);
            double[] expected = Enumerable.Range(0, units).Select(k => Sigmoid(r[k]) * values[k]).ToArray();

            float[] apart = new float[units];
            GruCell.Reset<SigmoidActivation>(r, values, apart);
            float[] inPlace = (float[])values.Clone();
            GruCell.Reset<SigmoidActivation>(r, inPlace, inPlace);

            for (int k = 0; k < units; k++)
            {
                Assert.True(Math.Abs(apart[k] - expected[k]) < 1e-6, $"units {units}: [{k}] = {apart[k]}, expected {expected[k]}");
                Assert.Equal(apart[k], inPlace[k]);
            }
        }
    }

    [Fact]
    public void Update_matches_the_formula_at_every_unit_count()
    {
        for (int units = 0; units <= 70; units++)
        {
            float[] z = Wave(units, 0.7f, 3);
            float[] inputPart = Wave(units, 1.3f, 2);
            float[] recurrentPart = Wave(units, 0.4f, 1.5f);
            float[] h = Wave(units, 1.1f, 1);
            double[] expected = Enumerable.Range(0, units)
                .Select(k => (Sigmoid(z[k]) * h[k]) + ((1 - Sigmoid(z[k])) * Math.Tanh(inputPart[k] + recurrentPart[k])))
                .ToArray();

            GruCell.Update<SigmoidActivation, TanhActivation>(z, inputPart, recurrentPart, h);

            for (int k = 0; k < units; k++)
            {
                Assert.True(Math.Abs(h[k] - expected[k]) < 1e-6, $"units {units}: h[{k}] = {h[k]}, expected {expected[k]}");
            }
        }
    }

    [Fact]
    public void Scalar_only_activations_take_the_scalar_form()
    {
        float[] h = { 0.5f, -0.25f, 1, 0, 2 };
        float[] z = { 0, 1, -1, 2, -2 };
        float[] part = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f };
        double[] expected = Enumerable.Range(0, 5).Select(k => (Sigmoid(z[k]) * h[k]) + ((1 - Sigmoid(z[k])) * Math.Log(1 + Math.Exp(2 * part[k])))).ToArray();

        GruCell.Update<SigmoidActivation, SoftplusActivation>(z, part, part, h);

        for (int k = 0; k < 5; k++) Assert.True(Math.Abs(h[k] - expected[k]) < 1e-6, $"h[{k}] = {h[k]}, expected {expected[k]}");
    }

    [Fact]
    public void Short_spans_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GruCell.Update<SigmoidActivation, TanhActivation>(new float[1], new float[2], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => GruCell.Reset<SigmoidActivation>(new float[2], new float[1], new float[2]));
    }
}
