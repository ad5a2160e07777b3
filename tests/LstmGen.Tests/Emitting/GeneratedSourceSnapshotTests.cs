using LstmGen.Tests.Infrastructure;
using System.Linq;

namespace LstmGen.Tests.Emitting;

/// <summary>
/// The generated source of representative models, reviewed and kept as snapshots (Verify conventions, see
/// <see cref="SnapshotAssert"/>). Each snapshot must also compile warning-free.
/// </summary>
public sealed class GeneratedSourceSnapshotTests
{
    private static string Generate(string json, string attribute = "[LstmModel(\"Models/model.json\")]", string declaration = "public static partial class Forecast { }")
    {
        string source = "using LstmGen;\nnamespace MyApp.Models;\n" + attribute + "\n" + declaration;
        var outcome = GeneratorHarness.Run(source, ("/project/Models/model.json", json));
        outcome.Load(); // compiles warning-free or throws with the diagnostics
        GeneratorHarness.AssertSecondRunIsCached(source, ("/project/Models/model.json", json));
        return outcome.SingleSource;
    }

    [Fact]
    public void One_unit_lstm_returning_sequences()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, 1, 1], "return_sequences": true},
               "weights": [[[0, 1, 4, 1]], [[3, 2, -5, 4]], [1, 2, 3, 2]]}]}}
            """));

    [Fact]
    public void Stacked_lstms_with_dropout_and_dense_head()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "batch_input_shape": [null, 4, 1], "return_sequences": true},
               "weights": [[[0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8]],
                           [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8]],
                           [0, 0, 1, 1, 0, 0, 0, 0]]},
              {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.2}},
              {"class_name": "LSTM", "config": {"name": "lstm_1", "units": 1, "recurrent_activation": "hard_sigmoid"},
               "weights": [[[0.5, 0.25, -0.5, 1.5], [0.125, -1, 0.75, 0.5]], [[0.3, 0.2, 0.1, 0]], [0.1, 1, 0, 0]]},
              {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "softmax"},
               "weights": [[[1, -1, 0.5]], [0, 0.1, 0.2]]}]}}
            """));

    /// <summary>
    /// Also pins that PredictBatch runs a go_backwards layer inside the stack as a batch: the first stage's output is
    /// buffered per sequence (<c>sequence2 = buffered.AsSpan(...)</c>) and the backward layer steps through rows
    /// (<c>Layer2Rows(xs, rows, h2, c2, zs)</c>), not one sequence at a time.
    /// </summary>
    [Fact]
    public void Variable_length_model_with_go_backwards_inside_the_stack()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"name": "input", "batch_shape": [null, null, 2]}},
              {"class_name": "LSTM", "config": {"name": "forward", "units": 1, "return_sequences": true, "use_bias": false},
               "weights": [[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [[0.9, 1, 1.1, 1.2]]]},
              {"class_name": "LSTM", "config": {"name": "backward", "units": 1, "go_backwards": true, "return_sequences": true, "recurrent_activation": "hard_sigmoid"},
               "weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0, 1, 0, 0]]},
              {"class_name": "Dense", "config": {"name": "per_step", "units": 1, "activation": "sigmoid"},
               "weights": [[[2]], [-1]]}]}}
            """));

    [Fact]
    public void Masking_into_bidirectional_and_lstm()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "Masking", "config": {"name": "masking", "mask_value": -1.0, "batch_input_shape": [null, null, 2]}},
              {"class_name": "Bidirectional", "config": {"name": "bi", "merge_mode": "sum", "layer": {"class_name": "SimpleRNN",
                "config": {"name": "rnn", "units": 1, "return_sequences": true}}},
               "weights": [[[0.5], [-0.5]], [[0.25]], [0.1], [[0.3], [0.2]], [[-0.25]], [0]]},
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1},
               "weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0, 1, 0, 0]]}]}}
            """));

    [Fact]
    public void Embedding_with_mask_zero_into_lstm()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"name": "ids", "batch_shape": [null, 4], "dtype": "int32"}},
              {"class_name": "Embedding", "config": {"name": "embedding", "input_dim": 3, "output_dim": 2, "mask_zero": true},
               "weights": [[[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]]]},
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "return_sequences": true},
               "weights": [[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [[0.9, 1, 1.1, 1.2]], [0, 1, 0, 0]]}]}}
            """));

    [Fact]
    public void Embedding_into_bidirectional_gru()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "Embedding", "config": {"name": "embedding", "input_dim": 3, "output_dim": 1, "mask_zero": true, "batch_input_shape": [null, 3]},
               "weights": [[[0.1], [0.3], [-0.5]]]},
              {"class_name": "Bidirectional", "config": {"name": "bi", "merge_mode": "concat", "layer": {"class_name": "GRU",
                "config": {"name": "gru", "units": 1, "reset_after": false}}},
               "weights": [[[0.5, 0.1, -0.5]], [[0.25, 0.2, 0.1]], [0.1, 0, 0], [[0.3, 0.2, 0.1]], [[-0.25, 0.5, 0.1]], [0, 0.1, 0]]}]}}
            """));

    [Fact]
    public void Unrolled_fixed_length_model()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, 3, 1], "go_backwards": true},
               "weights": [[[0, 1, 4, 1]], [[3, 2, -5, 4]], [1, 2, 3, 2]]},
              {"class_name": "Activation", "config": {"name": "act", "activation": "relu"}}]}}
            """,
            attribute: "[LstmModel(\"Models/model.json\", Unroll = true)]",
            declaration: "public partial class Outer { internal sealed partial class Forecast { } }"));

    [Fact]
    public void Gru_reset_after_over_gru_reset_before()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "GRU", "config": {"name": "gru", "units": 2, "batch_input_shape": [null, 3, 1], "return_sequences": true, "reset_after": true},
               "weights": [[[0.1, -0.2, 0.3, 0.4, 0.5, -0.6]],
                           [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6]],
                           [[0, 0.5, 1, 1, 0, 0], [0.25, 0, 0, 0, 0.5, -0.5]]]},
              {"class_name": "GRU", "config": {"name": "gru_1", "units": 1, "reset_after": false, "recurrent_activation": "hard_sigmoid"},
               "weights": [[[0.5, 0.25, -0.5], [0.125, -1, 0.75]], [[0.3, 0.2, 0.1]], [0.1, 1, 0]]},
              {"class_name": "Dense", "config": {"name": "dense", "units": 1},
               "weights": [[[2]], [-1]]}]}}
            """));

    [Fact]
    public void Simple_rnn_relu_going_backwards_without_bias()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"name": "input", "batch_shape": [null, null, 2]}},
              {"class_name": "SimpleRNN", "config": {"name": "simple_rnn", "units": 2, "activation": "relu", "use_bias": false, "go_backwards": true, "return_sequences": true},
               "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, -0.6], [0.7, 0.8]]]},
              {"class_name": "Dense", "config": {"name": "per_step", "units": 1, "activation": "sigmoid"},
               "weights": [[[2], [1]], [-1]]}]}}
            """));

    /// <summary>
    /// Also pins that PredictBatch runs Bidirectional layers as a batch: each direction steps through the rows of a
    /// block (<c>Layer1ForwardRows</c>, <c>Layer1BackwardRows</c>, ...), not one sequence at a time.
    /// </summary>
    [Fact]
    public void Stacked_bidirectional_layers()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "Bidirectional", "config": {"name": "bidirectional", "batch_input_shape": [null, 3, 1], "merge_mode": "concat",
                "layer": {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "return_sequences": true}}},
               "weights": [[[0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8]],
                           [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8]],
                           [0, 0, 1, 1, 0, 0, 0, 0],
                           [[0.2, 0.1, -0.3, 0.4, 0.5, 0.6, -0.7, 0.8]],
                           [[0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1], [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]],
                           [0, 0, 1, 1, 0.5, 0.5, 0, 0]]},
              {"class_name": "Bidirectional", "config": {"name": "bidirectional_1", "merge_mode": "ave",
                "layer": {"class_name": "SimpleRNN", "config": {"name": "simple_rnn", "units": 1, "activation": "relu"}}},
               "weights": [[[0.5], [-0.25], [1], [0.75]], [[0.5]], [0.1], [[1], [0.5], [-0.5], [0.25]], [[-0.5]], [0.2]]},
              {"class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "sigmoid"},
               "weights": [[[2]], [-1]]}]}}
            """));

    [Fact]
    public void Lstm_autoencoder_with_repeat_vector_and_time_distributed_dense()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"name": "input", "batch_shape": [null, null, 1]}},
              {"class_name": "LSTM", "config": {"name": "encoder", "units": 1},
               "weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0, 1, 0, 0]]},
              {"class_name": "RepeatVector", "config": {"name": "repeat", "n": 3}},
              {"class_name": "LSTM", "config": {"name": "decoder", "units": 2, "return_sequences": true},
               "weights": [[[0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8]],
                           [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8]],
                           [0, 0, 1, 1, 0, 0, 0, 0]]},
              {"class_name": "TimeDistributed", "config": {"name": "per_row",
                "layer": {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "linear"}}},
               "weights": [[[2], [-1]], [0.5]]}]}}
            """));

    [Fact]
    public void Flatten_after_return_sequences_unrolled()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 2, "batch_input_shape": [null, 3, 1], "return_sequences": true},
               "weights": [[[0.5, -0.5]], [[0.1, 0.2], [0.3, 0.4]], [0, 0.1]]},
              {"class_name": "Flatten", "config": {"name": "flatten", "data_format": "channels_last"}},
              {"class_name": "Dense", "config": {"name": "dense", "units": 1},
               "weights": [[[1], [2], [3], [4], [5], [6]], [0]]}]}}
            """,
            attribute: "[LstmModel(\"Models/model.json\", Unroll = true)]"));

    [Fact]
    public void Global_average_and_max_pooling_around_repeat_vector()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "GRU", "config": {"name": "gru", "units": 2, "batch_input_shape": [null, null, 1], "return_sequences": true, "reset_after": false},
               "weights": [[[0.1, -0.2, 0.3, 0.4, 0.5, -0.6]], [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6]], [0, 0.5, 1, 1, 0, 0]]},
              {"class_name": "GlobalAveragePooling1D", "config": {"name": "average"}},
              {"class_name": "RepeatVector", "config": {"name": "repeat", "n": 4}},
              {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 1, "return_sequences": true},
               "weights": [[[0.5], [-0.5]], [[0.25]], [0.1]]},
              {"class_name": "GlobalMaxPooling1D", "config": {"name": "max"}}]}}
            """));

    [Fact]
    public void Batch_and_layer_normalization_per_step_and_on_the_vector()
        => SnapshotAssert.Verify(Generate("""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"name": "input", "batch_shape": [null, 2, 2]}},
              {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1, "epsilon": 0.001},
               "weights": [[1.5, -0.5], [0.1, 0.2], [0.25, -0.25], [1, 2]]},
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1},
               "weights": [[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [[0.9, 1, 1.1, 1.2]], [0, 1, 0, 0]]},
              {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1, "epsilon": 0.001, "center": false},
               "weights": [[2]]},
              {"class_name": "BatchNormalization", "config": {"name": "bn_1", "axis": -1, "center": false, "scale": false},
               "weights": [[0.5], [4]]}]}}
            """));

    [Fact]
    public void Small_lstm_stack_runs_in_registers_a_timestep_apart()
        => SnapshotAssert.Verify(Generate($$$"""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 4, "batch_input_shape": [null, null, 2], "return_sequences": true},
               "weights": [{{{Weights(2, 16)}}}, {{{Weights(4, 16)}}}, {{{Weights(16)}}}]},
              {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.2}},
              {"class_name": "LSTM", "config": {"name": "lstm_1", "units": 9},
               "weights": [{{{Weights(4, 36)}}}, {{{Weights(9, 36)}}}, {{{Weights(36)}}}]},
              {"class_name": "Dense", "config": {"name": "dense", "units": 1},
               "weights": [{{{Weights(9, 1)}}}, [0.5]]}]}}
            """));

    [Fact]
    public void Small_lstm_returning_sequences_unrolled_in_registers()
        => SnapshotAssert.Verify(Generate($$$"""
            {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 5, "batch_input_shape": [null, 3, 1], "return_sequences": true, "use_bias": false},
               "weights": [{{{Weights(1, 20)}}}, {{{Weights(5, 20)}}}]}]}}
            """,
            attribute: "[LstmModel(\"Models/model.json\", Unroll = true)]"));

    /// <summary>
    /// The motion classifier's shape in miniature (Conv1D ×2, 'same', then GRUs and a softmax head), fixed length: each
    /// convolution a stage of its own over the whole sequence, one matrix product per kernel tap; PredictBatch runs the
    /// convolutions sequence by sequence and the GRUs over the block.
    /// </summary>
    [Fact]
    public void Cnn_gru_classifier_with_two_same_convolutions()
        => SnapshotAssert.Verify(Generate($$$"""
            {"class_name": "Sequential", "keras_version": "2.6.0", "config": {"layers": [
              {"class_name": "Conv1D", "config": {"name": "conv1d", "filters": 4, "kernel_size": [3], "strides": [1], "padding": "same", "activation": "relu", "batch_input_shape": [null, 8, 2]},
               "weights": [[{{{Weights(2, 4)}}}, {{{Weights(2, 4)}}}, {{{Weights(2, 4)}}}], {{{Weights(4)}}}]},
              {"class_name": "Conv1D", "config": {"name": "conv1d_1", "filters": 4, "kernel_size": [3], "padding": "same", "activation": "relu"},
               "weights": [[{{{Weights(4, 4)}}}, {{{Weights(4, 4)}}}, {{{Weights(4, 4)}}}], {{{Weights(4)}}}]},
              {"class_name": "GRU", "config": {"name": "gru", "units": 3, "reset_after": false},
               "weights": [{{{Weights(4, 9)}}}, {{{Weights(3, 9)}}}, {{{Weights(9)}}}]},
              {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "softmax"},
               "weights": [{{{Weights(3, 2)}}}, [0, 0.5]]}]}}
            """));

    /// <summary>
    /// A residual LSTM as a Keras 2 Functional graph: Dense projection, LSTM over it, Add of the two (the skip
    /// connection), a many-to-one LSTM and a head. Each layer runs over its whole input into a buffer of its own;
    /// Step walks the same graph one row at a time.
    /// </summary>
    [Fact]
    public void Residual_lstm_graph_with_an_add_skip_connection()
        => SnapshotAssert.Verify(Generate($$$"""
            {"class_name": "Functional", "keras_version": "2.15.0", "config": {"name": "residual",
              "layers": [
                {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 6, 2]}, "inbound_nodes": []},
                {"class_name": "Dense", "name": "project", "config": {"name": "project", "units": 3}, "inbound_nodes": [[["x", 0, 0, {}]]],
                 "weights": [{{{Weights(2, 3)}}}, {{{Weights(3)}}}]},
                {"class_name": "LSTM", "name": "lstm", "config": {"name": "lstm", "units": 3, "return_sequences": true}, "inbound_nodes": [[["project", 0, 0, {}]]],
                 "weights": [{{{Weights(3, 12)}}}, {{{Weights(3, 12)}}}, {{{Weights(12)}}}]},
                {"class_name": "Add", "name": "skip", "config": {"name": "skip"}, "inbound_nodes": [[["project", 0, 0, {}], ["lstm", 0, 0, {}]]]},
                {"class_name": "LSTM", "name": "lstm_1", "config": {"name": "lstm_1", "units": 2}, "inbound_nodes": [[["skip", 0, 0, {}]]],
                 "weights": [{{{Weights(3, 8)}}}, {{{Weights(2, 8)}}}, {{{Weights(8)}}}]},
                {"class_name": "Dense", "name": "head", "config": {"name": "head", "units": 1}, "inbound_nodes": [[["lstm_1", 0, 0, {}]]],
                 "weights": [{{{Weights(2, 1)}}}, [0.25]]}],
              "input_layers": [["x", 0, 0]], "output_layers": [["head", 0, 0]]}}
            """));

    /// <summary>
    /// Variable length through a strided valid convolution and a pooling: the row counts are locals computed from the
    /// input's, after a check that it has the timesteps the convolution needs.
    /// </summary>
    [Fact]
    public void Variable_length_strided_convolution_and_pooling_into_lstm_sequence()
        => SnapshotAssert.Verify(Generate($$$"""
            {"class_name": "Sequential", "keras_version": "3.6.0", "config": {"layers": [
              {"class_name": "InputLayer", "config": {"name": "input", "batch_shape": [null, null, 1]}},
              {"class_name": "Conv1D", "config": {"name": "conv", "filters": 2, "kernel_size": 3, "strides": 2, "padding": "valid", "use_bias": false},
               "weights": [[{{{Weights(1, 2)}}}, {{{Weights(1, 2)}}}, {{{Weights(1, 2)}}}]]},
              {"class_name": "MaxPooling1D", "config": {"name": "pool", "pool_size": 2, "padding": "same"}},
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "return_sequences": true},
               "weights": [[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [[0.9, 1, 1.1, 1.2]], [0, 1, 0, 0]]}]}}
            """));

    /// <summary>
    /// A dilated causal convolution streams: the State keeps its last input rows (Layer1History), which Predict reads
    /// for the rows before its input's first and Step for every row, so Step equals Predict.
    /// </summary>
    [Fact]
    public void Dilated_causal_convolution_streams_through_its_history()
        => SnapshotAssert.Verify(Generate($$$"""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "Conv1D", "config": {"name": "conv", "filters": 2, "kernel_size": [2], "dilation_rate": [2], "padding": "causal", "activation": "tanh", "batch_input_shape": [null, null, 1]},
               "weights": [[{{{Weights(1, 2)}}}, {{{Weights(1, 2)}}}], [0.25, -0.25]]},
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1},
               "weights": [[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [[0.9, 1, 1.1, 1.2]], [0, 1, 0, 0]]}]}}
            """));

    /// <summary>A JSON matrix (or vector) of small distinct values in eighths, so the snapshots stay short.</summary>
    private static string Weights(int rows, int columns = 0)
    {
        string Value(int index) => ((index * 7 % 17 - 8) / 8.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Row(int row, int count) => "[" + string.Join(", ", Enumerable.Range(row * 31, count).Select(Value)) + "]";
        return columns == 0 ? Row(0, rows) : "[" + string.Join(", ", Enumerable.Range(0, rows).Select(r => Row(r, columns))) + "]";
    }
}
