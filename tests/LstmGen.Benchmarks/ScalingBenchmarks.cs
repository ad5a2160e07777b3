using System;
using BenchmarkDotNet.Attributes;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 4's scaling table: Predict time of LSTM(units) over 16 features, then Dense(1), against the number of
/// timesteps (cost should grow linearly) and the units (about quadratically once the recurrent matrix dominates).
/// One variable-length model per unit count (make_scaling_models.py), so every timestep count runs the same code.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class ScalingBenchmarks
{
    public const int Features = 16;

    private float[] _input = Array.Empty<float>();
    private readonly float[] _output = new float[1];
    private PredictFunc _predict = null!;

    [Params(8, 32, 128, 512)]
    public int Units { get; set; }

    [Params(10, 100, 1000)]
    public int Timesteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new float[Timesteps * Features];
        var random = new Random(Timesteps);
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)(random.NextDouble() * 2 - 1);
        _predict = Units switch
        {
            8 => ScalingU8.Predict,
            32 => ScalingU32.Predict,
            128 => ScalingU128.Predict,
            512 => ScalingU512.Predict,
            _ => throw new ArgumentOutOfRangeException(nameof(Units)),
        };
        _predict(_input, _output);
        if (!float.IsFinite(_output[0])) throw new InvalidOperationException("non-finite output");
    }

    [Benchmark(Description = "LstmGen")]
    public void Predict() => _predict(_input, _output);
}

[LstmModel("Models/Scaling/lstm_u8.json")]
internal static partial class ScalingU8 { }

[LstmModel("Models/Scaling/lstm_u32.json")]
internal static partial class ScalingU32 { }

[LstmModel("Models/Scaling/lstm_u128.json")]
internal static partial class ScalingU128 { }

[LstmModel("Models/Scaling/lstm_u512.json")]
internal static partial class ScalingU512 { }
