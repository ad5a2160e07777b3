using System;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>Generated code calls these on every timestep: none of them may allocate.</summary>
public sealed class RuntimeAllocationTests
{
    private static void CallEverything(float[] a, float[] b, float[] c, float[] d, float[] z, float[] h)
    {
        SpanActivations.Tanh(a); SpanActivations.Sigmoid(a); SpanActivations.HardSigmoid(a); SpanActivations.HardSigmoidKeras3(a);
        SpanActivations.Relu(a); SpanActivations.Elu(a); SpanActivations.Selu(a); SpanActivations.Softsign(a); SpanActivations.Softplus(a);
        SpanActivations.Swish(a); SpanActivations.Exponential(a); SpanActivations.Softmax(a);
        SpanActivations.Tanh(a.AsSpan(0, 3)); SpanActivations.Sigmoid(a.AsSpan(0, 5)); SpanActivations.Tanh(a.AsSpan(0, 11)); SpanActivations.Tanh(Span<float>.Empty);
        LstmCell.Update<SigmoidActivation, TanhActivation>(z, d, h);
        LstmCell.Update<HardSigmoidActivation, SeluActivation>(z, d, h);
        GruCell.Reset<SigmoidActivation>(b, h, c);
        GruCell.Reset<SigmoidActivation>(b, c, c);
        GruCell.Update<SigmoidActivation, TanhActivation>(b, c, d, h);
        GruCell.Update<HardSigmoidActivation, SoftplusActivation>(b, c, d, h);
    }

    [Fact]
    public void Activations_and_cell_methods_allocate_nothing()
    {
        float[] a = new float[37], b = new float[37], c = new float[37], d = new float[37], z = new float[4 * 37], h = new float[37];
        for (int i = 0; i < a.Length; i++) (a[i], b[i], c[i], d[i]) = (MathF.Sin(i), 0.5f, MathF.Cos(i), 0.1f * i);
        for (int i = 0; i < 100; i++) CallEverything(a, b, c, d, z, h); // warm up: JIT tiers

        // Tier-up of the JIT can allocate on this thread once; a real per-call allocation shows in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) CallEverything(a, b, c, d, z, h);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}
