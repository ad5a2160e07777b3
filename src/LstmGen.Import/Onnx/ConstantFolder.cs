using System;
using System.Linq;
using Onnx;

namespace LstmGen.Import.Onnx;

/// <summary>
/// Evaluates the parts of the graph that do not depend on the input: Constant nodes and the shape and weight
/// plumbing exporters write (PyTorch opset 9 reorders LSTM weights with Slice → Concat; initial states are
/// ConstantOfShape / Expand of zeros sized by Shape(x)). A zero tensor whose shape needs the batch size stays
/// "zero of unknown shape", which is all the translation needs to accept an initial state.
/// </summary>
internal static class ConstantFolder
{
    public static void Fold(OnnxGraph graph)
    {
        // ONNX requires nodes in topological order, so one pass sees every input before its consumers.
        foreach (NodeProto node in graph.Graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx")) continue;
            OnnxConstant? value = TryFold(graph, node);
            if (value is not null && node.Output.Count > 0) graph.Constants[node.Output[0]] = value;
        }
    }

    private static OnnxConstant? TryFold(OnnxGraph graph, NodeProto node)
    {
        string what = OnnxGraph.Describe(node);
        if (node.OpType == "Constant") return ConstantNode(graph, node, what);
        OnnxConstant?[] inputs = node.Input.Select(i => graph.Constant(i)).ToArray();
        OnnxConstant? x = inputs.Length > 0 ? inputs[0] : null;
        OnnxConstant? Input(int i) => i < inputs.Length ? inputs[i] : null;

        switch (node.OpType)
        {
            case "ConstantOfShape":
            {
                OnnxConstant? fill = OnnxGraph.Attribute(node, "value") is { T: { } t } ? OnnxTensorReader.Read(t, graph.ModelPath, what) : null;
                bool zero = fill is null || fill.IsAllZero;
                if (x is null || x.IsZeroOfUnknownShape) return zero ? OnnxConstant.Zero : null;
                long[] shape = x.AsInts();
                return fill is null || fill.IsFloat
                    ? OnnxConstant.Float(shape, Enumerable.Repeat(fill?.Floats![0] ?? 0f, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray())
                    : OnnxConstant.Int(shape, Enumerable.Repeat(fill.Ints![0], (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray());
            }
            case "Expand":
                if (x is null) return null;
                if (x.IsAllZero && (Input(1) is null || x.IsZeroOfUnknownShape)) return OnnxConstant.Zero;
                return Input(1) is { } target ? TensorOps.Expand(x, target.AsInts()) : null;
        }

        // The rest move data: a zero input gives a zero output, a known input a known output.
        if (x is null) return null;
        if (x.IsZeroOfUnknownShape)
        {
            return node.OpType is "Identity" or "Cast" or "Slice" or "Gather" or "Squeeze" or "Unsqueeze" or "Reshape" or "Transpose" or "Dropout"
                || (node.OpType == "Concat" && inputs.All(i => i is { IsAllZero: true }))
                ? OnnxConstant.Zero
                : null;
        }
        switch (node.OpType)
        {
            case "Identity":
            case "Dropout":
                return x;
            case "Cast":
            {
                long to = OnnxGraph.Int(node, "to", 1);
                bool toFloat = to is (long)TensorProto.Types.DataType.Float or (long)TensorProto.Types.DataType.Double or (long)TensorProto.Types.DataType.Float16;
                return toFloat ? OnnxConstant.Float(x.Shape, x.AsFloats()) : OnnxConstant.Int(x.Shape, x.AsInts().ToArray());
            }
            case "Shape":
                return OnnxConstant.Int(new long[] { x.Shape.Length }, x.Shape);
            case "Unsqueeze":
            {
                long[]? axes = graph.Opset >= 13 ? Input(1)?.AsInts() : OnnxGraph.Ints(node, "axes");
                if (axes is null) return null;
                int rank = x.Shape.Length + axes.Length;
                var normalized = axes.Select(a => TensorOps.NormalizeAxis(a, rank, what)).ToHashSet();
                var shape = new long[rank];
                int source = 0;
                for (int i = 0; i < rank; i++) shape[i] = normalized.Contains(i) ? 1 : x.Shape[source++];
                return x.WithData(shape, x.Data);
            }
            case "Squeeze":
            {
                long[]? axes = graph.Opset >= 13 ? Input(1)?.AsInts() : OnnxGraph.Ints(node, "axes");
                if (graph.Opset >= 13 && node.Input.Count > 1 && node.Input[1].Length > 0 && axes is null) return null;
                var remove = axes?.Select(a => TensorOps.NormalizeAxis(a, x.Shape.Length, what)).ToHashSet()
                    ?? Enumerable.Range(0, x.Shape.Length).Where(i => x.Shape[i] == 1).ToHashSet();
                return x.WithData(x.Shape.Where((_, i) => !remove.Contains(i)).ToArray(), x.Data);
            }
            case "Reshape":
            {
                if (Input(1) is not { } target) return null;
                long[] shape = target.AsInts().Select((d, i) => d == 0 && OnnxGraph.Int(node, "allowzero", 0) == 0 ? x.Shape[i] : d).ToArray();
                int infer = Array.IndexOf(shape, -1L);
                if (infer >= 0) shape[infer] = x.Count / shape.Where((_, i) => i != infer).Aggregate(1L, (a, b) => a * b);
                if (shape.Aggregate(1L, (a, b) => a * b) != x.Count) throw new ImportException(what + ": cannot reshape " + x.Count + " elements to [" + string.Join(", ", shape) + "]", where: what);
                return x.WithData(shape, x.Data);
            }
            case "Transpose":
                return TensorOps.Transpose(x, OnnxGraph.Ints(node, "perm") ?? Enumerable.Range(0, x.Shape.Length).Reverse().Select(i => (long)i).ToArray());
            case "Gather":
                return Input(1) is { } indices ? TensorOps.Gather(x, TensorOps.NormalizeAxis(OnnxGraph.Int(node, "axis", 0), x.Shape.Length, what), indices, what) : null;
            case "Concat":
                return inputs.All(i => i is { IsZeroOfUnknownShape: false })
                    ? TensorOps.Concat(inputs.Select(i => i!).ToArray(), TensorOps.NormalizeAxis(OnnxGraph.Int(node, "axis", 0), x.Shape.Length, what))
                    : null;
            case "Slice":
                return Slice(graph, node, x, inputs, what);
            default:
                return null;
        }
    }

    private static OnnxConstant? Slice(OnnxGraph graph, NodeProto node, OnnxConstant x, OnnxConstant?[] inputs, string what)
    {
        long[]? starts, ends, axes, steps = null;
        if (graph.Opset < 10)
        {
            starts = OnnxGraph.Ints(node, "starts");
            ends = OnnxGraph.Ints(node, "ends");
            axes = OnnxGraph.Ints(node, "axes");
        }
        else
        {
            OnnxConstant? Optional(int i) => i < inputs.Length ? inputs[i] : null;
            bool Missing(int i) => i < node.Input.Count && node.Input[i].Length > 0 && inputs[i] is null;
            if (Missing(1) || Missing(2) || Missing(3) || Missing(4)) return null;
            starts = Optional(1)?.AsInts();
            ends = Optional(2)?.AsInts();
            axes = Optional(3)?.AsInts();
            steps = Optional(4)?.AsInts();
        }
        if (starts is null || ends is null) return null;
        int rank = x.Shape.Length;
        long[] begin = new long[rank], step = Enumerable.Repeat(1L, rank).ToArray(), length = (long[])x.Shape.Clone();
        for (int k = 0; k < starts.Length; k++)
        {
            int axis = TensorOps.NormalizeAxis(axes?[k] ?? k, rank, what);
            long dim = x.Shape[axis], s = steps?[k] ?? 1;
            if (s == 0) throw new ImportException(what + ": slice step 0", where: what);
            long start = starts[k] < 0 ? starts[k] + dim : starts[k];
            long end = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (s > 0)
            {
                start = Math.Clamp(start, 0, dim);
                end = Math.Clamp(end, 0, dim);
                length[axis] = Math.Max(0, (end - start + s - 1) / s);
            }
            else
            {
                start = Math.Clamp(start, 0, dim - 1);
                end = Math.Clamp(end, -1, dim - 1);
                length[axis] = Math.Max(0, (start - end + (-s) - 1) / (-s));
            }
            begin[axis] = start;
            step[axis] = s;
        }
        return TensorOps.Slice(x, begin, step, length);
    }

    private static OnnxConstant? ConstantNode(OnnxGraph graph, NodeProto node, string what)
    {
        foreach (AttributeProto a in node.Attribute)
        {
            switch (a.Name)
            {
                case "value": return OnnxTensorReader.Read(a.T, graph.ModelPath, what);
                case "value_float": return OnnxConstant.Float(Array.Empty<long>(), new[] { a.F });
                case "value_floats": return OnnxConstant.Float(new long[] { a.Floats.Count }, a.Floats.ToArray());
                case "value_int": return OnnxConstant.Int(Array.Empty<long>(), new[] { a.I });
                case "value_ints": return OnnxConstant.Int(new long[] { a.Ints.Count }, a.Ints.ToArray());
            }
        }
        throw new ImportException(what + " holds no value LstmGen reads (value, value_float(s), value_int(s))", where: what);
    }
}
