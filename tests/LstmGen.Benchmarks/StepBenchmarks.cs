using System;
using BenchmarkDotNet.Attributes;

namespace LstmGen.Benchmarks;

/// <summary>
/// Streaming: one whole sequence fed to <c>Step</c> one timestep per call (as a sensor delivers it), against
/// <c>Predict</c> on the same sequence, same run. Divide by the shape's timesteps for the time per Step call.
/// Setup checks that the last Step output equals Predict's.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private float[] _input = Array.Empty<float>();
    private float[] _output = Array.Empty<float>();
    private PredictFunc _predict = null!;

    [ParamsAllValues]
    public Shape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (float[] input, float[] expected) = ModelShapes.Check(Shape);
        _input = input;
        _output = new float[expected.Length];
        _predict = ModelShapes.Generated(Shape, unrolled: false);
        var fromPredict = new float[expected.Length];
        _predict(input, fromPredict);
        Step();
        if (!fromPredict.AsSpan().SequenceEqual(_output)) throw new InvalidOperationException($"{Shape}: Step's last output differs from Predict's.");
    }

    [Benchmark(Baseline = true, Description = "Predict, one sequence")]
    public void Predict() => _predict(_input, _output);

    /// <summary>A fresh State, then one Step call per timestep; the output holds the last step's.</summary>
    [Benchmark(Description = "Step per timestep, one sequence")]
    public void Step()
    {
        ReadOnlySpan<float> input = _input;
        Span<float> output = _output;
        switch (Shape)
        {
            case Shape.S:
            {
                var state = default(ModelS.State);
                for (int t = 0; t < input.Length; t += ModelS.InputFeatures) ModelS.Step(ref state, input.Slice(t, ModelS.InputFeatures), output);
                break;
            }
            case Shape.M:
            {
                var state = default(ModelM.State);
                for (int t = 0; t < input.Length; t += ModelM.InputFeatures) ModelM.Step(ref state, input.Slice(t, ModelM.InputFeatures), output);
                break;
            }
            case Shape.L:
            {
                var state = default(ModelL.State);
                for (int t = 0; t < input.Length; t += ModelL.InputFeatures) ModelL.Step(ref state, input.Slice(t, ModelL.InputFeatures), output);
                break;
            }
            case Shape.W:
            {
                var state = default(ModelW.State);
                for (int t = 0; t < input.Length; t += ModelW.InputFeatures) ModelW.Step(ref state, input.Slice(t, ModelW.InputFeatures), output);
                break;
            }
        }
    }
}
