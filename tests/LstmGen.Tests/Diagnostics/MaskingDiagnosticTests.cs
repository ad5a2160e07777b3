using System.Collections.Immutable;
using System.Linq;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>The rejections of Masking and Embedding: id, message, and the place in the weights file.</summary>
public sealed class MaskingDiagnosticTests
{
    private const string LstmWeights = "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]";
    private const string LstmWeights2 = "[[[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]";

    private static ImmutableArray<Diagnostic> Diagnose(string json)
        => GeneratorHarness.Run("[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }", ("/project/Models/m.json", json)).GeneratorDiagnostics;

    private static string Model(string layers, string version = "2.15.0")
        => "{\"class_name\": \"Sequential\", \"keras_version\": \"" + version + "\", \"config\": {\"layers\": [\n" + layers + "]}}";

    private static string Masking(string config = "\"mask_value\": 0.0", string shape = "[null, 3, 1]")
        => "{\"class_name\": \"Masking\", \"config\": {\"name\": \"masking\", \"batch_input_shape\": " + shape + ", " + config + "}}";

    private static string Lstm(string config = "", string weights = LstmWeights)
        => "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 1" + config + "}, \"weights\": " + weights + "}";

    private static string Embedding(string config = "", string weights = "[[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]]", string shape = "[null, 3]")
        => "{\"class_name\": \"Embedding\", \"config\": {\"name\": \"embedding\", \"batch_input_shape\": " + shape + ", \"input_dim\": 3, \"output_dim\": 2, \"mask_zero\": true" + config + "}, \"weights\": " + weights + "}";

    private static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id) => DiagnosticAssert.Single(diagnostics, id);

    private static void AssertPointsAt(Diagnostic diagnostic, string json, string text) => DiagnosticAssert.PointsAt(diagnostic, json, text);

    [Fact]
    public void Valid_masking_and_embedding_models_report_nothing()
    {
        Assert.Empty(Diagnose(Model(Masking() + ",\n" + Lstm())));
        Assert.Empty(Diagnose(Model(Embedding() + ",\n" + Lstm(weights: LstmWeights2))));
    }

    [Theory]
    [InlineData("Flatten")]
    [InlineData("GlobalAveragePooling1D")]
    [InlineData("GlobalMaxPooling1D")]
    public void A_mask_reaching_flatten_or_global_pooling_reports_LSTMGEN003_at_its_class_name(string layer)
    {
        string json = Model(Masking() + ",\n" + Lstm(", \"return_sequences\": true") + ",\n"
            + "{\"class_name\": \"" + layer + "\", \"config\": {\"name\": \"reduce\"}}");
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("'reduce'", d.GetMessage());
        Assert.Contains("on a masked sequence", d.GetMessage());
        AssertPointsAt(d, json, "\"" + layer + "\"");

        // Once a many-to-one layer has consumed the mask, the vector after it may be flattened.
        string consumed = Model(Masking() + ",\n" + Lstm() + ",\n{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}");
        Assert.DoesNotContain(Diagnose(consumed), x => x.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Masking_after_another_layer_reports_LSTMGEN003_at_its_class_name()
    {
        string json = Model(Lstm(", \"batch_input_shape\": [null, 3, 1], \"return_sequences\": true") + ",\n"
            + "{\"class_name\": \"Masking\", \"config\": {\"name\": \"late_mask\", \"mask_value\": 0.0}},\n" + Lstm(weights: LstmWeights).Replace("\"lstm\"", "\"lstm_1\""));
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("'late_mask'", d.GetMessage());
        Assert.Contains("put Masking first", d.GetMessage());
        AssertPointsAt(d, json, "\"Masking\"");
    }

    [Fact]
    public void Embedding_after_another_layer_reports_LSTMGEN003_at_its_class_name()
    {
        string json = Model(Masking() + ",\n" + Embedding());
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("'embedding'", d.GetMessage());
        Assert.Contains("Embedding must be the first layer", d.GetMessage());
        AssertPointsAt(d, json, "\"Embedding\"");
    }

    [Theory]
    [InlineData("lora_rank", "4", "LoRA")]
    [InlineData("quantization_config", "{\"mode\": \"int8\"}", "quantized")]
    [InlineData("embeddings_quantizer", "{\"class_name\": \"AbsMaxQuantizer\"}", "quantized")]
    public void Embedding_options_that_change_the_numbers_report_LSTMGEN005_at_the_value(string key, string value, string reason)
    {
        string json = Model(Embedding(", \"" + key + "\": " + value) + ",\n" + Lstm(weights: LstmWeights2), "3.6.0");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains(key, d.GetMessage());
        Assert.Contains(reason, d.GetMessage());
        AssertPointsAt(d, json, value);
    }

    [Fact]
    public void Embedding_weights_of_the_wrong_shape_report_LSTMGEN006()
    {
        var d = Single(Diagnose(Model(Embedding(weights: "[[[0.1, 0.2], [0.3, 0.4]]]") + ",\n" + Lstm(weights: LstmWeights2))), "LSTMGEN006");
        Assert.Contains("embeddings", d.GetMessage());
        Assert.Contains("[3, 2]", d.GetMessage());
        Assert.Contains("[2, 2]", d.GetMessage());
    }

    [Fact]
    public void Embedding_with_a_features_axis_in_its_input_shape_reports_LSTMGEN009()
    {
        string json = Model(Embedding(shape: "[null, 3, 1]") + ",\n" + Lstm(weights: LstmWeights2));
        var d = Single(Diagnose(json), "LSTMGEN009");
        Assert.Contains("[batch, timesteps] token ids", d.GetMessage());
    }

    [Fact]
    public void Masking_value_that_is_not_a_number_reports_LSTMGEN005()
    {
        string json = Model(Masking("\"mask_value\": \"zero\"") + ",\n" + Lstm());
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("mask_value", d.GetMessage());
        AssertPointsAt(d, json, "\"zero\"");
    }

    [Fact]
    public void Zero_output_for_mask_on_a_masked_plain_layer_reports_LSTMGEN005_but_is_harmless_without_a_mask()
    {
        string json = Model(Masking() + ",\n" + Lstm(", \"zero_output_for_mask\": true"));
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("zero_output_for_mask", d.GetMessage());
        Assert.Contains("inside Bidirectional", d.GetMessage());
        AssertPointsAt(d, json, "true}");

        // Without a mask the option changes nothing.
        Assert.Empty(Diagnose(Model(Lstm(", \"batch_input_shape\": [null, 3, 1], \"zero_output_for_mask\": true"))));
    }
}
