// Longer than our ~400-line rule on purpose: one walk along the graph's chain with one small method per ONNX
// operator, all reading and updating the same axis bookkeeping; splitting it would split that state.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Onnx;

namespace LstmGen.Import.Onnx;

/// <summary>
/// Follows the single chain of values from the graph input to the graph output, keeping track of what each axis
/// means (<see cref="Axis"/>), and turns each computing node into a Keras layer. Layout glue (Transpose, Squeeze,
/// Reshape, the last-step Gather / Slice...) only moves axes; it is checked, not translated.
/// </summary>
internal sealed class GraphWalker
{
    public const string Supported =
        "LSTM, GRU, RNN (forward, reverse many-to-one, bidirectional), Gemm, MatMul + Add (Dense), Relu, Tanh, Sigmoid, Softmax (last axis), Elu, Selu, Softsign, Softplus, HardSigmoid (0.2, 0.5), "
        + "Gather on token ids (Embedding, first), and the layout glue Transpose, Squeeze, Unsqueeze, Reshape, Gather / Slice of the last timestep, Identity, Dropout, Cast";

    private readonly OnnxGraph _graph;
    private readonly KerasModelBuilder _builder;
    private readonly JsonObject _inputConfig;
    private readonly ValueInfoProto _input;
    private readonly long[] _inputDims;
    private readonly bool _tokenInput;
    private string _value;
    private List<Axis> _axes;
    private bool _resolved;

    /// <summary>The last recurrent layer while only glue followed it: what happens to its T axis decides return_sequences.</summary>
    private (JsonObject Config, string Direction, string What)? _recurrent;

    /// <summary>The Dense that produced the current value, while an activation can still be folded into it.</summary>
    private JsonObject? _dense;

