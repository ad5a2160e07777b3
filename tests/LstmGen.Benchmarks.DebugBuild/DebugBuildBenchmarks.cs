using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LstmGen.Benchmarks.DebugModels;

namespace LstmGen.Benchmarks.DebugBuild;

/// <summary>
/// Predict of the four benchmark shapes compiled into a Release assembly (this one) and into a Debug assembly
/// (LstmGen.Benchmarks.DebugModels, built without optimization as `dotnet build` in Debug builds it), same
/// weights, same run. Setup checks both against PyTorch. The Debug assembly is unoptimized on purpose, so
/// BenchmarkDotNet's optimization check is off for this class.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class DebugBuildBenchmarks
{
    private float[] _input = Array.Empty<float>();
    private float[] _output = Array.Empty<float>();
    private PredictFunc _release = null!, _debug = null!;

    [ParamsAllValues]
    public Shape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var debuggable = (System.Diagnostics.DebuggableAttribute?)Attribute.GetCustomAttribute(typeof(DebugModelS).Assembly, typeof(System.Diagnostics.DebuggableAttribute));
        if (debuggable is not { IsJITOptimizerDisabled: true }) throw new InvalidOperationException("The Debug models were compiled with optimization.");
        (float[] input, float[] expected) = Checks.Of(Shape);
        _input = input;
        _output = new float[expected.Length];
        _release = Shape switch
        {
            Shape.S => ModelS.Predict,
            Shape.M => ModelM.Predict,
            Shape.L => ModelL.Predict,
            Shape.W => ModelW.Predict,
            _ => throw new ArgumentOutOfRangeException(nameof(Shape)),
        };
        _debug = Shape switch
        {
            Shape.S => DebugModelS.Predict,
            Shape.M => DebugModelM.Predict,
            Shape.L => DebugModelL.Predict,
            Shape.W => DebugModelW.Predict,
            _ => throw new ArgumentOutOfRangeException(nameof(Shape)),
        };
        foreach ((string name, PredictFunc predict) in new[] { ("Release", _release), ("Debug", _debug) })
        {
            var output = new float[expected.Length];
            predict(input, output);
            double worst = output.Zip(expected, (a, e) => Math.Abs(a - e) / Math.Max(1e-3, Math.Abs(e))).Max();
            if (worst > 1e-4) throw new InvalidOperationException($"{name} build of {Shape} differs from PyTorch (relative {worst:G3}).");
        }
    }

    [Benchmark(Baseline = true)]
    public void Release() => _release(_input, _output);

    [Benchmark]
    public void Debug() => _debug(_input, _output);

    private sealed class Config : ManualConfig
    {
        public Config() => Options |= ConfigOptions.DisableOptimizationsValidator;
    }
}
