using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Anomaly;

/// <summary>Models/autoencoder.check.json, written by train_autoencoder.py: the input scaling, the window, the
/// split, the threshold, and PyTorch's reconstruction of every window, which the compiled model must reproduce.</summary>
internal sealed class AutoencoderCheck
{
    public required float Mean { get; init; }
    public required float Scale { get; init; }
    public required int Window { get; init; }
    public required int TrainMonths { get; init; }
    public required double Threshold { get; init; }
    public required float[] Reconstructions { get; init; }

    public static AutoencoderCheck Read(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        return new AutoencoderCheck
        {
            Mean = root.GetProperty("mean").GetSingle(),
            Scale = root.GetProperty("scale").GetSingle(),
            Window = root.GetProperty("window").GetInt32(),
            TrainMonths = root.GetProperty("train_months").GetInt32(),
            Threshold = root.GetProperty("threshold").GetDouble(),
            Reconstructions = root.GetProperty("reconstructions").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
        };
    }

    /// <summary>The largest difference from PyTorch's reconstructions, and whether all are within max(1e-5, 1e-4 |expected|).</summary>
    public (bool Ok, double MaxDifference) Compare(ReadOnlySpan<float> actual)
    {
        if (actual.Length != Reconstructions.Length) return (false, double.PositiveInfinity);
        bool ok = true;
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - Reconstructions[i]);
            ok &= difference <= Math.Max(1e-5, 1e-4 * Math.Abs(Reconstructions[i]));
            worst = Math.Max(worst, difference);
        }
        return (ok, worst);
    }
}
