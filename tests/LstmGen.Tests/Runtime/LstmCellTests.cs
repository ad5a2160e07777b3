using System;
using System.Linq;
using System.Runtime.Intrinsics;
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
    {
        Assert.Throws<ArgumentException>(() => LstmCell.Update<SigmoidActivation, TanhActivation>(new float[7], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => LstmCell.UpdateUnits<SigmoidActivation, TanhActivation>(new float[8], new float[2], new float[3], 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmCell.UpdateUnits<SigmoidActivation, TanhActivation>(new float[8], new float[2], new float[2], 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmCell.UpdateUnits<SigmoidActivation, TanhActivation>(new float[8], new float[2], new float[2], 2, 1));
    }

    [Theory]
    [InlineData(256, new[] { 0, 128, 256 })]
    [InlineData(384, new[] { 0, 128, 384 })]
    [InlineData(70, new[] { 0, 16, 40, 70 })]
    [InlineData(12, new[] { 0, 5, 12 })]
    public void Ranges_of_units_into_another_buffer_give_the_bits_of_the_whole_update(int units, int[] bounds)
    {
        // A CoreTeam's threads each update their own units and write h elsewhere while the others read it: each
        // range, written to its own buffer, must give every unit the bits Update gives it on the whole layer.
        var random = new Random(units);
        float[] z = Enumerable.Range(0, 4 * units).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
        float[] c = Enumerable.Range(0, units).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
        float[] h = Enumerable.Range(0, units).Select(_ => float.NaN).ToArray();
        float[] expectedC = (float[])c.Clone(), expectedH = new float[units];
        float[] previousH = (float[])h.Clone();
        LstmCell.Update<SigmoidActivation, TanhActivation>(z, expectedC, expectedH);

        float[] next = new float[units];
        for (int part = 0; part + 1 < bounds.Length; part++)
        {
            LstmCell.UpdateUnits<SigmoidActivation, TanhActivation>(z, c, next, bounds[part], bounds[part + 1]);
        }

        Assert.Equal(expectedC, c);
        Assert.Equal(expectedH, next);
        Assert.Equal(previousH, h);
    }
    [Fact]
    public void Every_block_gives_the_bits_of_the_cell_on_registers()
    {
        // Update runs the cell in two passes (c and σ(o) of every block, then h), sigmoid/tanh blocks two at a time
        // with their activations interleaved, and a last block that overlaps the one before it; UpdateGates (the
        // one-pass Step and the small-layer kernels) runs one block on registers. Both must give the same bits for
        // every unit, at the widest accelerated width of 16 or 8 lanes.
        int width = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 0;
        if (width == 0) return; // UpdateGates emulates the vectors then; Update takes the scalar form
        var random = new Random(17);
        foreach (int units in new[] { 8, 12, 16, 20, 31, 32, 40, 48, 64, 70, 80, 128, 200 })
        {
            if (units < width) continue;
            float[] z = Enumerable.Range(0, 4 * units).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
            float[] c = Enumerable.Range(0, units).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
            float[] original = (float[])c.Clone();
            float[] h = new float[units], expectedC = new float[units], expectedH = new float[units];
            LstmCell.Update<SigmoidActivation, TanhActivation>(z, c, h);
            for (int k = 0; k < units; k += width)
            {
                // The last block overlaps the one before it and starts from the original c, as Update's does.
                int at = Math.Min(k, units - width);
                float[] blockC = original.AsSpan(at, width).ToArray(), blockH = new float[width];
                if (width == 16)
                {
                    Vector512<float> Gate(int g) => Vector512.Create(z.AsSpan(g * units + at, 16));
                    LstmCell.UpdateGates<SigmoidActivation, TanhActivation>(Gate(0), Gate(1), Gate(2), Gate(3), ref blockC[0], ref blockH[0]);
                }
                else
                {
                    Vector256<float> Gate(int g) => Vector256.Create(z.AsSpan(g * units + at, 8));
                    LstmCell.UpdateGates<SigmoidActivation, TanhActivation>(Gate(0), Gate(1), Gate(2), Gate(3), ref blockC[0], ref blockH[0]);
                }
                blockC.CopyTo(expectedC.AsSpan(at));
                blockH.CopyTo(expectedH.AsSpan(at));
            }
            Assert.Equal(expectedC.Select(BitConverter.SingleToInt32Bits), c.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expectedH.Select(BitConverter.SingleToInt32Bits), h.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
