using System;
using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Words;

/// <summary>The same model run one step at a time by ONNX Runtime, its fastest documented way from C#: one
/// intra-op thread (LstmGen's Step uses one), OrtValues over preallocated arrays, and the state ping-ponged
/// between two buffers so that each step's output state is the next step's input without a copy.</summary>
internal sealed class OnnxWordModel : IDisposable
{
    private static readonly string[] InputNames = { "id", "h", "c" }, OutputNames = { "logits", "h_out", "c_out" };
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _id = new long[1];
    private readonly float[] _logits;
    private readonly float[][] _h, _c;
    private readonly OrtValue[][] _inputs, _outputs;
    private readonly OrtValue[] _values;
    private int _current;

    public OnnxWordModel(string path, int vocabulary)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(path, options);
        int units = _session.InputMetadata["h"].Dimensions[2];
        _logits = new float[vocabulary];
        _h = new[] { new float[units], new float[units] };
        _c = new[] { new float[units], new float[units] };
        long[] stateShape = { 1, 1, units };
        OrtValue id = OrtValue.CreateTensorValueFromMemory(_id, new long[] { 1, 1 });
        OrtValue logits = OrtValue.CreateTensorValueFromMemory(_logits, new long[] { 1, vocabulary });
        OrtValue[] h = { OrtValue.CreateTensorValueFromMemory(_h[0], stateShape), OrtValue.CreateTensorValueFromMemory(_h[1], stateShape) };
        OrtValue[] c = { OrtValue.CreateTensorValueFromMemory(_c[0], stateShape), OrtValue.CreateTensorValueFromMemory(_c[1], stateShape) };
        _inputs = new[] { new[] { id, h[0], c[0] }, new[] { id, h[1], c[1] } };
        _outputs = new[] { new[] { logits, h[1], c[1] }, new[] { logits, h[0], c[0] } };
        _values = new[] { id, logits, h[0], h[1], c[0], c[1] };
    }

    /// <summary>The zero state (a new stream).</summary>
    public void Reset()
    {
        foreach (float[] buffer in _h) Array.Clear(buffer);
        foreach (float[] buffer in _c) Array.Clear(buffer);
        _current = 0;
    }

    /// <summary>One token in; the logits of the next token out (valid until the next call).</summary>
    public ReadOnlySpan<float> Step(int token)
    {
        _id[0] = token;
        _session.Run(_runOptions, InputNames, _inputs[_current], OutputNames, _outputs[_current]);
        _current ^= 1;
        return _logits;
    }

    public void Dispose()
    {
        foreach (OrtValue value in _values) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
