using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 17's two-core single-sequence row: Predict on one core and with a CoreTeam of every core sharing each
/// timestep's recurrent product, against ONNX Runtime with one and with two intra-op threads, for LSTM(512) over
/// 100 timesteps (make_scaling_models.py, its ONNX from make_scaling_onnx.py), GRU(512) over 100 timesteps
/// (make_scaling_gru.py; the team shares its recurrent products' columns) and the W shape (the L shape's
/// 128-unit LSTMs are below TeamEmitter.MinRecurrentFloats: no team overload). Setup checks
/// the team's output equals Predict's bit for bit and ONNX Runtime's is within 1e-4 of it.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class TeamBenchmarks
{
    private float[] _input = Array.Empty<float>(), _output = Array.Empty<float>();
    private PredictFunc _predict = null!;
    private TeamPredictFunc _teamPredict = null!;
    private CoreTeam _team = null!;
    private InferenceSession _session = null!, _twoThreads = null!;
    private RunOptions _runOptions = null!;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!;

    [Params("LSTM(512) T=100", "GRU(512) T=100", "W")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string file;
        int timesteps, features, outputs;
        if (Model == "W")
        {
            Shape shape = Shape.W;
            (_, _, timesteps, features, outputs) = ModelShapes.Dimensions(shape);
            file = Model.ToLowerInvariant();
            _predict = ModelShapes.Generated(shape, unrolled: false);
            _teamPredict = ModelW.Predict;
        }
        else if (Model.StartsWith("GRU", StringComparison.Ordinal))
        {
            (timesteps, features, outputs) = (100, ScalingBenchmarks.Features, 1);
            file = "Scaling/gru_u512";
            _predict = ScalingGru512.Predict;
            _teamPredict = ScalingGru512.Predict;
        }
        else
        {
            (timesteps, features, outputs) = (100, ScalingBenchmarks.Features, 1);
            file = "Scaling/lstm_u512";
            _predict = ScalingU512.Predict;
            _teamPredict = ScalingU512.Predict;
        }
        (float[] input, float[] expected) = ModelShapes.Check(file);
        if (input.Length != timesteps * features) throw new InvalidOperationException($"{file}.check.json has {input.Length} inputs");
        _input = input;
        _output = new float[outputs];
        _team = new CoreTeam();
        _session = ModelShapes.OnnxSession(file, ".onnx");
        _twoThreads = ModelShapes.OnnxSession(file, ".onnx", intraOpThreads: 2);
        _ortInputs = new[] { OrtValue.CreateTensorValueFromMemory(_input, new long[] { 1, timesteps, features }) };
        _ortOutputs = new[] { OrtValue.CreateTensorValueFromMemory(_output, new long[] { 1, outputs }) };
        _runOptions = new RunOptions();

        Predict();
        float[] alone = (float[])_output.Clone();
        foreach ((string name, Action run, bool exact) in new (string, Action, bool)[] { ("CoreTeam", WithTeam, true), ("ONNX Runtime", OnnxRuntime, false), ("ONNX Runtime 2 threads", OnnxRuntimeTwoThreads, false) })
        {
            Array.Clear(_output);
            run();
            for (int i = 0; i < alone.Length; i++)
            {
                float error = MathF.Abs(alone[i] - _output[i]) / MathF.Max(1, MathF.Abs(alone[i]));
                if (exact ? alone[i] != _output[i] : error > 1e-4f) throw new InvalidOperationException($"{Model} {name} output {i} differs from Predict by {error}");
            }
        }
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = MathF.Max(worst, MathF.Abs(expected[i] - alone[i]) / MathF.Max(1, MathF.Abs(expected[i])));
        if (worst > 1e-4f) throw new InvalidOperationException($"{Model} Predict differs from PyTorch by {worst}");
        Console.WriteLine($"// {Model}: {_team.Threads} threads in the team; Predict vs PyTorch {worst:G3}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (OrtValue value in _ortInputs) value.Dispose();
        foreach (OrtValue value in _ortOutputs) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _twoThreads.Dispose();
        _team.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, 1 thread")]
    public void OnnxRuntime() => _session.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "ONNX Runtime, 2 threads")]
    public void OnnxRuntimeTwoThreads() => _twoThreads.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    [Benchmark(Description = "LstmGen Predict, 1 core")]
    public void Predict() => _predict(_input, _output);

    [Benchmark(Description = "LstmGen Predict, CoreTeam")]
    public void WithTeam() => _teamPredict(_input, _output, _team);
}

/// <summary>GRU(512), reset_after, over 16 features, then Dense(1) (make_scaling_gru.py): U_zr and U_h are 3 MB.</summary>
[LstmModel("Models/Scaling/gru_u512.json")]
internal static partial class ScalingGru512 { }
