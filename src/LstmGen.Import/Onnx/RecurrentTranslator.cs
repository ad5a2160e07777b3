using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Onnx;

namespace LstmGen.Import.Onnx;

/// <summary>One ONNX LSTM / GRU / RNN node as the Keras layer that computes the same thing.</summary>
internal sealed class RecurrentLayer
{
    public required string KerasClass { get; init; }

    public required int Units { get; init; }

    public required int InputSize { get; init; }

    /// <summary>"forward", "reverse" or "bidirectional".</summary>
    public required string Direction { get; init; }

    /// <summary>ONNX layout attribute: 0 = [T, B, F] (the default), 1 = [B, T, F].</summary>
    public required int Layout { get; init; }

    /// <summary>The cell's Keras config without name, return_sequences and go_backwards.</summary>
    public required JsonObject CellConfig { get; init; }

    /// <summary>Per direction (forward first): the arrays in Keras get_weights() order, named.</summary>
    public required List<List<(string Name, int[] Shape, float[] Data)>> Weights { get; init; }

    public int Directions => Direction == "bidirectional" ? 2 : 1;
}

/// <summary>
/// Translates the weights and attributes of ONNX LSTM (gates i, o, f, c), GRU (z, r, h) and RNN nodes to Keras
/// LSTM (i, f, c, o), GRU and SimpleRNN: kernels transposed to (input, gates·units), biases summed where Keras
/// has one, and everything Keras cannot express (clip, peepholes, sequence_lens, ...) rejected with the node named.
/// </summary>
internal static class RecurrentTranslator
{
    /// <summary>Keras gate block k comes from ONNX block Order[k].</summary>
    private static readonly int[] s_lstmOrder = { 0, 2, 3, 1 };
    private static readonly int[] s_identity3 = { 0, 1, 2 };