    private GraphWalker(OnnxGraph graph, KerasModelBuilder builder)
    {
        _graph = graph;
        _builder = builder;
        var initializers = graph.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = graph.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1) throw new ImportException("the ONNX graph has " + inputs.Count + " inputs; LstmGen imports models with one input (the sequence)");
        _input = inputs[0];
        TypeProto.Types.Tensor tensor = _input.Type?.TensorType ?? throw new ImportException("the graph input '" + _input.Name + "' is not a tensor");
        _inputDims = tensor.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray() ?? Array.Empty<long>();
        var type = (TensorProto.Types.DataType)tensor.ElemType;
        _tokenInput = type is TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32;
        int rank = _tokenInput ? 2 : 3;
        if (_inputDims.Length != rank)
        {
            throw new ImportException("the graph input '" + _input.Name + "' has rank " + _inputDims.Length + "; expected " + rank + (_tokenInput ? " (token ids [batch, time])" : " ([time, batch, features] or [batch, time, features])"));
        }
        _value = _input.Name;
        _axes = _inputDims.Select((d, i) => new Axis((char)('0' + i), d)).ToList();
        _inputConfig = new JsonObject { ["name"] = builder.NewName("input"), ["dtype"] = _tokenInput ? "int32" : "float32" };
        builder.Add("InputLayer", _inputConfig, Array.Empty<(string, int[], float[])>());
    }

    public static void Walk(OnnxGraph graph, KerasModelBuilder builder, List<string> warnings)
    {
        var walker = new GraphWalker(graph, builder);
        walker.Run();
        var outputs = graph.Graph.Output.Select(o => o.Name).Where(n => n != walker._value).ToList();
        if (outputs.Count > 0) warnings.Add("graph outputs " + string.Join(", ", outputs.Select(o => "'" + o + "'")) + " are not part of the imported model; it computes '" + walker._value + "'");
    }

    private void Run()
    {
        while (true)
        {
            var consumers = _graph.ConsumersOf(_value).Where(n => n.OpType != "Shape").Distinct().ToList();
            bool isOutput = _graph.Graph.Output.Any(o => o.Name == _value);
            if (consumers.Count == 0)
            {
                if (!isOutput) throw new ImportException("the value '" + _value + "' is used by nothing and is not a graph output");
                Finish();
                return;
            }
            if (isOutput) throw new ImportException("the value '" + _value + "' is a graph output and also used further; LstmGen imports a single chain with one output");
            if (consumers.Count > 1)
            {
                if (!TryJoinDirections(consumers))
                {
                    throw new ImportException("the graph branches at '" + _value + "' (used by " + string.Join(", ", consumers.Select(OnnxGraph.Describe)) + "); LstmGen imports a single chain of layers",
                        where: OnnxGraph.Describe(consumers[0]), help: "supported: " + Supported);
                }
                continue;
            }
            Step(consumers[0]);
        }
    }

    private void Step(NodeProto node)
    {
        string what = OnnxGraph.Describe(node);
        if (node.Domain is not ("" or "ai.onnx")) throw Unsupported(node, "its domain '" + node.Domain + "' is not the standard ONNX domain");
        if (node.Input.Count == 0 || node.Input[0] != _value)
        {
            if (node.OpType == "Gather" && _tokenInput && !_resolved && node.Input.Count > 1 && node.Input[1] == _value)
            {
                Embedding(node, what);
                return;
            }
            if (node.OpType is not ("Add" or "Mul")) throw Unsupported(node, "it takes '" + _value + "' as an input other than its first");
        }
        switch (node.OpType)
        {
            case "Identity":
            case "Dropout":
                Move(node, _axes, keepDense: true);
                return;
            case "Cast":
                if (OnnxGraph.Int(node, "to", 1) != (long)TensorProto.Types.DataType.Float) throw Unsupported(node, "it casts to a type other than float32");
                Move(node, _axes, keepDense: true);
                return;
            case "Transpose":
            {
                long[] perm = OnnxGraph.Ints(node, "perm") ?? Enumerable.Range(0, _axes.Count).Reverse().Select(i => (long)i).ToArray();
                Move(node, perm.Select(p => _axes[(int)p]).ToList());
                return;
            }
            case "Squeeze":
                Squeeze(node, what);
                return;
            case "Unsqueeze":
            {
                long[] axes = (_graph.Opset >= 13 ? Const(node, 1, what)?.AsInts() : OnnxGraph.Ints(node, "axes")) ?? throw Unsupported(node, "its axes are not constant");
                int rank = _axes.Count + axes.Length;
                var set = axes.Select(a => TensorOps.NormalizeAxis(a, rank, what)).ToHashSet();
                var result = new List<Axis>();
                int source = 0;
                for (int i = 0; i < rank; i++) result.Add(set.Contains(i) ? new Axis(Axis.Unit, 1) : _axes[source++]);
                Move(node, result);
                return;
            }
            case "Gather":
                Gather(node, what);
                return;
            case "Slice":
                Slice(node, what);
                return;
            case "Reshape":
                Reshape(node, what);
                return;
            case "LSTM":
            case "GRU":
            case "RNN":
                Recurrent(node, what);
                return;
            case "Gemm":
                Gemm(node, what);
                return;
            case "MatMul":
                MatMulAdd(node, what);
                return;
            case "Relu": Activation(node, "relu"); return;
            case "Tanh": Activation(node, "tanh"); return;
            case "Sigmoid": Activation(node, "sigmoid"); return;
            case "Softsign": Activation(node, "softsign"); return;
            case "Softplus": Activation(node, "softplus"); return;
            case "Elu":
                if (OnnxGraph.Float(node, "alpha", 1f) != 1f) throw Unsupported(node, "Keras elu has alpha 1");
                Activation(node, "elu");
                return;
            case "Selu":
                if (OnnxGraph.Attribute(node, "alpha") is not null || OnnxGraph.Attribute(node, "gamma") is not null) throw Unsupported(node, "Keras selu has the default alpha and gamma");
                Activation(node, "selu");
                return;
            case "HardSigmoid":
                if (OnnxGraph.Float(node, "alpha", 0.2f) != 0.2f || OnnxGraph.Float(node, "beta", 0.5f) != 0.5f) throw Unsupported(node, "Keras 2 hard_sigmoid is alpha 0.2, beta 0.5");
                Activation(node, "hard_sigmoid");
                return;
            case "Softmax":
            {
                long axis = OnnxGraph.Int(node, "axis", _graph.Opset >= 13 ? -1 : 1);
                if (TensorOps.NormalizeAxis(axis, _axes.Count, what) != _axes.Count - 1) throw Unsupported(node, "it is not over the last (feature) axis");
                Activation(node, "softmax");
                return;
            }
            case "LogSoftmax":
                throw Unsupported(node, "log-softmax has no Keras activation LstmGen supports (softmax is supported)");
            case "Loop":
            case "Scan":
                throw new ImportException(what + ": the recurrent layers of this graph are " + node.OpType + " subgraphs, not ONNX LSTM / GRU / RNN nodes (tf2onnx writes Keras 3 recurrent layers this way); LstmGen cannot read them",
                    where: what, help: "import the model's .keras (or .h5) file instead");
            default:
                throw Unsupported(node, "LstmGen has no translation for this operator");
        }
    }

    private static ImportException Unsupported(NodeProto node, string why)
    {
        string what = OnnxGraph.Describe(node);
        return new ImportException(what + " is not supported: " + why, where: what, help: "LstmGen imports ONNX graphs made of: " + Supported);
    }

    private OnnxConstant? Const(NodeProto node, int index, string what)
        => index < node.Input.Count && node.Input[index].Length > 0 ? _graph.Constant(node.Input[index]) : null;

    private void Move(NodeProto node, List<Axis> axes, bool keepDense = false)
    {
        _value = node.Output[0];
        _axes = axes;
        if (!keepDense) _dense = null;
    }

    private int IndexOf(char kind) => _axes.FindIndex(a => a.Kind == kind);

    private void Squeeze(NodeProto node, string what)
    {
        long[]? axes = _graph.Opset >= 13 ? Const(node, 1, what)?.AsInts() : OnnxGraph.Ints(node, "axes");
        if (axes is null && _graph.Opset >= 13 && node.Input.Count > 1 && node.Input[1].Length > 0) throw Unsupported(node, "its axes are not constant");
        var remove = axes?.Select(a => TensorOps.NormalizeAxis(a, _axes.Count, what)).ToHashSet()
            ?? Enumerable.Range(0, _axes.Count).Where(i => _axes[i].Size == 1 || _axes[i].Kind is Axis.Last or Axis.Unit).ToHashSet();
        foreach (int i in remove)
        {
            Axis a = _axes[i];
            bool ok = a.Kind is Axis.Last or Axis.Unit || (a.Kind is Axis.Direction or Axis.Batch && a.Size == 1);
            if (!ok) throw Unsupported(node, "it removes the " + Describe(a) + " axis");
        }
        Move(node, _axes.Where((_, i) => !remove.Contains(i)).ToList());
    }

    private static string Describe(Axis a) => a.Kind switch
    {
        Axis.Batch => "batch",
        Axis.Time => "time",
        Axis.Feature => "feature",
        Axis.Direction => "direction",
        _ => "input",
    } + (a.IsKnown ? " (size " + a.Size + ")" : "");

    private void Gather(NodeProto node, string what)
    {
        OnnxConstant indices = Const(node, 1, what) ?? throw Unsupported(node, "its indices are not constant");
        int axis = TensorOps.NormalizeAxis(OnnxGraph.Int(node, "axis", 0), _axes.Count, what);
        Axis a = _axes[axis];
        long[] idx = indices.AsInts();
        if (idx.Length != 1) throw Unsupported(node, "it selects " + idx.Length + " entries; only one timestep or direction is supported");
        long index = idx[0] < 0 && a.IsKnown ? idx[0] + a.Size : idx[0];
        bool scalar = indices.Shape.Length == 0;
        if (a.Kind == Axis.Time)
        {
            bool last = idx[0] == -1 || (a.IsKnown && index == a.Size - 1);
            TakeStep(node, what, last ? "last" : index == 0 ? "first" : "other");
        }
        else if (a.Kind == Axis.Direction && a.Size == 1 && (index == 0))
        {
        }
        else if (a.Kind == Axis.Direction)
        {
            throw Unsupported(node, "it uses only one direction of a bidirectional layer; Keras Bidirectional merges both");
        }
        else
        {
            throw Unsupported(node, "it selects from the " + Describe(a) + " axis");
        }
        var axes = new List<Axis>(_axes);
        if (scalar) axes.RemoveAt(axis);
        else axes[axis] = new Axis(Axis.Last, 1);
        Move(node, axes);
    }

    private void Slice(NodeProto node, string what)
    {
        long[]? starts, ends, axes, steps = null;
        if (_graph.Opset < 10)
        {
            (starts, ends, axes) = (OnnxGraph.Ints(node, "starts"), OnnxGraph.Ints(node, "ends"), OnnxGraph.Ints(node, "axes"));
        }
        else
        {
            starts = Const(node, 1, what)?.AsInts();
            ends = Const(node, 2, what)?.AsInts();
            axes = Const(node, 3, what)?.AsInts();
            steps = Const(node, 4, what)?.AsInts();
            if (node.Input.Skip(1).Where((n, i) => n.Length > 0 && Const(node, i + 1, what) is null).Any()) throw Unsupported(node, "its bounds are not constant");
        }
        if (starts is null || ends is null || starts.Length != 1 || (steps is not null && steps[0] != 1)) throw Unsupported(node, "only a slice of the last timestep is supported");
        int axis = TensorOps.NormalizeAxis(axes?[0] ?? 0, _axes.Count, what);
        Axis a = _axes[axis];
        bool toEnd = ends[0] >= int.MaxValue || (a.IsKnown && ends[0] >= a.Size);
        bool last = toEnd && (starts[0] == -1 || (a.IsKnown && starts[0] == a.Size - 1));
        if (a.Kind != Axis.Time || !last) throw Unsupported(node, "only a slice of the last timestep is supported");
        TakeStep(node, what, "last");
        var result = new List<Axis>(_axes) { [axis] = new Axis(Axis.Last, 1) };
        Move(node, result);
    }

    /// <summary>One timestep taken from a recurrent layer's sequence: Keras return_sequences=False when that is the same thing.</summary>
    private void TakeStep(NodeProto node, string what, string which)
    {
        if (_recurrent is not { } r || r.Config["return_sequences"]?.GetValue<bool>() != true)
        {
            throw Unsupported(node, "it takes one timestep of a value that is not a recurrent layer's output sequence");
        }
        bool same = (r.Direction, which) is ("forward", "last") or ("reverse", "first");
        if (!same)
        {
            string why = r.Direction == "bidirectional"
                ? "it takes one timestep of the bidirectional " + r.What + "'s output; there the backward direction has seen only that step, which Keras Bidirectional(return_sequences=False) does not compute (it merges each direction's final state: PyTorch torch.cat([h_n[-2], h_n[-1]], -1))"
                : "it takes the " + which + " timestep of the " + r.Direction + " " + r.What + "'s output, which is not that layer's final state";
            throw new ImportException(what + ": " + why, where: what, help: "use the recurrent node's final state (Y_h, PyTorch h_n) instead");
        }
        r.Config["return_sequences"] = false;
        _recurrent = (r.Config, "forward-final", r.What);
    }

    private void Reshape(NodeProto node, string what)
    {
        long[] target = Const(node, 1, what)?.AsInts() ?? throw Unsupported(node, "its shape is not constant");
        var result = new List<Axis>();
        int source = 0;
        for (int i = 0; i < target.Length; i++)
        {
            long t = target[i];
            // Size-1 axes may vanish in a reshape.
            while (source < _axes.Count && _axes[source].IsLengthOne && _axes[source].Kind != Axis.Batch && t != 1 && t != 0) source++;
            if (source >= _axes.Count)
            {
                if (t == 1) { result.Add(new Axis(Axis.Unit, 1)); continue; }
                throw Unsupported(node, "its target shape does not match the value's axes");
            }
            Axis a = _axes[source];
            bool lastTarget = i == target.Length - 1;
            if (t == 0 || (a.IsKnown && t == a.Size && !(lastTarget && source < _axes.Count - 1)))
            {
                result.Add(a);
                source++;
            }
            else if (a.Kind == Axis.Direction && source + 1 < _axes.Count && _axes[source + 1].Kind == Axis.Feature
                && (t == -1 || t == a.Size * _axes[source + 1].Size) && source + 2 == _axes.Count)
            {
                // [.., D, H] → [.., D·H]: the directions side by side, forward first: Keras merge_mode concat.
                result.Add(new Axis(Axis.Feature, a.Size * _axes[source + 1].Size));
                source += 2;
            }
            else if (t == -1 && source + 1 == _axes.Count)
            {
                result.Add(a);
                source++;
            }
            else if (t == 1)
            {
                result.Add(new Axis(Axis.Unit, 1));
            }
            else
            {
                throw Unsupported(node, "its target shape [" + string.Join(", ", target) + "] does not keep the batch, time and feature axes apart");
            }
        }
        while (source < _axes.Count && _axes[source].IsLengthOne && _axes[source].Kind != Axis.Batch) source++;
        if (source != _axes.Count) throw Unsupported(node, "its target shape [" + string.Join(", ", target) + "] does not keep the batch, time and feature axes apart");
        Move(node, result);
    }

    /// <summary>A bidirectional node's two directions taken apart (Gather 0 and Gather 1 on the direction axis) and
    /// concatenated on the feature axis, forward first: Keras merge_mode concat.</summary>
    private bool TryJoinDirections(List<NodeProto> consumers)
    {
        int d = IndexOf(Axis.Direction);
        if (d < 0 || _axes[d].Size != 2 || consumers.Count != 2 || consumers.Any(c => c.OpType != "Gather" || c.Input[0] != _value)) return false;
        var picks = new NodeProto?[2];
        foreach (NodeProto gather in consumers)
        {
            OnnxConstant? indices = _graph.Constant(gather.Input[1]);
            if (indices is null || indices.Shape.Length != 0 || TensorOps.NormalizeAxis(OnnxGraph.Int(gather, "axis", 0), _axes.Count, "Gather") != d) return false;
            long index = indices.AsInts()[0];
            picks[index < 0 ? index + 2 : index] = gather;
        }
        if (picks[0] is null || picks[1] is null) return false;
        var users = picks.Select(p => _graph.ConsumersOf(p!.Output[0])).ToList();
        if (users.Any(u => u.Count != 1) || users[0][0] != users[1][0]) return false;
        NodeProto concat = users[0][0];
        var axes = _axes.Where((_, i) => i != d).ToList();
        int f = axes.FindIndex(a => a.Kind == Axis.Feature);
        if (concat.OpType != "Concat" || concat.Input.Count != 2 || concat.Input[0] != picks[0]!.Output[0] || concat.Input[1] != picks[1]!.Output[0]) return false;
        if (TensorOps.NormalizeAxis(OnnxGraph.Int(concat, "axis", 0), axes.Count, "Concat") != f) return false;
        axes[f] = new Axis(Axis.Feature, axes[f].Size * 2);
        Move(concat, axes);
        return true;
    }

    /// <summary>Before a layer consumes the value: everything the last recurrent layer's output went through must be expressible.</summary>
    private void Settle(string what)
    {
        if (_axes.Any(a => a.Kind == Axis.Direction))
        {
            throw new ImportException(what + ": it reads a recurrent node's output that still has its direction axis; a bidirectional node's directions must be joined as [.., 2·hidden], forward first (Keras merge_mode concat)", where: what);
        }
        if (_recurrent is { } r && r.Direction == "reverse" && r.Config["return_sequences"]?.GetValue<bool>() == true)
        {
            throw new ImportException(what + ": it reads the whole output sequence of the reverse-direction " + r.What + "; ONNX gives it in input order while Keras go_backwards gives processing order, so LstmGen only imports a reverse node's final state (Y_h)",
                where: r.What, help: "use a bidirectional node, or the reverse node's final state");
        }
        _recurrent = null;
    }

    private void ResolveInput(string what, char[] expected)
    {
        if (_axes.Count != 3) throw new ImportException(what + ": its input has " + _axes.Count + " axes; expected 3", where: what);
        for (int i = 0; i < 3; i++)
        {
            Axis a = _axes[i];
            if (a.IsInput)
            {
                if (expected[i] == Axis.Time) _inputConfig["batch_input_shape"] = _tokenInput ? KerasModelBuilder.Shape(null, a.IsKnown ? a.Size : null) : KerasModelBuilder.Shape(null, a.IsKnown ? a.Size : null, _axes[2].Size);
                _axes[i] = new Axis(expected[i], a.Size);
            }
            else if (a.Kind != expected[i])
            {
                throw new ImportException(what + ": its input axis " + i + " is the " + Describe(a) + " axis, not the " + Describe(new Axis(expected[i], -1)) + " axis", where: what);
            }
        }
        _resolved = true;
    }

    private void Recurrent(NodeProto node, string what)
    {
        Settle(what);
        RecurrentLayer layer = RecurrentTranslator.Translate(_graph, node);
        char[] xAxes = layer.Layout == 0 ? new[] { Axis.Time, Axis.Batch, Axis.Feature } : new[] { Axis.Batch, Axis.Time, Axis.Feature };
        _axes = _axes.Where(a => !(a.Kind is Axis.Unit or Axis.Last)).ToList();
        ResolveInput(what, xAxes);
        Axis feature = _axes[2];
        if (feature.IsKnown && feature.Size != layer.InputSize) throw new ImportException(what + ": its input has " + feature.Size + " features but W expects " + layer.InputSize, where: what);
        if (!feature.IsKnown) throw new ImportException(what + ": the feature count of its input is not fixed", where: what);

        bool Used(int i) => i < node.Output.Count && node.Output[i].Length > 0
            && (_graph.ConsumersOf(node.Output[i]).Any(n => n.OpType != "Shape") || _graph.Graph.Output.Any(o => o.Name == node.Output[i]));
        int[] used = Enumerable.Range(0, node.Output.Count).Where(Used).ToArray();
        if (used.Length != 1) throw new ImportException(what + ": " + (used.Length == 0 ? "none" : used.Length.ToString()) + " of its outputs are used; LstmGen imports a node whose Y or Y_h (one of them) feeds the rest of the graph", where: what);
        if (used[0] == 2) throw new ImportException(what + ": its cell state Y_c is used; a Keras layer outputs h only", where: what);
        bool sequence = used[0] == 0;

        string prefix = layer.KerasClass switch { "LSTM" => "lstm", "GRU" => "gru", _ => "simple_rnn" };
        string name = _builder.NewName(prefix);
        JsonObject Inner(string innerName, bool backwards)
        {
            var config = (JsonObject)layer.CellConfig.DeepClone();
            config["name"] = innerName;
            config["return_sequences"] = sequence;
            config["go_backwards"] = backwards;
            return config;
        }
        JsonObject inner;
        if (layer.Direction == "bidirectional")
        {
            string wrapper = _builder.NewName("bidirectional");
            inner = Inner("forward_" + name, false);
            var config = new JsonObject
            {
                ["name"] = wrapper,
                ["merge_mode"] = "concat",
                ["layer"] = new JsonObject { ["class_name"] = layer.KerasClass, ["config"] = inner },
            };
            _builder.Add("Bidirectional", config, layer.Weights[0].Select(w => ("forward_" + name + "/" + w.Name, w.Shape, w.Data))
                .Concat(layer.Weights[1].Select(w => ("backward_" + name + "/" + w.Name, w.Shape, w.Data))));
        }
        else
        {
            inner = Inner(name, layer.Direction == "reverse");
            _builder.Add(layer.KerasClass, inner, layer.Weights[0]);
        }
        _recurrent = (inner, layer.Direction, what);

        Axis t = _axes[layer.Layout == 0 ? 0 : 1], b = _axes[layer.Layout == 0 ? 1 : 0];
        var d = new Axis(Axis.Direction, layer.Directions);
        var h = new Axis(Axis.Feature, layer.Units);
        _axes = sequence
            ? (layer.Layout == 0 ? new List<Axis> { t, d, b, h } : new List<Axis> { b, t, d, h })
            : (layer.Layout == 0 ? new List<Axis> { d, b, h } : new List<Axis> { b, d, h });
        _value = node.Output[used[0]];
        _dense = null;
    }

    private void Embedding(NodeProto node, string what)
    {
        if (OnnxGraph.Int(node, "axis", 0) != 0) throw Unsupported(node, "an embedding lookup gathers rows (axis 0)");
        OnnxConstant table = Const(node, 0, what) ?? throw Unsupported(node, "its table is not constant");
        if (table.Shape.Length != 2 || !table.IsFloat) throw Unsupported(node, "its table is not a 2-D float matrix");
        var config = new JsonObject { ["name"] = _builder.NewName("embedding"), ["input_dim"] = table.Shape[0], ["output_dim"] = table.Shape[1], ["mask_zero"] = false };
        _builder.Add("Embedding", config, new[] { ("embeddings", new[] { (int)table.Shape[0], (int)table.Shape[1] }, table.AsFloats()) });
        Move(node, _axes.Append(new Axis(Axis.Feature, table.Shape[1])).ToList());
    }

    private void RequireFeatureLast(NodeProto node, string what)
    {
        Settle(what);
        if (!_resolved) throw Unsupported(node, "it comes before the first recurrent node");
        var kinds = _axes.Where(a => !(a.Kind is Axis.Unit or Axis.Last)).ToList();
        if (kinds.Count == 0 || kinds[^1].Kind != Axis.Feature) throw Unsupported(node, "it does not act on the feature axis");
    }

    private void Gemm(NodeProto node, string what)
    {
        RequireFeatureLast(node, what);
        if (OnnxGraph.Int(node, "transA", 0) != 0) throw Unsupported(node, "transA=1 is not supported");
        OnnxConstant weight = Const(node, 1, what) ?? throw Unsupported(node, "its B is not constant");
        OnnxConstant? bias = Const(node, 2, what);
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && bias is null) throw Unsupported(node, "its C is not constant");
        float alpha = OnnxGraph.Float(node, "alpha", 1f), beta = OnnxGraph.Float(node, "beta", 1f);
        bool transB = OnnxGraph.Int(node, "transB", 0) != 0;
        if (weight.Shape.Length != 2) throw Unsupported(node, "B is not a matrix");
        OnnxConstant kernel = transB ? TensorOps.Transpose(weight, new long[] { 1, 0 }) : weight;
        AddDense(node, what, kernel, bias, alpha, beta, node.Output[0]);
    }

    private void MatMulAdd(NodeProto node, string what)
    {
        RequireFeatureLast(node, what);
        OnnxConstant kernel = Const(node, 1, what) ?? throw Unsupported(node, "its second input is not a constant weight matrix");
        if (kernel.Shape.Length != 2) throw Unsupported(node, "its weight is not a matrix");
        var users = _graph.ConsumersOf(node.Output[0]).Where(n => n.OpType != "Shape").ToList();
        OnnxConstant? bias = null;
        string output = node.Output[0];
        if (users.Count == 1 && users[0].OpType == "Add" && !_graph.Graph.Output.Any(o => o.Name == output))
        {
            NodeProto add = users[0];
            string other = add.Input[0] == output ? add.Input[1] : add.Input[0];
            bias = _graph.Constant(other);
            if (bias is not null) output = add.Output[0];
        }
        AddDense(node, what, kernel, bias, 1f, 1f, output);
    }

    private void AddDense(NodeProto node, string what, OnnxConstant kernel, OnnxConstant? bias, float alpha, float beta, string output)
    {
        int inputs = (int)kernel.Shape[0], units = (int)kernel.Shape[1];
        long features = _axes.Last(a => !(a.Kind is Axis.Unit or Axis.Last)).Size;
        if (features != inputs) throw Unsupported(node, "its weight has " + inputs + " rows but the value has " + features + " features");
        float[] k = kernel.AsFloats().Select(v => v * alpha).ToArray();
        var weights = new List<(string, int[], float[])> { ("kernel", new[] { inputs, units }, k) };
        if (bias is not null)
        {
            if (bias.IsZeroOfUnknownShape || (bias.Count != units && bias.Count != 1) || bias.Shape.Count(d => d != 1) > 1)
            {
                throw Unsupported(node, "its bias does not have one value per output unit");
            }
            float[] b = bias.AsFloats();
            weights.Add(("bias", new[] { units }, Enumerable.Range(0, units).Select(i => b[b.Length == 1 ? 0 : i] * beta).ToArray()));
        }
        var config = new JsonObject { ["name"] = _builder.NewName("dense"), ["units"] = units, ["activation"] = "linear", ["use_bias"] = bias is not null };
        _builder.Add("Dense", config, weights);
        _value = output;
        _axes = _axes.Select(a => a.Kind == Axis.Feature ? new Axis(Axis.Feature, units) : a).ToList();
        _dense = config;
    }

    private void Activation(NodeProto node, string activation)
    {
        Settle(OnnxGraph.Describe(node));
        if (!_resolved) throw Unsupported(node, "it comes before the first recurrent node");
        if (_dense is not null && (string?)_dense["activation"] == "linear")
        {
            _dense["activation"] = activation;
        }
        else
        {
            _builder.Add("Activation", new JsonObject { ["name"] = _builder.NewName("activation"), ["activation"] = activation }, Array.Empty<(string, int[], float[])>());
        }
        Move(node, _axes);
    }

    private void Finish()
    {
        Settle("the graph output '" + _value + "'");
        if (!_resolved) throw new ImportException("the graph has no LSTM, GRU or RNN node on the way from its input to its output", help: "LstmGen imports ONNX graphs made of: " + Supported);
    }
}
