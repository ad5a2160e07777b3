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
    [Fact]
    public void Every_block_gives_the_bits_of_the_cell_on_registers()
    {
        // Update runs sigmoid/tanh cells two 16-unit blocks at a time, interleaved, then single blocks; UpdateGates
        // (the one-pass Step) runs one block on registers. Both must give the same bits for every unit, at every width.
        var random = new Random(17);
        foreach (int units in new[] { 16, 32, 48, 64, 80, 128 })
        {
            float[] z = Enumerable.Range(0, 4 * units).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
            float[] c = Enumerable.Range(0, units).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
            float[] blockC = (float[])c.Clone();
            float[] h = new float[units], blockH = new float[units];
            LstmCell.Update<SigmoidActivation, TanhActivation>(z, c, h);
            for (int k = 0; k < units; k += 16)
            {
                System.Runtime.Intrinsics.Vector512<float> Gate(int g) => System.Runtime.Intrinsics.Vector512.Create(z.AsSpan(g * units + k, 16));
                LstmCell.UpdateGates<SigmoidActivation, TanhActivation>(Gate(0), Gate(1), Gate(2), Gate(3), ref blockC[k], ref blockH[k]);
            }
            if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) continue; // UpdateGates emulates Vector512 then
            Assert.Equal(blockC.Select(BitConverter.SingleToInt32Bits), c.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(blockH.Select(BitConverter.SingleToInt32Bits), h.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
