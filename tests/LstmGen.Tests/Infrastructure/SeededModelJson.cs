using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// Keras Sequential JSON with seeded random weights in [-0.5, 0.5), for tests that compare two of the generated
/// paths with each other (batch against single, several cores against one) on shapes no fixture has.
/// </summary>
internal sealed class SeededModelJson
{
    private readonly Random _random;
    private int _layer;

    public SeededModelJson(int seed) => _random = new Random(seed);

    /// <summary>Seeded numbers as a nested JSON array of the given shape.</summary>
    public string Weights(params int[] shape)
    {
        var text = new StringBuilder();
        void Write(int axis)
        {
            text.Append('[');
            for (int i = 0; i < shape[axis]; i++)
            {
                if (i > 0) text.Append(", ");
                if (axis + 1 < shape.Length) Write(axis + 1);
                else text.Append((_random.NextDouble() - 0.5).ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append(']');
        }
        Write(0);
        return text.ToString();
    }

    public string Layer(string className, string config = "", string? weights = null)
        => "{\"class_name\": \"" + className + "\", \"config\": {\"name\": \"" + className.ToLowerInvariant() + "_" + _layer++ + "\""
           + (config.Length > 0 ? ", " + config : "") + "}" + (weights is null ? "" : ", \"weights\": " + weights) + "}";

    public string Conv(int inputs, int filters, int kernel, string options)
        => Layer("Conv1D", $"\"filters\": {filters}, \"kernel_size\": [{kernel}], {options}", $"[{Weights(kernel, inputs, filters)}, {Weights(filters)}]");

    public string Lstm(int inputs, int units, bool returnSequences)
        => Layer("LSTM", $"\"units\": {units}, \"return_sequences\": {(returnSequences ? "true" : "false")}",
            $"[{Weights(inputs, 4 * units)}, {Weights(units, 4 * units)}, {Weights(4 * units)}]");

    public string Gru(int inputs, int units, bool returnSequences, bool resetAfter = false)
        => Layer("GRU", $"\"units\": {units}, \"reset_after\": {(resetAfter ? "true" : "false")}, \"return_sequences\": {(returnSequences ? "true" : "false")}",
            $"[{Weights(inputs, 3 * units)}, {Weights(units, 3 * units)}, {(resetAfter ? Weights(2, 3 * units) : Weights(3 * units))}]");

    public string Bidirectional(int inputs, int units)
        => "{\"class_name\": \"Bidirectional\", \"config\": {\"name\": \"bidirectional_" + _layer++ + "\", \"merge_mode\": \"concat\", \"layer\": "
           + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": " + units + ", \"return_sequences\": true}}}, \"weights\": ["
           + $"{Weights(inputs, 4 * units)}, {Weights(units, 4 * units)}, {Weights(4 * units)}, {Weights(inputs, 4 * units)}, {Weights(units, 4 * units)}, {Weights(4 * units)}]}}";

    public string Dense(int inputs, int units)
        => Layer("Dense", $"\"units\": {units}", $"[{Weights(inputs, units)}, {Weights(units)}]");

    public string Embedding(int vocabulary, int width)
        => Layer("Embedding", $"\"input_dim\": {vocabulary}, \"output_dim\": {width}", $"[{Weights(vocabulary, width)}]");

    /// <summary>A Sequential model whose first layer gets <paramref name="inputShape"/> (Keras's batch_input_shape).</summary>
    public static string Model(string inputShape, params string[] layers)
    {
        int config = layers[0].IndexOf("\"config\": {", StringComparison.Ordinal) + "\"config\": {".Length;
        string first = layers[0].Insert(config, "\"batch_input_shape\": " + inputShape + ", ");
        return "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n"
               + string.Join(",\n", new[] { first }.Concat(layers.Skip(1))) + "]}}";
    }
}
