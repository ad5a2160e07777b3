using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>
/// The rejections of the layers that map a sequence to a new one (Conv1D, DepthwiseConv1D, SeparableConv1D,
/// MaxPooling1D / AveragePooling1D, ZeroPadding1D, Cropping1D, UpSampling1D): id, message and the place in the weights file; LSTMGEN018 for the
/// Step they take away; and the minimum-timesteps check of a variable-length model at run time.
/// </summary>
public sealed class ConvolutionDiagnosticTests
{
    private const string Path = "/project/Models/m.json";

    private const string Source = "[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }";

    /// <summary>Kernel (3, 2, 2) and bias (2): Conv1D with kernel_size 3 from 2 channels to 2 filters.</summary>
    private const string ConvWeights = "[[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]], [[0.9, 1.0], [1.1, 1.2]]], [0.01, 0.02]]";

    /// <summary>LSTM(1) over 2 features, returning the last output.</summary>
    private const string Lstm = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 1}, \"weights\": [[[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}";

    private static string Model(params string[] layers)
        => "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n" + string.Join(",\n", layers) + "]}}";

    /// <summary>Conv1D 'conv': 2 filters, kernel_size 3 (or <paramref name="kernelSize"/>), plus <paramref name="options"/>; the model's first layer unless <paramref name="shape"/> is null.</summary>
    private static string Conv(string options = "", string kernelSize = "[3]", string weights = ConvWeights, string? shape = "[null, 5, 2]", string filters = "2")
        => "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"conv\", "
           + (shape is null ? "" : "\"batch_input_shape\": " + shape + ", ")
           + "\"filters\": " + filters + ", \"kernel_size\": " + kernelSize + options + "}, \"weights\": " + weights + "}";

    private static string Layer(string className, string name, string config = "")
        => "{\"class_name\": \"" + className + "\", \"config\": {\"name\": \"" + name + "\"" + config + "}}";

    private static GeneratorOutcome Run(string json) => GeneratorHarness.Run(Source, (Path, json));

    private static ImmutableArray<Diagnostic> Diagnose(string json) => Run(json).GeneratorDiagnostics;

    private static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id) => DiagnosticAssert.Single(diagnostics, id);

    private static void AssertPointsAt(Diagnostic diagnostic, string json, string text) => DiagnosticAssert.PointsAt(diagnostic, json, text);

    /// <summary>The diagnostic points at the value of the first <paramref name="key"/> in the file (the first one at or after <paramref name="after"/>).</summary>
    private static void AssertPointsAtValueOf(Diagnostic diagnostic, string json, string key, string after = "")
    {
        int start = json.IndexOf(after, StringComparison.Ordinal);
        Assert.True(start >= 0, after);
        int keyAt = json.IndexOf("\"" + key + "\": ", start, StringComparison.Ordinal);
        Assert.True(keyAt >= 0, key);
        int index = keyAt + key.Length + 4;
        int line = json.Take(index).Count(c => c == '\n');
        int column = index - (json.LastIndexOf('\n', index) + 1);
        FileLinePositionSpan span = Assert.Single(diagnostic.AdditionalLocations).GetLineSpan();
        Assert.EndsWith("m.json", span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line, span.StartLinePosition.Character));
    }

    [Fact]
    public void Valid_conv_model_reports_only_the_missing_Step()
    {
        GeneratorOutcome outcome = Run(Model(Conv(), Lstm));
        Assert.Equal("LSTMGEN018", Assert.Single(outcome.GeneratorDiagnostics).Id);
        outcome.Load();
    }

    [Theory]
    [InlineData("Masking", ", \"mask_value\": 0.0")]
    [InlineData("Embedding", ", \"input_dim\": 3, \"output_dim\": 2, \"mask_zero\": true")]
    public void Conv1D_after_a_mask_reports_LSTMGEN003_at_its_class_name(string maskLayer, string maskConfig)
    {
        string shape = maskLayer == "Embedding" ? "[null, 5]" : "[null, 5, 2]";
        string mask = "{\"class_name\": \"" + maskLayer + "\", \"config\": {\"name\": \"mask\", \"batch_input_shape\": " + shape + maskConfig + "}"
            + (maskLayer == "Embedding" ? ", \"weights\": [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]]}" : "}");
        string json = Model(mask, Conv(shape: null), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("Layer 'conv' is a 'Conv1D'", d.GetMessage());
        Assert.Contains("on a masked sequence", d.GetMessage());
        Assert.Contains("drop the mask", d.GetMessage());
        AssertPointsAt(d, json, "\"Conv1D\"");
    }

    [Theory]
    [InlineData("ZeroPadding1D", "")]
    [InlineData("MaxPooling1D", "")]
    [InlineData("UpSampling1D", "")]
    public void Any_sequence_layer_after_Masking_reports_LSTMGEN003(string className, string config)
    {
        string json = Model("{\"class_name\": \"Masking\", \"config\": {\"name\": \"mask\", \"batch_input_shape\": [null, 5, 2]}}", Layer(className, "seq", config), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("Layer 'seq' is a '" + className + "'", d.GetMessage());
        AssertPointsAt(d, json, "\"" + className + "\"");
    }

    [Theory]
    [InlineData("Conv1D")]
    [InlineData("MaxPooling1D")]
    [InlineData("AveragePooling1D")]
    public void Channels_first_on_a_variable_length_input_reports_LSTMGEN005_at_the_data_format(string className)
    {
        // channels_first reads the rows of the sequence as channels; with any number of timesteps they are not fixed.
        string option = ", \"data_format\": \"channels_first\"";
        string json = className == "Conv1D"
            ? Model(Conv(option, shape: "[null, null, 2]"), Lstm)
            : Model(Conv(shape: "[null, null, 2]"), Layer(className, "pool", option), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("data_format = \"channels_first\"", d.GetMessage());
        Assert.Contains("Keras reads this layer's input as [channels, steps]", d.GetMessage());
        Assert.Contains("the model accepts any number of timesteps", d.GetMessage());
        Assert.Contains("give the input a fixed length, or use channels_last", d.GetMessage());
        AssertPointsAt(d, json, "\"channels_first\"");
    }

    [Theory]
    [InlineData("Conv1D")]
    [InlineData("MaxPooling1D")]
    public void An_unknown_data_format_reports_LSTMGEN005_at_its_value(string className)
    {
        string option = ", \"data_format\": \"channels_middle\"";
        string json = className == "Conv1D" ? Model(Conv(option), Lstm) : Model(Conv(), Layer(className, "pool", option), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("data_format = \"channels_middle\"", d.GetMessage());
        Assert.Contains("expected channels_last ([timesteps, features], the default) or channels_first ([channels, steps])", d.GetMessage());
        AssertPointsAt(d, json, "\"channels_middle\"");
    }

    [Fact]
    public void Channels_first_Conv1D_compiles_as_transposes_around_the_conv_and_LSTMGEN018_names_it()
    {
        // Input [5, 2] read by Keras as 5 channels × 2 steps: the kernel is (1, 5, 2), the output 2 filters × 2 steps.
        string weights = "[[[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8], [0.9, 1.0]]], [0.01, 0.02]]";
        string json = Model(Conv(", \"data_format\": \"channels_first\"", kernelSize: "[1]", weights: weights), Lstm);
        GeneratorOutcome outcome = Run(json);
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Contains("layer 'conv' is Conv1D with data_format channels_first: it reads the sequence as [channels, steps]", d.GetMessage());
        Assert.Contains("Permute 'conv (channels_first in)': for Conv1D 'conv' (data_format channels_first), 5 rows × 2 features transposed to 2 rows × 5 features", outcome.SingleSource);
        Assert.Contains("Permute 'conv (channels_first out)'", outcome.SingleSource);
        outcome.Load();
    }

    [Theory]
    [InlineData("MaxPooling1D")]
    [InlineData("AveragePooling1D")]
    public void Causal_padding_on_pooling_reports_LSTMGEN005_at_the_padding(string className)
    {
        string json = Model(Conv(), Layer(className, "pool", ", \"pool_size\": [2], \"padding\": \"causal\""), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'pool': padding = \"causal\"", d.GetMessage());
        Assert.Contains("expected valid or same", d.GetMessage());
        AssertPointsAt(d, json, "\"causal\"");
    }

    [Theory]
    [InlineData("[null, 5, 2]", "3", "2", "2 input channels and 3 filters")]
    [InlineData("[null, 5, 3]", "2", "2", "3 input channels and 2 filters")]
    [InlineData("[null, 5, 2]", "2", "4", "2 input channels and 2 filters")]
    public void Groups_that_do_not_divide_channels_and_filters_report_LSTMGEN005_at_groups(string shape, string filters, string groups, string counts)
    {
        string json = Model(Conv(", \"groups\": " + groups, shape: shape, filters: filters), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'conv': groups = " + groups, d.GetMessage());
        Assert.Contains(counts, d.GetMessage());
        Assert.Contains("multiples of groups", d.GetMessage());
        AssertPointsAtValueOf(d, json, "groups");
    }

    [Fact]
    public void Strides_with_dilation_report_LSTMGEN005_at_the_dilation_rate()
    {
        string json = Model(Conv(", \"strides\": [2], \"dilation_rate\": [2]"), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("dilation_rate = 2", d.GetMessage());
        Assert.Contains("strides > 1 together with dilation_rate > 1", d.GetMessage());
        AssertPointsAtValueOf(d, json, "dilation_rate");
    }

    [Theory]
    [InlineData("0", "kernel_size = 0")]
    [InlineData("[0]", "kernel_size = [0]")]
    [InlineData("-3", "kernel_size = -3")]
    [InlineData("[3, 3]", "kernel_size = [3, 3]")]
    [InlineData("2.5", "kernel_size = 2.5")]
    [InlineData("\"3\"", "kernel_size = \"3\"")]
    public void Kernel_size_that_is_not_one_positive_number_reports_LSTMGEN005_at_the_value(string kernelSize, string shown)
    {
        string json = Model(Conv(kernelSize: kernelSize), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'conv': " + shown, d.GetMessage());
        Assert.Contains("whole number from 1", d.GetMessage());
        AssertPointsAtValueOf(d, json, "kernel_size");
    }

    [Theory]
    [InlineData("strides", "[0]")]
    [InlineData("dilation_rate", "-1")]
    [InlineData("pool_size", "0")]
    public void Window_options_below_one_report_LSTMGEN005_at_the_value(string key, string value)
    {
        string json = key == "pool_size"
            ? Model(Conv(), Layer("MaxPooling1D", "pool", ", \"pool_size\": " + value), Lstm)
            : Model(Conv(", \"" + key + "\": " + value), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains(key + " = " + value, d.GetMessage());
        AssertPointsAtValueOf(d, json, key);
    }

    [Theory]
    [InlineData("[[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]], [0.01, 0.02]]", "", "kernel has shape [2, 2, 2], expected [3, 2, 2]")]
    [InlineData("[[[[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]], [[0.5, 0.6, 0.7], [0.7, 0.8, 0.9]], [[0.9, 1.0, 1.1], [1.1, 1.2, 1.3]]], [0.01, 0.02]]", "", "kernel has shape [3, 2, 3], expected [3, 2, 2]")]
    [InlineData(ConvWeights, ", \"groups\": 2", "kernel has shape [3, 2, 2], expected [3, 1, 2]")]
    public void Kernel_of_the_wrong_shape_reports_LSTMGEN006_at_the_kernel(string weights, string options, string expected)
    {
        string json = Model(Conv(options, weights: weights), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("Layer 'conv': " + expected, d.GetMessage());
        int weightsAt = json.IndexOf("\"weights\": ", StringComparison.Ordinal) + "\"weights\": [".Length;
        AssertPointsAt(d, json, json[weightsAt..]);
    }

    [Fact]
    public void Missing_bias_reports_LSTMGEN006_naming_both_arrays()
    {
        string json = Model(Conv(weights: "[[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]], [[0.9, 1.0], [1.1, 1.2]]]]"), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("Layer 'conv': 'weights' holds 1 array, expected 2 arrays (kernel, bias)", d.GetMessage());
    }

    [Theory]
    [InlineData("[null, 2, 2]", "", "Conv1D 'conv' needs at least 3 timesteps but gets 2")]
    [InlineData("[null, 4, 2]", ", \"dilation_rate\": [2]", "Conv1D 'conv' needs at least 5 timesteps but gets 4")]
    [InlineData("[null, 1, 2]", "", "Conv1D 'conv' needs at least 3 timesteps but gets 1")]
    public void Fixed_input_too_short_for_a_valid_convolution_reports_LSTMGEN011_at_the_layer(string shape, string options, string expected)
    {
        string json = Model(Conv(options, shape: shape), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains(expected, d.GetMessage());
        Assert.Contains("kernel_size 3", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"Conv1D\"");

        // 'same' padding keeps every row: the same input is long enough.
        Assert.DoesNotContain(Diagnose(Model(Conv(options + ", \"padding\": \"same\"", shape: shape), Lstm)), x => x.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Cropping_that_leaves_no_rows_reports_LSTMGEN011_at_the_layer()
    {
        string json = Model(Conv(", \"padding\": \"same\"", shape: "[null, 3, 2]"), Layer("Cropping1D", "crop", ", \"cropping\": [2, 1]"), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("Cropping1D 'crop' needs at least 4 timesteps but gets 3", d.GetMessage());
        Assert.Contains("drops the first 2 rows and the last 1 row", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"Cropping1D\"");

        // A valid convolution before it counts: 5 rows in, 3 out of the convolution, none left after the cropping.
        string afterConv = Model(Conv(), Layer("Cropping1D", "crop", ", \"cropping\": 2"), Lstm);
        Assert.Contains("Cropping1D 'crop' needs at least 5 timesteps but gets 3", Single(Diagnose(afterConv), "LSTMGEN011").GetMessage());
    }

    [Fact]
    public void Pooling_larger_than_a_fixed_input_reports_LSTMGEN011()
    {
        string json = Model(Conv(", \"padding\": \"same\""), Layer("MaxPooling1D", "pool", ", \"pool_size\": [6]"), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("MaxPooling1D 'pool' needs at least 6 timesteps but gets 5", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"MaxPooling1D\"");
    }

    [Theory]
    [InlineData("Conv1D")]
    [InlineData("MaxPooling1D")]
    [InlineData("UpSampling1D")]
    public void Sequence_layer_on_a_vector_reports_LSTMGEN011(string className)
    {
        string lstm = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 2, \"batch_input_shape\": [null, 5, 1], \"return_sequences\": false}, \"weights\": "
            + "[[[0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8, 0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8, 0.1, 0.2, 0.3, 0.4]], [0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4]]}";
        string layer = className == "Conv1D" ? Conv(shape: null) : Layer(className, "seq");
        string json = Model(lstm, layer);
        var d = Single(Diagnose(json), "LSTMGEN011");
        string described = className == "Conv1D" ? "Conv1D 'conv'" : className + " 'seq'";
        Assert.Contains(described + " receives a single vector", d.GetMessage());
        Assert.Contains("return_sequences=false", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"" + className + "\"");
    }

    [Theory]
    [InlineData("ZeroPadding1D", "padding", "[-1, 2]")]
    [InlineData("ZeroPadding1D", "padding", "-1")]
    [InlineData("ZeroPadding1D", "padding", "[1, 2, 3]")]
    [InlineData("Cropping1D", "cropping", "[1, -2]")]
    public void Negative_padding_or_cropping_reports_LSTMGEN005_at_the_value(string className, string key, string value)
    {
        string json = Model(Conv(), Layer(className, "pad", ", \"" + key + "\": " + value), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'pad': " + key + " = " + value, d.GetMessage());
        Assert.Contains("[before, after]", d.GetMessage());
        AssertPointsAtValueOf(d, json, key, "\"" + className + "\"");
    }

    [Theory]
    [InlineData(", \"padding\": \"same\"", "'conv' is Conv1D with padding 'same': output t reads inputs after t")]
    [InlineData(", \"padding\": \"valid\"", "'conv' is Conv1D with padding 'valid'")]
    [InlineData(", \"padding\": \"causal\", \"strides\": 2", "'conv' is Conv1D with strides 2")]
    public void Conv_model_gets_no_Step_and_LSTMGEN018_names_the_layer_and_says_why(string options, string reason)
    {
        GeneratorOutcome outcome = Run(Model(Conv(options), Lstm));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("Step", d.GetMessage());
        Assert.Contains(reason, d.GetMessage());
        Assert.Single(outcome.GeneratorDiagnostics);
        Assert.DoesNotContain("public static void Step(", outcome.SingleSource);
        Assert.Contains("public static void Predict(", outcome.SingleSource);
    }

    [Fact]
    public void Variable_length_valid_conv_model_throws_for_an_input_shorter_than_the_kernel()
    {
        // kernel_size 3, dilation 2: a window spans 5 rows, so the model needs at least 5 timesteps.
        GeneratorOutcome outcome = Run(Model(Conv(", \"dilation_rate\": [2]", shape: "[null, null, 2]"), Lstm));
        Assembly assembly = outcome.Load();
        PredictFunc predict = GeneratedModel.Predict(assembly, "M");
        PredictBatchFunc predictBatch = GeneratedModel.PredictBatch(assembly, "M");
        float[] four = Enumerable.Range(0, 4 * 2).Select(i => 0.1f * i).ToArray();
        float[] output = new float[1];

        var single = Assert.Throws<ArgumentException>(() => predict(four, output));
        Assert.StartsWith("The model needs at least 5 timesteps (layer 1, Conv1D 'conv'", single.Message);
        Assert.Contains("but got 4.", single.Message);
        Assert.Equal("input", single.ParamName);

        float[] batch = four.Concat(four).ToArray();
        var batched = Assert.Throws<ArgumentException>(() => predictBatch(batch, 2, new float[2]));
        Assert.StartsWith("The model needs at least 5 timesteps (layer 1, Conv1D 'conv'", batched.Message);
        Assert.Contains("but got 4.", batched.Message);
        Assert.Equal("inputs", batched.ParamName);

        // Five timesteps are enough, alone and in a batch, and the batch agrees with Predict.
        float[] five = Enumerable.Range(0, 5 * 2).Select(i => 0.1f * i).ToArray();
        predict(five, output);
        float[] outputs = new float[2];
        predictBatch(five.Concat(five).ToArray(), 2, outputs);
        Assert.Equal(output[0], outputs[0]);
        Assert.Equal(output[0], outputs[1]);
    }

    // ------------------------------------------------------------ DepthwiseConv1D and SeparableConv1D

    /// <summary>depthwise_kernel (3, 2, 1): kernel_size 3 over 2 channels, depth_multiplier 1.</summary>
    private const string DepthwiseKernel = "[[[0.1], [0.2]], [[0.3], [0.4]], [[0.5], [0.6]]]";

    /// <summary>DepthwiseConv1D 'dw' (kernel_size 3, 2 channels, bias) as the first layer, plus <paramref name="options"/>.</summary>
    private static string Depthwise(string options = "", string weights = "[" + DepthwiseKernel + ", [0.01, 0.02]]", string shape = "[null, 5, 2]")
        => "{\"class_name\": \"DepthwiseConv1D\", \"config\": {\"name\": \"dw\", \"batch_input_shape\": " + shape
           + ", \"kernel_size\": [3]" + options + "}, \"weights\": " + weights + "}";

    /// <summary>SeparableConv1D 'sep' (2 filters, kernel_size 3, 2 channels, bias) as the first layer, plus <paramref name="options"/>.</summary>
    private static string Separable(string options = "", string? weights = null, string shape = "[null, 5, 2]")
        => "{\"class_name\": \"SeparableConv1D\", \"config\": {\"name\": \"sep\", \"batch_input_shape\": " + shape
           + ", \"filters\": 2, \"kernel_size\": [3]" + options + "}, \"weights\": "
           + (weights ?? "[" + DepthwiseKernel + ", [[[0.5, -0.5], [0.25, 0.75]]], [0.01, 0.02]]") + "}";

    /// <summary>The Keras 2.15 keys of the two layers that LstmGen reads or knows to ignore.</summary>
    private const string Keras2Keys = ", \"strides\": [1], \"padding\": \"valid\", \"data_format\": \"channels_last\", \"dilation_rate\": [1], \"groups\": 1, "
        + "\"activation\": \"linear\", \"use_bias\": true, \"depth_multiplier\": 1, \"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
        + "\"kernel_initializer\": null, \"kernel_regularizer\": null, \"kernel_constraint\": null, "
        + "\"depthwise_initializer\": {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}, \"depthwise_regularizer\": null, \"depthwise_constraint\": null, "
        + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"bias_constraint\": null";

    [Fact]
    public void Depthwise_and_separable_models_with_every_Keras_key_report_only_the_missing_Step()
    {
        GeneratorOutcome depthwise = Run(Model(Depthwise(Keras2Keys), Lstm));
        Assert.Equal("LSTMGEN018", Assert.Single(depthwise.GeneratorDiagnostics).Id);
        depthwise.Load();

        string pointwiseKeys = ", \"pointwise_initializer\": null, \"pointwise_regularizer\": null, \"pointwise_constraint\": null";
        GeneratorOutcome separable = Run(Model(Separable(Keras2Keys + pointwiseKeys), Lstm));
        var d = Assert.Single(separable.GeneratorDiagnostics);
        Assert.Equal("LSTMGEN018", d.Id);
        Assert.Contains("'sep' is SeparableConv1D with padding 'valid'", d.GetMessage());
        separable.Load();
    }

    [Fact]
    public void Causal_separable_model_streams_and_its_two_steps_are_documented()
    {
        GeneratorOutcome outcome = Run(Model(Separable(", \"padding\": \"causal\", \"activation\": \"relu\""), Lstm));
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains("public static void Step(", outcome.SingleSource);
        Assert.Contains("SeparableConv1D 'sep', its depthwise step: depth_multiplier 1 (2 channels), kernel_size 3, padding causal", outcome.SingleSource);
        Assert.Contains("SeparableConv1D 'sep (pointwise)': 2 filters, kernel_size 1, padding valid, activation relu", outcome.SingleSource);
        outcome.Load();
    }

    [Theory]
    [InlineData("DepthwiseConv1D")]
    [InlineData("SeparableConv1D")]
    public void Depthwise_or_separable_channels_first_on_a_variable_length_input_reports_LSTMGEN005_at_the_data_format(string className)
    {
        string option = ", \"data_format\": \"channels_first\"";
        string json = Model(className == "DepthwiseConv1D" ? Depthwise(option, shape: "[null, null, 2]") : Separable(option, shape: "[null, null, 2]"), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("data_format = \"channels_first\"", d.GetMessage());
        AssertPointsAt(d, json, "\"channels_first\"");
    }

    [Fact]
    public void Causal_DepthwiseConv1D_reports_LSTMGEN005_at_the_padding_as_Keras_rejects_it()
    {
        string json = Model(Depthwise(", \"padding\": \"causal\""), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("Layer 'dw': padding = \"causal\"", d.GetMessage());
        Assert.Contains("expected valid or same (Keras's DepthwiseConv1D has no causal padding", d.GetMessage());
        AssertPointsAt(d, json, "\"causal\"");
    }

    [Theory]
    [InlineData("DepthwiseConv1D", ", \"groups\": 2", "groups", "groups = 2", "every input channel on its own")]
    [InlineData("SeparableConv1D", ", \"strides\": [2], \"dilation_rate\": [2]", "dilation_rate", "dilation_rate = 2", "strides > 1 together with dilation_rate > 1")]
    [InlineData("DepthwiseConv1D", ", \"depth_multiplier\": 0", "depth_multiplier", "depth_multiplier = 0", "whole number from 1")]
    [InlineData("SeparableConv1D", ", \"depth_multiplier\": 40000", "depth_multiplier", "depth_multiplier = 40000", "the 2 input channels times depth_multiplier make more than 65536 channels")]
    [InlineData("SeparableConv1D", ", \"padding\": \"full\"", "padding", "padding = \"full\"", "expected valid, same or causal")]
    public void Unsupported_depthwise_options_report_LSTMGEN005_at_the_value(string className, string options, string key, string shown, string reason)
    {
        string json = Model(className == "DepthwiseConv1D" ? Depthwise(options) : Separable(options), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains(shown, d.GetMessage());
        Assert.Contains(reason, d.GetMessage());
        AssertPointsAtValueOf(d, json, key);
    }

    [Theory]
    [InlineData("DepthwiseConv1D", ", \"depth_multiplier\": 2", null, "depthwise_kernel has shape [3, 2, 1], expected [3, 2, 2]")]
    [InlineData("DepthwiseConv1D", "", "[" + DepthwiseKernel + ", [0.01, 0.02, 0.03]]", "bias has shape [3], expected [2]")]
    [InlineData("SeparableConv1D", "", "[" + DepthwiseKernel + ", [[[0.5, -0.5, 0.1], [0.25, 0.75, 0.1]]], [0.01, 0.02]]", "pointwise_kernel has shape [1, 2, 3], expected [1, 2, 2]")]
    [InlineData("SeparableConv1D", "", "[" + DepthwiseKernel + ", [[[0.5, -0.5], [0.25, 0.75]]]]", "'weights' holds 2 arrays, expected 3 arrays (depthwise_kernel, pointwise_kernel, bias)")]
    [InlineData("SeparableConv1D", ", \"use_bias\": false", null, "'weights' holds 3 arrays, expected 2 arrays (depthwise_kernel, pointwise_kernel)")]
    public void Depthwise_weights_of_the_wrong_shape_report_LSTMGEN006(string className, string options, string? weights, string expected)
    {
        string json = Model(className == "DepthwiseConv1D" ? (weights is null ? Depthwise(options) : Depthwise(options, weights)) : Separable(options, weights), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("Layer '" + (className == "DepthwiseConv1D" ? "dw" : "sep") + "': " + expected, d.GetMessage());
    }

    [Fact]
    public void Separable_conv_too_long_for_a_fixed_input_reports_LSTMGEN011_at_the_layer()
    {
        string json = Model(Separable(shape: "[null, 2, 2]"), Lstm);
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("SeparableConv1D 'sep' needs at least 3 timesteps but gets 2", d.GetMessage());
        AssertPointsAt(d, json, "{\"class_name\": \"SeparableConv1D\"");
    }

    [Theory]
    [InlineData("DepthwiseConv1D")]
    [InlineData("SeparableConv1D")]
    public void Depthwise_or_separable_conv_after_Masking_reports_LSTMGEN003(string className)
    {
        string layer = (className == "DepthwiseConv1D" ? Depthwise() : Separable()).Replace("\"batch_input_shape\": [null, 5, 2], ", "");
        string json = Model("{\"class_name\": \"Masking\", \"config\": {\"name\": \"mask\", \"batch_input_shape\": [null, 5, 2]}}", layer, Lstm);
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("is a '" + className + "'", d.GetMessage());
        Assert.Contains("on a masked sequence", d.GetMessage());
        AssertPointsAt(d, json, "\"" + className + "\"");
    }

    [Fact]
    public void DepthwiseConv1D_computes_what_the_grouped_Conv1D_with_the_same_numbers_computes()
    {
        // depth_multiplier 2 over 2 channels: depthwise_kernel (3, 2, 2) is the grouped kernel (3, 1, 4) as it stands,
        // output channel c * 2 + m reading input channel c.
        const string kernel = "[[[0.1, -0.2], [0.3, 0.4]], [[-0.5, 0.6], [0.7, -0.8]], [[0.9, 1.0], [-1.1, 1.2]]]";
        const string grouped = "[[[0.1, -0.2, 0.3, 0.4]], [[-0.5, 0.6, 0.7, -0.8]], [[0.9, 1.0, -1.1, 1.2]]]";
        const string bias = "[0.01, -0.02, 0.03, 0.04]";
        string lstm4 = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 1}, \"weights\": [[[0.1, 0.2, 0.3, 0.4], [-0.1, 0.2, -0.3, 0.4], [0.5, -0.2, 0.3, 0.1], [0.2, 0.2, -0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}";
        string depthwise = Model(Depthwise(", \"depth_multiplier\": 2, \"padding\": \"same\", \"activation\": \"tanh\"", "[" + kernel + ", " + bias + "]"), lstm4);
        string conv = Model("{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"dw\", \"batch_input_shape\": [null, 5, 2], \"filters\": 4, \"kernel_size\": [3], "
            + "\"groups\": 2, \"padding\": \"same\", \"activation\": \"tanh\"}, \"weights\": [" + grouped + ", " + bias + "]}", lstm4);
        float[] input = Enumerable.Range(0, 5 * 2).Select(i => MathF.Sin(i + 1)).ToArray();
        float[] a = new float[1], b = new float[1];
        GeneratedModel.Predict(Run(depthwise).Load(), "M")(input, a);
        GeneratedModel.Predict(Run(conv).Load(), "M")(input, b);
        Assert.Equal(b[0], a[0]);
        Assert.NotEqual(0f, a[0]);
    }
}
