using System.Collections.Immutable;
using System.Linq;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>
/// The rejections of the sequence glue layers (TimeDistributed, RepeatVector, Flatten, global pooling,
/// BatchNormalization, LayerNormalization): id, message and the position in the weights file; and LSTMGEN018 for
/// the layers that leave no Step.
/// </summary>
public sealed class GlueDiagnosticTests
{
    private const string Path = "/project/Models/m.json";

    private const string Source = "[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }";

    /// <summary>LSTM(1) over [3, 1] (or <paramref name="shape"/>), then the given layers.</summary>
    private static string Model(string layers, bool returnSequences = true, string shape = "[null, 3, 1]")
        => $$$"""
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": {{{shape}}}, "return_sequences": {{{(returnSequences ? "true" : "false")}}}},
           "weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]},
          {{{layers}}}]}}
        """;

    private const string Dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"head\", \"units\": 1}, \"weights\": [[[1]], [0]]}";

    private static GeneratorOutcome Run(string json, string source = Source) => GeneratorHarness.Run(source, (Path, json));

    private static ImmutableArray<Diagnostic> Diagnose(string json) => Run(json).GeneratorDiagnostics;

    private static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id) => DiagnosticAssert.Single(diagnostics, id);

    private static void AssertPointsAt(Diagnostic diagnostic, string json, string text) => DiagnosticAssert.PointsAt(diagnostic, json, text);

    [Fact]
    public void Valid_per_timestep_glue_model_reports_nothing_and_keeps_Step()
    {
        string json = Model("""
            {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [2], "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": false}, "weights": [[0.5], [0.1], [2]]},
            {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1, "epsilon": 0.001}, "weights": [[1.5], [0.1]]},
            {"class_name": "TimeDistributed", "config": {"name": "td", "layer": {"class_name": "Dense", "config": {"name": "dense", "units": 2}}}, "weights": [[[1, 2]], [0, 0.5]]}
            """);
        GeneratorOutcome outcome = Run(json);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains("public static void Step(", outcome.SingleSource);
    }

    [Theory]
    [InlineData("{\"class_name\": \"RepeatVector\", \"config\": {\"name\": \"rv\", \"n\": 2}}, {\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm_1\", \"units\": 1, \"return_sequences\": true}, \"weights\": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}", false, "'rv' is RepeatVector")]
    [InlineData("{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}", true, "'flat' is Flatten over the timesteps")]
    [InlineData("{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {\"name\": \"pool\"}}", true, "'pool' is GlobalAveragePooling1D")]
    [InlineData("{\"class_name\": \"GlobalMaxPooling1D\", \"config\": {\"name\": \"pool\"}}", true, "'pool' is GlobalMaxPooling1D")]
    public void Whole_sequence_layers_leave_no_Step_and_LSTMGEN018_says_why(string layer, bool returnSequences, string reason)
    {
        GeneratorOutcome outcome = Run(Model(layer, returnSequences));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains(reason, d.GetMessage());
        Assert.DoesNotContain("public static void Step(", outcome.SingleSource);
        Assert.Contains("ref State state)", outcome.SingleSource);
        Assert.Single(outcome.GeneratorDiagnostics);
        // PredictBatch still runs the sequences together: the layer fills each sequence's vector (or rows) in its loop.
        Assert.Contains("public static void PredictBatch(", outcome.SingleSource);
    }

    [Fact]
    public void Flatten_on_a_vector_is_the_identity_and_keeps_Step()
    {
        GeneratorOutcome outcome = Run(Model("{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}, " + Dense, returnSequences: false));
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains("public static void Step(", outcome.SingleSource);
    }

    [Fact]
    public void Time_distributed_around_a_layer_other_than_dense_reports_LSTMGEN005_at_the_class()
    {
        string json = Model("{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\", \"layer\": {\"class_name\": \"Conv1D\", \"config\": {\"name\": \"conv\"}}}, \"weights\": []}");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("'td'", d.GetMessage());
        Assert.Contains("layer = Conv1D", d.GetMessage());
        Assert.Contains("Dense only", d.GetMessage());
        AssertPointsAt(d, json, "\"Conv1D\"");
    }

    [Fact]
    public void Time_distributed_without_a_layer_reports_LSTMGEN011()
    {
        string json = Model("{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\"}, \"weights\": []}");
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("\"layer\"", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"TimeDistributed\"");
    }

    [Fact]
    public void Time_distributed_on_a_vector_reports_LSTMGEN011()
    {
        string json = Model("{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\", \"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1}}}, \"weights\": [[[1]], [0]]}", returnSequences: false);
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("TimeDistributed 'td' receives a single vector", d.GetMessage());
    }

    [Fact]
    public void Time_distributed_dense_with_wrong_weights_reports_LSTMGEN006_and_checks_the_inner_options()
    {
        string json = Model("{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\", \"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}}, \"weights\": [[[1]], [0]]}");
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("kernel has shape [1, 1], expected [1, 2]", d.GetMessage());

        string gelu = Model("{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\", \"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1, \"activation\": \"gelu\"}}}, \"weights\": [[[1]], [0]]}");
        AssertPointsAt(Single(Diagnose(gelu), "LSTMGEN004"), gelu, "\"gelu\"");
    }

    [Fact]
    public void Repeat_vector_on_a_sequence_reports_LSTMGEN011()
    {
        string json = Model("{\"class_name\": \"RepeatVector\", \"config\": {\"name\": \"rv\", \"n\": 2}}");
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("RepeatVector 'rv' receives a sequence", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"RepeatVector\"");
    }

    [Fact]
    public void Repeat_vector_without_a_positive_n_reports_LSTMGEN005_at_n()
    {
        string json = Model("{\"class_name\": \"RepeatVector\", \"config\": {\"name\": \"rv\", \"n\": 0}}", returnSequences: false);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("n = 0", d.GetMessage());
        AssertPointsAt(d, json, "0}}");
    }

    [Fact]
    public void Flatten_of_a_variable_length_sequence_reports_LSTMGEN011_at_the_layer()
    {
        string json = Model("{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}", shape: "[null, null, 1]");
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("Flatten 'flat' needs a fixed number of timesteps", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"Flatten\"");
    }

    [Fact]
    public void Flatten_with_an_unknown_data_format_reports_LSTMGEN005()
    {
        string json = Model("{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\", \"data_format\": \"channels_middle\"}}");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("data_format", d.GetMessage());
        AssertPointsAt(d, json, "\"channels_middle\"");
    }

    [Theory]
    [InlineData("GlobalAveragePooling1D")]
    [InlineData("GlobalMaxPooling1D")]
    public void Pooling_channels_first_over_a_variable_length_input_reports_LSTMGEN005_at_the_value(string className)
    {
        // channels_first pools each row over its features: LstmGen transposes the sequence first, which needs fixed rows.
        string json = Model($"{{\"class_name\": \"{className}\", \"config\": {{\"name\": \"pool\", \"data_format\": \"channels_first\", \"keepdims\": false}}}}", shape: "[null, null, 1]");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'pool': data_format = \"channels_first\"", d.GetMessage());
        Assert.Contains("the model accepts any number of timesteps", d.GetMessage());
        AssertPointsAt(d, json, "\"channels_first\"");
    }

    [Theory]
    [InlineData("GlobalAveragePooling1D")]
    [InlineData("GlobalMaxPooling1D")]
    public void Pooling_channels_first_pools_each_timestep_over_its_features(string className)
    {
        string json = Model($"{{\"class_name\": \"{className}\", \"config\": {{\"name\": \"pool\", \"data_format\": \"channels_first\", \"keepdims\": false}}}}", shape: "[null, 3, 1]");
        GeneratorOutcome outcome = Run(json);
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Contains($"layer 'pool' is {className} with data_format channels_first", d.GetMessage());
        Assert.Contains($"Permute 'pool (channels_first in)': for {className} 'pool' (data_format channels_first), 3 rows × 1 feature transposed to 1 row × 3 features", outcome.SingleSource);
        Assert.DoesNotContain("channels_first out", outcome.SingleSource);
        outcome.Load();
    }

    [Theory]
    [InlineData("GlobalAveragePooling1D")]
    [InlineData("GlobalMaxPooling1D")]
    public void Pooling_with_keepdims_reports_LSTMGEN005_at_the_value(string className)
    {
        string json = Model($"{{\"class_name\": \"{className}\", \"config\": {{\"name\": \"pool\", \"data_format\": \"channels_last\", \"keepdims\": true}}}}");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("keepdims = true", d.GetMessage());
        AssertPointsAt(d, json, "true}}");
    }

    [Fact]
    public void Pooling_a_vector_reports_LSTMGEN011()
    {
        var d = Single(Diagnose(Model("{\"class_name\": \"GlobalMaxPooling1D\", \"config\": {\"name\": \"pool\"}}", returnSequences: false)), "LSTMGEN011");
        Assert.Contains("GlobalMaxPooling1D 'pool' receives a single vector", d.GetMessage());
    }

    [Theory]
    [InlineData("BatchNormalization", "1", "[0.5], [0.1], [0.2], [2]")]
    [InlineData("BatchNormalization", "[1]", "[0.5], [0.1], [0.2], [2]")]
    [InlineData("LayerNormalization", "[1, 2]", "[0.5], [0.1]")]
    [InlineData("LayerNormalization", "-2", "[0.5], [0.1]")]
    public void Normalization_over_another_axis_reports_LSTMGEN005_at_the_axis(string className, string axis, string weights)
    {
        string json = Model($"{{\"class_name\": \"{className}\", \"config\": {{\"name\": \"norm\", \"axis\": {axis}}}, \"weights\": [{weights}]}}");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("'norm'", d.GetMessage());
        Assert.Contains("only the last axis (-1, here 2)", d.GetMessage());
        AssertPointsAt(d, json, axis + "}");
    }

    [Theory]
    [InlineData("BatchNormalization", "\"renorm\": true", "renorm = true")]
    [InlineData("BatchNormalization", "\"virtual_batch_size\": 8", "virtual_batch_size")]
    [InlineData("BatchNormalization", "\"epsilon\": -1", "epsilon = -1")]
    [InlineData("LayerNormalization", "\"rms_scaling\": true", "rms_scaling = true")]
    [InlineData("LayerNormalization", "\"center\": 1", "center")]
    public void Normalization_options_that_change_the_numbers_report_LSTMGEN005(string className, string option, string expected)
    {
        string weights = className == "BatchNormalization" ? "[0.5], [0.1], [0.2], [2]" : "[0.5], [0.1]";
        string json = Model($"{{\"class_name\": \"{className}\", \"config\": {{\"name\": \"norm\", {option}}}, \"weights\": [{weights}]}}");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains(expected, d.GetMessage());
        Assert.Single(d.AdditionalLocations);
    }

    [Fact]
    public void Batch_normalization_without_center_expects_three_arrays_reports_LSTMGEN006()
    {
        string json = Model("{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"center\": false}, \"weights\": [[0.5], [0.1], [0.2], [2]]}");
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("3 arrays (gamma, moving_mean, moving_variance)", d.GetMessage());
    }

    [Fact]
    public void Layer_normalization_of_the_wrong_width_reports_LSTMGEN006()
    {
        string json = Model("{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"ln\"}, \"weights\": [[0.5, 1], [0.1]]}");
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("gamma has shape [2], expected [1]", d.GetMessage());
    }

    [Fact]
    public void Unknown_normalization_key_warns_LSTMGEN013()
    {
        string json = Model("{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"ln\", \"surprise\": 1}, \"weights\": [[0.5], [0.1]]}");
        var d = Single(Diagnose(json), "LSTMGEN013");
        Assert.Contains("surprise", d.GetMessage());
    }

    [Fact]
    public void Unroll_counts_the_rows_of_repeat_vector_LSTMGEN016()
    {
        string json = Model("{\"class_name\": \"RepeatVector\", \"config\": {\"name\": \"rv\", \"n\": 2000}}, {\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm_1\", \"units\": 1, \"return_sequences\": true}, \"weights\": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}", returnSequences: false);
        GeneratorOutcome outcome = Run(json, "[LstmGen.LstmModel(\"Models/m.json\", Unroll = true)] public static partial class M { }");
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN016");
        Assert.Contains("2000", d.GetMessage());
        Assert.Contains("for (int t0 = 0; t0 < 2000; t0 += BlockSteps)", outcome.SingleSource);
        Assert.Contains("public const int OutputLength = 2000;", outcome.SingleSource);
    }

    [Fact]
    public void Flatten_of_a_long_sequence_compiles_without_counting_its_vector_as_a_timestep_width()
    {
        // 50,000 timesteps × the 50,000-float Flatten vector would overflow an int, but that vector has no time axis.
        string kernel = "[" + string.Join(", ", Enumerable.Repeat("[0.001]", 50_000)) + "]";
        string json = Model("{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}, {\"class_name\": \"Dense\", \"config\": {\"name\": \"head\", \"units\": 1}, \"weights\": [" + kernel + ", [0]]}", shape: "[null, 50000, 1]");
        GeneratorOutcome outcome = Run(json);
        Assert.Equal(new[] { "LSTMGEN018" }, outcome.GeneratorDiagnostics.Select(d => d.Id)); // no Step
        outcome.Load(); // compiles warning-free
    }
}
