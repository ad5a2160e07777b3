using System;
using BenchmarkDotNet.Attributes;

namespace LstmGen.Benchmarks;

/// <summary>
/// A Functional graph's PredictBatch against Predict called 64 times (make_graph_model.py: Dense(64), LSTM(64)
/// returning sequences, Add of the two, LSTM(64), Dense(1) over 100 timesteps of 8 features). Times are per sequence
/// (OperationsPerInvoke = 64). Setup checks that every batch row equals Predict bit for bit.
/// </summary>
[MemoryDiagnoser]
public class GraphBatchBenchmarks
{
    public const int Batch = 64, SequenceLength = 100 * 8;

    private float[] _inputs = Array.Empty<float>(), _outputs = Array.Empty<float>();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(64);
        _inputs = new float[Batch * SequenceLength];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)(random.NextDouble() * 2 - 1);
        _outputs = new float[Batch];
        LoopedPredict();
        float[] expected = (float[])_outputs.Clone();
        Array.Clear(_outputs);
        PredictBatch();
        for (int i = 0; i < Batch; i++)
        {
            if (expected[i] != _outputs[i]) throw new InvalidOperationException($"graph PredictBatch row {i} differs from Predict");
        }
    }

    [Benchmark(Baseline = true, Description = "LstmGen Predict × 64", OperationsPerInvoke = Batch)]
    public void LoopedPredict()
    {
        for (int b = 0; b < Batch; b++) ModelResidualGraph.Predict(_inputs.AsSpan(b * SequenceLength, SequenceLength), _outputs.AsSpan(b, 1));
    }

    [Benchmark(Description = "LstmGen PredictBatch(64)", OperationsPerInvoke = Batch)]
    public void PredictBatch() => ModelResidualGraph.PredictBatch(_inputs, Batch, _outputs);
}

[LstmModel("Models/Graph/residual.json")] internal static partial class ModelResidualGraph { }
