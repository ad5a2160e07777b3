using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 5's batch figures: 64 sequences of each benchmark shape through the generated PredictBatch, through
/// Predict called 64 times, and through ONNX Runtime with a batch of 64 (the same graph exported with a dynamic
/// batch axis; one intra-op thread, preallocated OrtValues). Times are per sequence (OperationsPerInvoke = 64).
/// Setup checks that PredictBatch and ONNX Runtime agree with 64 Predict calls before anything is timed.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
[BenchmarkCategory("Batch")]
public class BatchBenchmarks
{
    public const int Batch = 64;

    private float[] _inputs = Array.Empty<float>();
    private float[] _outputs = Array.Empty<float>();
    private int _sequenceLength, _outputLength;
    private PredictFunc _predict = null!;
    private PredictBatchFunc _predictBatch = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!;

    [ParamsAllValues]
    public Shape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (_, _, steps, features, outputs) = ModelShapes.Dimensions(Shape);
        _sequenceLength = steps * features;
        _outputLength = outputs;
        var random = new Random(64);
        _inputs = new float[Batch * _sequenceLength];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)(random.NextDouble() * 2 - 1);
        _outputs = new float[Batch * outputs];
        _predict = ModelShapes.Generated(Shape, unrolled: false);
        _predictBatch = ModelShapes.GeneratedBatch(Shape);

        _session = ModelShapes.OnnxSession(Shape, ".batch.onnx");
        _ortInputs = new[] { OrtValue.CreateTensorValueFromMemory(_inputs, new long[] { Batch, steps, features }) };
        _ortOutputs = new[] { OrtValue.CreateTensorValueFromMemory(_outputs, new long[] { Batch, outputs }) };
        _runOptions = new RunOptions();

        var expected = new float[_outputs.Length];
        LoopedPredict();
        _outputs.CopyTo(expected, 0);
        foreach ((string name, Action run) in new (string, Action)[] { ("PredictBatch", PredictBatch), ("ONNX Runtime", OnnxRuntime) })
        {
            Array.Clear(_outputs);
            run();
            for (int i = 0; i < expected.Length; i++)
            {
                float error = MathF.Abs(expected[i] - _outputs[i]) / MathF.Max(1, MathF.Abs(expected[i]));
                if (error > 1e-4f) throw new InvalidOperationException($"{Shape} {name} output {i} differs from Predict by {error}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (OrtValue value in _ortInputs) value.Dispose();
        foreach (OrtValue value in _ortOutputs) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, batch 64", OperationsPerInvoke = Batch)]
    public void OnnxRuntime() => _session.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "LstmGen PredictBatch(64)", OperationsPerInvoke = Batch)]
    public void PredictBatch() => _predictBatch(_inputs, Batch, _outputs);

    [Benchmark(Description = "LstmGen Predict × 64", OperationsPerInvoke = Batch)]
    public void LoopedPredict()
    {
        for (int b = 0; b < Batch; b++)
        {
            _predict(_inputs.AsSpan(b * _sequenceLength, _sequenceLength), _outputs.AsSpan(b * _outputLength, _outputLength));
        }
    }
}
