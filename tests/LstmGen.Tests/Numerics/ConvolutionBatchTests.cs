using System;
using System.Linq;
using System.Reflection;
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
    private static readonly SeededModelJson s_json = new(seed: 1);

    private static readonly (string Name, string Json)[] s_models =
    {
        ("EmbeddingConvPoolLstm", SeededModelJson.Model("[null, null]",
            s_json.Embedding(vocabulary: 20, width: 4),
            s_json.Conv(4, 6, kernel: 3, "\"padding\": \"same\", \"activation\": \"relu\""),
            s_json.Layer("MaxPooling1D", "\"pool_size\": [2]"),
            s_json.Lstm(6, 8, returnSequences: false),
            s_json.Dense(8, 3))),
        ("CausalPadUpsampleCropGru", SeededModelJson.Model("[null, null, 3]",
            s_json.Conv(3, 5, kernel: 3, "\"padding\": \"causal\", \"dilation_rate\": [2]"),
            s_json.Layer("ZeroPadding1D", "\"padding\": [1, 2]"),
            s_json.Layer("UpSampling1D", "\"size\": 2"),
            s_json.Layer("Cropping1D", "\"cropping\": [1, 1]"),
            s_json.Gru(5, 7, returnSequences: true))),
        ("ConvBidirectionalAveragePooling", SeededModelJson.Model("[null, null, 2]",
            s_json.Conv(2, 4, kernel: 2, "\"padding\": \"valid\", \"strides\": [2]"),
            s_json.Bidirectional(4, 5),
            s_json.Layer("GlobalAveragePooling1D"),
            s_json.Dense(10, 2))),
        ("ConvGruFlattenDense", SeededModelJson.Model("[null, 8, 3]",
            s_json.Conv(3, 3, kernel: 2, "\"padding\": \"valid\", \"activation\": \"tanh\""),
            s_json.Gru(3, 3, returnSequences: true),
            s_json.Layer("Flatten"),
            s_json.Dense(21, 2))),
        ("LstmThenConvLast", SeededModelJson.Model("[null, 6, 2]",
            s_json.Lstm(2, 4, returnSequences: true),
            s_json.Conv(4, 3, kernel: 2, "\"padding\": \"same\""))),
        ("ConvAfterRepeatVector", SeededModelJson.Model("[null, null, 2]",
            s_json.Lstm(2, 4, returnSequences: false),
            s_json.Layer("RepeatVector", "\"n\": 5"),
            s_json.Conv(4, 3, kernel: 2, "\"padding\": \"valid\""),
            s_json.Lstm(3, 2, returnSequences: true))),
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
}