    public static RecurrentLayer Translate(OnnxGraph graph, NodeProto node)
    {
        string what = OnnxGraph.Describe(node);
        string op = node.OpType;
        int gates = op switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        int units = (int)OnnxGraph.Int(node, "hidden_size", 0);
        string direction = OnnxGraph.String(node, "direction") ?? "forward";
        int layout = (int)OnnxGraph.Int(node, "layout", 0);
        int dirs = direction == "bidirectional" ? 2 : 1;
        if (direction is not ("forward" or "reverse" or "bidirectional")) throw Reject(what, "direction '" + direction + "' is not an ONNX direction");
        if (OnnxGraph.Attribute(node, "clip") is not null) throw Reject(what, "the clip attribute (cell clipping) has no Keras equivalent");
        if (OnnxGraph.Int(node, "input_forget", 0) != 0) throw Reject(what, "input_forget=1 (coupled input and forget gates) has no Keras equivalent");
        if (layout is not (0 or 1)) throw Reject(what, "layout " + layout + " is not an ONNX layout");
        if (Optional(node, 4) is { } seqLens) throw Reject(what, "sequence_lens ('" + seqLens + "') is not supported: Keras layers take whole sequences (use a Masking layer in Keras instead)");
        if (op == "LSTM" && Optional(node, 7) is { } peep && graph.Constant(peep) is not { IsAllZero: true }) throw Reject(what, "peephole weights P have no Keras equivalent");
        foreach (int state in op == "LSTM" ? new[] { 5, 6 } : new[] { 5 })
        {
            if (Optional(node, state) is { } name && graph.Constant(name) is not { IsAllZero: true })
            {
                throw Reject(what, "its initial state '" + name + "' is not provably zero; Keras layers start from zero states",
                    "export the model without a caller-supplied initial state");
            }
        }

        OnnxConstant w = Weight(graph, node, 1, what, "W");
        OnnxConstant r = Weight(graph, node, 2, what, "R");
        OnnxConstant? b = Optional(node, 3) is { } bName ? graph.Constant(bName) ?? throw Reject(what, "its bias B is computed from the input; only constant weights are read") : null;
        if (units <= 0) units = (int)(r.Shape.Length == 3 ? r.Shape[2] : 0);
        if (w.Shape.Length != 3 || w.Shape[0] != dirs || w.Shape[1] != gates * units) throw Reject(what, "W has shape [" + string.Join(", ", w.Shape) + "], expected [" + dirs + ", " + gates * units + ", input]");
        int input = (int)w.Shape[2];
        if (!r.Shape.SequenceEqual(new long[] { dirs, gates * units, units })) throw Reject(what, "R has shape [" + string.Join(", ", r.Shape) + "], expected [" + dirs + ", " + gates * units + ", " + units + "]");
        if (b is not null && !b.IsZeroOfUnknownShape && !b.Shape.SequenceEqual(new long[] { dirs, 2 * gates * units })) throw Reject(what, "B has shape [" + string.Join(", ", b.Shape) + "], expected [" + dirs + ", " + 2 * gates * units + "]");

        bool resetAfter = op == "GRU" && OnnxGraph.Int(node, "linear_before_reset", 0) != 0;
        (string activation, string? recurrent) = Activations(node, op, dirs, what);
        var config = new JsonObject { ["units"] = units, ["activation"] = activation, ["use_bias"] = true };
        if (recurrent is not null) config["recurrent_activation"] = recurrent;
        if (op == "GRU") config["reset_after"] = resetAfter;

        int[] order = op == "LSTM" ? s_lstmOrder : op == "GRU" ? s_identity3 : new[] { 0 };
        var weights = new List<List<(string, int[], float[])>>();
        float[] wData = w.AsFloats(), rData = r.AsFloats();
        float[]? bData = b is null || b.IsZeroOfUnknownShape ? null : b.AsFloats();
        for (int d = 0; d < dirs; d++)
        {
            var arrays = new List<(string, int[], float[])>
            {
                ("kernel", new[] { input, gates * units }, Kernel(wData, d, gates, units, input, order)),
                ("recurrent_kernel", new[] { units, gates * units }, Kernel(rData, d, gates, units, units, order)),
            };
            float[] wb = Bias(bData, d, gates, units, 0, order), rb = Bias(bData, d, gates, units, 1, order);
            if (resetAfter)
            {
                arrays.Add(("bias", new[] { 2, gates * units }, wb.Concat(rb).ToArray()));
            }
            else
            {
                // One Keras bias for ONNX's two: their float32 sum (ONNX Runtime adds them in its own order; within tolerance).
                arrays.Add(("bias", new[] { gates * units }, wb.Zip(rb, (x, y) => x + y).ToArray()));
            }
            weights.Add(arrays);
        }
        return new RecurrentLayer
        {
            KerasClass = op == "RNN" ? "SimpleRNN" : op,
            Units = units,
            InputSize = input,
            Direction = direction,
            Layout = layout,
            CellConfig = config,
            Weights = weights,
        };
    }

    public static ImportException Reject(string what, string why, string? help = null)
        => new(what + ": " + why, where: what, help: help ?? "LstmGen imports ONNX LSTM, GRU and RNN nodes that a Keras layer computes exactly");

