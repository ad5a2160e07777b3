using System;
using System.Reflection;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// LSTMs of 16 and 32 units take Step in one pass (Layer{n}Fused: the gates in registers from the bias to the cell);
/// every row it gives equals Predict's bit for bit, on whatever vector width this run has (the fallback where
/// Vector512 is not accelerated is the Project and Step of Predict's own layer methods).
/// </summary>
public sealed class FusedStepTests
{
    private const int Features = 32, Steps = 23;

    private static readonly string s_model = BuildModel();

    private static string BuildModel()
    {
        var json = new SeededModelJson(seed: 32);
        return SeededModelJson.Model("[null, null, 32]", json.Lstm(Features, 32, returnSequences: true), json.Lstm(32, 16, returnSequences: true), json.Lstm(16, 32, returnSequences: true));
    }

    private const string Source = """
        using System;

        [LstmGen.LstmModel("m.json")] public static partial class M { }

        public static class Driver
        {
            public static float[] Predict(float[] input)
            {
                var output = new float[input.Length / M.InputFeatures * M.OutputUnits];
                M.Predict(input, output);
                return output;
            }

            public static float[] StepAll(float[] input)
            {
                var state = default(M.State);
                int steps = input.Length / M.InputFeatures;
                var output = new float[steps * M.OutputUnits];
                for (int t = 0; t < steps; t++) M.Step(ref state, input.AsSpan(t * M.InputFeatures, M.InputFeatures), output.AsSpan(t * M.OutputUnits, M.OutputUnits));
                return output;
            }
        }
        """;

    [Fact]
    public void Step_of_16_and_32_unit_LSTMs_runs_in_one_pass()
    {
        string generated = GeneratorHarness.Run(Source, ("/p/m.json", s_model)).SingleSource;
        Assert.Contains("Layer1Fused(input, h1, c1, z);", generated);
        Assert.Contains("Layer2Fused(h1, h2, c2, z);", generated);
        Assert.Contains("Layer3Fused(h2, h3, c3, z);", generated);
    }

    [Fact]
    public void Step_equals_Predict_bit_for_bit_at_every_row()
    {
        Assembly assembly = GeneratorHarness.Run(Source, ("/p/m.json", s_model)).Load();
        Type driver = assembly.GetType("Driver", throwOnError: true)!;
        var random = new Random(5);
        var input = new float[Steps * Features];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 4 - 2);

        var predicted = (float[])driver.GetMethod("Predict")!.Invoke(null, new object[] { input })!;
        var stepped = (float[])driver.GetMethod("StepAll")!.Invoke(null, new object[] { input })!;
        Assert.Equal(predicted.Length, stepped.Length);
        Assert.Contains(predicted, v => v != 0f);
        for (int i = 0; i < predicted.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(predicted[i]) == BitConverter.SingleToInt32Bits(stepped[i]),
                $"row {i / 32}, unit {i % 32}: Step gave {stepped[i]:R}, Predict {predicted[i]:R}");
        }
    }
}
