using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace LstmGen.Benchmarks;

/// <summary>
/// The first long call of a process: LSTM(32) over 100,000 timesteps right after five short calls, each launch a
/// fresh process (cold start, one invocation). Without AggressiveOptimization the generated loops would still be
/// unoptimized tier-0 code then, and the call would pay until the tiered JIT replaced them in the background.
/// Compare with the steady-state row of <see cref="ScalingBenchmarks"/> (Units = 32, Timesteps = 1000, × 100).
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 5, warmupCount: 0, iterationCount: 1)]
public class FirstCallBenchmarks
{
    private const int Steps = 100_000;
    private float[] _input = Array.Empty<float>();
    private readonly float[] _output = new float[1];

    [GlobalSetup]
    public void Setup()
    {
        _input = new float[Steps * ScalingBenchmarks.Features];
        var random = new Random(Steps);
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)(random.NextDouble() * 2 - 1);
        // A few short calls, as an application's first requests would make.
        for (int call = 0; call < 5; call++) ScalingU32.Predict(_input.AsSpan(0, 10 * ScalingBenchmarks.Features), _output);
    }

    [Benchmark(Description = "LSTM(32), 100,000 steps, first long call")]
    public float FirstLongCall()
    {
        ScalingU32.Predict(_input, _output);
        return _output[0];
    }
}
