using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Words;

/// <summary>Models/words.check.json, written by train_words.py: PyTorch's logits after each of 300 held-out
/// tokens, the held-out loss, and the letter frequencies of the training words.</summary>
internal sealed class WordCheck
{
    public required int Words { get; init; }
    public required double HeldOutBitsPerChar { get; init; }
    public required int[] Ids { get; init; }
    public required float[] Logits { get; init; }
    public required double[] LetterFrequencies { get; init; }

    public static WordCheck Read(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        return new WordCheck
        {
            Words = root.GetProperty("words").GetInt32(),
            HeldOutBitsPerChar = root.GetProperty("held_out_bits_per_char").GetDouble(),
            Ids = root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Logits = root.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
            LetterFrequencies = root.GetProperty("letter_frequencies").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
        };
    }

    /// <summary>The largest difference from PyTorch's logits, and whether all are within max(1e-5, 1e-4 |expected|).</summary>
    public (bool Ok, double MaxDifference) Compare(ReadOnlySpan<float> actual)
    {
        if (actual.Length != Logits.Length) return (false, double.PositiveInfinity);
        bool ok = true;
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - Logits[i]);
            ok &= difference <= Math.Max(1e-5, 1e-4 * Math.Abs(Logits[i]));
            worst = Math.Max(worst, difference);
        }
        return (ok, worst);
    }
}
