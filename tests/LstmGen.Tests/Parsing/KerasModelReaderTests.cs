using System.Linq;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;

namespace LstmGen.Tests.Parsing;

/// <summary>The topology layouts of Keras 2, Keras 3 and TensorFlow.js all read into the same model.</summary>
public sealed class KerasModelReaderTests
{
    private const string LstmWeights = "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]";

    private static ModelSpec Read(string json)
    {
        var result = KerasModelReader.Read("m.json", json, null, default);
        Assert.True(result.Model is not null, string.Join("\n", result.Diagnostics.Select(d => d.ToDiagnostic().GetMessage())));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id != "LSTMGEN013");
        return result.Model!;
    }

    private static LstmLayerSpec OnlyLstm(ModelSpec model) => Assert.IsType<LstmLayerSpec>(model.Layers.Single(l => l is LstmLayerSpec));

    [Fact]
    public void Keras2_functional_chain_is_ordered_by_inbound_nodes()
    {
        // Listed out of order on purpose: the chain, not the list order, decides.
        var model = Read($$$"""
            {"class_name": "Functional", "keras_version": "2.15.0", "config": {"name": "model", "layers": [
              {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 1}, "inbound_nodes": [[["lstm", 0, 0, {}]]], "weights": [[[2]], [0.5]]},
              {"class_name": "InputLayer", "name": "input_1", "config": {"batch_input_shape": [null, 4, 1], "name": "input_1"}, "inbound_nodes": []},
              {"class_name": "LSTM", "name": "lstm", "config": {"name": "lstm", "units": 1}, "inbound_nodes": [[["input_1", 0, 0, {}]]], "weights": {{{LstmWeights}}}}],
              "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}
            """);
        Assert.Equal(new[] { "LSTM", "Dense" }, model.Layers.Select(l => l.ClassName));
        Assert.Equal(4, model.Timesteps);
        Assert.Equal(1, model.Features);
    }

    [Fact]
    public void Tfjs_model_class_name_is_a_functional_model()
    {
        var model = Read($$$"""
            {"class_name": "Model", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, null, 2], "name": "in"}, "inbound_nodes": []},
              {"class_name": "LSTM", "name": "l", "config": {"name": "l", "units": 1, "recurrent_activation": "hard_sigmoid"}, "inbound_nodes": [[["in", 0, 0, {}]]],
               "weights": [[[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]}]}}
            """);
        Assert.Null(model.Timesteps);
        Assert.Equal(Activation.HardSigmoid, OnlyLstm(model).RecurrentActivation);
    }

    [Fact]
    public void Keras_2_0_config_as_a_plain_layer_list_is_read()
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "keras_version": "2.0.8", "config": [
              {"class_name": "LSTM", "config": {"name": "lstm_1", "units": 1, "batch_input_shape": [null, 3, 1]}, "weights": {{{LstmWeights}}}}]}
            """);
        Assert.Equal(3, model.Timesteps);
    }

    [Theory]
    [InlineData("\"keras_version\": \"3.6.0\",", "HardSigmoidKeras3")]
    [InlineData("\"keras_version\": \"2.15.0\",", "HardSigmoid")]
    [InlineData("\"keras_version\": \"tfjs-layers 4.22.0\",", "HardSigmoid")]
    [InlineData("\"module\": \"keras\",", "HardSigmoidKeras3")]
    [InlineData("", "HardSigmoid")]
    public void Hard_sigmoid_follows_the_file_dialect(string marker, string expected)
    {
        var model = Read($$$"""
            { {{{marker}}} "class_name": "Sequential", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "l", "units": 1, "batch_input_shape": [null, 3, 1], "recurrent_activation": "hard_sigmoid"}, "weights": {{{LstmWeights}}}}]}}
            """);
        Assert.Equal(expected, OnlyLstm(model).RecurrentActivation.ToString());
    }

    [Fact]
    public void Keras3_dtype_policy_without_version_means_keras3()
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 3, 1], "name": "input_layer"}},
              {"class_name": "LSTM", "config": {"name": "l", "units": 1, "activation": "hard_sigmoid",
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}}, "weights": {{{LstmWeights}}}}]}}
            """);
        Assert.Equal(Activation.HardSigmoidKeras3, OnlyLstm(model).Activation);
    }

    [Fact]
    public void Activation_serialised_as_a_keras3_function_object_is_read()
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "l", "units": 1, "batch_input_shape": [null, 3, 1],
                "activation": {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "function"}}, "weights": {{{LstmWeights}}}}]}}
            """);
        Assert.Equal(Activation.Relu, OnlyLstm(model).Activation);
    }

    [Theory]
    [InlineData("\"input_shape\": [5, 1]", 5)]
    [InlineData("\"input_shape\": [null, 1]", null)]
    public void Input_shape_without_batch_axis_is_accepted(string key, int? timesteps)
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "l", "units": 1, {{{key}}}}, "weights": {{{LstmWeights}}}}]}}
            """);
        Assert.Equal(timesteps, model.Timesteps);
    }

    [Fact]
    public void Build_config_input_shape_is_the_last_resort()
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "l", "units": 1}, "build_config": {"input_shape": [null, 7, 1]}, "weights": {{{LstmWeights}}}}]}}
            """);
        Assert.Equal(7, model.Timesteps);
    }

    [Fact]
    public void Absent_keys_take_tf_keras_2_defaults()
    {
        var lstm = OnlyLstm(Read($$$"""
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "LSTM", "config": {"units": 1, "batch_input_shape": [null, 3, 1]}, "weights": {{{LstmWeights}}}}]}}
            """));
        Assert.Equal(Activation.Tanh, lstm.Activation);
        Assert.Equal(Activation.Sigmoid, lstm.RecurrentActivation);
        Assert.NotNull(lstm.Bias);
        Assert.False(lstm.ReturnSequences);
        Assert.False(lstm.GoBackwards);
    }

    [Fact]
    public void Inference_irrelevant_keys_of_a_real_keras3_layer_are_ignored_silently()
    {
        var result = KerasModelReader.Read("m.json", $$$"""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32", "batch_input_shape": [null, 3, 1],
                "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
                "zero_output_for_mask": false, "units": 1, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
                "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
                "recurrent_initializer": null, "bias_initializer": null, "unit_forget_bias": true, "kernel_regularizer": null,
                "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": null,
                "use_cudnn": "auto", "implementation": 2, "time_major": false}, "weights": {{{LstmWeights}}}}]}}
            """, null, default);
        Assert.NotNull(result.Model);
        Assert.Empty(result.Diagnostics);
    }

    private const string GruWeightsResetBefore = "[[[0.1, 0.2, 0.3]], [[0.4, 0.5, 0.6]], [0.1, 0.2, 0.3]]";

    private const string GruWeightsResetAfter = "[[[0.1, 0.2, 0.3]], [[0.4, 0.5, 0.6]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]]";

    [Theory]
    [InlineData("2.15.0", true, GruWeightsResetAfter)]
    [InlineData("3.6.0", true, GruWeightsResetAfter)]
    [InlineData("tfjs-layers 4.22.0", false, GruWeightsResetBefore)]
    public void Absent_gru_reset_after_is_true_for_keras_and_false_for_tfjs(string version, bool resetAfter, string weights)
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "keras_version": "{{{version}}}", "config": {"layers": [
              {"class_name": "GRU", "config": {"name": "g", "units": 1, "batch_input_shape": [null, 3, 1]}, "weights": {{{weights}}}}]}}
            """);
        var gru = Assert.IsType<GruLayerSpec>(model.Layers.Single());
        Assert.Equal(resetAfter, gru.ResetAfter);
        Assert.Equal(Activation.Tanh, gru.Activation);
        Assert.Equal(Activation.Sigmoid, gru.RecurrentActivation);
        Assert.Equal(resetAfter ? new[] { 2, 3 } : new[] { 3 }, gru.Bias!.Shape);
    }

    [Fact]
    public void Explicit_gru_reset_after_wins_over_the_dialect_default()
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "GRU", "config": {"name": "g", "units": 1, "batch_input_shape": [null, 3, 1], "reset_after": false}, "weights": {{{GruWeightsResetBefore}}}}]}}
            """);
        Assert.False(Assert.IsType<GruLayerSpec>(model.Layers.Single()).ResetAfter);
    }

    [Fact]
    public void Simple_rnn_reads_its_options_and_stacks_after_a_gru()
    {
        var model = Read($$$"""
            {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "GRU", "config": {"name": "g", "units": 1, "batch_input_shape": [null, null, 1], "return_sequences": true}, "weights": {{{GruWeightsResetBefore}}}},
              {"class_name": "SimpleRNN", "config": {"name": "r", "units": 2, "activation": "relu", "use_bias": false, "go_backwards": true,
                "dropout": 0.5, "recurrent_dropout": 0.5}, "weights": [[[0.1, 0.2]], [[0.3, 0.4], [0.5, 0.6]]]}]}}
            """);
        var rnn = Assert.IsType<SimpleRnnLayerSpec>(model.Layers[1]);
        Assert.Equal(1, rnn.InputSize);
        Assert.Equal(2, rnn.Units);
        Assert.Equal(Activation.Relu, rnn.Activation);
        Assert.Null(rnn.Bias);
        Assert.True(rnn.GoBackwards);
        Assert.False(rnn.ReturnSequences);
        Assert.Null(model.Timesteps);
    }
}
