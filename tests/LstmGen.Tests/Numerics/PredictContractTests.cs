using System;
using System.Reflection;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>The Predict contract: argument checks with useful messages, no allocation, full overwrite of the output.</summary>
public sealed class PredictContractTests
{
    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[]
        {
            """
            namespace Contract;
            [LstmGen.LstmModel("fixtures/tutorial_3x_lstm10_t10.json")] public static partial class Fixed { }
            [LstmGen.LstmModel("fixtures/tutorial_3x_lstm10_t10.json", Unroll = true)] public static partial class FixedUnrolled { }
            [LstmGen.LstmModel("fixtures/variable_length_sequence.json")] public static partial class Variable { }
            [LstmGen.LstmModel("fixtures/variable_length_go_backwards_in_middle.json")] public static partial class VariableBuffered { }
            [LstmGen.LstmModel("fixtures/keras3_lstm_gru_simple_rnn_variable.json")] public static partial class GruSimpleRnn { }
            [LstmGen.LstmModel("fixtures/gru_reset_before_units7.json", Unroll = true)] public static partial class GruResetBeforeUnrolled { }
            [LstmGen.LstmModel("fixtures/bidi_simple_rnn_variable_length.json")] public static partial class BidirectionalBuffered { }
            [LstmGen.LstmModel("fixtures/bidi_lstm_units33_ave_variable.json")] public static partial class BidirectionalSequence { }
            [LstmGen.LstmModel("fixtures/bidi_stacked_seq_mul_then_lstm.json", Unroll = true)] public static partial class BidirectionalUnrolled { }
            """,
        },
        new[]
        {
            ("/p/fixtures/tutorial_3x_lstm10_t10.json", Fixtures.ModelJson("tutorial_3x_lstm10_t10")),
            ("/p/fixtures/variable_length_sequence.json", Fixtures.ModelJson("variable_length_sequence")),
            ("/p/fixtures/variable_length_go_backwards_in_middle.json", Fixtures.ModelJson("variable_length_go_backwards_in_middle")),
            ("/p/fixtures/keras3_lstm_gru_simple_rnn_variable.json", Fixtures.ModelJson("keras3_lstm_gru_simple_rnn_variable")),
            ("/p/fixtures/gru_reset_before_units7.json", Fixtures.ModelJson("gru_reset_before_units7")),
            ("/p/fixtures/bidi_simple_rnn_variable_length.json", Fixtures.ModelJson("bidi_simple_rnn_variable_length")),
            ("/p/fixtures/bidi_lstm_units33_ave_variable.json", Fixtures.ModelJson("bidi_lstm_units33_ave_variable")),
            ("/p/fixtures/bidi_stacked_seq_mul_then_lstm.json", Fixtures.ModelJson("bidi_stacked_seq_mul_then_lstm")),
        }).Load());

    private static PredictFunc Model(string name) => GeneratedModel.Predict(s_assembly.Value, "Contract." + name);

    [Theory]
    [InlineData("Fixed", 10)]
    [InlineData("FixedUnrolled", 10)]
    [InlineData("Variable", 3 * 40)]
    [InlineData("VariableBuffered", 2 * 2000)] // long enough for the pooled buffer path
    [InlineData("GruSimpleRnn", 2 * 3000)] // LSTM -> GRU (go_backwards, pooled buffer) -> SimpleRNN
    [InlineData("GruResetBeforeUnrolled", 6 * 3)]
    [InlineData("BidirectionalBuffered", 2 * 3000)] // Bidirectional(SimpleRNN(5), sum) -> pooled buffer -> LSTM
    [InlineData("BidirectionalSequence", 5 * 100)] // Bidirectional(LSTM(33), ave) written straight into the output
    [InlineData("BidirectionalUnrolled", 2 * 7)]
    public void Predict_allocates_nothing(string model, int inputLength)
    {
        PredictFunc predict = Model(model);
        float[] input = new float[inputLength];
        for (int i = 0; i < input.Length; i++) input[i] = MathF.Sin(i * 0.37f);
        float[] output = new float[4 * inputLength];
        for (int i = 0; i < 100; i++) predict(input, output); // warm up: ArrayPool, JIT tiers

        // Tier-up of the JIT can allocate on this thread once; a real per-call allocation shows in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) predict(input, output);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Fixed_length_model_rejects_wrong_input_length_naming_the_expected_size()
    {
        var e = Assert.Throws<ArgumentException>(() => Model("Fixed")(new float[9], new float[1]));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("Expected 10 input floats", e.Message);
        Assert.Contains("got 9", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Variable_length_model_rejects_empty_or_ragged_input(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => Model("Variable")(new float[length], new float[100]));
        Assert.Contains("non-zero multiple of 3", e.Message);
    }

    [Fact]
    public void Too_short_output_is_rejected_naming_the_needed_size()
    {
        var e = Assert.Throws<ArgumentException>(() => Model("Variable")(new float[3 * 5], new float[9]));
        Assert.Equal("output", e.ParamName);
        Assert.Contains("needs 10 floats", e.Message);
    }

    [Fact]
    public void Overlapping_input_and_output_are_rejected()
    {
        float[] buffer = new float[40];
        Assert.Throws<ArgumentException>(() => Model("Variable")(buffer.AsSpan(0, 15), buffer.AsSpan(10, 10)));
    }

    [Fact]
    public void Results_do_not_depend_on_previous_calls()
    {
        PredictFunc predict = Model("VariableBuffered");
        float[] a = { 0.5f, -1, 2, 0.25f, -0.75f, 1 }, b = { -2, 1, 0, 0.5f };
        float[] first = new float[12], again = new float[12], scratch = new float[8];
        predict(a, first);
        predict(b, scratch);
        predict(a, again);
        Assert.Equal(first, again);
    }
}
