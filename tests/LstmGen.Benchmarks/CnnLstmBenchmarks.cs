using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 16's CNN-LSTM row: Conv1D(64, 5, same, relu) × 2 → LSTM(64) → Dense(5) over T = 128 and 6 features
/// (make_models.py "cnn", one PyTorch module exported to both formats). ONNX Runtime (one intra-op thread,
/// preallocated OrtValues) against the generated Predict for one sequence, and ONNX Runtime with a batch of 64
/// against PredictBatch(64); batch times are per sequence (OperationsPerInvoke = 64). Setup checks both engines
/// against PyTorch's output, and the batch paths against 64 Predict calls, before anything is timed.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class CnnLstmBenchmarks
{
    public const int Timesteps = 128, Features = 6, Filters = 64, KernelSize = 5, Units = 64, Outputs = 5, Batch = 64;

    /// <summary>Multiply-adds count twice: 2 · T · k · in · filters per convolution, 2 · 4u · (input + u) · T for the LSTM; the Dense is left out, as for the LSTM shapes.</summary>
    public static double Flops =>
        2.0 * Timesteps * KernelSize * (Features + Filters) * Filters + 2.0 * 4 * Units * (Filters + Units) * Timesteps;

    private const int SequenceLength = Timesteps * Features;

    private float[] _input = Array.Empty<float>(), _output = Array.Empty<float>();
    private float[] _inputs = Array.Empty<float>(), _outputs = Array.Empty<float>();
    private InferenceSession _session = null!, _batchSession = null!;
    private RunOptions _runOptions = null!;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!, _ortBatchInputs = null!, _ortBatchOutputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        (float[] input, float[] expected) = ModelShapes.Check("cnn");
        if (input.Length != SequenceLength || expected.Length != Outputs) throw new InvalidOperationException("cnn.check.json does not match the CNN-LSTM's shape");
        _input = input;
        _output = new float[Outputs];
        _session = ModelShapes.OnnxSession("cnn", ".onnx");
        _ortInputs = new[] { OrtValue.CreateTensorValueFromMemory(_input, new long[] { 1, Timesteps, Features }) };
        _ortOutputs = new[] { OrtValue.CreateTensorValueFromMemory(_output, new long[] { 1, Outputs }) };
        _runOptions = new RunOptions();

        foreach ((string name, Action run) in new (string, Action)[] { ("LstmGen", Generated), ("ONNX Runtime", OnnxRuntime) })
        {
            Array.Clear(_output);
            run();
            float worst = expected.Zip(_output, (e, a) => MathF.Abs(e - a) / MathF.Max(1, MathF.Abs(e))).Max();
            if (worst > 1e-4f) throw new InvalidOperationException($"CNN-LSTM {name} differs from PyTorch by {worst}");
            Console.WriteLine($"// CNN-LSTM {name} vs PyTorch: largest relative difference {worst:G3}");
        }

        var random = new Random(64);
        _inputs = new float[Batch * SequenceLength];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)(random.NextDouble() * 2 - 1);
        _outputs = new float[Batch * Outputs];
        _batchSession = ModelShapes.OnnxSession("cnn", ".batch.onnx");
        _ortBatchInputs = new[] { OrtValue.CreateTensorValueFromMemory(_inputs, new long[] { Batch, Timesteps, Features }) };
        _ortBatchOutputs = new[] { OrtValue.CreateTensorValueFromMemory(_outputs, new long[] { Batch, Outputs }) };

        var reference = new float[_outputs.Length];
        for (int b = 0; b < Batch; b++) ModelCnn.Predict(_inputs.AsSpan(b * SequenceLength, SequenceLength), reference.AsSpan(b * Outputs, Outputs));
        foreach ((string name, Action run) in new (string, Action)[] { ("PredictBatch", PredictBatch), ("ONNX Runtime batch", OnnxRuntimeBatch) })
        {
            Array.Clear(_outputs);
            run();
            for (int i = 0; i < reference.Length; i++)
            {
                float error = MathF.Abs(reference[i] - _outputs[i]) / MathF.Max(1, MathF.Abs(reference[i]));
                if (error > 1e-4f) throw new InvalidOperationException($"CNN-LSTM {name} output {i} differs from Predict by {error}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (OrtValue value in _ortInputs.Concat(_ortOutputs).Concat(_ortBatchInputs).Concat(_ortBatchOutputs)) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _batchSession.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void OnnxRuntime() => _session.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "LstmGen")]
    public void Generated() => ModelCnn.Predict(_input, _output);

    [Benchmark(Description = "ONNX Runtime, batch 64", OperationsPerInvoke = Batch)]
    public void OnnxRuntimeBatch() => _batchSession.Run(_runOptions, _inputNames, _ortBatchInputs, _outputNames, _ortBatchOutputs);

    [Benchmark(Description = "LstmGen PredictBatch(64)", OperationsPerInvoke = Batch)]
    public void PredictBatch() => ModelCnn.PredictBatch(_inputs, Batch, _outputs);
}

/// <summary>make_models.py "cnn": Conv1D(64, 5, same, relu) × 2 → LSTM(64) → Dense(5, linear), T = 128, 6 features.</summary>
[LstmModel("Models/cnn.json")] internal static partial class ModelCnn { }
