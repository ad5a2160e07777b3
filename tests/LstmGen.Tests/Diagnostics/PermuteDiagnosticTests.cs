using System;
using System.Collections.Immutable;
using System.Reflection;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>
/// Keras <c>Permute</c> and the transposes of a <c>data_format: channels_first</c> Conv1D: what compiles (checked
/// against hand-computed outputs), how adjacent transposes cancel in a chain (and not in a graph), the rejections
/// with their ids and places in the file, and LSTMGEN018 for the Step a transpose takes away.
/// </summary>
public sealed class PermuteDiagnosticTests
{
    private const string Path = "/project/Models/m.json";

    private const string Source = "[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }";

    /// <summary>
    /// The input of every model here: [2, 3] row-major, which Permute((2, 1)) (or a channels_first Conv1D) reads
    /// as 2 rows (features or channels) of 3 steps: feature 0 is 1, 2, 3 over the steps, feature 1 is 4, 5, 6.
    /// </summary>
    private static readonly float[] Input = { 1, 2, 3, 4, 5, 6 };

    /// <summary>
    /// SimpleRNN(1, linear), kernel [[1], [10]], recurrent kernel [[0.5]], bias 0, over the steps (1, 4), (2, 5),
    /// (3, 6): h = 41, then 52 + 20.5 = 72.5, then 63 + 36.25 = 99.25. Read without the transpose, as the rows
    /// (1, 2), (3, 4), (5, 6), it would give 21, 53.5, 91.75.
    /// </summary>
    private const string Rnn = "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"rnn\", \"units\": 1, \"activation\": \"linear\"}, \"weights\": [[[1], [10]], [[0.5]], [0]]}";

    private const float Expected = 99.25f;

    private static string Model(params string[] layers)
        => "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n" + string.Join(",\n", layers) + "]}}";

    private static string Permute(string dims = "[2, 1]", string? shape = "[null, 2, 3]", string name = "permute")
        => "{\"class_name\": \"Permute\", \"config\": {\"name\": \"" + name + "\", "
           + (shape is null ? "" : "\"batch_input_shape\": " + shape + ", ")
           + "\"dims\": " + dims + "}}";

    /// <summary>
    /// Conv1D 'conv', channels_first, kernel_size 1 over the 2 channels (rows) of [2, 3]: kernel (1, 2, 1) = [1, 10],
    /// so its output is 1 filter × 3 steps, 1 + 40, 2 + 50, 3 + 60.
    /// </summary>
    private static string ChannelsFirstConv(string? shape = "[null, 2, 3]")
        => "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"conv\", "
           + (shape is null ? "" : "\"batch_input_shape\": " + shape + ", ")
           + "\"filters\": 1, \"kernel_size\": [1], \"data_format\": \"channels_first\"}, \"weights\": [[[[1], [10]]], [0]]}";

    /// <summary>SimpleRNN(1, linear) over one feature: kernel [[1]], recurrent [[0.5]]: 41, 72.5, 99.25 on the conv's 41, 52, 63.</summary>
    private const string Rnn1 = "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"rnn\", \"units\": 1, \"activation\": \"linear\"}, \"weights\": [[[1]], [[0.5]], [0]]}";

    private static GeneratorOutcome Run(string json) => GeneratorHarness.Run(Source, (Path, json));

    private static ImmutableArray<Diagnostic> Diagnose(string json) => Run(json).GeneratorDiagnostics;

