using System;
using System.Linq;
using System.Reflection;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// The opt-in PredictBatch over several cores (<c>PredictBatch(ReadOnlyMemory, int, Memory, int)</c>): the same rows as
/// the single-threaded call bit for bit, however the batch is cut; the same argument checks; no allocation once warm.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ParallelPredictBatchTests
{
    private delegate void ParallelBatchFunc(ReadOnlyMemory<float> inputs, int batchSize, Memory<float> outputs, int maxDegreeOfParallelism);

    private static readonly (string Type, string Fixture)[] s_models =
    {
        ("Fixed", "tutorial_3x_lstm10_t10"),
        ("Variable", "variable_length_sequence"),
        ("Wide", "wide_lstm64_features16"),
        ("PerSequence", "bidi_lstm_units33_ave_variable"),
        ("Convolution", "conv_causal_stride2_k3_gru_seq_variable"),
    };

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[] { "namespace ParallelBatch;\n" + string.Concat(s_models.Select(m => $"[LstmGen.LstmModel(\"fixtures/{m.Fixture}.json\")] public static partial class {m.Type} {{ }}\n")) },
        s_models.Select(m => ($"/p/fixtures/{m.Fixture}.json", Fixtures.ModelJson(m.Fixture))).ToArray()).Load());

    private static ParallelBatchFunc Parallel(string name)
    {
        Type type = s_assembly.Value.GetType("ParallelBatch." + name, throwOnError: true)!;
        MethodInfo method = type.GetMethod("PredictBatch", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlyMemory<float>), typeof(int), typeof(Memory<float>), typeof(int) })
            ?? throw new InvalidOperationException($"{name} has no parallel PredictBatch");
        return method.CreateDelegate<ParallelBatchFunc>();
    }

    private static PredictBatchFunc Serial(string name) => GeneratedModel.PredictBatch(s_assembly.Value, "ParallelBatch." + name);

    private static float[] Inputs(int length) => Enumerable.Range(0, length).Select(i => MathF.Sin(i * 0.37f) + MathF.Cos(i * 0.011f)).ToArray();

    /// <summary>Input floats per sequence: the fixed length, or 12 timesteps of a variable-length model.</summary>
    private static int SequenceLength(string name)
    {
        Type type = s_assembly.Value.GetType("ParallelBatch." + name, throwOnError: true)!;
        if (type.GetField("Timesteps") is null) return 12 * GeneratedModel.Constant<int>(s_assembly.Value, type.FullName!, "InputFeatures");
        return GeneratedModel.Constant<int>(s_assembly.Value, type.FullName!, "InputLength");
    }

    [Theory]
    [InlineData("Fixed")]
    [InlineData("Variable")]
    [InlineData("Wide")]
    [InlineData("PerSequence")]
    [InlineData("Convolution")]
    public void Rows_equal_the_single_threaded_call_bit_for_bit(string model)
    {
        int sequenceLength = SequenceLength(model);
        foreach (int batch in new[] { 1, 64, 65, 130, 300 })
        {
            float[] inputs = Inputs(batch * sequenceLength);
            float[] expected = new float[batch * 400];
            expected.AsSpan().Fill(float.NaN);
            Serial(model)(inputs, batch, expected);
            foreach (int threads in new[] { 1, 2, 3, 0 })
            {
                float[] actual = new float[expected.Length];
                actual.AsSpan().Fill(float.NaN);
                Parallel(model)(inputs, batch, actual, threads);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{model}, batch {batch}, {threads} threads: rows differ from the single-threaded PredictBatch");
            }
        }
    }

    [Fact]
    public void Arguments_are_checked_as_the_span_overload_checks_them()
    {
        ParallelBatchFunc predict = Parallel("Fixed");
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => predict(new float[10], 0, new float[1], 2));
        Assert.Equal("batchSize", size.ParamName);
        var length = Assert.Throws<ArgumentException>(() => predict(new float[29], 3, new float[3], 2));
        Assert.Equal("inputs", length.ParamName);
        Assert.Contains("Expected input floats of length 30", length.Message);
        var shortOutputs = Assert.Throws<ArgumentException>(() => predict(new float[1300], 130, new float[129], 2));
        Assert.Equal("outputs", shortOutputs.ParamName);
        float[] buffer = new float[1400];
        var overlap = Assert.Throws<ArgumentException>(() => predict(buffer.AsMemory(0, 1300), 130, buffer.AsMemory(1299, 100), 2));
        Assert.Equal("outputs", overlap.ParamName);
    }

    /// <summary>
    /// Allocation over the whole process (the parts run on thread-pool threads), so this class runs alone. Rounds are
    /// one call short: the test host (and the thread pool, when it adds a thread) allocates now and then, but not in
    /// every round; an allocation in the call would be in every one.
    /// </summary>
    [Fact]
    public void Allocates_nothing_once_warm()
    {
        ParallelBatchFunc predict = Parallel("Wide");
        int sequenceLength = SequenceLength("Wide"), batch = 200;
        float[] inputs = Inputs(batch * sequenceLength);
        float[] outputs = new float[batch * GeneratedModel.Constant<int>(s_assembly.Value, "ParallelBatch.Wide", "OutputUnits")];
        for (int i = 0; i < 20; i++) predict(inputs, batch, outputs, 2);
        long fewest = long.MaxValue;
        for (int round = 0; round < 50 && fewest != 0; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            predict(inputs, batch, outputs, 2);
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        Assert.Equal(0, fewest);
    }
}

/// <summary>Tests that measure the whole process: xunit runs this collection after the others, with nothing beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Runs alone";
}
