using System;
using BenchmarkDotNet.Attributes;

namespace LstmGen.Benchmarks;

/// <summary>The tutorial network (3 × LSTM(10), T = 10, 1 feature, Dense(1)): generated Predict, loop and unrolled.</summary>
[MemoryDiagnoser]
public class TutorialModelBenchmarks
{
    private readonly float[] _input = new float[Tutorial.InputLength];
    private readonly float[] _output = new float[Tutorial.OutputLength];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _input.Length; i++) _input[i] = MathF.Sin(0.3f * i);
    }

    [Benchmark(Baseline = true)]
    public float Loop()
    {
        Tutorial.Predict(_input, _output);
        return _output[0];
    }

    [Benchmark]
    public float Unrolled()
    {
        TutorialUnrolled.Predict(_input, _output);
        return _output[0];
    }
}

[LstmModel("Models/tutorial_3x_lstm10_t10.json")]
internal static partial class Tutorial { }

[LstmModel("Models/tutorial_3x_lstm10_t10.json", Unroll = true)]
internal static partial class TutorialUnrolled { }
