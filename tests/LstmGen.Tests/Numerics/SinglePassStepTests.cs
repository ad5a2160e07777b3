using System;
using System.Linq;
using System.Reflection;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// LSTMs whose two kernels together reach 256 KB get Layer{n}Single for Step: z = b + x·W + h·U one column pass at
/// a time over both matrices, walked in alternating directions; Step calls it where the core's L2 cannot hold the
/// kernels (CacheSizes.L2Bytes), Project and Step elsewhere. Whichever the machine, the method must give Project
/// then Step's bits in both directions: the test calls both through delegates over the generated kernel class's
/// private methods, and Step itself.
/// </summary>
public sealed class SinglePassStepTests
{
    private const int Features = 96, Units = 128, Steps = 9;

    private static readonly string s_model = BuildModel();

    private static string BuildModel()
    {
        var json = new SeededModelJson(seed: 128);
        return SeededModelJson.Model($"[null, null, {Features}]", json.Lstm(Features, Units, returnSequences: true));
    }

    private static readonly string s_source = """
        using System;

        [LstmGen.LstmModel("m.json")] public static partial class M { }

        """ + SequenceDriver.Source("M");

    private delegate void SingleMethod(ReadOnlySpan<float> x, Span<float> z, Span<float> h, Span<float> c, bool reverse);

    private delegate void ProjectMethod(ReadOnlySpan<float> xs, int rows, Span<float> zs);

    private delegate void StepMethod(Span<float> z, Span<float> h, Span<float> c, bool reverse);

    /// <summary>A private static method of the generated kernel class (a file-local class named MModel).</summary>
    private static T Method<T>(Assembly assembly, string name) where T : Delegate
    {
        Type kernel = assembly.GetTypes().Single(t => t.Name.EndsWith("MModel", StringComparison.Ordinal));
        MethodInfo method = kernel.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{kernel.Name} has no {name}.");
        return (T)Delegate.CreateDelegate(typeof(T), method);
    }

    private static float[] Run(float[] input, Action<ReadOnlySpan<float>, float[], float[], float[], int> step)
    {
        var h = new float[Units];
        var c = new float[Units];
        var z = new float[4 * Units];
        var output = new float[Steps * Units];
        for (int t = 0; t < Steps; t++)
        {
            step(input.AsSpan(t * Features, Features), z, h, c, t);
            h.CopyTo(output, t * Units);
        }
        return output;
    }

    [Fact]
    public void Step_of_a_large_LSTM_chooses_the_single_pass_by_the_cores_L2()
    {
        string generated = GeneratorHarness.Run(s_source, ("/p/m.json", s_model)).SingleSource;
        Assert.Contains("bool reverse = s_stepReverse = !s_stepReverse;", generated);
        Assert.Contains("if (global::LstmGen.Runtime.CacheSizes.L2Bytes is > 0 and <= 458752)", generated);
        Assert.Contains("Layer1Single(input, z, h1, c1, reverse);", generated);
    }

    [Fact]
    public void Single_pass_equals_Project_then_Step_bit_for_bit_in_both_directions()
    {
        Assembly assembly = GeneratorHarness.Run(s_source, ("/p/m.json", s_model)).Load();
        var single = Method<SingleMethod>(assembly, "Layer1Single");
        var project = Method<ProjectMethod>(assembly, "Layer1Project");
        var step = Method<StepMethod>(assembly, "Layer1Step");
        var random = new Random(7);
        var input = new float[Steps * Features];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 4 - 2);

        float[] split = Run(input, (x, z, h, c, t) =>
        {
            project(x, 1, z);
            step(z, h, c, false);
        });
        float[] forward = Run(input, (x, z, h, c, t) => single(x, z, h, c, false));
        float[] alternating = Run(input, (x, z, h, c, t) => single(x, z, h, c, t % 2 == 1));
        float[] stepped = SequenceDriver.Call(assembly, "M", "StepAll", input);
        Assert.Contains(split, v => v != 0f);
        AssertBits(split, forward, "forward");
        AssertBits(split, alternating, "alternating");
        AssertBits(split, stepped, "Step");
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: step {i / Units}, unit {i % Units}: {actual[i]:R} against Project then Step's {expected[i]:R}");
        }
    }
}
