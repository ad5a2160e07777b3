using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Benchmarks;

/// <summary>
/// The floor: the same math as a user would hand-write it from the Keras formulas, with the weights loaded
/// from the same JSON into arrays and plain loops (no SIMD, no specialisation), preallocated buffers.
/// </summary>
internal sealed class HandWrittenLstm
{
    private readonly (float[] Kernel, float[] Recurrent, float[] Bias, int Input, int Units)[] _layers;
    private readonly float[] _denseKernel, _denseBias;
    private readonly bool _softmax;
    private readonly int _features;
    private readonly float[][] _h, _c, _sequence;
    private readonly float[] _z;

    public HandWrittenLstm(string path, int timesteps)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var layers = doc.RootElement.GetProperty("config").GetProperty("layers").EnumerateArray().ToArray();
        _layers = layers.Where(l => l.GetProperty("class_name").GetString() == "LSTM").Select(l =>
        {
            var w = l.GetProperty("weights").EnumerateArray().ToArray();
            float[] kernel = Flatten(w[0]), recurrent = Flatten(w[1]), bias = Flatten(w[2]);
            int units = bias.Length / 4;
            return (kernel, recurrent, bias, kernel.Length / (4 * units), units);
        }).ToArray();
        var dense = layers.Last();
        var dw = dense.GetProperty("weights").EnumerateArray().ToArray();
        _denseKernel = Flatten(dw[0]);
        _denseBias = Flatten(dw[1]);
        _softmax = dense.GetProperty("config").GetProperty("activation").GetString() == "softmax";
        _features = _layers[0].Input;
        _h = _layers.Select(l => new float[l.Units]).ToArray();
        _c = _layers.Select(l => new float[l.Units]).ToArray();
        _sequence = _layers.Select(l => new float[timesteps * l.Units]).ToArray();
        _z = new float[_layers.Max(l => 4 * l.Units)];
    }

    private static float[] Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(x => x.ValueKind == JsonValueKind.Array ? Flatten(x) : new[] { (float)x.GetDouble() }).ToArray()
        : new[] { (float)e.GetDouble() };

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        int steps = input.Length / _features;
        ReadOnlySpan<float> sequence = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            var (kernel, recurrent, bias, inputSize, units) = _layers[l];
            float[] h = _h[l], c = _c[l];
            Array.Clear(h);
            Array.Clear(c);
            for (int t = 0; t < steps; t++)
            {
                for (int j = 0; j < 4 * units; j++)
                {
                    float sum = bias[j];
                    for (int k = 0; k < inputSize; k++) sum += sequence[t * inputSize + k] * kernel[k * 4 * units + j];
                    for (int k = 0; k < units; k++) sum += h[k] * recurrent[k * 4 * units + j];
                    _z[j] = sum;
                }
                for (int j = 0; j < units; j++)
                {
                    float i = Sigmoid(_z[j]), f = Sigmoid(_z[units + j]), g = MathF.Tanh(_z[2 * units + j]), o = Sigmoid(_z[3 * units + j]);
                    c[j] = f * c[j] + i * g;
                    h[j] = o * MathF.Tanh(c[j]);
                    _sequence[l][t * units + j] = h[j];
                }
            }
            sequence = _sequence[l].AsSpan(0, steps * units);
        }
        float[] last = _h[^1];
        int outputs = _denseBias.Length;
        for (int j = 0; j < outputs; j++)
        {
            float sum = _denseBias[j];
            for (int k = 0; k < last.Length; k++) sum += last[k] * _denseKernel[k * outputs + j];
            output[j] = sum;
        }
        if (_softmax)
        {
            float max = float.NegativeInfinity, total = 0;
            for (int j = 0; j < outputs; j++) max = MathF.Max(max, output[j]);
            for (int j = 0; j < outputs; j++) total += output[j] = MathF.Exp(output[j] - max);
            for (int j = 0; j < outputs; j++) output[j] /= total;
        }
    }
}
