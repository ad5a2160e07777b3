using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Functional graphs against the chains they equal exactly, bit for bit: a merge of a layer's output with itself
/// (Maximum(a, a) = Minimum(a, a) = Average(a, a) = a; Add(a, a) = 2a, which a Dense with a doubled kernel reads as
/// the chain's Dense reads a) wrapped around the layers a graph runs through its own code path (RepeatVector, a
/// Bidirectional, Conv1D and pooling, a GRU going backwards, Dense on vectors). The chain path is checked against
/// TensorFlow.js in <see cref="ReferenceModelTests"/>; the graph fixtures there check the merges themselves.
/// </summary>
public sealed class GraphEquivalenceTests
{
    private const int Steps = 7, Features = 3;

    private static readonly Random s_random = new(20261204);

    /// <summary>Each case: the chain's layers, the graph's layers (Keras 2 inbound form), and a note.</summary>
    private static readonly (string Name, string[] Chain, string[] Graph)[] s_cases = BuildCases();

    private static readonly Lazy<Assembly> s_assembly = new(() =>
    {
        var source = new StringBuilder("namespace Equivalence;\n");
        var files = new List<(string, string)>();
        foreach (var c in s_cases)
        {
            files.Add(($"/p/{c.Name}_chain.json", Sequential(c.Chain)));
            files.Add(($"/p/{c.Name}_graph.json", Functional(c.Graph)));
            source.Append($"[LstmGen.LstmModel(\"{c.Name}_chain.json\")] public static partial class Chain_{c.Name} {{ }}\n");
            source.Append($"[LstmGen.LstmModel(\"{c.Name}_graph.json\")] public static partial class Graph_{c.Name} {{ }}\n");
        }
        return GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray()).Load();
    });

    public static TheoryData<string> Cases => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Graph_equals_its_chain_bit_for_bit(string name)
    {
        PredictFunc chain = GeneratedModel.Predict(s_assembly.Value, "Equivalence.Chain_" + name);
        PredictFunc graph = GeneratedModel.Predict(s_assembly.Value, "Equivalence.Graph_" + name);
        int outputs = GeneratedModel.Constant<int>(s_assembly.Value, "Equivalence.Chain_" + name, "OutputLength");
        Assert.Equal(outputs, GeneratedModel.Constant<int>(s_assembly.Value, "Equivalence.Graph_" + name, "OutputLength"));
        var random = new Random(name.Length);
        for (int trial = 0; trial < 5; trial++)
        {
            float[] input = Enumerable.Range(0, Steps * Features).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            var expected = new float[outputs];
            var actual = new float[outputs];
            chain(input, expected);
            graph(input, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name}: graph {string.Join(", ", actual)} vs chain {string.Join(", ", expected)}");
            Assert.All(actual, v => Assert.True(float.IsFinite(v)));
        }
    }

    public static TheoryData<string, int> BatchCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in s_cases)
        {
            foreach (int batch in new[] { 1, 3, 64, 70 }) data.Add(c.Name, batch);
        }
        return data;
    }

    /// <summary>
    /// A graph's PredictBatch (blocks of up to 64 sequences: a batch of one, a partial block, a full one, a full one
    /// and a partial one) gives every sequence exactly Predict's floats.
    /// </summary>
    [Theory]
    [MemberData(nameof(BatchCases))]
    public void Graph_predict_batch_rows_equal_predict_bit_for_bit(string name, int batch)
    {
        string type = "Equivalence.Graph_" + name;
        PredictFunc predict = GeneratedModel.Predict(s_assembly.Value, type);
        PredictBatchFunc predictBatch = GeneratedModel.PredictBatch(s_assembly.Value, type);
        int outputs = GeneratedModel.Constant<int>(s_assembly.Value, type, "OutputLength");
        var random = new Random(name.Length + batch);
        float[] inputs = Enumerable.Range(0, batch * Steps * Features).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var rows = new float[batch * outputs];
        rows.AsSpan().Fill(float.NaN);
        predictBatch(inputs, batch, rows);
        var single = new float[outputs];
        for (int b = 0; b < batch; b++)
        {
            predict(inputs.AsSpan(b * Steps * Features, Steps * Features), single);
            float[] row = rows.AsSpan(b * outputs, outputs).ToArray();
            Assert.True(single.AsSpan().SequenceEqual(row), $"{name}, batch {batch}, row {b}: {string.Join(", ", row)} vs Predict {string.Join(", ", single)}");
        }
    }

    private static (string, string[], string[])[] BuildCases()
    {
        var cases = new List<(string, string[], string[])>();

        // An LSTM autoencoder: encoder, RepeatVector, decoder, then Maximum(decoder, decoder) before the per-step Dense.
        string encoder = Lstm("enc", Features, 4, sequences: false), repeat = Layer("RepeatVector", "rep", "\"n\": 5");
        string decoder = Lstm("dec", 4, 4, sequences: true), head = Dense("head", 4, 2);
        cases.Add(("repeat_vector_autoencoder",
            new[] { encoder, repeat, decoder, head },
            new[] { Input(), Graphed(encoder, "x"), Graphed(repeat, "enc"), Graphed(decoder, "rep"), Merge("Maximum", "same", "dec", "dec"), Graphed(head, "same") }));

        // A Bidirectional GRU over a causal convolution, pooled; Minimum(b, b) between them.
        string conv = Conv("conv", Features, 5, "causal"), bidi = BidirectionalGru("bi", 5, 3), pool = Layer("GlobalMaxPooling1D", "pool", ""), dense = Dense("out", 6, 1);
        cases.Add(("conv_bidirectional_pooled",
            new[] { conv, bidi, pool, dense },
            new[] { Input(), Graphed(conv, "x"), Graphed(bidi, "conv"), Merge("Minimum", "same", "bi", "bi"), Graphed(pool, "same"), Graphed(dense, "pool") }));

        // A GRU going backwards over a strided valid convolution; Average(g, g) on its sequence, then an LSTM.
        string strided = Conv("conv", Features, 4, "valid", strides: 2), gru = Gru("gru", 4, 3, backwards: true), lstm = Lstm("lstm", 3, 2, sequences: false);
        cases.Add(("backwards_gru_over_strided_conv",
            new[] { strided, gru, lstm },
            new[] { Input(), Graphed(strided, "x"), Graphed(gru, "conv"), Merge("Average", "same", "gru", "gru"), Graphed(lstm, "same") }));

        // Add(h, h) = 2h into a Dense of kernel W equals h into a Dense of kernel 2W: doubling is exact in float.
        string last = Lstm("lstm", Features, 4, sequences: false);
        float[] kernel = Values(4 * 3), bias = Values(3);
        string chainDense = DenseWith("out", 4, 3, kernel.Select(v => 2 * v).ToArray(), bias), graphDense = DenseWith("out", 4, 3, kernel, bias);
        cases.Add(("add_of_a_vector_with_itself",
            new[] { last, chainDense },
            new[] { Input(), Graphed(last, "x"), Merge("Add", "twice", "lstm", "lstm"), Graphed(graphDense, "twice") }));

        // Wide layers (the products' vector paths, not the narrow ones): an LSTM(64), a backwards GRU and a
        // Bidirectional GRU; Maximum(w, w) after the LSTM.
        string project = Dense("project", Features, 32), wide = Lstm("wide", 32, 64, sequences: true), back = Gru("back", 64, 32, backwards: true);
        string both = BidirectionalGru("both", 32, 24), summary = Lstm("summary", 48, 16, sequences: false), output = Dense("output", 16, 4);
        cases.Add(("wide_lstm_gru_bidirectional",
            new[] { project, wide, back, both, summary, output },
            new[] { Input(), Graphed(project, "x"), Graphed(wide, "project"), Merge("Maximum", "same", "wide", "wide"), Graphed(back, "same"), Graphed(both, "back"), Graphed(summary, "both"), Graphed(output, "summary") }));
        return cases.ToArray();
    }

    private static string Sequential(string[] layers)
        => "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"name\": \"chain\", \"layers\": ["
           + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, " + Steps + ", " + Features + "]}},\n"
           + string.Join(",\n", layers) + "]}}";

    private static string Functional(string[] layers)
        => "{\"class_name\": \"Functional\", \"keras_version\": \"2.15.0\", \"config\": {\"name\": \"graph\", \"layers\": [\n" + string.Join(",\n", layers) + "]}}";

    private static string Input()
        => "{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, " + Steps + ", " + Features + "]}, \"inbound_nodes\": []}";

    /// <summary>A chain layer's JSON with <c>inbound_nodes</c> from <paramref name="from"/> added.</summary>
    private static string Graphed(string layer, string from)
        => layer.Substring(0, layer.Length - 1) + ", \"inbound_nodes\": [[[\"" + from + "\", 0, 0, {}]]]}";

    private static string Merge(string className, string name, params string[] from)
        => "{\"class_name\": \"" + className + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\"}, \"inbound_nodes\": [["
           + string.Join(", ", from.Select(f => "[\"" + f + "\", 0, 0, {}]")) + "]]}";

    private static string Layer(string className, string name, string config)
        => "{\"class_name\": \"" + className + "\", \"config\": {\"name\": \"" + name + "\"" + (config.Length > 0 ? ", " + config : "") + "}}";

    private static string Lstm(string name, int inputs, int units, bool sequences)
        => "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"" + name + "\", \"units\": " + units + ", \"return_sequences\": " + (sequences ? "true" : "false") + "}, \"weights\": ["
           + Matrix(inputs, 4 * units) + ", " + Matrix(units, 4 * units) + ", " + Json(Values(4 * units)) + "]}";

    private static string Gru(string name, int inputs, int units, bool backwards)
        => "{\"class_name\": \"GRU\", \"config\": {\"name\": \"" + name + "\", \"units\": " + units + ", \"return_sequences\": true, \"reset_after\": false, \"go_backwards\": " + (backwards ? "true" : "false") + "}, \"weights\": ["
           + Matrix(inputs, 3 * units) + ", " + Matrix(units, 3 * units) + ", " + Json(Values(3 * units)) + "]}";

    private static string BidirectionalGru(string name, int inputs, int units)
        => "{\"class_name\": \"Bidirectional\", \"config\": {\"name\": \"" + name + "\", \"merge_mode\": \"concat\", \"layer\": {\"class_name\": \"GRU\", \"config\": {\"name\": \"g\", \"units\": " + units + ", \"return_sequences\": true, \"reset_after\": true}}}, \"weights\": ["
           + Matrix(inputs, 3 * units) + ", " + Matrix(units, 3 * units) + ", " + Matrix(2, 3 * units) + ", "
           + Matrix(inputs, 3 * units) + ", " + Matrix(units, 3 * units) + ", " + Matrix(2, 3 * units) + "]}";

    private static string Conv(string name, int inputs, int filters, string padding, int strides = 1)
        => "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"" + name + "\", \"filters\": " + filters + ", \"kernel_size\": [3], \"strides\": [" + strides + "], \"padding\": \"" + padding + "\", \"activation\": \"tanh\"}, \"weights\": ["
           + "[" + string.Join(", ", Enumerable.Range(0, 3).Select(_ => Matrix(inputs, filters))) + "], " + Json(Values(filters)) + "]}";

    private static string Dense(string name, int inputs, int units) => DenseWith(name, inputs, units, Values(inputs * units), Values(units));

    private static string DenseWith(string name, int inputs, int units, float[] kernel, float[] bias)
        => "{\"class_name\": \"Dense\", \"config\": {\"name\": \"" + name + "\", \"units\": " + units + "}, \"weights\": ["
           + "[" + string.Join(", ", Enumerable.Range(0, inputs).Select(r => Json(kernel.Skip(r * units).Take(units).ToArray()))) + "], " + Json(bias) + "]}";

    private static string Matrix(int rows, int columns) => "[" + string.Join(", ", Enumerable.Range(0, rows).Select(_ => Json(Values(columns)))) + "]";

    private static float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(s_random.NextDouble() - 0.5)).ToArray();

    private static string Json(float[] values) => "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