    private static string? Optional(NodeProto node, int index) => index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index] : null;

    private static OnnxConstant Weight(OnnxGraph graph, NodeProto node, int index, string what, string name)
    {
        string value = Optional(node, index) ?? throw Reject(what, "it has no " + name + " input");
        OnnxConstant c = graph.Constant(value) ?? throw Reject(what, "its " + name + " ('" + value + "') is computed from the input; only constant weights are read");
        if (c.IsZeroOfUnknownShape || !c.IsFloat) throw Reject(what, "its " + name + " ('" + value + "') is not a float tensor of known shape");
        return c;
    }

    /// <summary>ONNX [dirs, gates·units, cols] rows of direction d → Keras (cols, gates·units) with gate blocks reordered.</summary>
    private static float[] Kernel(float[] data, int d, int gates, int units, int cols, int[] order)
    {
        var kernel = new float[cols * gates * units];
        int gu = gates * units;
        for (int k = 0; k < gates; k++)
        {
            for (int u = 0; u < units; u++)
            {
                int row = d * gu * cols + (order[k] * units + u) * cols;
                for (int c = 0; c < cols; c++) kernel[c * gu + k * units + u] = data[row + c];
            }
        }
        return kernel;
    }

    /// <summary>Half <paramref name="half"/> (0 = Wb, 1 = Rb) of direction d's bias, gates reordered; zeros without B.</summary>
    private static float[] Bias(float[]? data, int d, int gates, int units, int half, int[] order)
    {
        var bias = new float[gates * units];
        if (data is null) return bias;
        int start = d * 2 * gates * units + half * gates * units;
        for (int k = 0; k < gates; k++) Array.Copy(data, start + order[k] * units, bias, k * units, units);
        return bias;
    }

    /// <summary>The Keras activation (cell input / output) and recurrent activation (gates) of the node.</summary>
    private static (string Activation, string? Recurrent) Activations(NodeProto node, string op, int dirs, string what)
    {
        string[] defaults = op switch { "LSTM" => new[] { "Sigmoid", "Tanh", "Tanh" }, "GRU" => new[] { "Sigmoid", "Tanh" }, _ => new[] { "Tanh" } };
        string[] names = OnnxGraph.Attribute(node, "activations") is { } a ? a.Strings.Select(s => s.ToStringUtf8()).ToArray() : Enumerable.Range(0, dirs).SelectMany(_ => defaults).ToArray();
        if (names.Length != defaults.Length * dirs) throw Reject(what, "it lists " + names.Length + " activations; expected " + defaults.Length * dirs);
        float[] alphas = OnnxGraph.Attribute(node, "activation_alpha")?.Floats.ToArray() ?? Array.Empty<float>();
        float[] betas = OnnxGraph.Attribute(node, "activation_beta")?.Floats.ToArray() ?? Array.Empty<float>();
        int alphaIndex = 0, betaIndex = 0;
        var keras = new string[names.Length];
        for (int i = 0; i < names.Length; i++) keras[i] = KerasActivation(names[i], alphas, betas, ref alphaIndex, ref betaIndex, what);
        if (alphaIndex != alphas.Length || betaIndex != betas.Length) throw Reject(what, "activation_alpha / activation_beta have values no activation takes");
        int per = defaults.Length;
        for (int i = per; i < keras.Length; i++)
        {
            if (keras[i] != keras[i - per]) throw Reject(what, "its two directions use different activations");
        }
        if (op == "LSTM" && keras[1] != keras[2]) throw Reject(what, "its cell input (" + names[1] + ") and output (" + names[2] + ") activations differ; a Keras LSTM uses one activation for both");
        return op == "RNN" ? (keras[0], null) : (keras[1], keras[0]);
    }

    private static string KerasActivation(string name, float[] alphas, float[] betas, ref int alphaIndex, ref int betaIndex, string what)
    {
        float? Take(float[] values, ref int index) => index < values.Length ? values[index++] : null;
        switch (name.ToLowerInvariant())
        {
            case "sigmoid": return "sigmoid";
            case "tanh": return "tanh";
            case "relu": return "relu";
            case "softsign": return "softsign";
            case "softplus": return "softplus";
            case "hardsigmoid":
            {
                float alpha = Take(alphas, ref alphaIndex) ?? 0.2f, beta = Take(betas, ref betaIndex) ?? 0.5f;
                if (alpha == 0.2f && beta == 0.5f) return "hard_sigmoid";
                throw Reject(what, "HardSigmoid with alpha " + alpha + ", beta " + beta + " has no Keras equivalent (Keras 2 hard_sigmoid is alpha 0.2, beta 0.5)");
            }
            case "affine":
            {
                float alpha = Take(alphas, ref alphaIndex) ?? 1f, beta = Take(betas, ref betaIndex) ?? 0f;
                if (alpha == 1f && beta == 0f) return "linear";
                throw Reject(what, "Affine with alpha " + alpha + ", beta " + beta + " has no Keras equivalent (only the identity, alpha 1 beta 0)");
            }
            case "elu":
            {
                float alpha = Take(alphas, ref alphaIndex) ?? 1f;
                if (alpha == 1f) return "elu";
                throw Reject(what, "Elu with alpha " + alpha + " has no Keras activation (Keras elu is alpha 1)");
            }
            default:
                throw Reject(what, "activation " + name + " has no Keras equivalent LstmGen supports (Sigmoid, Tanh, Relu, Softsign, Softplus, HardSigmoid 0.2/0.5, Affine 1/0, Elu 1)");
        }
    }
}
