using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using LstmGen.Runtime;

namespace LstmGen.Tests.Runtime;

/// <summary>An in-place activation of the runtime.</summary>
public delegate void Activation(Span<float> values);

/// <summary>
/// One activation, its double-precision reference (written here independently of the runtime) and its tolerance:
/// a result passes when it equals the rounded reference or |result − reference| ≤ Abs + Rel · |reference|;
/// a NaN reference needs a NaN result.
/// </summary>
public sealed record ActivationCase(string Name, Activation Function, Func<double, double> Reference, double Abs, double Rel);

/// <summary>The references, the tolerances and the input sets shared by the runtime tests.</summary>
public static class ActivationReference
{
    private const double SeluAlpha = 1.67326324235437728481704299167177;
    private const double SeluScale = 1.05070098735548049341933498529460;

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>exp(x) − 1 by its Taylor series near 0 (independent of the runtime's Kahan form).</summary>
    public static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>log(1 + y) by its Taylor series near 0 (independent of the runtime's Goldberg form).</summary>
    public static double Log1P(double y) => Math.Abs(y) < 1e-5 ? y - y * y / 2 + y * y * y / 3 : Math.Log(1 + y);

    public static readonly ActivationCase[] Cases =
    {
        new("tanh", SpanActivations.Tanh, Math.Tanh, Abs: 3e-7, Rel: 0),
        new("sigmoid", SpanActivations.Sigmoid, Sigmoid, Abs: 3e-7, Rel: 0),
        new("hard_sigmoid", SpanActivations.HardSigmoid, x => double.IsNaN(x) ? x : Math.Clamp(0.2 * x + 0.5, 0, 1), Abs: 1.5e-7, Rel: 0),
        new("hard_sigmoid_keras3", SpanActivations.HardSigmoidKeras3, x => double.IsNaN(x) ? x : Math.Clamp(x + 3, 0, 6) / 6, Abs: 1.5e-7, Rel: 0),
        new("relu", SpanActivations.Relu, x => double.IsNaN(x) ? x : x > 0 ? x : 0, Abs: 0, Rel: 0),
        new("elu", SpanActivations.Elu, x => x > 0 ? x : ExpM1(x), Abs: 2 * float.Epsilon, Rel: 1.5e-7),
        new("selu", SpanActivations.Selu, x => SeluScale * (x > 0 ? x : SeluAlpha * ExpM1(x)), Abs: 2 * float.Epsilon, Rel: 1.5e-7),
        new("softsign", SpanActivations.Softsign, x => double.IsInfinity(x) ? Math.Sign(x) : x / (1 + Math.Abs(x)), Abs: 2 * float.Epsilon, Rel: 2.5e-7),
        new("softplus", SpanActivations.Softplus, x => double.IsNaN(x) ? x : x > 0 ? x + Log1P(Math.Exp(-x)) : Log1P(Math.Exp(x)), Abs: 2 * float.Epsilon, Rel: 1.5e-7),
        new("swish", SpanActivations.Swish, x => double.IsNegativeInfinity(x) ? 0 : x * Sigmoid(x), Abs: 1e-37, Rel: 1e-6),
        new("exponential", SpanActivations.Exponential, Math.Exp, Abs: 2 * float.Epsilon, Rel: 1e-6),
    };

    public static ActivationCase Case(string name) => Cases.Single(c => c.Name == name);

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    /// <summary>The SIMD path the runtime takes for long spans in this process.</summary>
    public static string Path =>
        Vector512.IsHardwareAccelerated ? "Vector512" :
        Vector256.IsHardwareAccelerated ? "Vector256" :
        Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";

    /// <summary>Values where activations change behaviour: zeros, infinities, NaNs, extremes, subnormals, thresholds.</summary>
    public static readonly float[] Specials =
    {
        0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001)),
        float.MaxValue, -float.MaxValue, 1.17549435e-38f, -1.17549435e-38f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f,
        1e-30f, -1e-30f, 1e-8f, -1e-8f, 1e-3f, -1e-3f, 0.625f, -0.625f, MathF.BitDecrement(0.625f), -MathF.BitDecrement(0.625f),
        88.72283f, 88.7228394f, 88.72284f, 88.8f, -87.33654f, -87.3365479f, -88.7f, -103.27893f, -103.97208f, -104f, -110f,
        44.36142f, -44.36142f, 9.01f, -9.01f, 16.64f, -16.64f, 100f, -100f, 1000f, -1000f, 1e10f, -1e10f, 2.5f, -2.5f, 3f, -3f,
    };

    /// <summary>
    /// About 285,000 inputs: 200,001 evenly over [-30, 30], 22,001 over [-110, 110], ±10^(k/100) from 10^-45 to 1,
    /// the special values and 50,000 random bit patterns (every magnitude, NaNs with payloads).
    /// </summary>
    public static readonly float[] Inputs = BuildInputs();

    private static float[] BuildInputs()
    {
        var inputs = new List<float>();
        for (int i = 0; i <= 200_000; i++) inputs.Add((float)(-30 + i * 0.0003));
        for (int i = 0; i <= 22_000; i++) inputs.Add((float)(-110 + i * 0.01));
        for (int e = -4500; e <= 0; e++)
        {
            float m = (float)Math.Pow(10, e / 100.0);
            inputs.Add(m);
            inputs.Add(-m);
        }
        inputs.AddRange(Specials);
        var random = new Random(20240611);
        for (int i = 0; i < 50_000; i++) inputs.Add(BitConverter.Int32BitsToSingle(random.Next() | (random.Next(2) << 31)));
        return inputs.ToArray();
    }

    /// <summary>Whether <paramref name="actual"/> passes for <paramref name="input"/>.</summary>
    public static bool Accepts(ActivationCase c, float input, float actual, out double expected)
    {
        expected = c.Reference(input);
        if (double.IsNaN(expected)) return float.IsNaN(actual);
        if (float.IsNaN(actual)) return false;
        if (actual == (float)expected) return true;
        return Math.Abs(actual - expected) <= c.Abs + c.Rel * Math.Abs(expected);
    }

    /// <summary>The worst errors over <paramref name="inputs"/> (finite results only), and the first failing input if any.</summary>
    public static Measurement Measure(ActivationCase c, float[] inputs)
    {
        float[] values = (float[])inputs.Clone();
        c.Function(values);
        var m = new Measurement();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!Accepts(c, inputs[i], values[i], out double expected) && m.Failure is null)
            {
                m.Failure = $"{c.Name}({inputs[i]:R}) = {values[i]:R}, expected {expected:R} (path {Path})";
            }
            if (double.IsNaN(expected) || double.IsInfinity(expected) || float.IsInfinity(values[i]) || float.IsNaN(values[i])) continue;
            double abs = Math.Abs(values[i] - expected);
            if (abs > m.MaxAbs) (m.MaxAbs, m.MaxAbsAt) = (abs, inputs[i]);
            if (Math.Abs(expected) >= 1.17549435e-38)
            {
                double rel = abs / Math.Abs(expected);
                if (rel > m.MaxRel) (m.MaxRel, m.MaxRelAt) = (rel, inputs[i]);
            }
        }
        return m;
    }
}

/// <summary>Worst absolute and relative (normal results) errors with their inputs, and the first failure.</summary>
public sealed class Measurement
{
    public double MaxAbs, MaxRel;
    public float MaxAbsAt, MaxRelAt;
    public string? Failure;

    public string Describe(string name)
        => $"{name} on {ActivationReference.Path}: max abs error {MaxAbs:G3} at x = {MaxAbsAt:R}, max rel error {MaxRel:G3} at x = {MaxRelAt:R}";
}
