using System;
using System.Linq;
using System.Reflection;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// The PredictBatch contract: argument checks naming what was expected, no allocation, rows independent of the
/// batch they run in. (ReferenceModelTests compares every fixture's batch rows with the references and Predict.)
/// </summary>
public sealed class PredictBatchContractTests
{
    private static readonly string[] s_fixtures = { "tutorial_3x_lstm10_t10", "variable_length_sequence", "wide_lstm64_features16", "torch_export_gru_wide", "bidi_lstm_units33_ave_variable", "graph_concat_conv_lstm_variable" };

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[]
        {
            """
            namespace BatchContract;
            [LstmGen.LstmModel("fixtures/tutorial_3x_lstm10_t10.json")] public static partial class Fixed { }
            [LstmGen.LstmModel("fixtures/variable_length_sequence.json")] public static partial class Variable { }
            [LstmGen.LstmModel("fixtures/wide_lstm64_features16.json")] public static partial class Wide { }
            [LstmGen.LstmModel("fixtures/torch_export_gru_wide.json")] public static partial class WideGru { }
            [LstmGen.LstmModel("fixtures/bidi_lstm_units33_ave_variable.json")] public static partial class PerSequence { }
            [LstmGen.LstmModel("fixtures/graph_concat_conv_lstm_variable.json")] public static partial class Graph { }
            """,
        },
        s_fixtures.Select(f => ($"/p/fixtures/{f}.json", Fixtures.ModelJson(f))).ToArray()).Load());

    private static PredictBatchFunc Batch(string name) => GeneratedModel.PredictBatch(s_assembly.Value, "BatchContract." + name);

    private static PredictFunc Single(string name) => GeneratedModel.Predict(s_assembly.Value, "BatchContract." + name);

    private static float[] Inputs(int length) => Enumerable.Range(0, length).Select(i => MathF.Sin(i * 0.37f)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Batch_size_must_be_positive(int batchSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Batch("Fixed")(new float[10], batchSize, new float[1]));
        Assert.Equal("batchSize", e.ParamName);
    }

    [Fact]
    public void Fixed_length_model_rejects_inputs_that_are_not_batch_times_input_length()
    {
        var e = Assert.Throws<ArgumentException>(() => Batch("Fixed")(new float[29], 3, new float[3]));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("Expected input floats of length 30 ([batch 3, 10 timesteps, 1 feature])", e.Message);
        Assert.Contains("got 29", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)] // 3 sequences of 3 features need a multiple of 9
    public void Variable_length_model_rejects_empty_or_ragged_inputs(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => Batch("Variable")(new float[length], 3, new float[1000]));
        Assert.Equal("inputs", e.ParamName);
    }

    [Fact]
    public void Too_short_outputs_are_rejected_naming_the_needed_size()
    {
        var e = Assert.Throws<ArgumentException>(() => Batch("Fixed")(new float[40], 4, new float[3]));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("need length 4", e.Message);
    }

    [Fact]
    public void Overlapping_inputs_and_outputs_are_rejected()
    {
        float[] buffer = new float[50];
        var e = Assert.Throws<ArgumentException>(() => Batch("Fixed")(buffer.AsSpan(0, 40), 4, buffer.AsSpan(39, 4)));
        Assert.Equal("outputs", e.ParamName);
    }

    [Fact]
    public void Outputs_past_the_batch_are_untouched()
    {
        float[] outputs = Enumerable.Repeat(42f, 10).ToArray();
        Batch("Fixed")(Inputs(50), 5, outputs);
        Assert.All(outputs.Take(5), v => Assert.NotEqual(42f, v));
        Assert.All(outputs.Skip(5), v => Assert.Equal(42f, v));
    }

    /// <summary>
    /// A sequence gives the same floats wherever it sits in the batch and whatever the batch size: alone, first of
    /// 130 (three blocks of up to 64), or in the partial last block.
    /// </summary>
    [Theory]
    [InlineData("Fixed", 10)]
    [InlineData("Variable", 3 * 9)]
    [InlineData("Wide", 0)]
    [InlineData("WideGru", 0)]
    [InlineData("PerSequence", 5 * 4)]
    [InlineData("Graph", 3 * 9)]
    public void Each_row_is_independent_of_the_batch_around_it(string model, int sequenceLength)
    {
        if (sequenceLength == 0) sequenceLength = GeneratedModel.Constant<int>(s_assembly.Value, "BatchContract." + model, "InputLength");
        int outputLength = OutputLength(model, sequenceLength);
        float[] inputs = Inputs(130 * sequenceLength);
        float[] outputs = new float[130 * outputLength];
        Batch(model)(inputs, 130, outputs);
        foreach (int b in new[] { 0, 63, 64, 127, 128, 129 })
        {
            var alone = new float[outputLength];
            Batch(model)(inputs.AsSpan(b * sequenceLength, sequenceLength), 1, alone);
            Assert.Equal(alone, outputs.AsSpan(b * outputLength, outputLength).ToArray());
            var single = new float[outputLength];
            Single(model)(inputs.AsSpan(b * sequenceLength, sequenceLength), single);
            Assert.Equal(single, alone);
        }
    }

    /// <summary>
    /// A variable-length functional graph (Conv1D and LSTM branches joined by Concatenate, then a GRU) in batches of 1,
    /// 3, 64 and 70 sequences, each at three lengths: every row is Predict's on that sequence, bit for bit.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(70)]
    public void Variable_length_graph_rows_equal_predict(int batch)
    {
        foreach (int timesteps in new[] { 1, 5, 40 })
        {
            int sequenceLength = timesteps * 3, outputLength = OutputLength("Graph", sequenceLength);
            float[] inputs = Inputs(batch * sequenceLength);
            var outputs = new float[batch * outputLength];
            Batch("Graph")(inputs, batch, outputs);
            var single = new float[outputLength];
            for (int b = 0; b < batch; b++)
            {
                Single("Graph")(inputs.AsSpan(b * sequenceLength, sequenceLength), single);
                Assert.Equal(single, outputs.AsSpan(b * outputLength, outputLength).ToArray());
            }
        }
    }

    [Theory]
    [InlineData("Fixed", 10, 64)]
    [InlineData("Variable", 3 * 30, 100)]
    [InlineData("Wide", 8 * 16, 64)] // more than 64 KB of block buffers: the pooled path
    [InlineData("PerSequence", 5 * 20, 8)]
    [InlineData("Graph", 3 * 40, 70)] // a variable-length graph: buffers sized per call, from the pool
    public void PredictBatch_allocates_nothing(string model, int sequenceLength, int batch)
    {
        PredictBatchFunc predictBatch = Batch(model);
        float[] inputs = Inputs(batch * sequenceLength);
        float[] outputs = new float[batch * OutputLength(model, sequenceLength)];
        for (int i = 0; i < 20; i++) predictBatch(inputs, batch, outputs); // warm up: ArrayPool, JIT tiers

        // Tier-up of the JIT can allocate on this thread once; a real per-call allocation shows in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) predictBatch(inputs, batch, outputs);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    private static int OutputLength(string model, int sequenceLength)
    {
        string type = "BatchContract." + model;
        int units = GeneratedModel.Constant<int>(s_assembly.Value, type, "OutputUnits");
        if (!GeneratedModel.Constant<bool>(s_assembly.Value, type, "OutputIsSequence")) return units;
        int features = GeneratedModel.Constant<int>(s_assembly.Value, type, "InputFeatures");
        return sequenceLength / features * units;
    }
}
