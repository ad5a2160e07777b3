using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 4's comparison, same weights and input in one run: the generated Predict (loop and unrolled), ONNX
/// Runtime (one intra-op thread, preallocated OrtValue input and output: its fastest documented C# path) and
/// a hand-written C# LSTM. Setup checks that all of them agree with PyTorch before anything is timed.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
[BenchmarkCategory("Predict")]
public class ModelBenchmarks
{
    private float[] _input = Array.Empty<float>();
    private float[] _output = Array.Empty<float>();
    private PredictFunc _generated = null!, _unrolled = null!;
    private HandWrittenLstm _handWritten = null!;
    private InferenceSession _session = null!;
    private OrtValue _ortInput = null!, _ortOutput = null!;
    private RunOptions _runOptions = null!;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!;

    [ParamsAllValues]
    public Shape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (_, _, steps, features, outputs) = ModelShapes.Dimensions(Shape);
        (float[] input, float[] expected) = ModelShapes.Check(Shape);
        _input = input;
        _output = new float[outputs];
        _generated = ModelShapes.Generated(Shape, unrolled: false);
        _unrolled = ModelShapes.Generated(Shape, unrolled: true);
        _handWritten = new HandWrittenLstm(ModelShapes.PathOf(Shape, ".json"), steps);

        _session = ModelShapes.OnnxSession(Shape, ".onnx");
        _ortInput = OrtValue.CreateTensorValueFromMemory(_input, new long[] { 1, steps, features });
        _ortOutput = OrtValue.CreateTensorValueFromMemory(_output, new long[] { 1, outputs });
        _ortInputs = new[] { _ortInput };
        _ortOutputs = new[] { _ortOutput };
        _runOptions = new RunOptions();

        foreach ((string name, Action run) in new (string, Action)[] { ("generated", Generated), ("unrolled", GeneratedUnrolled), ("ONNX Runtime", OnnxRuntime), ("hand-written", HandWritten) })
        {
            Array.Clear(_output);
            run();
            float worst = expected.Zip(_output, (e, a) => MathF.Abs(e - a) / MathF.Max(1, MathF.Abs(e))).Max();
            if (worst > 1e-4f) throw new InvalidOperationException($"{Shape} {name} differs from PyTorch by {worst}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ortInput.Dispose();
        _ortOutput.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void OnnxRuntime() => _session.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "LstmGen")]
    public void Generated() => _generated(_input, _output);

    [Benchmark(Description = "LstmGen unrolled")]
    public void GeneratedUnrolled() => _unrolled(_input, _output);

    [Benchmark(Description = "hand-written C#")]
    public void HandWritten() => _handWritten.Predict(_input, _output);
}
