using System;
using System.Linq;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>The fused cell pass equals the textbook formula for every unit count (16/8/4-lane blocks, overlapping last block, scalar).</summary>
public sealed class LstmCellTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Fused_update_matches_the_formula_at_every_unit_count()
    {
        for (int units = 0; units <= 70; units++)
        {
            float[] z = Enumerable.Range(0, 4 * units).Select(k => MathF.Sin(k * 0.7f) * 3).ToArray();
            float[] c = Enumerable.Range(0, units).Select(k => MathF.Cos(k * 1.1f)).ToArray();
            float[] h = new float[units];
            double[] expectedC = new double[units], expectedH = new double[units];
            for (int k = 0; k < units; k++)
            {
                double i = Sigmoid(z[k]), f = Sigmoid(z[units + k]), g = Math.Tanh(z[2 * units + k]), o = Sigmoid(z[3 * units + k]);
                expectedC[k] = f * c[k] + i * g;
                expectedH[k] = o * Math.Tanh(expectedC[k]);
            }

            LstmCell.Update<SigmoidActivation, TanhActivation>(z, c, h);

            for (int k = 0; k < units; k++)
            {
                Assert.True(Math.Abs(c[k] - expectedC[k]) < 1e-6, $"units {units}: c[{k}] = {c[k]}, expected {expectedC[k]}");
                Assert.True(Math.Abs(h[k] - expectedH[k]) < 1e-6, $"units {units}: h[{k}] = {h[k]}, expected {expectedH[k]}");
            }
        }
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
        => Assert.Throws<ArgumentException>(() => LstmCell.Update<SigmoidActivation, TanhActivation>(new float[7], new float[2], new float[2]));
}
