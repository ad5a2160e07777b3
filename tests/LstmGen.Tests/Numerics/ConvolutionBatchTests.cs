using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// PredictBatch of chains whose layers change the rows (Conv1D, pooling, padding, upsampling, cropping) next to
/// the layers the reference fixtures do not put beside them: an Embedding before, a Bidirectional, a Flatten or
/// global pooling after, a convolution as the last layer, one after a RepeatVector. The weights are seeded random
/// numbers; what is checked is that every row of a batch equals Predict on that sequence bit for bit (Predict
/// itself is checked against TensorFlow.js by the fixtures).
/// </summary>
public sealed class ConvolutionBatchTests
{
    // Declared before the models, which use them as they are built.
    private static int s_seed = 1, s_layer;

    private static readonly (string Name, string Json)[] s_models =
    {
        ("EmbeddingConvPoolLstm", Model("[null, null]",
            Embedding(vocabulary: 20, width: 4),
            Conv(4, 6, kernel: 3, "\"padding\": \"same\", \"activation\": \"relu\""),
            Layer("MaxPooling1D", "\"pool_size\": [2]"),
            Lstm(6, 8, returnSequences: false),
            Dense(8, 3))),
        ("CausalPadUpsampleCropGru", Model("[null, null, 3]",
            Conv(3, 5, kernel: 3, "\"padding\": \"causal\", \"dilation_rate\": [2]"),
            Layer("ZeroPadding1D", "\"padding\": [1, 2]"),
            Layer("UpSampling1D", "\"size\": 2"),
            Layer("Cropping1D", "\"cropping\": [1, 1]"),
            Gru(5, 7, returnSequences: true))),
        ("ConvBidirectionalAveragePooling", Model("[null, null, 2]",
            Conv(2, 4, kernel: 2, "\"padding\": \"valid\", \"strides\": [2]"),
            Bidirectional(4, 5),
            Layer("GlobalAveragePooling1D"),
            Dense(10, 2))),
        ("ConvGruFlattenDense", Model("[null, 8, 3]",
            Conv(3, 3, kernel: 2, "\"padding\": \"valid\", \"activation\": \"tanh\""),
            Gru(3, 3, returnSequences: true),
            Layer("Flatten"),
            Dense(21, 2))),
        ("LstmThenConvLast", Model("[null, 6, 2]",
            Lstm(2, 4, returnSequences: true),
            Conv(4, 3, kernel: 2, "\"padding\": \"same\""))),
        ("ConvAfterRepeatVector", Model("[null, null, 2]",
            Lstm(2, 4, returnSequences: false),
            Layer("RepeatVector", "\"n\": 5"),
            Conv(4, 3, kernel: 2, "\"padding\": \"valid\""),
            Lstm(3, 2, returnSequences: true))),
    };

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[] { "namespace ConvBatch;\n" + string.Concat(s_models.Select(m => $"[LstmGen.LstmModel(\"Models/{m.Name}.json\")] public static partial class {m.Name} {{ }}\n")) },
        s_models.Select(m => ($"/p/Models/{m.Name}.json", m.Json)).ToArray()).Load());

    public static TheoryData<string> Names() => new(s_models.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_batch_row_equals_Predict_bit_for_bit(string name)
    {
        string type = "ConvBatch." + name;
        PredictFunc predict = GeneratedModel.Predict(s_assembly.Value, type);
        PredictBatchFunc predictBatch = GeneratedModel.PredictBatch(s_assembly.Value, type);
        Type model = s_assembly.Value.GetType(type, throwOnError: true)!;
        int features = GeneratedModel.Constant<int>(s_assembly.Value, type, "InputFeatures");
        int? vocabulary = model.GetField("VocabularySize") is null ? null : GeneratedModel.Constant<int>(s_assembly.Value, type, "VocabularySize");
        int[] lengths = model.GetField("Timesteps") is null ? new[] { 9, 16 } : new[] { GeneratedModel.Constant<int>(s_assembly.Value, type, "Timesteps") };
        var random = new Random(name.Length);
        foreach (int timesteps in lengths)
        {
            const int batch = 67; // a full block of 64 and a partial one
            int sequenceLength = timesteps * features;
            float[] inputs = Enumerable.Range(0, batch * sequenceLength)
                .Select(_ => vocabulary is int size ? random.Next(size) : (float)(random.NextDouble() * 2 - 1)).ToArray();
            var single = new float[4096];
            single.AsSpan().Fill(float.NaN);
            predict(inputs.AsSpan(0, sequenceLength), single);
            int outputLength = Array.FindIndex(single, float.IsNaN);
            Assert.True(outputLength > 0, $"{name}: Predict wrote nothing");
            var outputs = new float[batch * outputLength];
            outputs.AsSpan().Fill(float.NaN);
            predictBatch(inputs, batch, outputs);
            for (int b = 0; b < batch; b++)
            {
                var expected = new float[outputLength];
                predict(inputs.AsSpan(b * sequenceLength, sequenceLength), expected);
                float[] row = outputs.AsSpan(b * outputLength, outputLength).ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(row), $"{name}, T={timesteps}, batch row {b} differs from Predict: {string.Join(", ", row)} vs {string.Join(", ", expected)}");
            }
        }
    }

    /// <summary>Seeded numbers in [-0.5, 0.5) as a nested JSON array of the given shape.</summary>
    private static string Weights(params int[] shape)
    {
        var random = new Random(s_seed++);
        var text = new StringBuilder();
        void Write(int axis)
        {
            text.Append('[');
            for (int i = 0; i < shape[axis]; i++)
            {
                if (i > 0) text.Append(", ");
                if (axis + 1 < shape.Length) Write(axis + 1);
                else text.Append((random.NextDouble() - 0.5).ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append(']');
        }
        Write(0);
        return text.ToString();
    }

    private static string Layer(string className, string config = "", string? weights = null)
        => "{\"class_name\": \"" + className + "\", \"config\": {\"name\": \"" + className.ToLowerInvariant() + "_" + s_layer++ + "\""
           + (config.Length > 0 ? ", " + config : "") + "}" + (weights is null ? "" : ", \"weights\": " + weights) + "}";

    private static string Conv(int inputs, int filters, int kernel, string options)
        => Layer("Conv1D", $"\"filters\": {filters}, \"kernel_size\": [{kernel}], {options}", $"[{Weights(kernel, inputs, filters)}, {Weights(filters)}]");

    private static string Lstm(int inputs, int units, bool returnSequences)
        => Layer("LSTM", $"\"units\": {units}, \"return_sequences\": {(returnSequences ? "true" : "false")}",
            $"[{Weights(inputs, 4 * units)}, {Weights(units, 4 * units)}, {Weights(4 * units)}]");

    private static string Gru(int inputs, int units, bool returnSequences)
        => Layer("GRU", $"\"units\": {units}, \"reset_after\": false, \"return_sequences\": {(returnSequences ? "true" : "false")}",
            $"[{Weights(inputs, 3 * units)}, {Weights(units, 3 * units)}, {Weights(3 * units)}]");

    private static string Bidirectional(int inputs, int units)
        => "{\"class_name\": \"Bidirectional\", \"config\": {\"name\": \"bidirectional_" + s_layer++ + "\", \"merge_mode\": \"concat\", \"layer\": "
           + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": " + units + ", \"return_sequences\": true}}}, \"weights\": ["
           + $"{Weights(inputs, 4 * units)}, {Weights(units, 4 * units)}, {Weights(4 * units)}, {Weights(inputs, 4 * units)}, {Weights(units, 4 * units)}, {Weights(4 * units)}]}}";

    private static string Dense(int inputs, int units)
        => Layer("Dense", $"\"units\": {units}", $"[{Weights(inputs, units)}, {Weights(units)}]");

    private static string Embedding(int vocabulary, int width)
        => Layer("Embedding", $"\"input_dim\": {vocabulary}, \"output_dim\": {width}", $"[{Weights(vocabulary, width)}]");

    /// <summary>A Sequential model whose first layer gets <paramref name="inputShape"/> (Keras's batch_input_shape).</summary>
    private static string Model(string inputShape, params string[] layers)
    {
        string first = layers[0].Replace("\"config\": {", "\"config\": {\"batch_input_shape\": " + inputShape + ", ", StringComparison.Ordinal);
        return "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n"
               + string.Join(",\n", new[] { first }.Concat(layers.Skip(1))) + "]}}";
    }
}
