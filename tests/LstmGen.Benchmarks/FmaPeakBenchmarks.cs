using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace LstmGen.Benchmarks;

/// <summary>
/// This core's FMA peak in the same run, for the "% of peak" column: 12 independent accumulator chains
/// (enough to hide the FMA latency on 2 FMA ports), 1000 rounds each, per vector width.
/// </summary>
[Config(typeof(GflopsConfig))]
public class FmaPeakBenchmarks
{
    public const int Rounds = 1000;
    public const int Chains = 12;

    private readonly float _seed = 1.0001f;

    [Benchmark(Description = "FMA peak Vector256")]
    public float Vector256Peak()
    {
        if (!Fma.IsSupported) return 0;
        Vector256<float> m = Vector256.Create(_seed), a = Vector256.Create(1e-7f);
        Vector256<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < Rounds; i++)
        {
            c0 = Fma.MultiplyAdd(c0, m, a); c1 = Fma.MultiplyAdd(c1, m, a); c2 = Fma.MultiplyAdd(c2, m, a); c3 = Fma.MultiplyAdd(c3, m, a);
            c4 = Fma.MultiplyAdd(c4, m, a); c5 = Fma.MultiplyAdd(c5, m, a); c6 = Fma.MultiplyAdd(c6, m, a); c7 = Fma.MultiplyAdd(c7, m, a);
            c8 = Fma.MultiplyAdd(c8, m, a); c9 = Fma.MultiplyAdd(c9, m, a); c10 = Fma.MultiplyAdd(c10, m, a); c11 = Fma.MultiplyAdd(c11, m, a);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
    }

    [Benchmark(Description = "FMA peak Vector512")]
    public float Vector512Peak()
    {
        if (!Avx512F.IsSupported) return 0;
        Vector512<float> m = Vector512.Create(_seed), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < Rounds; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, m, a); c1 = Avx512F.FusedMultiplyAdd(c1, m, a); c2 = Avx512F.FusedMultiplyAdd(c2, m, a); c3 = Avx512F.FusedMultiplyAdd(c3, m, a);
            c4 = Avx512F.FusedMultiplyAdd(c4, m, a); c5 = Avx512F.FusedMultiplyAdd(c5, m, a); c6 = Avx512F.FusedMultiplyAdd(c6, m, a); c7 = Avx512F.FusedMultiplyAdd(c7, m, a);
            c8 = Avx512F.FusedMultiplyAdd(c8, m, a); c9 = Avx512F.FusedMultiplyAdd(c9, m, a); c10 = Avx512F.FusedMultiplyAdd(c10, m, a); c11 = Avx512F.FusedMultiplyAdd(c11, m, a);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
    }
}
