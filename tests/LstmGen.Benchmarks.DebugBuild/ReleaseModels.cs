using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Benchmarks.DebugBuild;

/// <summary>The four benchmark shapes of tests/LstmGen.Benchmarks (ModelShapes.cs), compiled here in Release.</summary>
public enum Shape { S, M, L, W }

internal delegate void PredictFunc(ReadOnlySpan<float> input, Span<float> output);

[LstmModel("../LstmGen.Benchmarks/Models/s.json")] internal static partial class ModelS { }
[LstmModel("../LstmGen.Benchmarks/Models/m.json")] internal static partial class ModelM { }
[LstmModel("../LstmGen.Benchmarks/Models/l.json")] internal static partial class ModelL { }
[LstmModel("../LstmGen.Benchmarks/Models/w.json")] internal static partial class ModelW { }

internal static class Checks
{
    /// <summary>PyTorch's input and output for the shape (written by tests/LstmGen.Benchmarks/make_models.py).</summary>
    public static (float[] Input, float[] Output) Of(Shape shape)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Models", shape.ToString().ToLowerInvariant() + ".check.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        float[] Read(string name) => doc.RootElement.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        return (Read("input"), Read("output"));
    }
}
