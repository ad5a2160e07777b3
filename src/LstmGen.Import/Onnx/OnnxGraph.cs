using System.Collections.Generic;
using System.Linq;
using System.Text;
using Onnx;

namespace LstmGen.Import.Onnx;

/// <summary>The main graph of a model with its lookups: who produces and who consumes each value, the opset,
/// and the values known without running it (<see cref="Constants"/>).</summary>
internal sealed class OnnxGraph
{
    public OnnxGraph(ModelProto model, string modelPath)
    {
        Model = model;
        ModelPath = modelPath;
        Graph = model.Graph ?? throw new ImportException("the ONNX file has no graph");
        Opset = (int)(model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max());
        foreach (NodeProto node in Graph.Node)
        {
            foreach (string output in node.Output.Where(o => o.Length > 0)) Producers[output] = node;
            foreach (string input in node.Input.Where(i => i.Length > 0))
            {
                if (!Consumers.TryGetValue(input, out List<NodeProto>? list)) Consumers[input] = list = new List<NodeProto>();
                list.Add(node);
            }
        }
        foreach (TensorProto initializer in Graph.Initializer)
        {
            Constants[initializer.Name] = OnnxTensorReader.Read(initializer, modelPath, "initializer '" + initializer.Name + "'");
        }
        ConstantFolder.Fold(this);
    }

    public ModelProto Model { get; }

    /// <summary>The .onnx file, for resolving external data beside it.</summary>
    public string ModelPath { get; }

    public GraphProto Graph { get; }

    /// <summary>The default-domain opset the model was exported for (Squeeze axes move to an input at 13, ...).</summary>
    public int Opset { get; }

    public Dictionary<string, NodeProto> Producers { get; } = new();

    public Dictionary<string, List<NodeProto>> Consumers { get; } = new();

    public Dictionary<string, OnnxConstant> Constants { get; } = new();

    public IReadOnlyList<NodeProto> ConsumersOf(string value)
        => Consumers.TryGetValue(value, out List<NodeProto>? list) ? list : (IReadOnlyList<NodeProto>)System.Array.Empty<NodeProto>();

    public OnnxConstant? Constant(string value) => value.Length > 0 && Constants.TryGetValue(value, out OnnxConstant? c) ? c : null;

    /// <summary>How messages name a node: its name and op type, or (exporters leave names empty) its first output.</summary>
    public static string Describe(NodeProto node)
    {
        var text = new StringBuilder("node ");
        text.Append(node.Name.Length > 0 ? "'" + node.Name + "'" : "producing '" + node.Output.FirstOrDefault() + "'");
        text.Append(" (").Append(node.Domain.Length > 0 ? node.Domain + "." : "").Append(node.OpType).Append(')');
        return text.ToString();
    }

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long Int(NodeProto node, string name, long fallback) => Attribute(node, name) is { } a ? a.I : fallback;

    public static float Float(NodeProto node, string name, float fallback) => Attribute(node, name) is { } a ? a.F : fallback;

    public static string? String(NodeProto node, string name) => Attribute(node, name) is { } a ? a.S.ToStringUtf8() : null;

    public static long[]? Ints(NodeProto node, string name) => Attribute(node, name) is { } a ? a.Ints.ToArray() : null;
}
