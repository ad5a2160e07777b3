using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 17's two-core batch row: PredictBatch(256) on one core and spread over every core (the Memory overload,
/// whole 64-sequence blocks per thread), against ONNX Runtime's batch of 256 with one and with two intra-op
/// threads. Times are per sequence (OperationsPerInvoke = 256). Setup checks that every path agrees with
/// the one-core PredictBatch before anything is timed (the parallel one bit for bit).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class MultiCoreBatchBenchmarks
{
    public const int Batch = 256;

    private float[] _inputs = Array.Empty<float>(), _outputs = Array.Empty<float>();
    private PredictBatchFunc _predictBatch = null!;
    private ParallelBatchFunc _parallelBatch = null!;
    private InferenceSession _session = null!, _twoThreads = null!;
    private RunOptions _runOptions = null!;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!;

    [Params(Shape.L, Shape.W)]
    public Shape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (_, _, steps, features, outputs) = ModelShapes.Dimensions(Shape);
        var random = new Random(256);
        _inputs = new float[Batch * steps * features];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)(random.NextDouble() * 2 - 1);
        _outputs = new float[Batch * outputs];
        _predictBatch = ModelShapes.GeneratedBatch(Shape);
        _parallelBatch = ModelShapes.GeneratedParallelBatch(Shape);
        _session = ModelShapes.OnnxSession(Shape, ".batch.onnx");
        _twoThreads = ModelShapes.OnnxSession(Shape.ToString().ToLowerInvariant(), ".batch.onnx", intraOpThreads: 2);
        _ortInputs = new[] { OrtValue.CreateTensorValueFromMemory(_inputs, new long[] { Batch, steps, features }) };
        _ortOutputs = new[] { OrtValue.CreateTensorValueFromMemory(_outputs, new long[] { Batch, outputs }) };
        _runOptions = new RunOptions();

        OneCore();
        float[] expected = (float[])_outputs.Clone();
        foreach ((string name, Action run, bool exact) in new (string, Action, bool)[] { ("all cores", AllCores, true), ("ONNX Runtime", OnnxRuntime, false), ("ONNX Runtime 2 threads", OnnxRuntimeTwoThreads, false) })
        {
            Array.Clear(_outputs);
            run();
            for (int i = 0; i < expected.Length; i++)
            {
                float error = MathF.Abs(expected[i] - _outputs[i]) / MathF.Max(1, MathF.Abs(expected[i]));
                if (exact ? expected[i] != _outputs[i] : error > 1e-4f) throw new InvalidOperationException($"{Shape} {name} output {i} differs from PredictBatch by {error}");
            }
        }
        Console.WriteLine($"// {Environment.ProcessorCount} processors");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (OrtValue value in _ortInputs) value.Dispose();
        foreach (OrtValue value in _ortOutputs) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _twoThreads.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, batch 256, 1 thread", OperationsPerInvoke = Batch)]
    public void OnnxRuntime() => _session.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "ONNX Runtime, batch 256, 2 threads", OperationsPerInvoke = Batch)]
    public void OnnxRuntimeTwoThreads() => _twoThreads.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "LstmGen PredictBatch(256), 1 core", OperationsPerInvoke = Batch)]
    public void OneCore() => _predictBatch(_inputs, Batch, _outputs);

    [Benchmark(Description = "LstmGen PredictBatch(256), all cores", OperationsPerInvoke = Batch)]
    public void AllCores() => _parallelBatch(_inputs, Batch, _outputs, 0);
}
