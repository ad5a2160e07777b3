using System;
using BenchmarkDotNet.Attributes;

namespace LstmGen.Benchmarks;

/// <summary>The recurrent layer of a streaming model (issue 17).</summary>
public enum Cell
{
    LSTM,
    GRU,
}

/// <summary>
/// Issue 17's streaming comparison: one LSTM(N) or GRU(N) layer, input = hidden = N, return_sequences
/// (make_streaming_models.py). <c>Step</c> is one timestep per call, the State kept in a field across calls as a
/// stream keeps it (the whole run is one endless stream); <c>Predict</c> runs the same 1,000 rows as one sequence
/// from the zero state. Both write every timestep's output row and report the time per timestep
/// (OperationsPerInvoke = 1,000). The same weights are timed with RTNeural by rtneural/build_and_run.sh.
/// Setup checks that Step equals Predict row by row, bit for bit, and that Predict agrees with the float64 Keras
/// reference of NAME.check.json to 1e-4.
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    public const int Timesteps = 1000;

    private float[] _input = Array.Empty<float>();
    private float[] _output = Array.Empty<float>();
    private int _model;

    private StreamLstm8.State _lstm8;
    private StreamLstm16.State _lstm16;
    private StreamLstm32.State _lstm32;
    private StreamLstm64.State _lstm64;
    private StreamLstm128.State _lstm128;
    private StreamGru8.State _gru8;
    private StreamGru16.State _gru16;
    private StreamGru32.State _gru32;
    private StreamGru64.State _gru64;
    private StreamGru128.State _gru128;

    [Params(Cell.LSTM, Cell.GRU)]
    public Cell Kind { get; set; }

    [Params(8, 16, 32, 64, 128)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int size = Array.IndexOf(new[] { 8, 16, 32, 64, 128 }, N);
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(N));
        _model = (Kind == Cell.LSTM ? 0 : 5) + size;
        string name = $"Streaming/{Kind.ToString().ToLowerInvariant()}_n{N}";

        // Predict against the float64 Keras reference, then Step against Predict on the timed input.
        (float[] checkInput, float[] reference) = ModelShapes.Check(name);
        var fromPredict = new float[reference.Length];
        Predict(_model, checkInput, fromPredict);
        double maxDiff = 0;
        for (int i = 0; i < reference.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(fromPredict[i] - reference[i]));
        if (!(maxDiff <= 1e-4)) throw new InvalidOperationException($"{name}: Predict differs from the reference by {maxDiff}.");

        _input = new float[Timesteps * N];
        _output = new float[Timesteps * N];
        var random = new Random(12345 + N);
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)(random.NextDouble() * 2 - 1);
        var predicted = new float[_output.Length];
        Predict(_model, _input, predicted);
        StepFromZero(_model, _input, _output, Timesteps);
        for (int i = 0; i < predicted.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(predicted[i]) != BitConverter.SingleToInt32Bits(_output[i]))
                throw new InvalidOperationException($"{name}: Step differs from Predict at row {i / N}, unit {i % N}: {_output[i]} against {predicted[i]}.");
        }
        Console.WriteLine($"// {name}: Predict within {maxDiff:G3} of the float64 reference; Step = Predict on {Timesteps} rows, bit for bit");
    }

    /// <summary>1,000 Step calls, one timestep each, continuing the stream of the previous invocation.</summary>
    [Benchmark(Description = "Step, per timestep", OperationsPerInvoke = Timesteps)]
    public void Step()
    {
        ReadOnlySpan<float> input = _input;
        Span<float> output = _output;
        switch (_model)
        {
            case 0: for (int t = 0; t < Timesteps; t++) StreamLstm8.Step(ref _lstm8, input.Slice(t * 8, 8), output.Slice(t * 8, 8)); break;
            case 1: for (int t = 0; t < Timesteps; t++) StreamLstm16.Step(ref _lstm16, input.Slice(t * 16, 16), output.Slice(t * 16, 16)); break;
            case 2: for (int t = 0; t < Timesteps; t++) StreamLstm32.Step(ref _lstm32, input.Slice(t * 32, 32), output.Slice(t * 32, 32)); break;
            case 3: for (int t = 0; t < Timesteps; t++) StreamLstm64.Step(ref _lstm64, input.Slice(t * 64, 64), output.Slice(t * 64, 64)); break;
            case 4: for (int t = 0; t < Timesteps; t++) StreamLstm128.Step(ref _lstm128, input.Slice(t * 128, 128), output.Slice(t * 128, 128)); break;
            case 5: for (int t = 0; t < Timesteps; t++) StreamGru8.Step(ref _gru8, input.Slice(t * 8, 8), output.Slice(t * 8, 8)); break;
            case 6: for (int t = 0; t < Timesteps; t++) StreamGru16.Step(ref _gru16, input.Slice(t * 16, 16), output.Slice(t * 16, 16)); break;
            case 7: for (int t = 0; t < Timesteps; t++) StreamGru32.Step(ref _gru32, input.Slice(t * 32, 32), output.Slice(t * 32, 32)); break;
            case 8: for (int t = 0; t < Timesteps; t++) StreamGru64.Step(ref _gru64, input.Slice(t * 64, 64), output.Slice(t * 64, 64)); break;
            case 9: for (int t = 0; t < Timesteps; t++) StreamGru128.Step(ref _gru128, input.Slice(t * 128, 128), output.Slice(t * 128, 128)); break;
        }
    }

    /// <summary>Predict over the 1,000 rows as one sequence, per timestep.</summary>
    [Benchmark(Baseline = true, Description = "Predict, per timestep", OperationsPerInvoke = Timesteps)]
    public void Predict() => Predict(_model, _input, _output);

    private static void Predict(int model, ReadOnlySpan<float> input, Span<float> output)
    {
        switch (model)
        {
            case 0: StreamLstm8.Predict(input, output); break;
            case 1: StreamLstm16.Predict(input, output); break;
            case 2: StreamLstm32.Predict(input, output); break;
            case 3: StreamLstm64.Predict(input, output); break;
            case 4: StreamLstm128.Predict(input, output); break;
            case 5: StreamGru8.Predict(input, output); break;
            case 6: StreamGru16.Predict(input, output); break;
            case 7: StreamGru32.Predict(input, output); break;
            case 8: StreamGru64.Predict(input, output); break;
            case 9: StreamGru128.Predict(input, output); break;
        }
    }

    private static void StepFromZero(int model, ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        switch (model)
        {
            case 0: { var s = default(StreamLstm8.State); for (int t = 0; t < rows; t++) StreamLstm8.Step(ref s, input.Slice(t * 8, 8), output.Slice(t * 8, 8)); break; }
            case 1: { var s = default(StreamLstm16.State); for (int t = 0; t < rows; t++) StreamLstm16.Step(ref s, input.Slice(t * 16, 16), output.Slice(t * 16, 16)); break; }
            case 2: { var s = default(StreamLstm32.State); for (int t = 0; t < rows; t++) StreamLstm32.Step(ref s, input.Slice(t * 32, 32), output.Slice(t * 32, 32)); break; }
            case 3: { var s = default(StreamLstm64.State); for (int t = 0; t < rows; t++) StreamLstm64.Step(ref s, input.Slice(t * 64, 64), output.Slice(t * 64, 64)); break; }
            case 4: { var s = default(StreamLstm128.State); for (int t = 0; t < rows; t++) StreamLstm128.Step(ref s, input.Slice(t * 128, 128), output.Slice(t * 128, 128)); break; }
            case 5: { var s = default(StreamGru8.State); for (int t = 0; t < rows; t++) StreamGru8.Step(ref s, input.Slice(t * 8, 8), output.Slice(t * 8, 8)); break; }
            case 6: { var s = default(StreamGru16.State); for (int t = 0; t < rows; t++) StreamGru16.Step(ref s, input.Slice(t * 16, 16), output.Slice(t * 16, 16)); break; }
            case 7: { var s = default(StreamGru32.State); for (int t = 0; t < rows; t++) StreamGru32.Step(ref s, input.Slice(t * 32, 32), output.Slice(t * 32, 32)); break; }
            case 8: { var s = default(StreamGru64.State); for (int t = 0; t < rows; t++) StreamGru64.Step(ref s, input.Slice(t * 64, 64), output.Slice(t * 64, 64)); break; }
            case 9: { var s = default(StreamGru128.State); for (int t = 0; t < rows; t++) StreamGru128.Step(ref s, input.Slice(t * 128, 128), output.Slice(t * 128, 128)); break; }
        }
    }
}

[LstmModel("Models/Streaming/lstm_n8.json")] internal static partial class StreamLstm8 { }
[LstmModel("Models/Streaming/lstm_n16.json")] internal static partial class StreamLstm16 { }
[LstmModel("Models/Streaming/lstm_n32.json")] internal static partial class StreamLstm32 { }
[LstmModel("Models/Streaming/lstm_n64.json")] internal static partial class StreamLstm64 { }
[LstmModel("Models/Streaming/lstm_n128.json")] internal static partial class StreamLstm128 { }
[LstmModel("Models/Streaming/gru_n8.json")] internal static partial class StreamGru8 { }
[LstmModel("Models/Streaming/gru_n16.json")] internal static partial class StreamGru16 { }
[LstmModel("Models/Streaming/gru_n32.json")] internal static partial class StreamGru32 { }
[LstmModel("Models/Streaming/gru_n64.json")] internal static partial class StreamGru64 { }
[LstmModel("Models/Streaming/gru_n128.json")] internal static partial class StreamGru128 { }
