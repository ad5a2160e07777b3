using System;

namespace LstmGen.Words;

/// <summary>Draws the next token from logits at a temperature, with a seeded generator: allocation-free.</summary>
internal sealed class Sampler(int seed, float temperature)
{
    private readonly Random _random = new(seed);
    private readonly float _inverseTemperature = 1 / temperature;

    public int Next(ReadOnlySpan<float> logits)
    {
        Span<float> weights = stackalloc float[logits.Length];
        float max = float.NegativeInfinity;
        foreach (float logit in logits) max = MathF.Max(max, logit);
        float total = 0;
        for (int i = 0; i < logits.Length; i++) total += weights[i] = MathF.Exp((logits[i] - max) * _inverseTemperature);
        float pick = (float)_random.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            pick -= weights[i];
            if (pick < 0) return i;
        }
        return weights.Length - 1;
    }
}
