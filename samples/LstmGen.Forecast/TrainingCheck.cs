using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Forecast;

/// <summary>Models/co2.check.json, written by train_co2.py: the input scaling, the split, and PyTorch's
/// per-step outputs over the whole series, which the compiled model must reproduce.</summary>
internal sealed class TrainingCheck
{
    public required float Mean { get; init; }
    public required float Scale { get; init; }
    public required int TrainMonths { get; init; }
    public required float[] Inputs { get; init; }
    public required float[] Outputs { get; init; }

    public static TrainingCheck Read(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        float[] Floats(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return new TrainingCheck
        {
            Mean = root.GetProperty("mean").GetSingle(),
            Scale = root.GetProperty("scale").GetSingle(),
            TrainMonths = root.GetProperty("train_months").GetInt32(),
            Inputs = Floats("inputs"),
            Outputs = Floats("outputs"),
        };
    }

    /// <summary>The largest difference from PyTorch's outputs, and whether all are within max(1e-5, 1e-4 |expected|).</summary>
    public (bool Ok, double MaxDifference) Compare(ReadOnlySpan<float> actual)
    {
        if (actual.Length != Outputs.Length) return (false, double.PositiveInfinity);
        bool ok = true;
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - Outputs[i]);
            ok &= difference <= Math.Max(1e-5, 1e-4 * Math.Abs(Outputs[i]));
            worst = Math.Max(worst, difference);
        }
        return (ok, worst);
    }
}
