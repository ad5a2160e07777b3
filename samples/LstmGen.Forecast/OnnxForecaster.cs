using System;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Forecast;

/// <summary>The same model run one month at a time by ONNX Runtime (Models/co2.onnx, written by train_co2.py),
/// its fastest documented way from C#: one intra-op thread (Step uses one), OrtValues over preallocated arrays,
/// and the state ping-ponged between two buffers so that each step's output state is the next one's input.</summary>
internal sealed class OnnxForecaster : IDisposable
{
    private static readonly string[] InputNames = { "x", "h", "c" }, OutputNames = { "y", "h_out", "c_out" };
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _x = new float[1], _y = new float[1];
    private readonly float[][] _h, _c;
    private readonly OrtValue[][] _inputs, _outputs;
    private readonly OrtValue[] _values;
    private int _current;

    public OnnxForecaster(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(path, options);
        int units = _session.InputMetadata["h"].Dimensions[2];
        _h = new[] { new float[units], new float[units] };
        _c = new[] { new float[units], new float[units] };
        long[] stateShape = { 1, 1, units };
        OrtValue x = OrtValue.CreateTensorValueFromMemory(_x, new long[] { 1, 1, 1 });
        OrtValue y = OrtValue.CreateTensorValueFromMemory(_y, new long[] { 1, 1 });
        OrtValue[] h = { OrtValue.CreateTensorValueFromMemory(_h[0], stateShape), OrtValue.CreateTensorValueFromMemory(_h[1], stateShape) };
        OrtValue[] c = { OrtValue.CreateTensorValueFromMemory(_c[0], stateShape), OrtValue.CreateTensorValueFromMemory(_c[1], stateShape) };
        _inputs = new[] { new[] { x, h[0], c[0] }, new[] { x, h[1], c[1] } };
        _outputs = new[] { new[] { y, h[1], c[1] }, new[] { y, h[0], c[0] } };
        _values = new[] { x, y, h[0], h[1], c[0], c[1] };
    }

    /// <summary>The zero state (a new stream).</summary>
    public void Reset()
    {
        foreach (float[] buffer in _h) Array.Clear(buffer);
        foreach (float[] buffer in _c) Array.Clear(buffer);
        _current = 0;
    }

    /// <summary>One month's input in, the model's output for it out.</summary>
    public float Step(float input)
    {
        _x[0] = input;
        _session.Run(_runOptions, InputNames, _inputs[_current], OutputNames, _outputs[_current]);
        _current ^= 1;
        return _y[0];
    }

    public void Dispose()
    {
        foreach (OrtValue value in _values) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