    private static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id) => DiagnosticAssert.Single(diagnostics, id);

    private static void AssertPointsAt(Diagnostic diagnostic, string json, string text) => DiagnosticAssert.PointsAt(diagnostic, json, text);

    private static float PredictOne(GeneratorOutcome outcome)
    {
        Assembly assembly = outcome.Load();
        var output = new float[1];
        GeneratedModel.Predict(assembly, "M")(Input, output);
        return output[0];
    }

    [Fact]
    public void Permute_2_1_before_a_recurrent_layer_transposes_the_input_and_leaves_no_Step()
    {
        GeneratorOutcome outcome = Run(Model(Permute(), Rnn));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Contains("layer 'permute' is Permute: it swaps the timesteps and the features, so every output row needs the whole input", d.GetMessage());
        Assert.Contains("Permute 'permute': dims (2, 1), 2 rows × 3 features transposed to 3 rows × 2 features", outcome.SingleSource);
        Assert.Contains("public const int InputLength = 6;", outcome.SingleSource);
        Assert.Equal(Expected, PredictOne(outcome));
    }

    [Fact]
    public void Permute_1_2_is_the_identity_and_keeps_Step()
    {
        GeneratorOutcome outcome = Run(Model(Permute("[1, 2]", shape: "[null, 3, 2]"), Rnn));
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains("public static void Step(", outcome.SingleSource);
        Assembly assembly = outcome.Load();
        var output = new float[1];
        GeneratedModel.Predict(assembly, "M")(new float[] { 1, 4, 2, 5, 3, 6 }, output);
        Assert.Equal(Expected, output[0]);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("[2, 1, 3]")]
    [InlineData("[0, 1]")]
    [InlineData("[2, 2]")]
    [InlineData("[3, 1]")]
    [InlineData("\"21\"")]
    public void Other_dims_report_LSTMGEN005_at_the_dims(string dims)
    {
        string json = Model(Permute(dims), Rnn);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'permute': dims = ", d.GetMessage());
        Assert.Contains("a sample here is [timesteps, features] (rank 2), so dims is (2, 1), which swaps them, or (1, 2), which keeps them", d.GetMessage());
        AssertPointsAt(d, json, dims + "}}");
    }

    [Fact]
    public void Missing_dims_report_LSTMGEN005_at_the_class_name()
    {
        string json = Model("{\"class_name\": \"Permute\", \"config\": {\"name\": \"permute\", \"batch_input_shape\": [null, 2, 3]}}", Rnn);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'permute': dims = missing", d.GetMessage());
        AssertPointsAt(d, json, "\"Permute\"");
    }

    [Fact]
    public void Permute_2_1_on_a_variable_length_sequence_reports_LSTMGEN005_saying_why()
    {
        string json = Model(Permute(shape: "[null, null, 3]"), Rnn);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'permute': dims = [2, 1]", d.GetMessage());
        Assert.Contains("on a sequence of any length: the timesteps would become the features, whose number must be fixed; give the model input a fixed length", d.GetMessage());
        AssertPointsAt(d, json, "[2, 1]}}");
    }

    [Fact]
    public void Permute_on_a_vector_reports_LSTMGEN011()
    {
        string lstm = "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"first\", \"units\": 2, \"batch_input_shape\": [null, 3, 2]}, \"weights\": [[[1, 0], [0, 1]], [[0, 0], [0, 0]], [0, 0]]}";
        string json = Model(lstm, Permute("[1]", shape: null), Rnn);
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("Permute 'permute' receives a single vector; LstmGen compiles Permute on a sequence ([timesteps, features]), with dims (2, 1)", d.GetMessage());
    }

    [Fact]
    public void Permute_after_Masking_reports_LSTMGEN003_at_its_class_name()
    {
        string json = Model("{\"class_name\": \"Masking\", \"config\": {\"name\": \"mask\", \"batch_input_shape\": [null, 2, 3], \"mask_value\": 0.0}}", Permute(shape: null), Rnn);
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("Layer 'permute' is a 'Permute'", d.GetMessage());
        Assert.Contains("on a masked sequence", d.GetMessage());
        AssertPointsAt(d, json, "\"Permute\"");
    }

    [Fact]
    public void Channels_first_Conv1D_then_Permute_costs_one_transpose_in_a_chain()
    {
        GeneratorOutcome outcome = Run(Model(ChannelsFirstConv(), Permute(shape: null), Rnn1));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Contains("layer 'conv' is Conv1D with data_format channels_first", d.GetMessage());
        Assert.Contains("Permute 'conv (channels_first in)'", outcome.SingleSource);
        // The conv's transpose back and the Permute((2, 1)) after it cancel.
        Assert.DoesNotContain("channels_first out", outcome.SingleSource);
        Assert.DoesNotContain("Permute 'permute'", outcome.SingleSource);
        Assert.Equal(Expected, PredictOne(outcome));
    }

    [Fact]
    public void Two_Permutes_cancel_and_leave_the_model_that_reads_the_input_as_rows()
    {
        GeneratorOutcome outcome = Run(Model(Permute(shape: "[null, 3, 2]"), Permute(shape: null, name: "back"), Rnn));
        Assert.DoesNotContain("Permute '", outcome.SingleSource);
        Assembly assembly = outcome.Load();
        var output = new float[1];
        GeneratedModel.Predict(assembly, "M")(new float[] { 1, 4, 2, 5, 3, 6 }, output);
        Assert.Equal(Expected, output[0]);
    }

    [Fact]
    public void Permute_before_Flatten_becomes_Flatten_of_the_other_data_format()
    {
        // SimpleRNN(2, linear, return_sequences, recurrent kernel 0) over [2 steps, 3 features] with kernel
        // [[1, 2], [10, 20], [100, 200]]: rows (321, 642) and (654, 1308). Permute: (321, 654), (642, 1308);
        // Flatten: 321, 654, 642, 1308 (without the Permute it would be 321, 642, 654, 1308).
        string rnn = "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"rnn\", \"units\": 2, \"activation\": \"linear\", \"return_sequences\": true, \"batch_input_shape\": [null, 2, 3]}, "
            + "\"weights\": [[[1, 2], [10, 20], [100, 200]], [[0, 0], [0, 0]], [0, 0]]}";
        string flatten = "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}";
        GeneratorOutcome outcome = Run(Model(rnn, Permute(shape: null), flatten));
        Assert.DoesNotContain("Permute 'permute'", outcome.SingleSource);
        Assert.Contains("feature after feature (data_format channels_first)", outcome.SingleSource);
        Assembly assembly = outcome.Load();
        var output = new float[4];
        GeneratedModel.Predict(assembly, "M")(Input, output);
        Assert.Equal(new[] { 321f, 654f, 642f, 1308f }, output);
    }

    [Fact]
    public void Channels_first_Conv1D_and_Permute_compile_in_a_graph_without_cancelling()
    {
        // input [2, 3] → Conv1D channels_first (2 filters, identity kernel) → Add with the input (2x) → Permute → SimpleRNN.
        string json = """
            {"class_name": "Functional", "keras_version": "2.15.0", "config": {"name": "model", "layers": [
              {"class_name": "InputLayer", "name": "input_1", "config": {"name": "input_1", "batch_input_shape": [null, 2, 3]}, "inbound_nodes": []},
              {"class_name": "Conv1D", "name": "conv", "config": {"name": "conv", "filters": 2, "kernel_size": [1], "data_format": "channels_first"},
               "weights": [[[[1, 0], [0, 1]]], [0, 0]], "inbound_nodes": [[["input_1", 0, 0, {}]]]},
              {"class_name": "Add", "name": "add", "config": {"name": "add"}, "inbound_nodes": [[["input_1", 0, 0, {}], ["conv", 0, 0, {}]]]},
              {"class_name": "Permute", "name": "permute", "config": {"name": "permute", "dims": [2, 1]}, "inbound_nodes": [[["add", 0, 0, {}]]]},
              {"class_name": "SimpleRNN", "name": "rnn", "config": {"name": "rnn", "units": 1, "activation": "linear"},
               "weights": [[[1], [10]], [[0.5]], [0]], "inbound_nodes": [[["permute", 0, 0, {}]]]}],
              "input_layers": [["input_1", 0, 0]], "output_layers": [["rnn", 0, 0]]}}
            """;
        GeneratorOutcome outcome = Run(json);
        Assert.Equal("LSTMGEN018", Assert.Single(outcome.GeneratorDiagnostics).Id);
        Assert.Contains("Permute 'conv (channels_first in)'", outcome.SingleSource);
        Assert.Contains("Permute 'conv (channels_first out)'", outcome.SingleSource);
        Assert.Contains("Permute 'permute'", outcome.SingleSource);
        Assert.Equal(2 * Expected, PredictOne(outcome));
    }
    [Fact]
    public void A_channels_first_first_layer_over_steps_of_any_length_reports_LSTMGEN009_saying_the_steps_are_the_last_axis()
    {
        string json = Model(ChannelsFirstConv(shape: "[null, 2, null]"), Permute(shape: null), Rnn1);
        var d = Single(Diagnose(json), "LSTMGEN009");
        Assert.Contains("the feature count (last dimension) must be fixed; the first layer reads [channels, steps] (Permute, or data_format channels_first), so its steps are the last dimension", d.GetMessage());
        AssertPointsAt(d, json, "[null, 2, null]");
    }
    [Fact]
    public void Permute_after_RepeatVector_works_on_a_variable_length_input()
    {
        // SimpleRNN(3, linear, recurrent 0) over [T, 1] ends with 2 · (1, 2, 3) for a last input 2; RepeatVector(2) makes
        // two such rows, Permute three rows (2, 2), (4, 4), (6, 6); SimpleRNN(1) with kernel [[1], [10]] and recurrent
        // 0.5 gives 22, then 44 + 11 = 55, then 66 + 27.5 = 93.5, whatever the number of timesteps.
        string first = "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"encoder\", \"units\": 3, \"activation\": \"linear\", \"batch_input_shape\": [null, null, 1]}, "
            + "\"weights\": [[[1, 2, 3]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [0, 0, 0]]}";
        string repeat = "{\"class_name\": \"RepeatVector\", \"config\": {\"name\": \"repeat\", \"n\": 2}}";
        GeneratorOutcome outcome = Run(Model(first, repeat, Permute(shape: null), Rnn));
        Assert.Equal("LSTMGEN018", Assert.Single(outcome.GeneratorDiagnostics).Id);
        PredictFunc predict = GeneratedModel.Predict(outcome.Load(), "M");
        var output = new float[1];
        foreach (float[] input in new[] { new float[] { 2 }, new float[] { 5, -1, 2 } })
        {
            predict(input, output);
            Assert.Equal(93.5f, output[0]);
        }
    }
}
