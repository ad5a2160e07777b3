using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Benchmarks;

/// <summary>The benchmark shapes of issue 4; each is compiled by LstmGen and exported to ONNX from the same PyTorch module.</summary>
public enum Shape
{
    /// <summary>3 × LSTM(10), T = 10, 1 feature, Dense(1): the tutorial network.</summary>
    S,
    /// <summary>LSTM(64), T = 50, 8 features, Dense(5, softmax).</summary>
    M,
    /// <summary>2 × LSTM(128), T = 100, 32 features, Dense(10, softmax).</summary>
    L,
    /// <summary>LSTM(256), T = 20, 16 features, Dense(4).</summary>
    W,
}

internal delegate void PredictFunc(ReadOnlySpan<float> input, Span<float> output);

internal delegate void PredictBatchFunc(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs);

internal delegate void TeamPredictFunc(ReadOnlySpan<float> input, Span<float> output, CoreTeam team);

internal delegate void ParallelBatchFunc(ReadOnlyMemory<float> inputs, int batchSize, Memory<float> outputs, int maxDegreeOfParallelism);

internal static class ModelShapes
{
    public static (int Layers, int Units, int Timesteps, int Features, int Outputs) Dimensions(Shape shape) => shape switch
    {
        Shape.S => (3, 10, 10, 1, 1),
        Shape.M => (1, 64, 50, 8, 5),
        Shape.L => (2, 128, 100, 32, 10),
        Shape.W => (1, 256, 20, 16, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>Multiply-adds count twice: per LSTM layer and timestep 2 · 4u · (input + u).</summary>
    public static double Flops(Shape shape)
    {
        var (layers, units, steps, features, _) = Dimensions(shape);
        double flops = 0;
        for (int layer = 0; layer < layers; layer++)
        {
            int input = layer == 0 ? features : units;
            flops += 2.0 * 4 * units * (input + units) * steps;
        }
        return flops;
    }

    public static PredictFunc Generated(Shape shape, bool unrolled) => (shape, unrolled) switch
    {
        (Shape.S, false) => ModelS.Predict,
        (Shape.S, true) => ModelSUnrolled.Predict,
        (Shape.M, false) => ModelM.Predict,
        (Shape.M, true) => ModelMUnrolled.Predict,
        (Shape.L, false) => ModelL.Predict,
        (Shape.L, true) => ModelLUnrolled.Predict,
        (Shape.W, false) => ModelW.Predict,
        (Shape.W, true) => ModelWUnrolled.Predict,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    public static PredictBatchFunc GeneratedBatch(Shape shape) => shape switch
    {
        Shape.S => ModelS.PredictBatch,
        Shape.M => ModelM.PredictBatch,
        Shape.L => ModelL.PredictBatch,
        Shape.W => ModelW.PredictBatch,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>The Memory overload of PredictBatch that spreads whole blocks over cores.</summary>
    public static ParallelBatchFunc GeneratedParallelBatch(Shape shape) => shape switch
    {
        Shape.S => ModelS.PredictBatch,
        Shape.M => ModelM.PredictBatch,
        Shape.L => ModelL.PredictBatch,
        Shape.W => ModelW.PredictBatch,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>ONNX Runtime's fastest documented C# setup: one intra-op and inter-op thread, sequential, all graph optimisations.</summary>
    public static Microsoft.ML.OnnxRuntime.InferenceSession OnnxSession(Shape shape, string extension) => OnnxSession(shape.ToString().ToLowerInvariant(), extension);

    /// <summary>The same session for a model file by name (Models/NAME + extension), e.g. "cnn".</summary>
    public static Microsoft.ML.OnnxRuntime.InferenceSession OnnxSession(string name, string extension, int intraOpThreads = 1)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new Microsoft.ML.OnnxRuntime.InferenceSession(PathOf(name, extension), options);
    }

    public static string PathOf(Shape shape, string extension) => PathOf(shape.ToString().ToLowerInvariant(), extension);

    public static string PathOf(string name, string extension) => Path.Combine(AppContext.BaseDirectory, "Models", name + extension);

    public static (float[] Input, float[] Output) Check(Shape shape) => Check(shape.ToString().ToLowerInvariant());

    public static (float[] Input, float[] Output) Check(string model)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(PathOf(model, ".check.json")));
        float[] Read(string name) => doc.RootElement.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        return (Read("input"), Read("output"));
    }
}

[LstmModel("Models/s.json")] internal static partial class ModelS { }
[LstmModel("Models/s.json", Unroll = true)] internal static partial class ModelSUnrolled { }
[LstmModel("Models/m.json")] internal static partial class ModelM { }
[LstmModel("Models/m.json", Unroll = true)] internal static partial class ModelMUnrolled { }
[LstmModel("Models/l.json")] internal static partial class ModelL { }
[LstmModel("Models/l.json", Unroll = true)] internal static partial class ModelLUnrolled { }
[LstmModel("Models/w.json")] internal static partial class ModelW { }
[LstmModel("Models/w.json", Unroll = true)] internal static partial class ModelWUnrolled { }
